// tests/core/verdict_test.cpp — the memory verdict (fits / tight / does not fit) and the single
// changes that make a scenario fit (core/verdict.hpp).
#include <catch2/catch.hpp>

#include "core/report.hpp"
#include "core/verdict.hpp"
#include "tests/core/helpers.hpp"

#include <nlohmann/json.hpp>

using namespace llmcalc;
using llmcalc::test::est;

namespace {
Scenario sc(const std::string& text) {
  auto d = decode_scenario(text);
  REQUIRE(d.ok());
  return d->scenario;
}
}  // namespace

TEST_CASE("verdict: share of the usable memory, tight above 90%") {
  const Estimate e = est("model=llama-3.1-8b&gpu=h100-sxm");
  CHECK(e.room_bytes == e.serving.usable_bytes);  // serving: the engine's budget (vLLM 90%)
  CHECK(memory_share(e) == Approx(e.memory.total / e.room_bytes));
  CHECK(verdict_of(e) == Verdict::fits);
  const Estimate t = est("mode=train&model=llama-3.1-8b&gpu=h100-sxm");
  CHECK(t.room_bytes == t.capacity_bytes);  // training: the device memory
  CHECK(verdict_of(t) == Verdict::over);
  // find a batch that is tight: between 90% and 100% of the usable memory
  const Scenario base = sc("model=llama-3.1-8b&gpu=l4&prompt=4096&gen=512");
  int tight = 0;
  for (int b = 1; b <= 64 && !tight; ++b) {
    Scenario s = base;
    s.batch = b;
    const Estimate x = estimate(s).value();
    if (memory_share(x) > kTightShare && x.fits) {
      tight = b;
      CHECK(verdict_of(x) == Verdict::tight);
    }
  }
  CHECK(tight > 0);
}

TEST_CASE("verdict: every fix of a scenario that does not fit fits, and keeps the rest") {
  const Scenario s = sc("model=llama-3.1-8b&gpu=h100-sxm&batch=128&prompt=8192&gen=512");
  const Estimate e = estimate(s).value();
  REQUIRE(verdict_of(e) == Verdict::over);
  const std::vector<Fix> f = fixes_for(s, e);
  REQUIRE(f.size() >= 3);
  bool tp = false, users = false, gpu = false;
  for (const Fix& x : f) {
    INFO(x.change);
    const Estimate y = estimate(x.scenario).value();
    CHECK(y.fits);
    CHECK(memory_share(y) == Approx(x.share));
    CHECK(x.share <= 1.0);
    CHECK(x.scenario.model == s.model);
    tp |= x.change.rfind("tensor parallel", 0) == 0;
    users |= x.change.rfind("at most", 0) == 0;
    gpu |= x.scenario.gpu != s.gpu;
  }
  CHECK(tp);
  CHECK(gpu);
  CHECK(users);
  // 70B in bf16 is 141 GB: no number of users fits on one 80 GB GPU, so "fewer users" is not offered
  const Scenario big = sc("model=llama-3.1-70b&gpu=h100-sxm&batch=64&prompt=8192&gen=512");
  for (const Fix& x : fixes(big)) CHECK(x.change.rfind("at most", 0) != 0);
}

TEST_CASE("verdict: fewer users is the most that fit, exactly") {
  const Scenario s = sc("model=llama-3.1-8b&gpu=l4&batch=64&prompt=4096&gen=512");
  const std::vector<Fix> f = fixes(s, 1.0);
  const Fix* users = nullptr;
  for (const Fix& x : f)
    if (x.change.rfind("at most", 0) == 0) users = &x;
  REQUIRE(users != nullptr);
  const int b = users->scenario.batch;
  CHECK(users->change == "at most " + format_grouped(b) + (b == 1 ? " user" : " users"));
  CHECK(estimate(users->scenario).value().fits);
  Scenario more = users->scenario;
  more.batch = b + 1;
  CHECK_FALSE(estimate(more).value().fits);
}

TEST_CASE("verdict: a tight scenario gets changes that bring it under 90%") {
  const Scenario base = sc("model=llama-3.1-8b&gpu=l4&prompt=4096&gen=512");
  for (int b = 1; b <= 64; ++b) {
    Scenario s = base;
    s.batch = b;
    const Estimate e = estimate(s).value();
    if (verdict_of(e) != Verdict::tight) continue;
    const std::vector<Fix> f = fixes_for(s, e);
    REQUIRE_FALSE(f.empty());
    for (const Fix& x : f) CHECK(x.share <= kTightShare);
    return;
  }
  FAIL("no tight batch found");
}

TEST_CASE("verdict: training fixes include recomputation, ZeRO-3, more GPUs") {
  const Scenario s = sc("mode=train&model=llama-3.1-8b&gpu=a100-80gb&gpus=2&batch=4&seq=4096");
  const Estimate e = estimate(s).value();
  REQUIRE(verdict_of(e) == Verdict::over);
  const std::vector<Fix> f = fixes_for(s, e);
  REQUIRE_FALSE(f.empty());
  for (const Fix& x : f) {
    INFO(x.change);
    CHECK(estimate(x.scenario).value().fits);
  }
}

TEST_CASE("verdict: replicas on several GPUs say that tensor parallelism would split the model") {
  const Scenario s = sc("model=llama-3.1-70b&gpu=h100-sxm&gpus=2");
  const Estimate e = estimate(s).value();
  CHECK(e.dp == 2);
  CHECK(replication_note(s, e) ==
        "each of the 2 GPUs holds the whole model (2 data-parallel replicas); tensor parallel 2 would split it");
  bool tp2 = false;
  for (const Fix& x : fixes_for(s, e)) tp2 |= x.scenario.tp == 2 && x.scenario.gpus == 2;
  CHECK(tp2);
  CHECK(replication_note(sc("model=llama-3.1-70b&gpu=h100-sxm&gpus=2&tp=2"), est("model=llama-3.1-70b&gpu=h100-sxm&gpus=2&tp=2")).empty());
}

TEST_CASE("verdict: the JSON carries the state, the share and the fixes as links") {
  const Scenario s = sc("model=llama-3.1-70b&gpu=h100-sxm&gpus=2");
  const Estimate e = estimate(s).value();
  const auto j = nlohmann::json::parse(estimate_json(s, e));
  CHECK(j["verdict"]["state"] == "does not fit");
  CHECK(j["verdict"]["share"].get<double>() == Approx(memory_share(e)));
  REQUIRE(j["verdict"]["fixes"].size() >= 1);
  for (const auto& f : j["verdict"]["fixes"]) {
    auto d = decode_scenario(f["scenario"].get<std::string>());
    REQUIRE(d.ok());
    CHECK(d->warnings.empty());
    CHECK(estimate(d->scenario).value().fits);
  }
  const Scenario ok = sc("model=llama-3.1-8b");
  const auto k = nlohmann::json::parse(estimate_json(ok, estimate(ok).value()));
  CHECK(k["verdict"]["state"] == "fits");
  CHECK(k["verdict"]["fixes"].empty());
}

TEST_CASE("verdict: the sentence names usable memory, the share and what is free or over") {
  const Scenario s = sc("model=llama-3.1-8b&gpu=h100-sxm");
  const Estimate e = estimate(s).value();
  const std::string t = verdict_text(s, e);
  CHECK(t.rfind("Fits: " + format_bytes(e.memory.total) + " of " + format_bytes(e.room_bytes) + " usable by vLLM per GPU", 0) == 0);
  CHECK(t.find(format_bytes(e.room_bytes - e.memory.total) + " free") != std::string::npos);
  const Scenario r = sc("model=llama-3.1-70b&gpu=h100-sxm&gpus=2");
  const std::string o = verdict_text(r, estimate(r).value());
  CHECK(o.rfind("Does not fit: ", 0) == 0);
  CHECK(o.find(" over (each of the 2 GPUs holds the whole model") != std::string::npos);
}
