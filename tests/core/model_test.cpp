// tests/core/model_test.cpp — parameter counting and the model presets.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <string>

#include "core/model.hpp"

using namespace llmcalc;

TEST_CASE("every model preset matches its published parameter total (and active) within 1%") {
  REQUIRE(model_presets().size() >= 35);
  for (const ModelPreset& p : model_presets()) {
    const ParamCounts c = count_params(p.spec);
    INFO(std::string(p.id) << ": " << c.total << " total, " << c.active << " active");
    CHECK(std::fabs(c.total - p.published_params) / p.published_params <= p.published_tolerance);
    CHECK(p.published_tolerance <= 0.05);  // a looser figure says why in its source
    CHECK_FALSE(p.source.empty());
    if (p.published_active > 0) {
      // vendors differ on whether the (looked-up, not multiplied) embedding table counts as active
      const double with = std::fabs(c.active - p.published_active) / p.published_active;
      const double without = std::fabs(c.active - c.embedding - p.published_active) / p.published_active;
      CHECK(std::min(with, without) <= std::max(0.03, p.published_tolerance));
    }
  }
}

TEST_CASE("the presets the issue names exist") {
  for (const char* id : {"llama-7b", "llama-13b", "llama-2-7b", "llama-2-13b", "llama-2-70b", "llama-3.1-8b",
                         "llama-3.1-70b", "llama-3.1-405b", "mistral-7b", "mixtral-8x7b", "qwen2.5-7b",
                         "qwen2.5-72b", "gpt-3-175b"}) {
    INFO(id);
    CHECK(find_model_preset(id) != nullptr);
  }
  CHECK(find_model_preset("llama-9000") == nullptr);
}

TEST_CASE("LLaMA-7B parameter count is exact") {
  // 32 blocks × (4·4096² attention + 3·4096·11008 MLP + 2·4096 norms) + 2·32000·4096 + 4096.
  const ParamCounts c = count_params(find_model_preset("llama-7b")->spec);
  CHECK(c.total == 32.0 * (4 * 4096.0 * 4096 + 3 * 4096.0 * 11008 + 2 * 4096) + 2 * 32000.0 * 4096 + 4096);
  CHECK(c.active == c.total);
}

TEST_CASE("GQA shrinks K and V projections, tying removes the output projection") {
  ModelSpec m = find_model_preset("llama-7b")->spec;
  const double mha = count_params(m).dense.attn_linear;
  m.kv_heads = 8;
  CHECK(count_params(m).dense.attn_linear == Approx(mha - 2 * 4096.0 * (4096 - 8 * 128)));
  const double untied = count_params(m).total;
  m.tied = true;
  CHECK(count_params(m).total == Approx(untied - 32000.0 * 4096));
  CHECK(count_params(m).lm_head == 0);
}

TEST_CASE("MoE: total counts every expert, active only the routed ones") {
  const ParamCounts c = count_params(find_model_preset("mixtral-8x7b")->spec);
  CHECK(c.total == Approx(46.70e9).epsilon(0.001));
  CHECK(c.active == Approx(12.88e9).epsilon(0.002));  // Mixtral paper: 12.9B active
  CHECK(c.moe.router == 4096.0 * 8);
}

TEST_CASE("rows + cols of a block's linear layers (LoRA and Adafactor sizing)") {
  const ModelSpec m = find_model_preset("llama-7b")->spec;
  // Q, K, V, O: 4 × (4096 + 4096); gate, up, down: 3 × (4096 + 11008)
  CHECK(block_rows_plus_cols(m, false) == 4 * 8192.0 + 3 * (4096.0 + 11008));
}

TEST_CASE("MLA: q/kv LoRA projections, the decoupled rotary key, values of v_head_dim (DeepSeek-V3)") {
  const ModelSpec& m = find_model_preset("deepseek-v3")->spec;
  REQUIRE(m.attention == Attention::mla);
  const BlockParams b = block_params(m, false);
  // config.json: hidden 7168, 128 heads, q_lora_rank 1536, kv_lora_rank 512, qk_nope 128 + qk_rope 64, v 128
  const double q_a = 7168.0 * 1536, q_b = 1536.0 * 128 * (128 + 64);
  const double kv_a = 7168.0 * (512 + 64), kv_b = 512.0 * 128 * (128 + 128), o = 128.0 * 128 * 7168;
  CHECK(b.attn_linear == q_a + q_b + kv_a + kv_b + o);
  CHECK(b.attn_v == kv_b);
  CHECK(b.attn_o == o);
}

TEST_CASE("modern MoE: dense first layers, shared experts, a separate expert width, MTP apart") {
  const ModelSpec& m = find_model_preset("deepseek-v3")->spec;
  const ParamCounts c = count_params(m);
  CHECK(c.dense_blocks == 3);  // first_k_dense_replace
  CHECK(c.moe_blocks == 58);
  CHECK(c.dense.mlp_linear == 3.0 * 7168 * 18432);  // intermediate_size
  CHECK(c.moe.expert == 3.0 * 7168 * 2048);         // moe_intermediate_size
  CHECK(c.moe.experts == 256 * c.moe.expert);
  CHECK(c.moe.mlp_linear == c.moe.expert);          // one shared expert of the same width
  CHECK(c.moe.router == 256.0 * 7168);
  CHECK(c.mtp > 11e9);  // the MTP module (~14B with its embedding/head shared) is not in the total
  CHECK(c.total == Approx(671e9).epsilon(0.01));
  // Llama 4 Maverick: MoE in every second block (interleave_moe_layer_step 2), one shared MLP
  const ModelSpec& mav = find_model_preset("llama-4-maverick")->spec;
  const LayerMix all = layer_mix(mav, 0, mav.layers);
  CHECK(all.moe() == 24);
  CHECK(all.dense() == 24);
  CHECK_FALSE(mav.is_moe_layer(0));
  CHECK(mav.is_moe_layer(1));
}

TEST_CASE("local layers by pattern: Gemma 3 (5 local of 6), gpt-oss (every other)") {
  const ModelSpec& g = find_model_preset("gemma-3-27b")->spec;
  const LayerMix gm = layer_mix(g, 0, g.layers);
  CHECK(gm.local() == 52);  // 62 blocks: 10 × (5 local + 1 global) + 2 local
  CHECK(gm.global() == 10);
  CHECK(g.is_local_layer(0));
  CHECK_FALSE(g.is_local_layer(5));
  CHECK(g.window == 1024);
  const ModelSpec& o = find_model_preset("gpt-oss-120b")->spec;
  CHECK(layer_mix(o, 0, o.layers).local() == 18);
  CHECK(layer_mix(o, 0, o.layers).moe_local == 18);
  // a pipeline stage counts its own blocks
  CHECK(layer_mix(g, 0, 31).total() == 31);
  CHECK(layer_mix(g, 0, 31).global() + layer_mix(g, 31, 31).global() == 10);
}

TEST_CASE("explicit head_dim and qk-norm (Qwen3): heads × head_dim need not equal hidden") {
  const ModelSpec& q = find_model_preset("qwen3-8b")->spec;
  CHECK(q.dim_head() == 128);
  CHECK(q.qk_norm);
  const ModelSpec& q06 = find_model_preset("qwen3-0.6b")->spec;
  CHECK(q06.heads * q06.dim_head() != q06.hidden);  // 16 × 128 = 2048 ≠ 1024
  const BlockParams b = block_params(q06, false);
  CHECK(b.attn_o == 16.0 * 128 * 1024);
}
