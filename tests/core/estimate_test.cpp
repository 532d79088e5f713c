// tests/core/estimate_test.cpp — orchestration: the verdict and warnings.
#include <catch2/catch.hpp>
#include <string>

#include "core/estimate.hpp"
#include "tests/core/helpers.hpp"

using namespace llmcalc;
using llmcalc::test::est;
using llmcalc::test::P;

TEST_CASE("fits compares the total with the GPU's memory") {
  CHECK(est("model=llama-3.1-8b&gpu=h100-sxm").fits);
  CHECK_FALSE(est("model=llama-3.1-70b&gpu=h100-sxm").fits);
  CHECK(est("model=llama-3.1-70b&gpu=h100-sxm&gpus=2&tp=2").fits);
  CHECK_FALSE(est("mode=train&model=llama-13b&gpu=a100-80gb").fits);
}

TEST_CASE("fp8 on an A100 falls back to bf16 with a warning") {
  const Estimate e = est("model=llama-3.1-8b&gpu=a100-80gb&dtype=fp8");
  REQUIRE_FALSE(e.warnings.empty());
  CHECK(e.warnings[0].find("fp8") != std::string::npos);
  CHECK(e.d.compute_dtype == DType::bf16);
}

TEST_CASE("expert parallelism: experts split by expert, the rest by TP, all-to-alls in time") {
  const Estimate tp = est("model=qwen3-30b-a3b&gpus=4&tp=4");
  const Estimate ep = est("model=qwen3-30b-a3b&gpus=4&tp=4&ep=4");
  CHECK(ep.memory.weights == Approx(tp.memory.weights).epsilon(0.001));  // same share, split differently
  CHECK(ep.decode.comm_s > tp.decode.comm_s);                           // + dispatch and combine
  auto warns = [](const Estimate& e, const char* what) {
    for (const std::string& w : e.warnings)
      if (w.find(what) != std::string::npos) return true;
    return false;
  };
  CHECK(warns(est("model=llama-3.1-8b&gpus=2&ep=2"), "no experts"));
  CHECK(warns(est("model=qwen3-30b-a3b&gpus=4&tp=4&ep=8"), "more than the 4 GPUs"));
}
