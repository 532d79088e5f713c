// tests/core/robustness_test.cpp — untrusted input (links, dropped files) mutated at random:
// every decoder either succeeds or returns an error with a message; nothing crashes or hangs,
// and any scenario that decodes also estimates with finite numbers.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "core/estimate.hpp"
#include "core/model_config.hpp"
#include "core/profile.hpp"

using namespace llmcalc;

namespace {
std::string mutate(std::string s, std::mt19937& rng) {
  const char alphabet[] = "=&~._-0123456789abcdefxyz%#{}[]\":,e+ \n\\\x01\xff";
  std::uniform_int_distribution<int> op(0, 3), ch(0, int(sizeof alphabet) - 2);
  const int edits = 1 + int(rng() % 4);
  for (int i = 0; i < edits && !s.empty(); ++i) {
    const size_t at = rng() % s.size();
    switch (op(rng)) {
      case 0: s[at] = alphabet[ch(rng)]; break;
      case 1: s.erase(at, 1 + rng() % 8); break;
      case 2: s.insert(at, 1, alphabet[ch(rng)]); break;
      case 3: s.insert(at, s.substr(rng() % s.size(), 1 + rng() % 16)); break;
    }
  }
  return s;
}
}  // namespace

TEST_CASE("mutated scenario links decode or fail with a message, and estimates stay finite") {
  std::mt19937 rng(12345);
  const std::string seeds[] = {
      "v=1&mode=train&model=llama-2-70b&gpu=a100-80gb&gpus=16&tp=8&pp=2&seq=4096&accum=8&recompute=selective&zero=1",
      "model=mixtral-8x7b&gpus=4&tp=2&batch=48&dtype=fp8&kv=int4&prompt=32000&gen=2000",
      "mode=train&model=custom&layers=4&hidden=512&heads=8&kv_heads=2&ffn=1536&vocab=32000&method=qlora&rank=64",
      "prof=1~G~2026-01-01~3e12~2e-6~1e-6~bf16.1_16.4096x4096.1.5_20&timing=calibrated"};
  int decoded = 0;
  for (int i = 0; i < 4000; ++i) {
    const std::string text = mutate(seeds[i % 4], rng);
    const DecodedScenario d = decode_scenario_lenient(text);
    for (const Error& e : d.errors) REQUIRE_FALSE(e.message.empty());
    Result<Estimate> e = estimate(d.scenario);
    if (!e) {
      REQUIRE_FALSE(e.error().message.empty());
      continue;
    }
    ++decoded;
    INFO(text);
    REQUIRE(std::isfinite(e->memory.total));
    REQUIRE(std::isfinite(e->mode == Mode::infer ? e->tpot_s : e->step_s));
    // what decodes re-encodes to a string that decodes to the same scenario
    REQUIRE(decode_scenario_lenient(encode_scenario(d.scenario)).scenario == d.scenario);
  }
  CHECK(decoded > 1000);
}

TEST_CASE("mutated profiles and model configs never crash the readers") {
  std::ifstream f(std::string(LLMCALC_SOURCE_DIR) + "/tests/fixtures/synthetic-h100-profile.json");
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string profile = ss.str().substr(0, 6000);  // the head: every section type
  const std::string config = R"({"model_type": "llama", "hidden_size": 4096, "intermediate_size": 14336,
    "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8, "vocab_size": 128256})";
  std::mt19937 rng(777);
  for (int i = 0; i < 1500; ++i) {
    Result<Profile> p = parse_profile(mutate(profile, rng));
    if (!p) REQUIRE(p.error().message.rfind("profile: ", 0) == 0);
    Result<ModelConfig> c = parse_model_config(mutate(config, rng));
    if (!c) REQUIRE(c.error().message.rfind("model config: ", 0) == 0);
  }
}
