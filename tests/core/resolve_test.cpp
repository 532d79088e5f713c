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
