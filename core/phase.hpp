// core/phase.hpp — one phase of work on one GPU (a prefill, one decode step, one training step):
// its FLOP and memory traffic, and the time parts the timing model combines.
#pragma once
#include "trace.hpp"

namespace llmcalc {

template <class N>
struct PhaseOf {
  N flop = 0;           // FLOP per GPU
  N bytes = 0;          // device-memory traffic per GPU, bytes
  N compute_s = 0;      // Σ GEMM FLOP / rate (+ attention)
  N memory_s = 0;       // bytes / bandwidth
  N comm_s = 0;         // collectives not overlapped with compute
  N overhead_s = 0;     // kernel launches and the engine's host time per step (timing=fitted)
  N elementwise_s = 0;  // non-GEMM kernels (norms, residuals, rotary, activation); timing=fitted only
  N time_s = 0;         // combined according to the timing model
  // Roofline classification at datasheet peaks (FLOP / peak ≥ bytes / bandwidth), whatever the
  // timing model: measured GEMM times of small M already include their own memory traffic.
  bool compute_bound = false;
};
using Phase = PhaseOf<double>;

// The JSON paths of a phase's figures (its explanations' ids).
struct PhaseIds {
  Label flop, bytes, compute_s, memory_s, comm_s, overhead_s, elementwise_s, time_s;
};
inline constexpr PhaseIds kPrefillIds{"time.prefill.flops",     "time.prefill.bytes",         "time.prefill.compute_s",
                                      "time.prefill.memory_s",  "time.prefill.comm_s",        "time.prefill.overhead_s",
                                      "time.prefill.elementwise_s", "time.prefill.time_s"};
inline constexpr PhaseIds kDecodeIds{"time.decode.flops",     "time.decode.bytes",         "time.decode.compute_s",
                                     "time.decode.memory_s",  "time.decode.comm_s",        "time.decode.overhead_s",
                                     "time.decode.elementwise_s", "time.decode.time_s"};
inline constexpr PhaseIds kRequestPrefillIds{"serving.prefill.flops",     "serving.prefill.bytes",
                                             "serving.prefill.compute_s", "serving.prefill.memory_s",
                                             "serving.prefill.comm_s",    "serving.prefill.overhead_s",
                                             "serving.prefill.elementwise_s", "serving.prefill.time_s"};
inline constexpr PhaseIds kStepIds{"time.step.flops",     "time.step.bytes",         "time.step.compute_s",
                                   "time.step.memory_s",  "time.step.comm_s",        "time.step.overhead_s",
                                   "time.step.elementwise_s", "time.step.time_s"};

inline Phase values(const PhaseOf<double>& p) { return p; }
inline Phase values(const PhaseOf<Traced>& p) {
  return Phase{p.flop.v,     p.bytes.v,         p.compute_s.v, p.memory_s.v, p.comm_s.v,
               p.overhead_s.v, p.elementwise_s.v, p.time_s.v,    p.compute_bound};
}

}  // namespace llmcalc
