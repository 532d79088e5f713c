// tests/core/formats_test.cpp — bytes per weight of every format, each with the source it follows;
// the tensors each format leaves in 16-bit; names and aliases; KV-cache element types.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "core/formats.hpp"

using namespace llmcalc;
using G = TensorGroup;
using F = WeightFormat;

namespace {
double bytes(F f, G g = G::mlp_up, FormatContext c = {}) { return group_bytes(f, g, c); }
FormatContext layers(int n) {
  FormatContext c;
  c.layers = n;
  return c;
}
}  // namespace

TEST_CASE("floating-point formats store every tensor in their type") {
  for (G g : {G::attn_qk, G::mlp_up, G::expert_down, G::router, G::embedding, G::head}) {
    CHECK(bytes(F::fp32, g) == 4.0);
    CHECK(bytes(F::fp16, g) == 2.0);
    CHECK(bytes(F::bf16, g) == 2.0);
  }
}

TEST_CASE("FP8: E4M3 values plus fp32 scales per tensor, per channel or per 128×128 block") {
  // per tensor: one scale per matrix, negligible (vLLM/ModelOpt per-tensor FP8 checkpoints)
  CHECK(bytes(F::fp8) == 1.0);
  // per output channel: one fp32 per row of in_features weights (compressed-tensors "channel" strategy)
  FormatContext c;
  c.in_features = 4096;
  CHECK(bytes(F::fp8_channel, G::mlp_up, c) == 1.0 + 4.0 / 4096);
  // DeepSeek-V3 README_WEIGHTS.md: "weight_block_size": [128, 128], an fp32 weight_scale_inv per block
  CHECK(bytes(F::fp8_block) == Approx(1.000244140625));
}

TEST_CASE("int8 (LLM.int8 / SmoothQuant W8A8): one fp32 scale per output row") {
  FormatContext c;
  c.in_features = 8192;
  CHECK(bytes(F::int8, G::attn_o, c) == 1.0 + 4.0 / 8192);
  CHECK(bytes(F::int8, G::head, c) == 2.0);  // the head stays 16-bit (bitsandbytes skips lm_head)
}

TEST_CASE("AWQ/GPTQ: 4-bit weights, an fp16 scale and a 4-bit zero per group, GPTQ's g_idx") {
  // AutoAWQ WQLinear_GEMM: qweight int32 (8 per word), scales fp16 [in/g, out], qzeros int32 (8 per word)
  FormatContext c;
  for (int g : {32, 64, 128}) {
    c.group_size = g;
    CHECK(bytes(F::awq, G::mlp_up, c) == 0.5 + 2.5 / g);
  }
  CHECK(bytes(F::awq) == Approx(4.15625 / 8));  // 4.156 bits at group 128
  // AutoGPTQ QuantLinear adds g_idx: one int32 per input row, i.e. 4/out_features bytes per weight
  c.group_size = 128;
  c.out_features = 14336;
  CHECK(bytes(F::gptq, G::mlp_up, c) == 0.5 + 2.5 / 128 + 4.0 / 14336);
  CHECK(bytes(F::int4) == bytes(F::awq));  // int4 is the group-128 convention
  CHECK(bytes(F::awq, G::embedding) == 2.0);
  CHECK(bytes(F::gptq, G::head) == 2.0);
  CHECK(bytes(F::awq, G::router) == 2.0);
}

TEST_CASE("bitsandbytes NF4: block 64 with an fp32 absmax, or double-quantised to 8 bits") {
  // Dettmers et al. 2023 (QLoRA) §2: 32/64 = 0.5 bits of constants, 8/64 + 32/(64·256) = 0.127 with DQ
  CHECK(bytes(F::nf4) * 8 == 4.5);
  CHECK(bytes(F::nf4_dq) * 8 == Approx(4.127).epsilon(1e-4));
  // bnb replaces every nn.Linear but the head, the router included (transformers' skip list: lm_head)
  CHECK(bytes(F::nf4, G::router) == bytes(F::nf4));
  CHECK(bytes(F::nf4_dq, G::head) == 2.0);
  CHECK(bytes(F::nf4, G::embedding) == 2.0);
}

TEST_CASE("MXFP4 and NVFP4: E2M1 blocks with their scales") {
  // OCP Microscaling Formats v1.0 §5: 32 FP4 elements share one E8M0 scale → 17 bytes per 32
  CHECK(bytes(F::mxfp4, G::expert_up) * 8 == 4.25);
  CHECK(bytes(F::mxfp4, G::expert_down) == 17.0 / 32);
  // gpt-oss model card §2: only the MoE weights are MXFP4; attention, router, embedding, head bf16
  CHECK(bytes(F::mxfp4, G::attn_qk) == 2.0);
  CHECK(bytes(F::mxfp4, G::attn_o) == 2.0);
  CHECK(bytes(F::mxfp4, G::router) == 2.0);
  // NVIDIA NVFP4: 16 E2M1 values share one E4M3 scale (+ one fp32 per tensor) → 9 bytes per 16
  CHECK(bytes(F::nvfp4, G::attn_qk) * 8 == 4.5);
  CHECK(bytes(F::nvfp4, G::head) == 2.0);
}

TEST_CASE("GGUF base types: bytes per weight from ggml's block structs") {
  // ggml-common.h: block_q8_0 = fp16 d + 32 int8 (34 B / 32); block_q4_0 = fp16 d + 16 B (18 / 32);
  // block_q6_K 210 B, block_q5_K 176 B, block_q4_K 144 B, block_q3_K 110 B, block_q2_K 84 B per 256
  CHECK(bytes(F::q8_0, G::attn_qk) == 34.0 / 32);
  CHECK(bytes(F::q4_0, G::attn_qk) == 18.0 / 32);
  CHECK(bytes(F::q6_k, G::attn_qk) == 210.0 / 256);
  CHECK(bytes(F::q5_k_m, G::attn_qk) == 176.0 / 256);
  CHECK(bytes(F::q4_k_m, G::attn_qk) == 144.0 / 256);
  CHECK(bytes(F::q3_k_m, G::attn_qk) == 110.0 / 256);
  CHECK(bytes(F::q2_k, G::mlp_up) == 84.0 / 256);
}

TEST_CASE("GGUF mixtures follow llama-quant.cpp's per-tensor rules") {
  // use_more_bits(i, n): i < n/8 || i >= 7n/8 || (i − n/8) % 3 == 2. For 32 blocks: 4 + 4 + 8 = 16,
  // so Q4_K_M's attn_v and ffn_down are Q6_K in half the blocks, Q4_K in the rest.
  const double q4km_v = (210.0 + 144.0) / 2 / 256;
  CHECK(bytes(F::q4_k_m, G::attn_v, layers(32)) == Approx(q4km_v));
  CHECK(bytes(F::q4_k_m, G::mlp_down, layers(32)) == Approx(q4km_v));
  CHECK(bytes(F::q4_k_m, G::expert_down, layers(32)) == Approx(q4km_v));
  CHECK(bytes(F::q5_k_m, G::attn_v, layers(32)) == Approx((210.0 + 176.0) / 2 / 256));
  // 80 blocks: 10 + 10 + 20 = 40 → also half
  CHECK(bytes(F::q4_k_m, G::attn_v, layers(80)) == Approx(q4km_v));
  // the output tensor: Q6_K (Q8_0 stays Q8_0); the router is never quantised
  CHECK(bytes(F::q4_k_m, G::head) == 210.0 / 256);
  CHECK(bytes(F::q2_k, G::head) == 210.0 / 256);
  CHECK(bytes(F::q8_0, G::head) == 34.0 / 32);
  CHECK(bytes(F::q4_k_m, G::router) == 2.0);
  // Q3_K_M: attn_v Q5_K in the first two blocks, else Q4_K; ffn_down Q5_K for i < n/16; attn_output Q4_K
  CHECK(bytes(F::q3_k_m, G::attn_v, layers(32)) == Approx((2 * 176.0 + 30 * 144.0) / 32 / 256));
  CHECK(bytes(F::q3_k_m, G::mlp_down, layers(32)) == Approx((2 * 176.0 + 30 * 144.0) / 32 / 256));
  CHECK(bytes(F::q3_k_m, G::attn_o) == 144.0 / 256);
  // Q2_K: attn_v Q4_K with GQA ≥ 4 (else Q3_K), ffn_down and attn_output Q3_K
  FormatContext gqa = layers(32);
  gqa.gqa = 4;
  CHECK(bytes(F::q2_k, G::attn_v, gqa) == 144.0 / 256);
  gqa.gqa = 1;
  CHECK(bytes(F::q2_k, G::attn_v, gqa) == 110.0 / 256);
  CHECK(bytes(F::q2_k, G::attn_o) == 110.0 / 256);
  // llama.cpp keeps the token embedding in host memory
  CHECK(embedding_on_host(F::q4_k_m));
  CHECK_FALSE(embedding_on_host(F::awq));
}

TEST_CASE("every format has a key, a description, and is found by key and alias in any case") {
  REQUIRE(weight_formats().size() == kWeightFormatCount);
  std::set<std::string> keys;
  for (int i = 0; i < kWeightFormatCount; ++i) {
    const WeightFormatInfo& w = weight_formats()[i];
    CHECK(int(w.id) == i);
    CHECK_FALSE(w.about.empty());
    CHECK(keys.insert(std::string(w.key)).second);
    CHECK(find_weight_format(w.key) == w.id);
    for (G g : {G::attn_qk, G::mlp_up, G::head}) CHECK(bytes(w.id, g) > 0);
  }
  CHECK(find_weight_format("Q4_K_M") == F::q4_k_m);
  CHECK(find_weight_format("AWQ") == F::awq);
  CHECK(find_weight_format("gptq") == F::gptq);
  CHECK(find_weight_format("q4-k-m") == F::q4_k_m);  // '-' ≡ '_'
  CHECK(find_weight_format("bfloat16") == F::bf16);
  CHECK(find_weight_format("E4M3") == F::fp8);
  CHECK(find_weight_format("fp8_128x128") == F::fp8_block);
  CHECK_FALSE(find_weight_format("q4_k_").has_value());
  CHECK_FALSE(find_weight_format("").has_value());
  CHECK(group_type(F::q4_k_m, G::embedding) == "q4_k_m");
  CHECK(group_type(F::mxfp4, G::attn_qk) == "bf16");
}

TEST_CASE("KV-cache types as engines name them, scales included") {
  REQUIRE(kv_formats().size() == kKvFormatCount);
  CHECK(kv_element_bytes(KvFormat::bf16, 128) == 2.0);
  CHECK(kv_element_bytes(KvFormat::fp8, 128) == 1.0);       // vLLM fp8 / fp8_e4m3
  CHECK(kv_element_bytes(KvFormat::fp8_e5m2, 128) == 1.0);  // vLLM fp8_e5m2
  CHECK(kv_element_bytes(KvFormat::int8, 128) == 1.0 + 2.0 / 128);  // fp16 scale per head vector
  CHECK(kv_element_bytes(KvFormat::int4, 64) == 0.5 + 2.0 / 64);
  CHECK(kv_element_bytes(KvFormat::q8_0, 128) == 34.0 / 32);  // llama.cpp --cache-type-k q8_0
  CHECK(kv_element_bytes(KvFormat::q4_0, 128) == 18.0 / 32);
  CHECK(find_kv_format("fp8_e4m3") == KvFormat::fp8);
  CHECK(find_kv_format("FP8_E5M2") == KvFormat::fp8_e5m2);
  CHECK(find_kv_format("auto") == KvFormat::bf16);
  CHECK(find_kv_format("Q8_0") == KvFormat::q8_0);
  CHECK_FALSE(find_kv_format("fp12").has_value());
}
