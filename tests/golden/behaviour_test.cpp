// tests/golden/behaviour_test.cpp — today's core gives, byte for byte, the `llmcalc estimate --json`
// output (or error message) recorded in tests/golden/behaviour.jsonl for 400+ generated scenarios
// covering every key. It pins behaviour through refactors; a change meant to move numbers
// re-records the file (tests/golden/make_behaviour.py) and says why in its commit.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/estimate.hpp"
#include "core/report.hpp"

using namespace llmcalc;

namespace {
// What `llmcalc estimate TEXT --json` prints (without the final newline), or its error message.
std::string cli_output(const std::string& text, bool* failed) {
  *failed = true;
  Result<DecodedScenario> d = decode_scenario(text);
  if (!d) return d.error().message;
  Result<Estimate> e = estimate(d->scenario);
  if (!e) return e.error().message;
  *failed = false;
  return estimate_json(d->scenario, e.value(), d->warnings);
}
}  // namespace

TEST_CASE("recorded CLI outputs are reproduced byte for byte (tests/golden/behaviour.jsonl)") {
  std::ifstream in(std::string(LLMCALC_SOURCE_DIR) + "/tests/golden/behaviour.jsonl");
  REQUIRE(in.good());
  std::string line;
  int estimates = 0, errors = 0;
  while (std::getline(in, line)) {
    const auto rec = nlohmann::json::parse(line);
    const std::string scenario = rec["scenario"].get<std::string>();
    INFO(scenario);
    bool failed = false;
    const std::string got = cli_output(scenario, &failed);
    if (rec.contains("json")) {
      CHECK_FALSE(failed);
      CHECK(got == rec["json"].get<std::string>());
      ++estimates;
    } else {
      CHECK(failed);
      CHECK(got == rec["error"].get<std::string>());
      ++errors;
    }
  }
  CHECK(estimates >= 300);
  CHECK(errors >= 10);
}
