// tests/core/hostile_test.cpp — issue #14's minimal hostile inputs, one regression test each:
// a clear error or warning, never an abort, NaN, Inf or a silent number. (The fuzz harnesses in
// tests/fuzz/ search for more; what they find is kept in tests/fuzz/regressions/.)
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <functional>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/estimate.hpp"
#include "core/model_config.hpp"
#include "core/profile.hpp"
#include "core/rates.hpp"
#include "core/report.hpp"
#include "core/text.hpp"

using namespace llmcalc;

namespace {
bool has(const std::vector<std::string>& v, const std::string& part) {
  for (const auto& x : v)
    if (x.find(part) != std::string::npos) return true;
  return false;
}
bool has_error(const DecodedScenario& d, const std::string& part) {
  for (const auto& e : d.errors)
    if (e.message.find(part) != std::string::npos) return true;
  return false;
}
std::vector<std::string> warnings_of(const std::string& link) {
  const DecodedScenario d = decode_scenario_lenient(link);
  REQUIRE(d.errors.empty());
  Result<Estimate> e = estimate(d.scenario);
  REQUIRE(e.ok());
  std::vector<std::string> w = d.warnings;
  w.insert(w.end(), e->warnings.begin(), e->warnings.end());
  return w;
}
std::string fixture() {
  std::ifstream f(std::string(LLMCALC_SOURCE_DIR) + "/tests/fixtures/synthetic-h100-profile.json");
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
std::string profile_error(const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json j = nlohmann::json::parse(fixture());
  edit(j);
  Result<Profile> p = parse_profile(j.dump());
  return p ? std::string() : p.error().message;
}
}  // namespace

TEST_CASE("text: invalid UTF-8 and control characters are replaced, long text is capped") {
  CHECK(valid_utf8("caf\xC3\xA9"));
  CHECK_FALSE(valid_utf8("\xFF"));
  CHECK_FALSE(valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(valid_utf8("\xED\xA0\x80"));      // a surrogate
  CHECK(safe_text("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(safe_text(std::string("a\0b", 3)) == "a\xEF\xBF\xBD" "b");  // a NUL never cuts a message short
  const std::string huge(100000, 'x');
  const std::string shown = safe_text(huge, 60);
  CHECK(shown.size() < 90);
  CHECK(shown.find("100000 bytes") != std::string::npos);
  // cut at a character boundary, never inside one
  std::string accents;
  for (int i = 0; i < 100; ++i) accents += "\xC3\xA9";
  CHECK(valid_utf8(safe_text(accents, 61)));
  // printable_only drops what safe_text replaces, and cuts between characters
  CHECK(printable_only("a\xFF" "b\x01" "c\xC2\x85" "d\x7F", 100) == "abcd");
  CHECK(printable_only(accents, 61) == accents.substr(0, 60));
}

TEST_CASE("hostile: an unknown key with invalid UTF-8 is a warning and the JSON is valid") {
  const DecodedScenario d = decode_scenario_lenient("%FF=1");
  REQUIRE(d.warnings.size() == 1);
  CHECK(valid_utf8(d.warnings[0]));
  Result<Estimate> e = estimate(d.scenario, Explain::yes);
  REQUIRE(e.ok());
  const std::string j = estimate_json(d.scenario, e.value(), d.warnings);
  CHECK(nlohmann::json::accept(j));
  // a name with invalid UTF-8 is refused with a message, not written back
  CHECK(has_error(decode_scenario_lenient("name=%FF"), "name: must be UTF-8 text"));
}

TEST_CASE("hostile: a 100,000-character value is not echoed whole") {
  const DecodedScenario d = decode_scenario_lenient("batch=" + std::string(100000, '9'));
  REQUIRE(d.errors.size() == 1);
  CHECK(d.errors[0].message.size() < 200);
}

TEST_CASE("hostile: a damaged prof= is an error, never an infinite or NaN time") {
  for (const char* link : {"prof=1~G~d~1e-300~0~0", "prof=1~G~d~3e12~1e300~1e300", "prof=1~G~d~1e42~0~0",
                           "prof=1~G~d~3e12~1e30~0", "prof=1~G~d~3e12~0~0~bf16.1_1.4096x4096.100_100",
                           "prof=1~G~d~3e12~0~0~bf16.1.4096x4096_4096x4096.100_100",
                           "prof=1~G~d~3e12~0~0~bf16.1.4096x4096.1e297",
                           "prof=1~G~d~3e12~0~0~bf16.1000000000000000000000000000000.4096x4096.100",
                           "prof=1~G~d~3e12~0~0~bf16.1_16.4096x4096.0_0", "prof=1~G%00~d~3e12~0~0"}) {
    INFO(link);
    const DecodedScenario d = decode_scenario_lenient(link);
    CHECK(has_error(d, "prof: the link's GPU profile is damaged"));
    CHECK(d.scenario.prof.empty());
  }
  // what decodes also re-decodes from its canonical text
  const DecodedScenario ok = decode_scenario_lenient("prof=1~G~d~3e12~2e-6~1e-6~bf16.1_16.4096x4096.1.5_20");
  REQUIRE(ok.errors.empty());
  CHECK(decode_scenario_lenient(encode_scenario(ok.scenario)).scenario == ok.scenario);
}

TEST_CASE("hostile: measured rates above the datasheet are capped and said, so MFU stays at most 1") {
  // 1e5 TFLOP/s of bf16 on an A100 (312 TFLOP/s dense)
  const std::string link = "mode=train&gpu=a100-80gb&model=custom&layers=2&hidden=1024&heads=8&ffn=4096&vocab=32000"
                           "&prof=1~G~d~3e12~0~0~bf16.1_4096.1024x1024.1e5_1e5";
  const DecodedScenario d = decode_scenario_lenient(link);
  REQUIRE(d.errors.empty());
  Result<Estimate> e = estimate(d.scenario);
  REQUIRE(e.ok());
  CHECK(e->mfu <= 1.0);
  CHECK(has(e->warnings, "capped at the datasheet"));
}

TEST_CASE("hostile: layouts that cannot be are errors and keep a layout that can") {
  DecodedScenario d = decode_scenario_lenient("tp=8&dp=1000000");
  CHECK(has_error(d, "is more than the 1000000"));
  CHECK(d.scenario.gpus >= d.scenario.tp * d.scenario.pp);
  d = decode_scenario_lenient("tp=4096&pp=4096");
  CHECK(has_error(d, "tp\xC2\xB7pp = 16777216 GPUs is more than"));
  CHECK(d.scenario.gpus == 1);
  CHECK(d.scenario.tp == 1);
  d = decode_scenario_lenient("gpus=4&tp=8");
  CHECK(has_error(d, "gpus: 4 GPUs are fewer than tp\xC2\xB7pp = 8"));
  // whatever decodes has a canonical link that decodes to it without errors
  for (const char* link : {"tp=8&dp=1000000", "tp=4096&pp=4096", "gpus=4&tp=8", "tp=1000&pp=1000&gpus=1000000"}) {
    const DecodedScenario x = decode_scenario_lenient(link);
    const DecodedScenario back = decode_scenario_lenient(encode_scenario(x.scenario));
    INFO(link);
    CHECK(back.errors.empty());
    CHECK(back.scenario == x.scenario);
  }
}

TEST_CASE("hostile: a refused value keeps the user's value, not a default") {
  Scenario user;
  user.batch = 8;
  user.model = "llama-3.1-70b";
  user.gpus = 4;
  user.tp = 4;
  const DecodedScenario d = decode_scenario_lenient("model=llama-3.1-8b&batch=lots&tp=3&gpus=8&prompt=2048", user);
  CHECK(d.scenario.batch == 8);        // refused: the user's
  CHECK(d.scenario.model == "llama-3.1-8b");  // read: the link's
  CHECK(d.scenario.prompt == 2048);
  CHECK(d.scenario.tp == 4);           // the layout that cannot be keeps the user's
  CHECK(d.scenario.gpus == 4);
  CHECK(std::find(d.refused.begin(), d.refused.end(), "batch") != d.refused.end());
}

TEST_CASE("hostile: kv or dtype given as their defaults survive the canonical round trip") {
  for (const char* link : {"kv=bf16", "dtype=bf16", "model=qwen3-30b-a3b&dtype=bf16&kv=bf16", "dtype=fp8&kv=fp8"}) {
    const DecodedScenario d = decode_scenario_lenient(link);
    INFO(link);
    REQUIRE(d.errors.empty());
    CHECK(decode_scenario_lenient(encode_scenario(d.scenario)).scenario == d.scenario);
  }
}

TEST_CASE("hostile: keys that have no effect are named in a warning") {
  CHECK(has(warnings_of("experts_active=4"), "experts_active = 4 has no effect"));
  CHECK(has(warnings_of("model=mixtral-8x7b&experts=1"), "experts = 1 makes Mixtral 8x7B a dense model"));
  CHECK(has(warnings_of("mode=train&method=lora&rank=8192"), "rank = 8192 is more than hidden = 4096"));
  CHECK(has(warnings_of("mode=train&rank=8"), "has no effect with method=full"));
  CHECK(has(warnings_of("sp=1"), "sp applies to training only"));
  CHECK(has(warnings_of("mode=train&zero=3"), "zero = 3 has no effect with one data-parallel replica"));
  CHECK(has(warnings_of("mode=train&prompt=99"), "prompt applies to inference only"));
  CHECK(has(warnings_of("https://example.org/llmcalc/"), "no '#"));
  CHECK_FALSE(has(warnings_of("mode=train&zero=3&gpus=8"), "zero = 3 has no effect"));
}

TEST_CASE("hostile: a tiny model has a latency floor, never picoseconds") {
  for (const char* timing : {"additive", "roofline", "fitted"}) {
    const std::string link = std::string("model=custom&layers=1&hidden=1&heads=1&ffn=1&vocab=1&engine=none&timing=") + timing;
    Result<Estimate> e = estimate(decode_scenario_lenient(link).scenario);
    REQUIRE(e.ok());
    INFO(timing);
    CHECK(e->serving.ttft_s >= 16 * kMinKernelS);
    CHECK(e->serving.tpot_s >= 16 * kMinKernelS);
    CHECK(e->serving.output_tokens_per_s < 1e6);
  }
}

TEST_CASE("hostile: out-of-range profile fields are errors naming the field") {
  CHECK(profile_error([](nlohmann::json& j) { j["method"]["warmup"] = 2147483648.0; }).find("method.warmup must be between") !=
        std::string::npos);
  CHECK(profile_error([](nlohmann::json& j) { j["device"]["sm_count"] = 1e30; }).find("device.sm_count must be between") !=
        std::string::npos);
  CHECK(profile_error([](nlohmann::json& j) { j["device"]["sm_count"] = 1.5; }).find("whole number") != std::string::npos);
  CHECK(profile_error([](nlohmann::json& j) { j["launch"]["back_to_back_s"] = 1e30; }).find("launch.back_to_back_s") !=
        std::string::npos);
  CHECK(profile_error([](nlohmann::json& j) {
          for (auto& b : j["bandwidth"]) b["seconds"] = b["bytes_moved"].get<double>() / 1e42;
        }).find("at most 1e14 B/s") != std::string::npos);
  CHECK(profile_error([](nlohmann::json& j) { j["gemm"][0]["seconds"] = 1e-30; }).find("1e17 FLOP/s") != std::string::npos);
  CHECK(profile_error([](nlohmann::json& j) { j["gemm"][0]["m"] = 1e30; }).find("gemm[0].m must be between") != std::string::npos);
  // a device name with invalid UTF-8 is shown safely and written back as valid JSON
  nlohmann::json j = nlohmann::json::parse(fixture());
  std::string text = j.dump();
  const std::string from = "\"name\":\"" + j["device"]["name"].get<std::string>() + "\"";
  REQUIRE(text.find(from) != std::string::npos);
  text.replace(text.find(from), from.size(), "\"name\":\"GPU \\u0000 x\"");
  Result<Profile> p = parse_profile(text);
  REQUIRE(p.ok());
  CHECK(valid_utf8(p->device.name));
  CHECK(p->device.name.find('\0') == std::string::npos);
  CHECK(nlohmann::json::accept(write_profile(p.value())));
}

TEST_CASE("hostile: a profile with too many shapes is refused by content, quickly") {
  nlohmann::json j = nlohmann::json::parse(fixture());
  nlohmann::json g = nlohmann::json::array();
  for (int i = 0; i < 18000; ++i)
    g.push_back({{"dtype", "bf16"}, {"m", 1 + i % 97}, {"n", 1024 + i}, {"k", 4096}, {"seconds", 1e-4}, {"verified", true}});
  j["gemm"] = g;
  Result<Profile> p = parse_profile(j.dump());
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().message.find("gemm has more than 4096 entries, the most any list in a GPU profile may have") != std::string::npos);
  // within the entry cap, a grid too large for a link is refused too
  g = nlohmann::json::array();
  for (int i = 0; i < 4000; ++i)
    g.push_back({{"dtype", "bf16"}, {"m", 1 + i % 97}, {"n", 1024 + i}, {"k", 4096}, {"seconds", 1e-4}, {"verified", true}});
  j["gemm"] = g;
  p = parse_profile(j.dump());
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().message.find("values of M") != std::string::npos);
}

TEST_CASE("hostile: every list is bounded before the document is built, and named by its path") {
  nlohmann::json j = nlohmann::json::parse(fixture());
  nlohmann::json a = nlohmann::json::array();
  for (int i = 0; i < 5000; ++i) a.push_back(nlohmann::json::object());
  j["attention"] = {{"decode", a}};
  Result<Profile> p = parse_profile(j.dump());
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().message == "profile: attention.decode has more than 4096 entries, the most any list in a GPU profile may have");
  // a list within that bound but over its own limit is refused by the reader, with its own limit
  a.erase(a.begin() + 2000, a.end());
  j["attention"] = {{"decode", a}};
  p = parse_profile(j.dump());
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().message == "profile: attention.decode has 2000 entries; a GPU profile has at most 1024");
  // a document that is not JSON is still reported as such (the length pass stays silent)
  p = parse_profile("{\"gemm\": [1, 2,");
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().message == "profile: not valid JSON");
}

TEST_CASE("hostile: a profile file's size is reported as it is") {
  CHECK(profile_size_error(5452595)->message == "profile: the file is 5.20 MiB; a GPU profile is at most 4.00 MiB");
}

TEST_CASE("hostile: GPT-2 and BLOOM configs are read, Llama 4's moe_layers counted") {
  Result<ModelConfig> gpt2 = parse_model_config(
      R"({"model_type":"gpt2","n_ctx":1024,"n_embd":768,"n_head":12,"n_layer":12,"n_positions":1024,"vocab_size":50257})");
  REQUIRE(gpt2.ok());
  Scenario s;
  apply_model_config(s, gpt2.value());
  Result<Estimate> e = estimate(s);
  REQUIRE(e.ok());
  CHECK(e->r.params.total == Approx(124.4e6).epsilon(0.01));  // GPT-2 small: 124 M
  Result<ModelConfig> bloom = parse_model_config(
      R"({"model_type":"bloom","hidden_size":1024,"n_head":16,"n_inner":null,"n_layer":24,"vocab_size":250880})");
  REQUIRE(bloom.ok());
  apply_model_config(s, bloom.value());
  e = estimate(s);
  REQUIRE(e.ok());
  CHECK(e->r.params.total == Approx(559e6).epsilon(0.01));  // bloom-560m
  CHECK(looks_like_model_config(R"({"n_embd":768,"n_layer":12,"n_head":12,"vocab_size":50257})"));
  CHECK_FALSE(looks_like_model_config(R"({"schema":"llmcalc.gpu-profile","hidden_size":1,"num_hidden_layers":1})"));
  // Llama 4 Maverick listing its MoE layers instead of giving the step: ~400 B, not 778 B
  std::string layers;
  for (int i = 1; i < 48; i += 2) layers += (layers.empty() ? "" : ",") + std::to_string(i);
  Result<ModelConfig> mav = parse_model_config(
      R"({"model_type":"llama4","text_config":{"model_type":"llama4_text","hidden_size":5120,"intermediate_size":8192,)"
      R"("intermediate_size_mlp":16384,"num_hidden_layers":48,"num_attention_heads":40,"num_key_value_heads":8,"head_dim":128,)"
      R"("vocab_size":202048,"num_local_experts":128,"num_experts_per_tok":1,"attention_chunk_size":8192,"moe_layers":[)" +
      layers + "]}}");
  REQUIRE(mav.ok());
  apply_model_config(s, mav.value());
  e = estimate(s);
  REQUIRE(e.ok());
  CHECK(e->r.params.total == Approx(400e9).epsilon(0.02));
}

TEST_CASE("hostile: a config's name loses its control characters, C1 included, and its link re-opens") {
  // fuzz regression model_config/crash-afd09…: U+0080 in _name_or_path reached the link's name, which the
  // decoder refuses (printable text only)
  Result<ModelConfig> c = parse_model_config(
      R"({"_name_or_path":"org/\u0080mod\u009fel\u0001-7b\u007f","hidden_size":64,"num_hidden_layers":2,)"
      R"("num_attention_heads":8,"vocab_size":10})");
  REQUIRE(c.ok());
  Scenario s;
  apply_model_config(s, c.value());
  CHECK(s.name == "org/model-7b");
  const DecodedScenario back = decode_scenario_lenient(encode_scenario(s));
  CHECK(back.errors.empty());
  CHECK(back.scenario == s);
}
