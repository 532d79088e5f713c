// tests/calibrate/plan_test.cpp — the GEMM phase's order and per-type budgets (issue #11, 5).
#include <catch2/catch.hpp>
#include <algorithm>

#include "plan.hpp"

using namespace calib;

namespace {
const std::vector<std::string> kAll = {"fp32", "tf32", "fp16", "bf16", "fp8", "int8"};  // as the device reports, any order
}

TEST_CASE("the serving types come first, small M first, and the training types last") {
  for (const bool quick : {true, false}) {
    const std::vector<GemmJob> plan = plan_gemm(kAll, quick);
    REQUIRE(!plan.empty());
    // the first jobs: every serving type at M = 1
    std::vector<std::string> first;
    for (const auto& j : plan) {
      if (j.m != 1) break;
      if (std::find(first.begin(), first.end(), j.dtype) == first.end()) first.push_back(j.dtype);
    }
    CHECK(first == std::vector<std::string>{"bf16", "fp16", "fp8", "int8"});
    // no tf32/fp32 job before the last serving job; M never decreases within a tier
    size_t last_serving = 0, first_training = plan.size();
    for (size_t i = 0; i < plan.size(); ++i) {
      if (is_serving_type(plan[i].dtype)) last_serving = i;
      else first_training = std::min(first_training, i);
    }
    CHECK(last_serving < first_training);
    for (size_t i = 1; i < plan.size(); ++i)
      if (is_serving_type(plan[i].dtype) == is_serving_type(plan[i - 1].dtype)) CHECK(plan[i].m >= plan[i - 1].m);
  }
}

TEST_CASE("the grid has the shapes models run: M dense to 256 and up to 16k, TP-split widths, output heads") {
  const std::vector<int> m = m_values(false);
  for (int want : {1, 2, 3, 4, 8, 16, 32, 64, 128, 256, 16384}) CHECK(std::find(m.begin(), m.end(), want) != m.end());
  const auto nk = nk_values(false, true);
  CHECK(std::any_of(nk.begin(), nk.end(), [](auto p) { return p.first <= 1280; }));   // N down to ~1k
  CHECK(std::any_of(nk.begin(), nk.end(), [](auto p) { return p.second <= 1024; }));  // K down to ~1k
  const auto heads = lm_head_values(false);
  CHECK(std::any_of(heads.begin(), heads.end(), [](auto p) { return p.first >= 150000; }));
  const auto plan = plan_gemm({"bf16"}, false);
  for (const auto& j : plan)
    if (j.lm_head) CHECK(j.m <= kLmHeadMaxM);
  // types the device lacks are not planned
  const auto a100 = plan_gemm({"fp32", "tf32", "fp16", "bf16", "int8"}, true);
  CHECK(std::none_of(a100.begin(), a100.end(), [](const GemmJob& j) { return j.dtype == "fp8"; }));
}

TEST_CASE("a slow fp32 cannot starve fp8 and int8: each type has its own budget") {
  const std::vector<GemmJob> plan = plan_gemm(kAll, true);
  Budget budget(plan, 60.0);
  int measured_fp8 = 0, planned_fp8 = 0, measured_fp32 = 0;
  for (size_t i = 0; i < plan.size(); ++i) {
    const bool fp32 = plan[i].dtype == "fp32";
    if (plan[i].dtype == "fp8") ++planned_fp8;
    if (!budget.may_start(i)) {
      budget.skip(i);
      continue;
    }
    budget.done(i, fp32 ? 5.0 : 0.02);  // fp32 shapes take 5 s each, the rest 20 ms
    if (plan[i].dtype == "fp8") ++measured_fp8;
    if (fp32) ++measured_fp32;
  }
  CHECK(measured_fp8 == planned_fp8);
  CHECK(measured_fp32 > 0);
  const auto skipped = budget.skipped();
  REQUIRE(skipped.size() == 1);
  CHECK(skipped[0].first == "fp32");
  // fp32 kept to its share plus what the others left, never the whole phase
  CHECK(budget.spent("fp32") <= 60.0);
}

TEST_CASE("a type over its share stops while the others go on, and what a finished type leaves is shared") {
  // two serving types, 10 s: 5 s each (no training types: the serving tier has it all)
  std::vector<GemmJob> plan;
  for (int i = 0; i < 10; ++i) plan.push_back({"bf16", 1 << i, 4096, 4096, false});
  for (int i = 0; i < 10; ++i) plan.push_back({"fp8", 1 << i, 4096, 4096, false});
  Budget b(plan, 10.0);
  CHECK(b.allowance("bf16") == Approx(5.0));
  for (size_t i = 0; i < 10; ++i) {
    REQUIRE(b.may_start(i) == (i < 5));  // 1 s each: the sixth bf16 shape is over bf16's 5 s
    if (b.may_start(i)) b.done(i, 1.0);
    else b.skip(i);
  }
  CHECK(b.may_start(10));  // fp8 has its own 5 s
  Budget c(plan, 10.0);
  for (size_t i = 0; i < 10; ++i) c.done(i, 0.1);  // bf16 done with 4 s to spare
  CHECK(c.pool() == Approx(4.0));
  for (size_t i = 10; i < 19; ++i) {
    REQUIRE(c.may_start(i));  // fp8 may use its 5 s and the 4 s bf16 left: it starts while under 9 s
    c.done(i, 1.1);
  }
  CHECK_FALSE(c.may_start(19));  // 9.9 s spent of 9
}
