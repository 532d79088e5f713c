// tests/core/report_test.cpp — the CLI's JSON contract (DESIGN.md §2) and the text report.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/report.hpp"

using namespace llmcalc;
using json = nlohmann::json;

namespace {
json report(const char* text) {
  auto d = decode_scenario(text);
  REQUIRE(d.ok());
  const Estimate e = estimate(d->scenario).value();
  json j = json::parse(estimate_json(d->scenario, e, d->warnings), nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  return j;
}
}  // namespace

TEST_CASE("inference JSON has every contract field, in bytes and seconds") {
  const json j = report("model=llama-7b&gpu=a100-40gb&foo=1");
  CHECK(j["scenario"] == "v=1&model=llama-7b&gpu=a100-40gb");
  for (const char* k : {"name", "params", "active_params"}) CHECK(j["model"].contains(k));
  for (const char* k : {"name", "memory_bytes", "count"}) CHECK(j["gpu"].contains(k));
  for (const char* k : {"weights", "gradients", "optimizer", "activations", "kv_cache", "overhead", "total",
                        "capacity", "fits"})
    CHECK(j["memory"].contains(k));
  for (const char* k : {"ttft_s", "tpot_s", "e2e_s", "tokens_per_s"}) CHECK(j["time"][k].get<double>() > 0);
  CHECK(j["memory"]["gradients"] == 0);
  CHECK(j["memory"]["fits"].is_boolean());
  REQUIRE(j["warnings"].size() == 1);
  CHECK(j["warnings"][0].get<std::string>().find("foo") != std::string::npos);
  const double sum = j["memory"]["weights"].get<double>() + j["memory"]["activations"].get<double>() +
                     j["memory"]["kv_cache"].get<double>() + j["memory"]["overhead"].get<double>();
  CHECK(j["memory"]["total"].get<double>() == Approx(sum));
}

TEST_CASE("training JSON reports step time and zero KV cache") {
  const json j = report("mode=train&model=llama-7b");
  CHECK(j["time"]["step_s"].get<double>() > 0);
  CHECK(j["time"]["tokens_per_s"].get<double>() > 0);
  CHECK(j["memory"]["kv_cache"] == 0);
  CHECK_FALSE(j["time"].contains("ttft_s"));
}

TEST_CASE("the text report shows GB and GiB and the verdict") {
  auto d = decode_scenario("model=llama-7b&gpu=a100-40gb");
  const std::string t = estimate_text(d->scenario, estimate(d->scenario).value());
  CHECK(t.find("GB") != std::string::npos);
  CHECK(t.find("GiB") != std::string::npos);
  CHECK(t.find("fits") != std::string::npos);
  CHECK(t.find("scenario: v=1&model=llama-7b&gpu=a100-40gb") != std::string::npos);
}

TEST_CASE("model and GPU lists are JSON arrays of every preset") {
  CHECK(json::parse(models_json()).size() == model_presets().size());
  CHECK(json::parse(gpus_json()).size() == gpu_presets().size());
}
