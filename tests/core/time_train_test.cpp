// tests/core/time_train_test.cpp — training step time: FLOP per token, accumulation, data parallelism.
#include <catch2/catch.hpp>
#include <string>

#include "core/time_train.hpp"
#include "tests/core/helpers.hpp"

using namespace llmcalc;
using llmcalc::test::est;
using llmcalc::test::P;

TEST_CASE("training step: 6·N·tokens FLOP, 8·N with full recomputation, 4·N for LoRA") {
  const Estimate full = est("mode=train&model=llama-7b&flash=1");
  const Estimate rec = est("mode=train&model=llama-7b&flash=1&recompute=full");
  const Estimate lora = est("mode=train&model=llama-7b&flash=1&method=lora");
  const double n = P("llama-7b") - 32000.0 * 4096;  // embedding lookup is not a matmul
  CHECK(full.step.flop > 6 * n * 2048);
  CHECK(full.step.flop < 6.5 * n * 2048);  // + attention
  CHECK(rec.step.flop / full.step.flop == Approx(8.0 / 6).epsilon(0.03));
  CHECK(lora.step.flop / full.step.flop == Approx(4.0 / 6).epsilon(0.03));
  CHECK(full.mfu > 0.3);
  CHECK(full.mfu < 0.8);
}

TEST_CASE("accumulation scales the step, data parallelism the throughput") {
  const Estimate a1 = est("mode=train&model=llama-7b&gpu=a100-80gb&gpus=8&zero=3");
  const Estimate a4 = est("mode=train&model=llama-7b&gpu=a100-80gb&gpus=8&zero=3&accum=4");
  CHECK(a4.step_s > 3 * a1.step_s);
  CHECK(a1.tokens_per_s == Approx(8 * 2048 / a1.step_s));
}
