// tests/core/report_test.cpp — the CLI's JSON contract (DESIGN.md §2) and the text report.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/report.hpp"
#include "core/units.hpp"
#include "core/verdict.hpp"

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

TEST_CASE("report: Markdown has the verdict, the tables and the link") {
  auto d = llmcalc::decode_scenario("model=llama-3.1-8b&gpu=h100-sxm&batch=8");
  REQUIRE(d.ok());
  const llmcalc::Estimate e = llmcalc::estimate(d->scenario).value();
  const std::string md = llmcalc::estimate_markdown(d->scenario, e);
  CHECK(md.rfind("## Llama 3.1 8B on 1 \xC3\x97 NVIDIA H100 SXM 80GB, inference (vLLM)\n", 0) == 0);
  CHECK(md.find("**" + llmcalc::verdict_text(d->scenario, e) + "**") != std::string::npos);
  CHECK(md.find("| Weights | " + llmcalc::format_bytes(e.memory.weights) + " |") != std::string::npos);
  CHECK(md.find("| TTFT (one request) | " + llmcalc::format_seconds(e.serving.ttft_s) + " |") != std::string::npos);
  CHECK(md.find("`" + llmcalc::encode_scenario(d->scenario) + "`") != std::string::npos);
}

TEST_CASE("report: CSV has every number of the JSON under its path") {
  auto d = llmcalc::decode_scenario("mode=train&model=llama-3.1-8b&gpus=8&zero=3&train_tokens=1e10");
  REQUIRE(d.ok());
  const llmcalc::Estimate e = llmcalc::estimate(d->scenario).value();
  const std::string csv = llmcalc::estimate_csv(d->scenario, e);
  CHECK(csv.rfind("figure,value\n", 0) == 0);
  CHECK(csv.find("\nmemory.weights," + llmcalc::format_number(e.memory.weights) + "\n") != std::string::npos);
  CHECK(csv.find("\ntime.step_s," + llmcalc::format_number(e.step_s) + "\n") != std::string::npos);
  CHECK(csv.find("\ncost.usd_to_train," + llmcalc::format_number(e.cost.usd_to_train) + "\n") != std::string::npos);
  CHECK(csv.find("\nmemory.fits,") != std::string::npos);
  CHECK(csv.find("verdict") == std::string::npos);
  // each line: a path and a number
  size_t lines = 0;
  for (size_t p = csv.find('\n') + 1; p < csv.size(); p = csv.find('\n', p) + 1, ++lines) {
    const std::string line = csv.substr(p, csv.find('\n', p) - p);
    REQUIRE(line.find(',') != std::string::npos);
    CHECK_NOTHROW(std::stod(line.substr(line.find(',') + 1)));
  }
  CHECK(lines > 30);
}
