// tests/core/model_test.cpp — parameter counting and the model presets.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <string>

#include "core/formats.hpp"
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
  const double mha = count_params(m).attn_linear;
  m.kv_heads = 8;
  CHECK(count_params(m).attn_linear == Approx(mha - 2 * 4096.0 * (4096 - 8 * 128)));
  const double untied = count_params(m).total;
  m.tied = true;
  CHECK(count_params(m).total == Approx(untied - 32000.0 * 4096));
  CHECK(count_params(m).lm_head == 0);
}

TEST_CASE("MoE: total counts every expert, active only the routed ones") {
  const ParamCounts c = count_params(find_model_preset("mixtral-8x7b")->spec);
  CHECK(c.total == Approx(46.70e9).epsilon(0.001));
  CHECK(c.active == Approx(12.88e9).epsilon(0.002));  // Mixtral paper: 12.9B active
  CHECK(c.router == 4096.0 * 8);
}

TEST_CASE("rows + cols of a block's linear layers (LoRA and Adafactor sizing)") {
  const ModelSpec m = find_model_preset("llama-7b")->spec;
  // Q, K, V, O: 4 × (4096 + 4096); gate, up, down: 3 × (4096 + 11008)
  CHECK(block_linear_rows_plus_cols(m) == 4 * 8192.0 + 3 * (4096.0 + 11008));
}
