// core/scenario.hpp — the Scenario value (everything a user chooses) and its v1 string codec,
// the URL-fragment contract of DESIGN.md §1: `&`-separated `key=value`, defaults omitted, keys
// in a fixed order, unknown keys reported as warnings, bad values as errors naming the key.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dtype.hpp"
#include "engines.hpp"
#include "error.hpp"
#include "formats.hpp"

namespace llmcalc {

// Limits of the integer keys (the codec refuses values outside them; the page clamps to them).
inline constexpr int kMaxGpus = 1'000'000;
inline constexpr size_t kMaxCompareBytes = 16384;  // vs= (a compared scenario's link text)
inline constexpr int kMaxParallelDegree = 4096;  // tp, pp, cp, vp
inline constexpr int kMaxBatch = 10'000'000;
inline constexpr int kMaxTokens = 100'000'000;   // prompt, gen, seq
inline constexpr int kMaxAccum = 1'000'000;
inline constexpr int kMaxRank = 65536;
inline constexpr int kMaxLayers = 1000;
inline constexpr int kMaxHidden = 1'000'000;
inline constexpr int kMaxHeads = 100'000;      // heads, kv_heads, head_dim
inline constexpr int kMaxFfn = 10'000'000;
inline constexpr int kMaxVocab = 100'000'000;
inline constexpr int kMaxExperts = 100'000;     // experts, experts_active
inline constexpr size_t kMaxNameBytes = 100;    // name: printable UTF-8

enum class Mode { infer, train };
enum class Precision { mixed, fp32, bf16, fp8 };  // fp8: mixed + fp8 GEMMs (Transformer Engine, torchao float8)
enum class Optimizer { adamw, adamw8bit, sgd, sgdm, adafactor };
enum class Method { full, lora, qlora };
enum class Recompute { automatic, none, selective, full };  // automatic ("auto"): the framework's default
enum class TimingModel { additive, roofline, fitted };


// Architecture overrides on top of a preset (0 / -1 = not set). With model=custom they are the
// whole model and layers, hidden, heads, ffn, vocab are required.
struct ArchOverrides {
  int layers = 0, hidden = 0, heads = 0, kv_heads = 0, head_dim = 0, ffn = 0, vocab = 0;
  int experts = 0, experts_active = 0;
  int gated = -1, tied = -1;  // -1 = preset's, 0/1 = override
  // MLA (kv_lora > 0 makes attention latent), local layers, modern MoE (see ModelSpec)
  int kv_lora = 0, q_lora = 0, rope_dim = 0, v_dim = 0;
  int window = 0, local = 0, period = 0;
  int expert_ffn = 0, shared_experts = 0, shared_ffn = 0, dense_layers = 0, moe_every = 0, mtp_layers = 0;
  bool any() const;
  bool operator==(const ArchOverrides&) const = default;
};

// A GPU's figures given in the link (0 = the preset's): a custom GPU (gpu=custom) or changes to a
// preset. Decimal units a person types: GB, GB/s, dense TFLOP/s.
struct GpuOverrides {
  double mem_gb = 0, bw_gbs = 0, link_gbs = 0;
  double fp32_tflops = 0, bf16_tflops = 0, fp8_tflops = 0, int8_tflops = 0, fp4_tflops = 0;
  bool any() const;
  bool operator==(const GpuOverrides&) const = default;
};

struct Scenario {
  Mode mode = Mode::infer;                 // default infer
  std::string model = "llama-3.1-8b";      // model preset id, or "custom"
  std::string name;                        // a custom model's name (from its config), shown as is
  ArchOverrides arch;
  std::string gpu = "h100-sxm";            // GPU preset id, or "custom"
  GpuOverrides gpu_spec;
  int gpus = 1;                            // GPUs in all = tp · pp · dp (dp derived)
  int tp = 1, pp = 1;                      // tensor / pipeline parallel degrees
  int cp = 1;                              // train: context-parallel degree (the sequence split over cp GPUs)
  int vp = 1;                              // train: virtual pipeline stages per GPU (interleaved 1F1B)
  bool seq_parallel = false;               // key sp: sequence parallelism with TP (Korthikanti et al. 2022)
  int batch = 1;                           // infer: concurrent sequences; train: micro-batch per GPU
  int prompt = 1024, gen = 256;            // infer: tokens per sequence
  int seq = 2048;                          // train: sequence length, tokens
  int accum = 1;                           // train: micro-batches per optimizer step (grad. accumulation)
  std::optional<WeightFormat> dtype;       // infer: weight format; nullopt = the model's native one
  int group = 128;                         // infer: awq/gptq group size
  std::optional<KvFormat> kv;              // infer: KV-cache type; nullopt = default_kv()
  int ep = 1;                              // expert-parallel degree (MoE experts split by expert)
  bool mtp = false;                        // infer: load the multi-token-prediction modules
  Precision precision = Precision::mixed;  // train
  Optimizer optimizer = Optimizer::adamw;  // train
  Method method = Method::full;            // train
  int rank = 16;                           // train: LoRA rank
  Recompute recompute = Recompute::automatic;  // train (automatic: the framework's default)
  Framework framework = Framework::none;   // train: whose buffers and overheads apply
  bool offload = false;                    // train: activations kept in host memory between forward and backward
  bool compile = false;                    // train: torch.compile (fused elementwise kernels); eager PyTorch otherwise
  int ce_chunks = 0;                       // train: cross-entropy computed in chunks (0 = the framework's default)
  double train_tokens = 0;                 // train: tokens to train on (0 = not asked): time and GPU-hours
  double price = 0;                        // USD per GPU-hour (0 = the GPU's documented default, core/cost.cpp)
  bool flash = true;                       // fused attention: no s² score tensors kept
  bool kv_per_head = false;                // infer: the decode attention kernel reads K/V once per query head, not
                                           // once per GQA group (TensorRT-LLM's masked MHA before XQA, vLLM's
                                           // PagedAttention v1/v2)
  int zero = 0;                            // train: ZeRO stage 0–3
  int shard = 0;                           // train: GPUs a ZeRO/FSDP shard group spans (hybrid sharding: HSDP,
                                           // ZeRO++ hpZ; replicated across groups); 0 = all data-parallel ranks
  Engine engine = Engine::vllm;            // infer: the serving engine whose conventions apply
  double util = 0;                         // infer: the engine's memory fraction (0 = its default)
  int chunk = 0;                           // infer: tokens per prefill pass (0 = the engine's default)
  int max_len = 0;                         // infer: the engine's max model length (0 = prompt + gen)
  TimingModel timing = TimingModel::fitted;
  std::string prof;                        // compact calibration from a GPU profile ("" = none)

  int dp() const { return gpus / (tp * pp * cp > 0 ? tp * pp * cp : 1); }  // data-parallel replicas
  // The weight format in effect: the chosen one, else the model preset's native checkpoint format.
  WeightFormat weights() const;
  KvFormat kv_format() const { return kv ? *kv : default_kv(); }
  // "Same as 16-bit compute": fp32 or fp16 weights keep their type, everything else bf16.
  KvFormat default_kv() const;
  bool operator==(const Scenario&) const = default;
};

struct DecodedScenario {
  Scenario scenario;
  std::vector<std::string> warnings;  // unknown keys, repeated keys, ignored parts
  std::vector<Error> errors;          // bad values; the scenario holds the base's values for those keys
  std::vector<std::string> refused;   // keys whose values were refused ("gpus" for a layout that cannot be)
  std::string compare;                // vs=: the scenario to compare with (A), as link text; empty when none
};

// Reads a scenario from a whole URL (the part after '#'), or the bare `k=v&…` text. Never fails:
// bad values become `errors` (each naming its key) and leave that key at `base`'s value (the
// scenario the user had; defaults when there is none), so a page keeps what the user had where a
// link is unreadable. A layout that cannot be (fewer GPUs than tp·pp·cp, more than kMaxGpus) is an
// error and keeps base's gpus, tp, pp and cp together. Keys the link does not give take defaults.
DecodedScenario decode_scenario_lenient(std::string_view text, const Scenario& base = Scenario{});
// Strict form for the CLI: the first error, if any, is the result.
Result<DecodedScenario> decode_scenario(std::string_view text);

// Canonical text: `v=1` then the non-default keys in the fixed order of kScenarioKeys.
std::string encode_scenario(const Scenario& s);

// The keys, in canonical order (for docs, tests and the UI).
int scenario_key_count();
std::string_view scenario_key(int i);

// A model preset's native checkpoint format (bf16 for custom or unknown models).
WeightFormat native_weights(std::string_view model);

// Names of the enum values as they appear in the string.
std::string_view mode_name(Mode);
std::string_view precision_name(Precision);
std::string_view optimizer_name(Optimizer);
std::string_view method_name(Method);
std::string_view recompute_name(Recompute);
std::string_view timing_name(TimingModel);
// timing=calibrated (links before engines existed) reads as timing=fitted.
inline constexpr std::string_view kTimingAliasCalibrated = "calibrated";

}  // namespace llmcalc
