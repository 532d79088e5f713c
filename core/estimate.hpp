// core/estimate.hpp — the one entry point: Scenario in, Estimate out (DESIGN.md data flow).
//
//   Result<Estimate> estimate(const Scenario&)            presets + overrides, then compute
//   Result<Resolved> resolve(const Scenario&)             the preset look-up alone
//   Estimate compute(const Scenario&, const Resolved&)    pure arithmetic (sweeps call this)
//
// All memory is bytes PER GPU; all time is seconds; FLOP and bytes are per GPU unless named.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "calibration.hpp"
#include "error.hpp"
#include "gpu.hpp"
#include "model.hpp"
#include "scenario.hpp"

namespace llmcalc {

// Fixed overhead on every GPU: CUDA context, cuBLAS/NCCL workspaces and the caching allocator's
// reserve. The seed names "~1 GB" for the CUDA context and kernels; we keep that figure.
inline constexpr double kRuntimeOverheadBytes = 1.0e9;
// Latency of one small all-reduce / point-to-point transfer between GPUs (an assumption of
// order NCCL's small-message latency on NVLink; not measured).
inline constexpr double kCollectiveLatencyS = 8e-6;
// GPUs per node and the per-GPU network bandwidth between nodes (one 400 Gb/s NIC per GPU, as in
// DGX H100); data parallelism beyond one node uses the slower of this and the GPU's interconnect.
inline constexpr int kGpusPerNode = 8;
inline constexpr double kInterNodeBandwidth = 50e9;  // bytes/s per direction

struct Resolved {
  ModelSpec model;
  ParamCounts params;
  GpuSpec gpu;
  std::string_view model_id, model_name, gpu_id, gpu_name;  // point into presets or literals
  std::shared_ptr<const Calibration> calibration;  // from scenario.prof; null = default efficiencies
};

Result<Resolved> resolve(const Scenario& s);

struct MemoryBytes {  // bytes per GPU
  double weights = 0, gradients = 0, optimizer = 0, activations = 0, kv_cache = 0, overhead = 0;
  double total = 0;
};

// One phase of work on one GPU (prefill; one decode step; one training step).
struct Phase {
  double flops = 0;       // FLOP per GPU
  double bytes = 0;       // device-memory traffic per GPU, bytes
  double compute_s = 0;   // Σ GEMM flops / (peak × efficiency)  (efficiency 1 unless calibrated)
  double memory_s = 0;    // bytes / (bandwidth × efficiency)
  double comm_s = 0;      // collectives that are not overlapped with compute
  double overhead_s = 0;  // kernel launches (calibrated with a profile only)
  double elementwise_s = 0;  // non-GEMM kernels (norms, residuals, rotary, activation); calibrated only
  double time_s = 0;      // combined according to the timing model
  // Roofline classification at datasheet peaks (FLOP / peak ≥ bytes / bandwidth), whatever the
  // timing model: measured GEMM times of small M already include their own memory traffic.
  bool bound_compute = false;
  bool compute_bound() const { return bound_compute; }
};

// Intermediate quantities, kept so every figure can be explained without recomputation.
struct Detail {
  double params_per_gpu = 0;        // parameters held by one GPU after TP/PP (before ZeRO)
  double trainable_per_gpu = 0;     // of which trainable (LoRA: adapters only)
  double adapter_params = 0;        // LoRA adapter parameters in the whole model
  double weight_bytes_per_param = 0;  // effective bytes for quantised linear weights (incl. scales)
  double grad_bytes_per_param = 0;
  double optimizer_bytes_per_param = 0;  // incl. fp32 master copy in mixed precision
  int layers_per_gpu = 0;           // ceil(layers / pp)
  int kv_heads_per_gpu = 0;         // ceil(kv_heads / tp)
  double act_per_layer = 0;         // bytes of saved activations per layer per micro-batch
  double act_logits = 0;            // bytes for the output layer and loss
  int inflight = 1;                 // micro-batches whose activations are alive at once (1F1B)
  double kv_bytes_per_token = 0;    // per sequence, per GPU, all its layers (K and V)
  double kv_tokens = 0;             // tokens cached per sequence (prompt + gen)
  double peak_flops = 0;            // FLOP/s of the matmul data type used
  DType compute_dtype = DType::bf16;
  double bandwidth = 0;             // bytes/s used for memory time (datasheet × efficiency)
  double ctx_lo = 0, ctx_hi = 0;    // decode context range averaged over (tokens)
  double bubble = 0;                // pipeline bubble fraction (pp − 1) / accum
  double dp_comm_s = 0;             // data-parallel gradient/parameter traffic per step
};

struct Explanation {
  std::string id;       // "memory.weights", "time.ttft", …
  std::string formula;  // formula with the actual inputs substituted
  std::string source;   // where the formula comes from
};

struct Estimate {
  Mode mode = Mode::infer;
  Resolved r;
  int gpus = 1, tp = 1, pp = 1, dp = 1;
  MemoryBytes memory;
  double capacity = 0;  // bytes of device memory on one GPU
  bool fits = false;
  // inference
  Phase prefill, decode;  // decode: one step at the average context
  double ttft_s = 0, tpot_s = 0, e2e_s = 0;
  double tokens_per_s = 0;          // infer: generated tokens/s over all replicas; train: trained tokens/s
  double decode_tokens_per_s = 0;   // infer: steady-state decode rate over all replicas
  double prefill_tokens_per_s = 0;  // infer: prompt tokens/s over all replicas
  // training
  Phase step;
  double step_s = 0;
  double mfu = 0;  // train: model FLOPs (6·N·tokens) / (step time × peak × GPUs)
  Detail d;
  std::vector<std::string> warnings;
  std::vector<Explanation> explain;  // filled by explain()
};

Result<Estimate> estimate(const Scenario& s);
Estimate compute(const Scenario& s, const Resolved& r);
// Fills e.explain with one entry per figure (costly string work; the UI asks once per change).
void explain(const Scenario& s, Estimate& e);
const Explanation* find_explanation(const Estimate& e, std::string_view id);

}  // namespace llmcalc
