// core/engines.hpp — serving engines as documented conventions (memory budget, chunked prefill,
// KV blocks, CUDA graphs) and the few time parameters fitted to published measurements
// (tests/validation/, scripts/fit): achieved bandwidth and GEMM efficiency, collective latency,
// per-kernel and per-step costs. Every value says what it stands for and where it comes from.
#pragma once
#include <optional>
#include <string_view>

namespace llmcalc {

// vllm0 (vLLM's V0 engine) comes last so that the fitted per-engine arrays keep their order; it shares
// vLLM's fitted host costs (EngineSpec::time_like).
enum class Engine { vllm, sglang, trtllm, llamacpp, hf, gptfast, none, vllm0 };
inline constexpr int kEngineCount = 8;
// Training frameworks (frameworks.hpp): their buffers, defaults and fitted time terms; none = the
// textbook arithmetic alone (the seed's).
enum class Framework { megatron, fsdp, deepspeed, hf, torchtune, none };
inline constexpr int kFrameworkCount = 6;
// GPU generations whose training GEMMs reach different fractions of their datasheet peak.
enum class Generation { ampere, hopper, blackwell };  // ampere: Ampere, Ada, Volta and others

// How an engine sizes its KV cache.
enum class KvBudget {
  fraction_of_total,  // util × device memory − weights − profiled activations − workspaces (vLLM)
  fraction_of_start,  // util × the memory free at start − weights (SGLang: activations live in the rest)
  fraction_of_free,   // util × (device memory − everything else) (TensorRT-LLM)
  exact,              // the cache the requests need, nothing reserved ahead (llama.cpp, transformers)
};

struct EngineSpec {
  Engine id = Engine::vllm;
  std::string_view key, name;
  KvBudget budget = KvBudget::exact;
  double util = 1;           // default memory fraction (see budget)
  int chunk = 0;             // default tokens per forward pass when prefilling (0: a whole batch at once)
  int chunk_small = 0;       // the same on GPUs under 70 GiB
  int block = 1;             // KV page size, tokens (a sequence's cache rounds up to it)
  double graph_bytes = 0;    // CUDA-graph pool per GPU
  double runtime_bytes = 0;  // CUDA context, cuBLAS/NCCL workspaces, allocator slack
  double context_bytes = 0;  // of runtime_bytes, the CUDA context: already in use when the engine sizes its pool
                             // (vLLM and SGLang measure from there; it is not in their budget)
  int profile_seqs = 0;      // sequences the start-up profile samples (vLLM max_num_seqs): their logits and
                             // sampling temporaries are part of the activation peak it reserves
  double sampler_bytes = 0;  // bytes per logit (of profile_seqs × vocabulary) live at that sampler's peak
  bool chunk_small_a100 = false;  // the small default chunk also on the A100 80GB (vLLM V1: PR 17885)
  bool kv_groups_equal = false;   // a model with local (sliding-window) layers: the KV pool is split equally
                                  // between the full and the local layers' cache groups (vLLM V1's hybrid
                                  // allocator), so a local layer takes as much of it per token as a full one
  bool graphs = false;       // decode steps replay CUDA graphs (else every kernel is launched from the host)
  Engine time_like = Engine::vllm;  // whose fitted host costs (step_<engine>) apply: itself, or vllm0 → vllm
  std::string_view source;   // where the conventions come from
};

const EngineSpec& engine_spec(Engine e);
std::string_view engine_key(Engine e);
std::optional<Engine> find_engine(std::string_view key);
// Tokens per prefill pass an engine uses by default on a GPU preset of `capacity_bytes` (0: whole batch).
int default_chunk(const EngineSpec& e, double capacity_bytes, std::string_view gpu_id = {});

// The time parameters of timing=fitted: global (never per record), physically meaningful, fitted
// by scripts/fit to tests/validation/*.jsonl. `kFitted` holds the committed values.
struct FitParams {
  double bw_native = 0;       // achieved ÷ datasheet device bandwidth, 16-bit and fp8 weights, KV reads
  double bw_weight_only = 0;  // the same for weight-only quantised formats (int4 AWQ/GPTQ, NF4, MXFP4 on older GPUs): dequantisation
  double bw_gguf = 0;         // the same for GGUF formats (llama.cpp's own dequantising kernels)
  double gemm = 0;            // large GEMMs ÷ dense datasheet peak, 16-bit
  double gemm_fp8 = 0;        // large GEMMs ÷ dense datasheet peak, fp8/int8/fp4 (scaling, below-peak kernels)
  double gemm_llamacpp = 0;   // llama.cpp's prompt-processing GEMMs (FP16 cuBLAS / its own kernels) ÷ peak
  double gemm_llamacpp_hopper = 0;  // the same on Hopper, whose peak needs wgmma: Ampere-style mma.sync kernels fall short
  double gemm_gguf = 0;       // llama.cpp multiplying GGUF-quantised matrices (MMQ, or dequantise then GEMM) ÷ its FP16 rate
  double allreduce_s = 0;     // latency of one tensor-parallel all-reduce / send (NCCL small-message)
  double kernel_graph_s = 0;  // per kernel replayed in a CUDA graph
  double kernel_eager_s = 0;  // per kernel launched from Python (eager PyTorch)
  double bw_llamacpp_hbm = 0; // llama.cpp on HBM GPUs: achieved bandwidth ÷ what the same kernels reach on GDDR
  double kv_reread = 0;       // a per-query-head decode kernel (kv_per_head=1): share of the repeated K/V reads that miss L2
  double step_s[kEngineCount] = {};  // per engine step on the host: scheduling, sampling, detokenising
                                     // (vllm0 reads vllm's: EngineSpec::time_like)
  // training (tests/validation/training-*.jsonl; docs/training.md)
  double train_gemm[3] = {};         // training GEMMs ÷ dense 16-bit peak, by Generation
  double train_gemm_fp8 = 0;         // fp8 training GEMMs ÷ dense fp8 peak (scaling, casts, amax)
  double train_attn = 0;             // fused attention, forward + backward, ÷ dense 16-bit peak
  double train_comm_exposed = 0;     // share of overlapped communication that still shows (SM and HBM contention)
  double train_alloc_reserve = 0;    // PyTorch's caching allocator: memory reserved beyond the peak allocated, ÷ that peak
  double train_step_s[kFrameworkCount] = {};  // host time per optimizer step: optimizer launch, logging, data
  bool operator==(const FitParams&) const = default;
};
extern const FitParams kFitted;

// Parameters by name (for scripts/fit and `llmcalc validate --set`): bw_native … kv_reread,
// step_<engine>, train_gemm_<generation>, train_gemm_fp8, train_attn, train_comm_exposed,
// train_step_<framework>. Returns null for an unknown name.
double* fit_param(FitParams& p, std::string_view name);
int fit_param_count();
std::string_view fit_param_name(int i);
// The generation of a GPU preset, for the training GEMM efficiency: Blackwell (and CDNA4), Hopper
// (and CDNA3), else Ampere (Ampere, Ada, Volta, Turing, CDNA2, Apple, custom GPUs).
Generation gpu_generation(std::string_view gpu_id);
// Whether a GPU preset's device memory is HBM (A100, H100/H200, B200, MI300, V100 …) rather than
// GDDR (GeForce, RTX workstation, L40S/L4/A10/T4) or LPDDR (Apple).
bool hbm_memory(std::string_view gpu_id);

}  // namespace llmcalc
