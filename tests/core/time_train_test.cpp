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

TEST_CASE("expert parallelism in training: each GPU's experts take the tokens of all ep ranks") {
  const std::string moe = "mode=train&framework=megatron&model=qwen3-30b-a3b&gpu=h100-sxm&gpus=8&batch=1&seq=4096&zero=1";
  const Estimate no_ep = est(moe), ep = est(moe + "&ep=8");
  CHECK(ep.step.flop == Approx(no_ep.step.flop).epsilon(1e-6));  // the same work per GPU, split by expert
  CHECK(ep.memory.weights < no_ep.memory.weights);                // experts' weights split eight ways
}

TEST_CASE("hybrid sharding (shard=): gathers stay within the group, states split over it") {
  const std::string base = "mode=train&framework=fsdp&model=llama-2-7b&gpu=h100-sxm&gpus=96&batch=2&seq=4096&zero=3";
  const Estimate all = est(base), hsdp = est(base + "&shard=8");
  CHECK(hsdp.tokens_per_s > all.tokens_per_s);             // all-gathers over NVLink instead of the network
  CHECK(hsdp.memory.optimizer == Approx(all.memory.optimizer * 96 / 8));
  CHECK(est(base + "&shard=96").tokens_per_s == all.tokens_per_s);  // a group of every rank is plain FSDP
}
