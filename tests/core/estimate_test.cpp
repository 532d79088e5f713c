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
