// core/formats.hpp — how weights and the KV cache are stored: every common weight format with its
// exact bytes per weight (scales and zero points included), which tensors it leaves in 16-bit by
// its convention, and the type its matmuls run in; the KV-cache element types as engines name them.
// Names are matched case-insensitively, with the aliases people type ("Q4_K_M", "awq", "e4m3").
// Sources: docs/formulas.md §Weight formats (ggml-common.h block structs, llama-quant.cpp rules,
// AutoAWQ/AutoGPTQ buffers, bitsandbytes functional.py, OCP MX v1.0, NVFP4, DeepSeek-V3 and
// gpt-oss checkpoints).
#pragma once
#include <optional>
#include <span>
#include <string_view>

#include "dtype.hpp"

namespace llmcalc {

enum class WeightFormat : unsigned char {
  fp32, fp16, bf16,                 // every tensor in that type
  fp8, fp8_channel, fp8_block,      // FP8 E4M3: per-tensor, per-output-channel, 128×128-block scales
  int8,                             // int8, one fp32 scale per output row (LLM.int8 / SmoothQuant, W8A8)
  int4,                             // 4-bit, group-128 fp16 scale + 4-bit zero (GPTQ/AWQ), W4A16
  awq, gptq,                        // 4-bit with the `group` key's group size (GPTQ adds g_idx)
  nf4, nf4_dq,                      // bitsandbytes NF4, block 64 fp32 absmax; with double quantisation
  mxfp4, nvfp4,                     // OCP MXFP4 (32-block E8M0), NVIDIA NVFP4 (16-block E4M3 + fp32)
  q8_0, q6_k, q5_k_m, q4_k_m, q4_0, q3_k_m, q2_k,  // GGUF (llama.cpp) file types
};
inline constexpr int kWeightFormatCount = 21;

enum class KvFormat : unsigned char { fp32, fp16, bf16, fp8, fp8_e5m2, int8, int4, q8_0, q4_0 };
inline constexpr int kKvFormatCount = 9;

struct WeightFormatInfo {
  WeightFormat id;
  std::string_view key;      // its value in a link ("q4_k_m")
  std::string_view aliases;  // other names accepted, space-separated ("Q4_K_M" needs none: any case)
  DType compute;             // the matmul input type (where the GPU has it; else bf16)
  std::string_view about;    // one line for the page: scales, which tensors stay 16-bit
};
struct KvFormatInfo {
  KvFormat id;
  std::string_view key;
  std::string_view aliases;
  std::string_view about;
};

std::span<const WeightFormatInfo> weight_formats();
std::span<const KvFormatInfo> kv_formats();
const WeightFormatInfo& info(WeightFormat f);
const KvFormatInfo& info(KvFormat f);
// By key or alias, any case; nullopt when unknown.
std::optional<WeightFormat> find_weight_format(std::string_view text);
std::optional<KvFormat> find_kv_format(std::string_view text);
std::string_view weight_format_key(WeightFormat f);
std::string_view kv_format_key(KvFormat f);

// The tensor groups formats treat apart.
enum class TensorGroup : unsigned char {
  attn_qk,      // Q and K projections (MLA: Q down/up and KV down)
  attn_v,       // V projection (MLA: KV up), which GGUF mixtures give more bits
  attn_o,       // output projection
  mlp_up,       // a dense MLP's (or shared experts') gate and up
  mlp_down,     // their down projection, which GGUF mixtures give more bits
  expert_up,    // a routed expert's gate and up
  expert_down,  // its down projection
  router,       // MoE router: kept 16-bit by every format's convention except bitsandbytes
  embedding,    // input embedding table
  head,         // output projection
};

// What bytes per weight depend on besides the format.
struct FormatContext {
  int layers = 1;         // blocks (GGUF mixtures give more bits to some blocks' tensors)
  int gqa = 1;            // query heads per KV head (GGUF Q2_K: attn_v gets more bits from 4 up)
  int group_size = 128;   // awq/gptq group size
  double in_features = 4096;   // of the matrix (per-channel scales: one per output row of `in` weights)
  double out_features = 4096;  // (GPTQ's g_idx: one int32 per input row)
};

// Bytes per weight of a tensor group stored in format f, scales/zero points included; for GGUF
// mixtures the average over the blocks. Tensors a format leaves unquantised are 2 bytes (fp32: 4).
double group_bytes(WeightFormat f, TensorGroup g, const FormatContext& c);
// A short label of the storage type of a group ("Q6_K/Q4_K", "MXFP4", "bf16").
std::string_view group_type(WeightFormat f, TensorGroup g);
// Bytes per KV-cache element, scales included (int8/int4: an fp16 scale per head vector of d).
double kv_element_bytes(KvFormat f, double head_dim);
// 16-bit or fp32: whether the format stores everything in that float type.
bool is_float(WeightFormat f);
// llama.cpp keeps a GGUF model's input embedding in host memory, whatever the layers offloaded.
bool embedding_on_host(WeightFormat f);

}  // namespace llmcalc
