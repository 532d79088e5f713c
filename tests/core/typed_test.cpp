// tests/core/typed_test.cpp — what people type (issue #13): counts with k/M suffixes, preset ids in
// any case or as Hub ids and short GPU names, and "did you mean" for ids no preset has.
#include <catch2/catch.hpp>

#include "core/estimate.hpp"
#include "core/units.hpp"

using namespace llmcalc;

TEST_CASE("typed: counts accept 8k, 128K, 1.5M and thousands separators") {
  long long v = 0;
  CHECK((parse_count("8k", &v) && v == 8192));
  CHECK((parse_count("128K", &v) && v == 131072));
  CHECK((parse_count("1.5M", &v) && v == 1572864));
  CHECK((parse_count("32k", &v) && v == 32768));
  CHECK((parse_count("8,192", &v) && v == 8192));
  CHECK((parse_count(" 4096 ", &v) && v == 4096));
  CHECK_FALSE(parse_count("1.3k", &v));  // 1331.2: not whole
  CHECK_FALSE(parse_count("8x", &v));
  CHECK_FALSE(parse_count("k", &v));
  CHECK_FALSE(parse_count("", &v));
  const Result<DecodedScenario> d = decode_scenario("prompt=8k&gen=1k&max_len=128k");
  REQUIRE(d.ok());
  CHECK(d->scenario.prompt == 8192);
  CHECK(d->scenario.gen == 1024);
  CHECK(d->scenario.max_len == 131072);
  CHECK(encode_scenario(d->scenario) == "v=1&prompt=8192&gen=1024&max_len=131072");
}

TEST_CASE("typed: preset ids in any case, Hub ids and short GPU names") {
  auto scenario = [](const char* link) {
    const Result<DecodedScenario> d = decode_scenario(link);
    REQUIRE(d.ok());
    return d->scenario;
  };
  Scenario s = scenario("model=Llama-3.1-70B&gpu=H100&prompt=8k");
  CHECK(s.model == "llama-3.1-70b");
  CHECK(s.gpu == "h100-sxm");
  CHECK(s.prompt == 8192);
  CHECK(scenario("model=meta-llama/Llama-3.1-8B-Instruct").model == "llama-3.1-8b");
  CHECK(scenario("model=Qwen/Qwen3-30B-A3B").model == "qwen3-30b-a3b");
  CHECK(scenario("gpu=NVIDIA%20H200").gpu == "h200");
  CHECK(scenario("gpu=4090").gpu == "rtx-4090");
  CHECK(scenario("gpu=A100").gpu == "a100-80gb");
  CHECK(scenario("gpu=l40s").gpu == "l40s");
}

TEST_CASE("typed: an unknown id says did you mean, and nothing is substituted") {
  const Scenario s = decode_scenario_lenient("model=llama-3-70b").scenario;
  CHECK(s.model == "llama-3-70b");  // kept as typed
  Result<Estimate> e = estimate(s);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().message.find("model: unknown model 'llama-3-70b'; did you mean llama-3.1-70b") == 0);
  e = estimate(decode_scenario_lenient("gpu=h1000").scenario);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().message.find("did you mean h100-sxm?") != std::string::npos);
  e = estimate(decode_scenario_lenient("model=gpt-9").scenario);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().message.find("did you mean") == std::string::npos);
  // an unknown id with characters a link escapes round-trips
  const DecodedScenario d = decode_scenario_lenient("model=My%20Model%2B1");
  REQUIRE(d.errors.empty());
  CHECK(decode_scenario_lenient(encode_scenario(d.scenario)).scenario == d.scenario);
}
