// core/rates.hpp — how fast one GPU does each kind of work under the scenario's timing model:
// the matmul type and its datasheet peak, device-memory bandwidth, GEMM and attention rates
// (measured in a GPU profile, or datasheet × a documented default efficiency), kernel launches,
// the non-GEMM (elementwise) kernels, and how compute and memory time combine.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "calibration.hpp"
#include "resolve.hpp"
#include "scenario.hpp"
#include "trace.hpp"
#include "work.hpp"

namespace llmcalc {

struct Rates {
  TimingModel timing = TimingModel::fitted;
  const Calibration* profile = nullptr;   // measured speeds; null = datasheet × fitted efficiencies
  FitParams fit;                          // fitted efficiencies and overheads (timing=fitted)
  EngineSpec engine;                      // the serving engine (its host overheads; training: none)
  bool weight_only = false;               // weights dequantised to 16-bit in the matmul (int4, GGUF, NF4…)
  bool gguf = false;                      // … by llama.cpp's GGUF kernels
  double weight_bytes = 2;                // bytes per weight of the layers' matrices (weight-only: packed, scales included)
  int weight_bits = 16;                   // weight-only: 4 or 8, the reference kernel a profile measured for it
  DType compute_dtype = DType::bf16;      // the type the matmuls run in
  double peak_flop_per_s = 0;             // datasheet dense peak of compute_dtype
  double bandwidth_bytes_per_s = 0;       // datasheet device-memory bandwidth
  double link_bytes_per_s = 0;            // GPU-to-GPU, one direction
  bool hbm = false;                       // the device memory is HBM (hbm_memory)
  // training: the framework whose fitted efficiencies apply (none: the inference-fitted GEMM
  // efficiency, as before frameworks), the GPU generation, the 16-bit peak attention runs at
  Framework framework = Framework::none;
  Generation generation = Generation::ampere;
  double attn_peak_flop_per_s = 0;
  // timing=fitted with an engine or a framework and no GPU profile: the share of its boost clock the GPU holds
  // under tensor load, from its board power (sustained_clock_share, gpu.hpp); 1 otherwise
  double sustained = 1;
  bool fitted() const { return timing == TimingModel::fitted; }
  bool framework_fitted() const { return fitted() && framework != Framework::none; }
};

// The matmul type of a scenario (inference: the weight type, int4 is weight-only and runs in
// bf16; training: fp32 or bf16) and its peak. A GPU without tensor cores for that type falls
// back to bf16, with a warning.
Rates make_rates(const Scenario& s, const Resolved& r, std::vector<std::string>& warnings);

// The rates as labelled numbers of a formula, made once per estimate.
template <class N>
struct RateTerms {
  N peak;       // FLOP/s, datasheet
  N bandwidth;  // bytes/s the time model uses: datasheet (additive, roofline), measured or
                // datasheet × fitted efficiency (fitted)
  N weight_bandwidth;  // bytes/s reading weights: the bandwidth, × the weight-only efficiency ratio
                       // when weights are dequantised in the matmul (fitted)
  N link;       // bytes/s between GPUs
  N latency;    // seconds per collective: an assumed 8 µs (additive, roofline), fitted (fitted)
};
template <class N>
RateTerms<N> rate_terms(const Rates& r);

// Seconds for one GEMM: its FLOP at the peak, or at the measured (else default-efficiency) rate
// of its shape when calibrated. With a GPU profile: a weight-only GEMM (int4, AWQ, NF4, GGUF…)
// runs at the profile's measured weight-only reference kernel where it has that shape's M, else at
// the 16-bit rate of the GEMM with as many FLOP per weight byte (M × 2 ÷ bytes per weight): it is
// priced by its own bytes, never by the 16-bit small-M time that reads 2 bytes per weight. A
// routed expert's GEMM runs at the profile's grouped (MoE) rate when it has one.
template <class N>
N gemm_s(const Rates& r, const RateTerms<N>& t, const Gemm<N>& g);
// Seconds for the attention core (QKᵀ, softmax, AV): batched GEMM-like work at the rate of a
// (rows × context × head_dim) GEMM; training with a framework (fitted, no profile): the 16-bit
// peak × the fitted fused-attention efficiency (forward and backward alike). `prefill`: a prompt's
// attention, at the profile's measured prefill-attention rate when it has one.
template <class N>
N attention_s(const Rates& r, const RateTerms<N>& t, N flop, N rows, N context, double head_dim, bool prefill = false);
// Bytes/s a decode step reads the KV cache at: the profile's measured decode attention at this
// context, batch, head_dim and GQA ratio (timing=fitted); 0 without one (the caller keeps the
// bandwidth).
template <class N>
N kv_read_bandwidth(const Rates& r, N context, N batch, double head_dim, double gqa);
// Seconds of the collectives between GPUs: an imported nccl-tests curve at exactly `ranks` GPUs
// (timing=fitted), else the ring formulas of comm.hpp with `link` and the latency.
template <class N>
N allreduce_time(const Rates& r, const RateTerms<N>& t, N bytes, N g, int ranks, N link);
template <class N>
N allgather_time(const Rates& r, const RateTerms<N>& t, N g, N values, N value_bytes, int ranks, N link);
// One GPU-to-GPU send: the profile's measured peer-to-peer copy within a node (timing=fitted),
// else send_s with `link`.
template <class N>
N send_time(const Rates& r, const RateTerms<N>& t, N bytes, N link, bool within_node);
// Kernel launches under timing=fitted: per kernel in a CUDA graph (engines that replay decode in
// graphs; the profile's measured graph launch when there is one) or launched from Python (eager);
// with engine=none only with a profile. `graph`: the phase may be replayed as a graph.
template <class N>
N launches_s(const Rates& r, N kernels, bool graph);
// Whether launches_s is host time that overlaps the GPU's work: eager PyTorch (an engine without
// CUDA graphs) enqueues kernels asynchronously, so the GPU runs while Python launches the next ones
// and a phase takes the longer of the two (the same rule as training's framework steps).
bool launches_overlap(const Rates& r);
// The engine's fixed host time per step (scheduling, sampling), fitted; 0 unless timing=fitted.
template <class N>
N step_overhead_s(const Rates& r);
// Non-GEMM kernels stream their tensors through device memory between the GEMMs, one after
// another: `elements` read + written per token over the blocks (setup.hpp: elementwise_elements)
// × tokens × element bytes × passes, at the bandwidth. Calibrated model only.
template <class N>
N elementwise_s(const Rates& r, const RateTerms<N>& t, N elements, N tokens, N elem_bytes, N passes);
// Whether the profile has the small kernels measured and they apply (inference, timing=fitted):
// then time_infer.cpp prices the non-GEMM kernels by them instead of elementwise_s.
bool has_small_kernels(const Rates& r);
// Seconds one such kernel moving `bytes` takes beyond an empty kernel's back-to-back time
// (launches are counted apart, by launches_s), never below 0.
template <class N>
N small_kernel_s(const Rates& r, SmallKernel k, N bytes);
// The timing model's combination: additive sums compute and memory time, the others take the larger.
template <class N>
N combine(TimingModel timing, N compute_s, N memory_s);

// The GPU's busy time of a phase is never below `kernels` × the shortest a kernel runs (every
// timing model): an empty kernel still occupies the GPU ~1 µs, even inside a CUDA graph. Binds
// only for tiny models, where compute and memory time would otherwise reach picoseconds.
inline constexpr double kMinKernelS = 1e-6;
template <class N>
N kernel_floor(N device_s, N kernels);

// The tag of the device-memory figure: the preset's name, or the GPU profile where it was measured.
const char* device_memory_tag(const Resolved& r);
// The CUDA context + cuBLASLt handle and workspace the GPU profile measured (r.context_bytes), as
// a labelled input: what engine=none and framework=none count instead of the seed's 1 GB.
template <class N>
N measured_context(const Resolved& r);

// How the timing model combines a phase's parts (the source of a phase's time formula).
const char* timing_rule(TimingModel timing);
// Whether a weight format is dequantised to 16-bit inside the matmul (weight-only quantisation).
bool weight_only(WeightFormat f, DType compute);
// One line for the page and the CLI on where the speeds come from.
std::string timing_note(const Scenario& s, double gemm_share, const Calibration* profile);
// The GEMM efficiency a timing=fitted estimate runs at with these rates (engine, framework, generation, clock).
double fitted_gemm_share(const Rates& r);

}  // namespace llmcalc
