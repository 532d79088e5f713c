// tests/core/sweep_test.cpp — chart data and the largest batch/context that fits.
#include <catch2/catch.hpp>

#include "core/sweep.hpp"

using namespace llmcalc;

TEST_CASE("a batch sweep is increasing in memory and matches single estimates") {
  const Scenario s = decode_scenario("model=llama-3.1-8b&gpu=h100-sxm")->scenario;
  const Resolved r = resolve(s).value();
  const SweepResult sw = sweep(s, r, SweepAxis::batch, 1, 1024, 64);
  REQUIRE(sw.points.size() >= 40);
  CHECK(sw.points.front().x == 1);
  CHECK(sw.points.back().x == 1024);
  for (size_t i = 1; i < sw.points.size(); ++i) {
    CHECK(sw.points[i].x > sw.points[i - 1].x);
    CHECK(sw.points[i].memory_total_bytes > sw.points[i - 1].memory_total_bytes);
  }
  Scenario s8 = s;
  s8.batch = int(sw.points[10].x);
  const Estimate e8 = compute(s8, r);
  CHECK(sw.points[10].memory_total_bytes == e8.memory.total);
  // inference charts show what that many users get from the engine, not the offline batch
  CHECK(sw.points[10].first_s == e8.serving.ttft_s);
  CHECK(sw.points[10].latency_s == e8.serving.tpot_s);
  CHECK(sw.points[10].tokens_per_s == e8.serving.output_tokens_per_s);
  CHECK(sw.points[10].first_s != e8.ttft_s);
}

TEST_CASE("max_fitting is the boundary: it fits, one more does not") {
  for (const char* text : {"model=llama-3.1-8b&gpu=h100-sxm", "mode=train&model=llama-7b&gpu=a100-80gb&method=lora",
                           "model=llama-2-70b&gpu=a100-80gb&gpus=2&tp=2&dtype=int4"}) {
    INFO(text);
    const Scenario s = decode_scenario(text)->scenario;
    const Resolved r = resolve(s).value();
    for (SweepAxis ax : {SweepAxis::batch, SweepAxis::context}) {
      const int m = max_fitting(s, r, ax);
      REQUIRE(m > 0);
      Scenario a = s, b = s;
      if (ax == SweepAxis::batch) { a.batch = m; b.batch = m + 1; }
      else if (s.mode == Mode::infer) { a.prompt = m; b.prompt = m + 1; }
      else { a.seq = m; b.seq = m + 1; }
      CHECK(compute(a, r).fits);
      CHECK_FALSE(compute(b, r).fits);
    }
  }
}

TEST_CASE("max_fitting is 0 when nothing fits") {
  const Scenario s = decode_scenario("model=llama-3.1-405b&gpu=l4")->scenario;
  CHECK(max_fitting(s, resolve(s).value(), SweepAxis::batch) == 0);
}
