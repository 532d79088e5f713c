// tests/core/time_infer_test.cpp — serving time: prefill, decode averaged over the context, timing models.
#include <catch2/catch.hpp>
#include <string>

#include "core/time_infer.hpp"
#include "tests/core/helpers.hpp"

using namespace llmcalc;
using llmcalc::test::est;
using llmcalc::test::P;

TEST_CASE("seed timing example: A100, LLaMA-7B, 1024 tokens, additive") {
  const Estimate e = est("model=llama-7b&gpu=a100-40gb&prompt=1024&gen=256&dtype=fp16&timing=additive");
  CHECK(e.ttft_s > 0.050);
  CHECK(e.ttft_s < 0.058);
  CHECK(e.tpot_s > 0.0085);
  CHECK(e.tpot_s < 0.0098);
  CHECK(e.e2e_s == Approx(e.ttft_s + 255 * e.tpot_s));
}

TEST_CASE("roofline ≤ additive, calibrated (efficiency < 1) ≥ roofline") {
  const std::string base = "model=llama-7b&gpu=a100-40gb&prompt=1024&gen=256&dtype=fp16&timing=";
  const Estimate add = est(base + "additive"), roof = est(base + "roofline"), cal = est(base + "calibrated");
  CHECK(roof.ttft_s < add.ttft_s);
  CHECK(roof.tpot_s < add.tpot_s);
  CHECK(cal.ttft_s > roof.ttft_s);
  CHECK(cal.tpot_s > roof.tpot_s);
}

TEST_CASE("prefill is compute-bound, small-batch decode memory-bound") {
  const Estimate e = est("model=llama-3.1-8b&batch=1");
  CHECK(e.prefill.compute_bound);
  CHECK_FALSE(e.decode.compute_bound);
  // decode time ≈ bytes / bandwidth at roofline
  const Estimate r = est("model=llama-3.1-8b&batch=1&timing=roofline");
  CHECK(r.tpot_s == Approx(r.decode.bytes / 3.35e12).epsilon(0.01));
}

TEST_CASE("decode average over the context equals a step-by-step average") {
  // batch 512: compute-bound at short context, memory-bound (KV reads) past ~175 tokens, so the
  // roofline's max() makes TPOT non-linear in the context; the closed form must match the sum of
  // the gen − 1 decode steps, each at its own context length.
  const std::string base = "model=llama-3.1-8b&batch=512&timing=roofline";
  const int prompt = 20, gen = 400;
  const Estimate e = est(base + "&prompt=" + std::to_string(prompt) + "&gen=" + std::to_string(gen));
  double sum = 0;
  bool saw_compute = false, saw_memory = false;
  for (int i = 1; i < gen; ++i) {  // step i decodes with prompt + i tokens in the cache
    const Estimate step = est(base + "&prompt=" + std::to_string(prompt + i - 1) + "&gen=2");
    sum += step.tpot_s;
    (step.decode.compute_bound ? saw_compute : saw_memory) = true;
  }
  CHECK(saw_compute);
  CHECK(saw_memory);
  CHECK(e.tpot_s == Approx(sum / (gen - 1)).epsilon(0.002));
}

TEST_CASE("more batch raises throughput, TP lowers latency and adds communication") {
  CHECK(est("model=llama-3.1-8b&batch=32").decode_tokens_per_s > 10 * est("model=llama-3.1-8b&batch=1").decode_tokens_per_s);
  const Estimate one = est("model=llama-3.1-70b&gpu=h100-sxm&gpus=2&tp=2");
  const Estimate four = est("model=llama-3.1-70b&gpu=h100-sxm&gpus=4&tp=4");
  CHECK(four.tpot_s < one.tpot_s);
  CHECK(four.decode.comm_s > one.decode.comm_s);
  CHECK(est("model=llama-3.1-8b").decode.comm_s == 0);
}
