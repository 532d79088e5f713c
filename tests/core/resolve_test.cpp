// tests/core/resolve_test.cpp — presets, overrides, custom models, unknown presets.
#include <catch2/catch.hpp>
#include <string>

#include "core/resolve.hpp"
#include "tests/core/helpers.hpp"

using namespace llmcalc;
using llmcalc::test::est;
using llmcalc::test::P;

TEST_CASE("resolve: overrides, custom models and unknown presets") {
  CHECK(est("model=llama-7b&layers=16").r.model.layers == 16);
  CHECK(est("model=custom&layers=2&hidden=256&heads=4&ffn=1024&vocab=1000").r.params.total > 0);
  auto bad = estimate(decode_scenario("model=custom&layers=2")->scenario);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("hidden") == 0);
  auto unknown = estimate(decode_scenario("gpu=tpu-v5")->scenario);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message.find("gpu: unknown GPU 'tpu-v5'") == 0);
}

TEST_CASE("a preset as a custom model (arch_of) is the same model: layout, KV, parameters") {
  for (const ModelPreset& p : model_presets()) {
    INFO(p.id);
    Scenario s;
    s.model = "custom";
    s.arch = arch_of(p.spec);
    // through the link, as the page shares it
    const auto d = decode_scenario(encode_scenario(s));
    REQUIRE(d.ok());
    const auto r = resolve(d->scenario);
    REQUIRE(r.ok());
    const ModelSpec& a = r->model;
    const ModelSpec& b = p.spec;
    CHECK(a.attention == b.attention);
    CHECK(a.dim_head() == b.dim_head());
    CHECK(a.dim_v() == b.dim_v());
    const LayerMix x = layer_mix(a, 0, a.layers), y = layer_mix(b, 0, b.layers);
    CHECK(x.dense_global == y.dense_global);
    CHECK(x.dense_local == y.dense_local);
    CHECK(x.moe_global == y.moe_global);
    CHECK(x.moe_local == y.moe_local);
    CHECK(a.window == b.window);
    const ParamCounts pa = r->params, pb = count_params(b);
    // only biases, sinks and extra norms have no keys (gpt-oss: its biases, 0.01%)
    CHECK(pa.total == Approx(pb.total).epsilon(0.001));
    CHECK(pa.active == Approx(pb.active).epsilon(0.001));
    CHECK(pa.mtp == Approx(pb.mtp).epsilon(0.001));
  }
}
