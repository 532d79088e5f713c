// core/formats.cpp — weight and KV-cache formats (see formats.hpp; sources in docs/formulas.md).
#include "formats.hpp"

#include <cctype>

namespace llmcalc {

namespace {
// clang-format off
constexpr WeightFormatInfo kWeights[] = {
  {WeightFormat::fp32, "fp32", "float32 f32", DType::fp32, "every tensor in fp32"},
  {WeightFormat::fp16, "fp16", "float16 f16 half", DType::fp16, "every tensor in fp16"},
  {WeightFormat::bf16, "bf16", "bfloat16", DType::bf16, "every tensor in bf16"},
  {WeightFormat::fp8, "fp8", "fp8_tensor e4m3 fp8_e4m3", DType::fp8,
   "FP8 E4M3 linear layers, one fp32 scale per tensor; embeddings, head, norms, router 16-bit"},
  {WeightFormat::fp8_channel, "fp8_channel", "fp8-channel fp8_per_channel", DType::fp8,
   "FP8 E4M3 linear layers, one fp32 scale per output channel (1 + 4/K bytes)"},
  {WeightFormat::fp8_block, "fp8_block", "fp8-block fp8_128x128 block_fp8", DType::fp8,
   "FP8 E4M3 linear layers, one fp32 scale per 128×128 block (DeepSeek-V3: 1 + 4/16384 bytes)"},
  {WeightFormat::int8, "int8", "w8a8 llm.int8 bnb_int8 bnb8 smoothquant", DType::int8,
   "int8 linear layers, one fp32 scale per output row (LLM.int8, SmoothQuant); head 16-bit"},
  {WeightFormat::int4, "int4", "w4a16", DType::int4,
   "4-bit linear layers, group-128 fp16 scale + 4-bit zero (as AWQ/GPTQ); multiplied in 16-bit"},
  {WeightFormat::awq, "awq", "awq_int4 awq4", DType::int4,
   "AWQ 4-bit: per group fp16 scale + 4-bit zero (0.5 + 2.5/g bytes); embeddings, head 16-bit"},
  {WeightFormat::gptq, "gptq", "gptq_int4 gptq4", DType::int4,
   "GPTQ 4-bit: as AWQ + an int32 group index per input row; embeddings, head 16-bit"},
  {WeightFormat::nf4, "nf4", "bnb_nf4 bnb4 fp4_bnb", DType::int4,
   "bitsandbytes NF4: block 64, fp32 absmax (4.5 bits); every Linear but the head"},
  {WeightFormat::nf4_dq, "nf4_dq", "nf4-dq bnb_nf4_dq qlora", DType::int4,
   "bitsandbytes NF4 with double quantisation (4.127 bits, QLoRA §2); every Linear but the head"},
  {WeightFormat::mxfp4, "mxfp4", "mx_fp4 mxfp4_moe", DType::fp4,
   "MXFP4 (OCP MX v1.0): 32 E2M1 + one E8M0 scale (4.25 bits) for the MLPs/experts; attention, router, embeddings, head bf16 (gpt-oss)"},
  {WeightFormat::nvfp4, "nvfp4", "nv_fp4", DType::fp4,
   "NVFP4: 16 E2M1 + one E4M3 scale (4.5 bits) + fp32 per tensor; embeddings, head bf16"},
  {WeightFormat::q8_0, "q8_0", "gguf_q8_0 q8", DType::fp16, "GGUF Q8_0: 8.5 bits; output Q8_0"},
  {WeightFormat::q6_k, "q6_k", "gguf_q6_k q6", DType::fp16, "GGUF Q6_K: 6.5625 bits"},
  {WeightFormat::q5_k_m, "q5_k_m", "gguf_q5_k_m q5_k q5km", DType::fp16,
   "GGUF Q5_K_M: Q5_K (5.5 bits), V and FFN-down Q6_K in half the blocks, output Q6_K"},
  {WeightFormat::q4_k_m, "q4_k_m", "gguf_q4_k_m q4_k q4km", DType::fp16,
   "GGUF Q4_K_M: Q4_K (4.5 bits), V and FFN-down Q6_K in half the blocks, output Q6_K"},
  {WeightFormat::q4_0, "q4_0", "gguf_q4_0 q4", DType::fp16, "GGUF Q4_0: 4.5 bits, output Q6_K"},
  {WeightFormat::q3_k_m, "q3_k_m", "gguf_q3_k_m q3_k q3km", DType::fp16,
   "GGUF Q3_K_M: Q3_K (3.4375 bits), V/O/FFN-down Q4_K–Q5_K, output Q6_K"},
  {WeightFormat::q2_k, "q2_k", "gguf_q2_k q2", DType::fp16,
   "GGUF Q2_K: Q2_K (2.625 bits), V Q3_K/Q4_K, O and FFN-down Q3_K, output Q6_K"},
};
constexpr KvFormatInfo kKv[] = {
  {KvFormat::fp32, "fp32", "float32 f32", "4 bytes"},
  {KvFormat::fp16, "fp16", "float16 f16", "2 bytes"},
  {KvFormat::bf16, "bf16", "bfloat16 auto", "2 bytes"},
  {KvFormat::fp8, "fp8", "fp8_e4m3 e4m3", "1 byte, per-tensor scale (vLLM fp8 = fp8_e4m3)"},
  {KvFormat::fp8_e5m2, "fp8_e5m2", "e5m2", "1 byte (vLLM fp8_e5m2)"},
  {KvFormat::int8, "int8", "", "1 byte + an fp16 scale per head vector"},
  {KvFormat::int4, "int4", "", "0.5 byte + an fp16 scale per head vector"},
  {KvFormat::q8_0, "q8_0", "", "llama.cpp q8_0: 34 bytes per 32"},
  {KvFormat::q4_0, "q4_0", "", "llama.cpp q4_0: 18 bytes per 32"},
};
// clang-format on

bool same(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (std::tolower(x) != std::tolower(y) && !((x == '-' || x == '_') && (y == '-' || y == '_'))) return false;
  }
  return true;
}

// True when `text` is the key or one of the space-separated aliases (any case, '-' ≡ '_').
bool names(std::string_view key, std::string_view aliases, std::string_view text) {
  if (same(key, text)) return true;
  while (!aliases.empty()) {
    const size_t sp = aliases.find(' ');
    if (same(aliases.substr(0, sp), text)) return true;
    if (sp == std::string_view::npos) break;
    aliases.remove_prefix(sp + 1);
  }
  return false;
}

// GGUF base types: bytes per weight from the block structs (ggml-common.h).
constexpr double kQ8_0 = 34.0 / 32, kQ6_K = 210.0 / 256, kQ5_K = 176.0 / 256, kQ4_K = 144.0 / 256,
                 kQ4_0 = 18.0 / 32, kQ3_K = 110.0 / 256, kQ2_K = 84.0 / 256;

// llama-quant.cpp's use_more_bits(i, n): i < n/8 || i >= 7n/8 || (i − n/8) % 3 == 2. Share of blocks.
double more_bits_share(int n) {
  if (n <= 0) return 0;
  int k = 0;
  for (int i = 0; i < n; ++i)
    if (i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2) ++k;
  return double(k) / n;
}
// Share of blocks i < limit.
double first_share(int n, double limit) {
  if (n <= 0) return 0;
  int k = 0;
  for (int i = 0; i < n; ++i)
    if (i < limit) ++k;
  return double(k) / n;
}
double mix(double share, double more, double base) { return share * more + (1 - share) * base; }

bool is_gguf(WeightFormat f) { return f >= WeightFormat::q8_0; }
bool is_down(TensorGroup g) { return g == TensorGroup::mlp_down || g == TensorGroup::expert_down; }
bool is_mlp(TensorGroup g) {
  return g == TensorGroup::mlp_up || g == TensorGroup::mlp_down || g == TensorGroup::expert_up || g == TensorGroup::expert_down;
}

double gguf_bytes(WeightFormat f, TensorGroup g, const FormatContext& c) {
  const int n = c.layers;
  if (g == TensorGroup::router) return 2.0;  // ffn_gate_inp is never quantised: its source type
  if (g == TensorGroup::head) return f == WeightFormat::q8_0 ? kQ8_0 : kQ6_K;
  switch (f) {
    case WeightFormat::q8_0: return kQ8_0;
    case WeightFormat::q6_k: return kQ6_K;
    case WeightFormat::q5_k_m:
      return g == TensorGroup::attn_v || is_down(g) ? mix(more_bits_share(n), kQ6_K, kQ5_K) : kQ5_K;
    case WeightFormat::q4_k_m:
      return g == TensorGroup::attn_v || is_down(g) ? mix(more_bits_share(n), kQ6_K, kQ4_K) : kQ4_K;
    case WeightFormat::q4_0: return kQ4_0;
    case WeightFormat::q3_k_m:
      if (g == TensorGroup::attn_v) return mix(first_share(n, 2), kQ5_K, kQ4_K);
      if (is_down(g)) return mix(first_share(n, n / 16.0), kQ5_K, kQ4_K);
      if (g == TensorGroup::attn_o) return kQ4_K;
      return kQ3_K;
    case WeightFormat::q2_k:
      if (g == TensorGroup::attn_v) return c.gqa >= 4 ? kQ4_K : kQ3_K;
      if (is_down(g) || g == TensorGroup::attn_o) return kQ3_K;
      return kQ2_K;
    default: return 2.0;
  }
}
}  // namespace

std::span<const WeightFormatInfo> weight_formats() { return kWeights; }
std::span<const KvFormatInfo> kv_formats() { return kKv; }
const WeightFormatInfo& info(WeightFormat f) { return kWeights[int(f)]; }
const KvFormatInfo& info(KvFormat f) { return kKv[int(f)]; }
std::string_view weight_format_key(WeightFormat f) { return info(f).key; }
std::string_view kv_format_key(KvFormat f) { return info(f).key; }

std::optional<WeightFormat> find_weight_format(std::string_view text) {
  for (const WeightFormatInfo& w : kWeights)
    if (names(w.key, w.aliases, text)) return w.id;
  return std::nullopt;
}

std::optional<KvFormat> find_kv_format(std::string_view text) {
  for (const KvFormatInfo& k : kKv)
    if (names(k.key, k.aliases, text)) return k.id;
  return std::nullopt;
}

bool embedding_on_host(WeightFormat f) { return is_gguf(f); }

bool is_float(WeightFormat f) { return f == WeightFormat::fp32 || f == WeightFormat::fp16 || f == WeightFormat::bf16; }

double group_bytes(WeightFormat f, TensorGroup g, const FormatContext& c) {
  if (is_gguf(f)) return gguf_bytes(f, g, c);
  switch (f) {
    case WeightFormat::fp32: return 4.0;
    case WeightFormat::fp16:
    case WeightFormat::bf16: return 2.0;
    default: break;
  }
  // Every other format leaves the embedding, the head and (but bitsandbytes) the router in 16-bit.
  const bool bnb = f == WeightFormat::nf4 || f == WeightFormat::nf4_dq;
  if (g == TensorGroup::embedding || g == TensorGroup::head || (g == TensorGroup::router && !bnb)) return 2.0;
  switch (f) {
    case WeightFormat::fp8: return 1.0;
    case WeightFormat::fp8_channel:
    case WeightFormat::int8: return 1.0 + 4.0 / c.in_features;
    case WeightFormat::fp8_block: return 1.0 + 4.0 / (128.0 * 128.0);
    case WeightFormat::int4: return 0.5 + 2.5 / 128.0;
    case WeightFormat::awq: return 0.5 + 2.5 / c.group_size;
    case WeightFormat::gptq: return 0.5 + 2.5 / c.group_size + 4.0 / c.out_features;
    case WeightFormat::nf4: return 0.5 + 4.0 / 64.0;
    case WeightFormat::nf4_dq: return 0.5 + 1.0 / 64.0 + 4.0 / (64.0 * 256.0);
    case WeightFormat::mxfp4: return is_mlp(g) ? 17.0 / 32.0 : 2.0;  // gpt-oss: attention stays bf16
    case WeightFormat::nvfp4: return 9.0 / 16.0;
    default: return 2.0;
  }
}

std::string_view group_type(WeightFormat f, TensorGroup g) {
  const double b = group_bytes(f, g, FormatContext{});
  if (b == 2.0) return f == WeightFormat::fp16 || is_gguf(f) ? "fp16" : "bf16";
  if (b == 4.0) return "fp32";
  return info(f).key;
}

double kv_element_bytes(KvFormat f, double head_dim) {
  switch (f) {
    case KvFormat::fp32: return 4.0;
    case KvFormat::fp16:
    case KvFormat::bf16: return 2.0;
    case KvFormat::fp8:
    case KvFormat::fp8_e5m2: return 1.0;
    case KvFormat::int8: return 1.0 + 2.0 / head_dim;
    case KvFormat::int4: return 0.5 + 2.0 / head_dim;
    case KvFormat::q8_0: return 34.0 / 32.0;
    case KvFormat::q4_0: return 18.0 / 32.0;
  }
  return 2.0;
}

}  // namespace llmcalc
