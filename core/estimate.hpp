// core/estimate.hpp — the one entry point: Scenario in, Estimate out (DESIGN.md data flow).
//
//   Result<Estimate> estimate(const Scenario&, Explain)   presets + overrides, then compute
//   Estimate compute(const Scenario&, const Resolved&, Figures)  pure arithmetic (sweeps: Figures::charts)
//   Estimate compute_explained(…)                         the same numbers + their explanations
//
// All memory is bytes PER GPU; all time is seconds; FLOP and bytes are per GPU unless named.
// The formulas live one concern per file: memory_infer, memory_train, time_infer, time_train
// (with work, comm, rates, setup); this file only orchestrates them and collects warnings.
#pragma once
#include <string>
#include <vector>

#include "explain.hpp"
#include "phase.hpp"
#include "resolve.hpp"
#include "scenario.hpp"

namespace llmcalc {

struct MemoryBytes {  // bytes per GPU
  double weights = 0, gradients = 0, optimizer = 0, activations = 0, kv_cache = 0, overhead = 0;
  double total = 0;
};

// Intermediate quantities that tests and the page use (explanations hold the rest).
struct Detail {
  int layers_per_gpu = 0;         // ceil(layers / pp)
  int kv_heads_per_gpu = 0;       // ceil(kv_heads / tp)
  double params_per_gpu = 0;      // parameters held by one GPU after TP/PP (before ZeRO)
  double trainable_per_gpu = 0;   // of which trainable (LoRA: adapters only)
  double adapter_params = 0;      // LoRA adapter parameters in the whole model
  double act_per_layer_bytes = 0; // saved activations per layer per micro-batch
  double act_logits_bytes = 0;    // output layer and loss (train); last-position logits (infer)
  double inflight = 1;            // micro-batches whose activations are alive at once (1F1B; interleaved: fractional)
  double kv_bytes_per_token = 0;  // per sequence, per GPU, all its layers (K and V)
  double context_lo = 0, context_hi = 0;  // decode context range averaged over, tokens
  DType compute_dtype = DType::bf16;
  double peak_flop_per_s = 0;       // of the matmul data type used
  double gemm_share = 0;            // timing=fitted: the GEMM efficiency the estimate ran at (timing_note)
  double bandwidth_bytes_per_s = 0; // device memory, as the time model uses it
  double bubble = 0;              // pipeline bubble fraction (pp − 1) / accum
  double dp_comm_s = 0;           // data-parallel gradient/parameter traffic per step
  double runtime_bytes = 0;       // train: of the overhead, the CUDA context and workspaces (the rest: allocator reserve)
  bool reserve_held = false;      // train: that reserve was held to what the device has left (it fills the device)
};

// Serving figures (inference): the engine's budget and a server holding `batch` requests.
struct Serving {
  double usable_bytes = 0;        // memory the engine may fill, per GPU
  double kv_budget_bytes = 0;     // of which left for the KV cache
  double kv_tokens = 0;           // tokens the KV budget holds
  double max_concurrency = 0;     // whole requests of prompt + gen tokens it holds (per replica)
  double kv_per_sequence_bytes = 0;
  double prefill_chunks = 0;      // passes per request
  double prefill_steps_s = 0;     // those passes, with the other requests' decode tokens in them
  double step_s = 0;              // mean engine step in steady state
  Phase prefill;                  // one request's prompt, alone
  double ttft_s = 0, tpot_s = 0, e2e_s = 0, output_tokens_per_s = 0, total_tokens_per_s = 0;
};

// What the estimate costs at the scenario's price per GPU-hour (USD; core/cost.hpp). Not priced:
// a custom GPU or a preset without a documented price, unless the scenario gives price=.
struct Cost {
  bool priced = false;
  double usd_per_gpu_hour = 0, usd_per_hour = 0;   // one GPU; all the scenario's GPUs
  double usd_per_million_output_tokens = 0, usd_per_million_total_tokens = 0;  // inference
  double usd_per_million_tokens = 0, usd_to_train = 0;  // training
  std::string source;                               // where the price comes from
};

struct Estimate {
  Mode mode = Mode::infer;
  Resolved r;
  int gpus = 1, tp = 1, pp = 1, dp = 1;
  MemoryBytes memory;
  double capacity_bytes = 0;  // device memory of one GPU
  double room_bytes = 0;      // what the scenario may use per GPU: the engine's usable memory when serving, else capacity
  bool fits = false;          // memory.total <= room_bytes
  // inference
  Phase prefill, decode;  // decode: one step at the average context
  double ttft_s = 0, tpot_s = 0, e2e_s = 0;
  double tokens_per_s = 0;          // infer: generated tokens/s over all replicas; train: trained tokens/s
  double decode_tokens_per_s = 0;   // infer: steady-state decode rate over all replicas
  double prefill_tokens_per_s = 0;  // infer: prompt tokens/s over all replicas
  Serving serving;                  // infer
  // training
  Phase step;
  double step_s = 0;
  double mfu = 0;  // train: the method's FLOPs without recomputation / (step time × peak), per GPU
  double global_batch = 0, tokens_per_step = 0;  // train: sequences and tokens per optimizer step
  double train_s = 0, gpu_hours = 0;             // train: to train Scenario::train_tokens (0 = not asked)
  Cost cost;
  Detail d;
  std::vector<std::string> warnings;
  std::vector<Explanation> explain;  // one per figure, when asked for (compute_explained)
};

// Whether `bytes` fit in `room`: a training reserve that fills the device exactly is equal to it up to
// rounding, which is not an overflow. The verdict's searches compare shares with the same rule.
inline bool within(double bytes, double room) { return bytes <= room * (1 + 1e-12); }

enum class Explain { no, yes };
// What compute() works out: every figure, or what the charts plot (sweeps: memory, fits and the
// serving figures, without the whole-batch prefill; the time.* figures of inference stay 0; no cost,
// no warnings: a sweep builds no text).
enum class Figures { all, charts };

Result<Estimate> estimate(const Scenario& s, Explain explain = Explain::no);
Estimate compute(const Scenario& s, const Resolved& r, Figures figures = Figures::all);
// The same estimate, with every figure's explanation generated from the arithmetic that produced
// it (costly string work: the page asks once per change, sweeps never).
Estimate compute_explained(const Scenario& s, const Resolved& r);
const Explanation* find_explanation(const Estimate& e, std::string_view id);

}  // namespace llmcalc
