// tests/core/compare_test.cpp — two scenarios side by side (core/compare.hpp) and the link that
// carries both (vs=).
#include <catch2/catch.hpp>

#include "core/compare.hpp"
#include "core/report.hpp"
#include "tests/core/helpers.hpp"

#include <nlohmann/json.hpp>

using namespace llmcalc;
using llmcalc::test::est;

namespace {
const CompareRow* row(const std::vector<CompareRow>& rows, std::string_view id) {
  for (const CompareRow& r : rows)
    if (r.id == id) return &r;
  return nullptr;
}
}  // namespace

TEST_CASE("compare: the rows hold each estimate's own figures, and the change") {
  const Estimate a = est("model=llama-3.1-70b&gpu=h100-sxm&gpus=2&tp=2&batch=8");
  const Estimate b = est("model=llama-3.1-70b&gpu=h100-sxm&gpus=2&tp=2&batch=8&dtype=fp8&kv=fp8");
  const auto rows = compare(a, b);
  const CompareRow* mem = row(rows, "memory.total");
  REQUIRE(mem);
  CHECK(mem->a == a.memory.total);
  CHECK(mem->b == b.memory.total);
  CHECK(mem->change() == Approx(b.memory.total / a.memory.total - 1));
  CHECK(mem->better() == 1);  // fp8 uses less memory: better
  const CompareRow* tpot = row(rows, "serving.tpot_s");
  REQUIRE(tpot);
  CHECK(tpot->a == a.serving.tpot_s);
  CHECK(tpot->b == b.serving.tpot_s);
  CHECK(tpot->better() == (b.serving.tpot_s < a.serving.tpot_s ? 1 : -1));
  const CompareRow* users = row(rows, "serving.max_concurrency");
  REQUIRE(users);
  CHECK(users->higher_is_better);
  CHECK(row(rows, "time.step_s") == nullptr);  // training rows: neither has them
  // the same scenario: no change anywhere
  for (const CompareRow& r : compare(a, a)) {
    CHECK(r.change() == 0);
    CHECK(r.better() == 0);
  }
}

TEST_CASE("compare: inference against training shows each side's rows, missing on the other") {
  const Estimate a = est("model=llama-3.1-8b");
  const Estimate b = est("mode=train&model=llama-3.1-8b&gpus=8&zero=3");
  const auto rows = compare(a, b);
  const CompareRow* ttft = row(rows, "serving.ttft_s");
  const CompareRow* step = row(rows, "time.step_s");
  REQUIRE(ttft);
  REQUIRE(step);
  CHECK(ttft->in_a);
  CHECK_FALSE(ttft->in_b);
  CHECK_FALSE(step->in_a);
  CHECK(step->in_b);
  CHECK(ttft->change() == 0);
  CHECK(ttft->better() == 0);
}

TEST_CASE("compare: the link carries A as vs=, and reads back both") {
  auto da = decode_scenario("model=llama-3.1-8b&gpu=a100-80gb&name=My%20model&batch=4");
  auto db = decode_scenario("model=llama-3.1-8b&gpu=h100-sxm&batch=4");
  REQUIRE(da.ok());
  REQUIRE(db.ok());
  const std::string link = encode_compare(db->scenario, da->scenario);
  CHECK(link.rfind(encode_scenario(db->scenario) + "&vs=", 0) == 0);
  auto back = decode_scenario(link);
  REQUIRE(back.ok());
  CHECK(back->warnings.empty());
  CHECK(back->scenario == db->scenario);
  CHECK(back->compare == encode_scenario(da->scenario));
  auto a2 = decode_scenario(back->compare);
  REQUIRE(a2.ok());
  CHECK(a2->scenario == da->scenario);
  CHECK(a2->scenario.name == "My model");
  // a vs= that is too long or not text is a warning, never an error
  const auto big = decode_scenario_lenient("model=llama-3.1-8b&vs=" + std::string(kMaxCompareBytes + 1, 'a'));
  CHECK(big.errors.empty());
  CHECK(big.compare.empty());
  REQUIRE(big.warnings.size() == 1);
  const auto bad = decode_scenario_lenient("vs=%FF%00");
  CHECK(bad.compare.empty());
  CHECK(bad.warnings.size() == 1);
}

TEST_CASE("compare: JSON and text") {
  auto a = decode_scenario("model=llama-3.1-8b&batch=1").value().scenario;
  auto b = decode_scenario("model=llama-3.1-8b&batch=32").value().scenario;
  const Estimate ea = estimate(a).value(), eb = estimate(b).value();
  const auto j = nlohmann::json::parse(compare_json(a, ea, b, eb));
  CHECK(j["a"] == encode_scenario(a));
  CHECK(j["b"] == encode_scenario(b));
  bool saw = false;
  for (const auto& r : j["rows"])
    if (r["id"] == "serving.output_tokens_per_s") {
      saw = true;
      CHECK(r["a"].get<double>() == ea.serving.output_tokens_per_s);
      CHECK(r["b"].get<double>() == eb.serving.output_tokens_per_s);
      CHECK(r["better"] == 1);  // 32 users get more tokens out per second
    }
  CHECK(saw);
  const std::string t = compare_text(a, ea, b, eb);
  CHECK(t.find("Output throughput") != std::string::npos);
  CHECK(t.find(format_quantity(eb.serving.ttft_s, Quantity::seconds)) != std::string::npos);
}

TEST_CASE("compare: quantities as people read them") {
  CHECK(format_quantity(8192, Quantity::count) == "8,192");
  CHECK(format_quantity(0.93, Quantity::share) == "93%");
  CHECK(format_quantity(3.4123, Quantity::usd) == "$3.412");
  CHECK(format_quantity(12345, Quantity::usd) == "$12,345");
  CHECK(format_quantity(0.0124, Quantity::seconds) == format_seconds(0.0124));
}
