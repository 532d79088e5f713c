// tests/fuzz/fuzz_estimate.cpp — estimates over decoded scenarios: every figure finite and not
// negative, totals equal to their parts, MFU at most 1, warnings readable, the JSON valid; one
// input in 128 also with explanations (costly; each formula reproducing its figure is
// tests/core/explain_test's job).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "check.hpp"
#include "core/estimate.hpp"
#include "core/rates.hpp"
#include "core/report.hpp"

namespace {
void check_all_numbers(const nlohmann::json& j) {
  if (j.is_number()) FUZZ_CHECK(std::isfinite(j.get<double>()));
  else if (j.is_null()) FUZZ_CHECK(false);  // a non-finite number is written as null
  else if (j.is_structured())
    for (const auto& x : j) check_all_numbers(x);
}
bool near(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b)) + 1e-300; }
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace llmcalc;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const DecodedScenario d = decode_scenario_lenient(text);
  // Explanations on inputs whose hash is 0 mod 128: a rule the mutator cannot learn (a condition
  // on the text itself would fill the corpus with explained inputs, 20× slower each).
  uint32_t h = 2166136261u;  // FNV-1a
  for (size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 16777619u;
  const bool explain = h % 128 == 0;
  Result<Estimate> r = estimate(d.scenario, explain ? Explain::yes : Explain::no);
  if (!r) {
    fuzz::check_error(r.error());
    return 0;
  }
  const Estimate& e = r.value();
  for (const std::string& w : e.warnings) fuzz::check_message(w);
  const MemoryBytes& m = e.memory;
  for (double v : {m.weights, m.gradients, m.optimizer, m.activations, m.kv_cache, m.overhead, m.total}) fuzz::check_figure(v);
  FUZZ_CHECK(near(m.total, m.weights + m.gradients + m.optimizer + m.activations + m.kv_cache + m.overhead));
  if (e.mode == Mode::infer) {
    const Serving& v = e.serving;
    for (double x : {v.ttft_s, v.tpot_s, v.e2e_s, v.output_tokens_per_s, v.total_tokens_per_s, v.max_concurrency, v.kv_tokens,
                     e.ttft_s, e.tpot_s, e.tokens_per_s})
      fuzz::check_figure(x);
    FUZZ_CHECK(v.tpot_s >= kMinKernelS && v.ttft_s >= kMinKernelS);
  } else {
    for (double x : {e.step_s, e.tokens_per_s, e.mfu, e.global_batch, e.tokens_per_step}) fuzz::check_figure(x);
    FUZZ_CHECK(e.step_s >= kMinKernelS);
    FUZZ_CHECK(e.mfu <= 1.0 + 1e-9);
  }
  // The JSON and the canonical link on one input in 8 (nlohmann under the sanitizers costs most
  // of an execution; every message above is already checked as readable text).
  if (size % 8 != 0) return 0;
  const std::string j = estimate_json(d.scenario, e, d.warnings);
  const nlohmann::json parsed = nlohmann::json::parse(j, nullptr, false);
  FUZZ_CHECK(!parsed.is_discarded());
  check_all_numbers(parsed["memory"]);
  check_all_numbers(parsed["time"]);
  if (parsed.contains("serving")) check_all_numbers(parsed["serving"]);
  // the canonical link in the JSON opens the same scenario
  const DecodedScenario back = decode_scenario_lenient(parsed["scenario"].get<std::string>());
  FUZZ_CHECK(back.errors.empty());
  FUZZ_CHECK(back.scenario == d.scenario);
  return 0;
}
