// core/time_infer.hpp — time when serving: the prefill of all prompts (TTFT), a decode step
// averaged over the generated context (TPOT), end-to-end latency and throughput.
#pragma once
#include "memory_infer.hpp"
#include "phase.hpp"
#include "setup.hpp"

namespace llmcalc {

// A server holding `batch` requests in steady state (each user sends the next request when the
// last one ends): a request's prompt is prefilled in chunks of the engine's pass size alongside the
// others' decode steps, and everyone's prefills slow the decode steps down on average.
template <class N>
struct ServingTime {
  PhaseOf<N> prefill;     // one request's prompt, alone
  N chunks;               // prefill passes per request
  N prefill_steps_s;      // those passes, each carrying the other requests' decode tokens
  N step_s;               // mean engine step in steady state (= TPOT)
  N ttft_s, tpot_s, e2e_s, output_tokens_per_s, total_tokens_per_s;
};

template <class N>
struct InferTime {
  PhaseOf<N> prefill, decode;  // decode: one step at the average context
  N ttft_s, tpot_s, e2e_s;
  N tokens_per_s;          // generated tokens/s over all replicas
  N decode_tokens_per_s;   // steady-state decode rate over all replicas
  N prefill_tokens_per_s;  // prompt tokens/s over all replicas
  double context_lo = 0, context_hi = 0;  // decode context range averaged over, tokens
  ServingTime<N> serving;
};

template <class N>
InferTime<N> infer_time(const Setup<N>& x, const InferMemory<N>& mem);

// Average over c ∈ [lo, hi] of max(a1 + b1·c, a2 + b2·c), exactly (split at the crossing point).
template <class N>
N average_of_max(N a1, N b1, N a2, N b2, N lo, N hi);
// Average over c ∈ [lo, hi] of min(c, w) (a local layer's context), exactly.
template <class N>
N mean_of_min(N lo, N hi, N w);

}  // namespace llmcalc
