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

TEST_CASE("a local layer's fused causal kernel sees s·w − w²/2 (query, key) pairs, not s²/2") {
  // 2 blocks, 8 heads of 128: attention FLOP = 4 · pairs · heads · head_dim per layer
  const std::string base = "model=custom&layers=2&hidden=1024&heads=8&ffn=2048&vocab=1000&prompt=1024&gen=2";
  const Estimate full = est(base);
  const Estimate local = est(base + "&window=256");
  const double s = 1024, w = 256;
  const double fewer = (s * s / 2 - (s * w - w * w / 2)) * 4 * 8 * 128 * 2;
  CHECK(full.prefill.flop - local.prefill.flop == Approx(fewer));
  // a window longer than the prompt changes nothing
  CHECK(est(base + "&window=4096").prefill.flop == full.prefill.flop);
}

TEST_CASE("decode across the window edge equals a step-by-step average (gpt-oss-20b, window 128)") {
  // local layers read min(c, 128) tokens: the closed form splits the context range at the window
  const std::string base = "model=gpt-oss-20b&gpu=h100-sxm&batch=256&timing=roofline";
  const int prompt = 40, gen = 200;
  const Estimate e = est(base + "&prompt=" + std::to_string(prompt) + "&gen=" + std::to_string(gen));
  double sum = 0, flop = 0;
  for (int i = 1; i < gen; ++i) {
    const Estimate step = est(base + "&prompt=" + std::to_string(prompt + i - 1) + "&gen=2");
    sum += step.tpot_s;
    flop += step.decode.flop;
  }
  CHECK(e.decode.flop == Approx(flop / (gen - 1)).epsilon(1e-6));
  CHECK(e.tpot_s == Approx(sum / (gen - 1)).epsilon(0.002));
}

TEST_CASE("MLA decode reads the latent cache, not per-head K and V") {
  // DeepSeek-V3 on 8 H200: KV read per context token and sequence is the 70,272 B latent (bf16)
  const Estimate short_ctx = est("model=deepseek-v3&gpu=h200&gpus=8&tp=8&kv=bf16&batch=8&prompt=1000&gen=2");
  const Estimate long_ctx = est("model=deepseek-v3&gpu=h200&gpus=8&tp=8&kv=bf16&batch=8&prompt=3000&gen=2");
  CHECK((long_ctx.decode.bytes - short_ctx.decode.bytes) / (2000.0 * 8) == Approx(70272.0).epsilon(1e-6));
}

TEST_CASE("with the synthetic profile, int4 decode is priced by its own bytes: TPOT well below bf16's (issue #11, 1)") {
  // Before: weight-only GEMMs ran at the profile's measured bf16 small-M times, which read 2 bytes
  // per weight, so Llama 3.1 8B at batch 1 decoded int4 exactly as fast as bf16 (6.36 ms each,
  // engine=none). Both the links written before schema 1.1 (GEMM grids only) and the whole 1.1
  // link (with the measured weight-only reference kernel) must price int4 by its own bytes.
  for (const bool legacy : {true, false}) {
    INFO((legacy ? "a link with the GEMM grids only" : "the whole 1.1 link"));
    for (const char* engine : {"none", "vllm"}) {
      INFO(engine);
      const std::string base = std::string("model=llama-3.1-8b&batch=1&engine=") + engine + "&prof=" + test::fixture_link(legacy);
      const Estimate bf16 = est(base + "&dtype=bf16"), int4 = est(base + "&dtype=int4");
      CHECK(int4.tpot_s < 0.7 * bf16.tpot_s);
      CHECK(int4.decode.compute_s < 0.6 * bf16.decode.compute_s);  // the GEMMs themselves, not only the memory term
    }
  }
  // without a profile the fitted model already did (unchanged)
  CHECK(est("model=llama-3.1-8b&batch=1&dtype=int4").tpot_s < est("model=llama-3.1-8b&batch=1").tpot_s);
}

TEST_CASE("a weight-only GEMM without a measured weight-only kernel runs at the 16-bit rate of M × 2 ÷ bytes per weight") {
  const std::string link = test::fixture_link(true);
  const std::string text = test::explained("model=llama-3.1-8b&batch=1&dtype=int4&prof=" + link);
  CHECK(text.find("bf16 rate at M\xE2\x80\xB2 = 3.85") != std::string::npos);
  // with the whole link, the reference kernel's measured rate and weight bandwidth
  const std::string full = test::explained("model=llama-3.1-8b&batch=1&dtype=int4&prof=" + test::fixture_link());
  CHECK(full.find("W4A16 rate at 1\xC3\x97") != std::string::npos);
  CHECK(full.find("W4A16 weight bandwidth of llmcalc's reference kernel") != std::string::npos);
  // the LM head stays 16-bit whatever the format: never priced as weight-only
  CHECK(full.find("W4A16 rate at 1\xC3\x97" "128256") == std::string::npos);
}

TEST_CASE("fitted decode: GEMMs and attention one after the other, each bound by its own traffic or compute") {
  // a large batch at long context: compute-bound GEMMs do not hide the KV stream
  const Estimate e = est("engine=trtllm&model=llama-3.1-8b&dtype=fp8&kv=fp8&batch=512&prompt=2048&gen=128");
  const Estimate roof = est("engine=trtllm&model=llama-3.1-8b&dtype=fp8&kv=fp8&batch=512&prompt=2048&gen=128&timing=roofline");
  CHECK(e.decode.time_s > e.decode.memory_s);
  CHECK(e.decode.time_s > e.decode.compute_s);
  CHECK(roof.decode.time_s < e.decode.time_s);
  // a prompt riding in a decode pass is never free: its passes cost more than the decode steps they replace
  CHECK(e.serving.prefill_steps_s > e.serving.prefill_chunks * e.decode.time_s);
}

TEST_CASE("kv_per_head: a per-query-head decode kernel reads a GQA model's K/V once per query head") {
  const std::string gqa = "engine=trtllm&model=llama-2-70b&gpu=h100-sxm&gpus=2&tp=2&dtype=fp8&kv=fp8&batch=64&prompt=2048&gen=2048";
  const Estimate grouped = est(gqa), per_head = est(gqa + "&kv_per_head=1");
  CHECK(per_head.decode.bytes > grouped.decode.bytes);
  CHECK(per_head.decode.time_s > grouped.decode.time_s);
  // multi-head attention has one query head per KV head: nothing changes
  const std::string mha = "engine=trtllm&model=llama-2-7b&dtype=fp8&kv=fp8&batch=64&prompt=2048&gen=128";
  CHECK(est(mha + "&kv_per_head=1").decode.time_s == est(mha).decode.time_s);
}

TEST_CASE("eager engines: host launches overlap the GPU, the step takes the longer of the two") {
  // 16-bit weights on a slow GPU: the device's work outlasts the launches, which then cost nothing
  const Estimate big = est("engine=hf&model=llama-3.1-8b&gpu=rtx-3060&batch=1&prompt=128&gen=128");  // 16 GB at 360 GB/s
  CHECK(big.decode.overhead_s == Approx(kFitted.step_s[int(Engine::hf)]));
  // a small model at batch 1: host-bound, the launches beyond the device time show
  const Estimate small = est("engine=hf&model=llama-3.2-1b&batch=1&prompt=64&gen=64");
  CHECK(small.decode.overhead_s > kFitted.step_s[int(Engine::hf)]);
}
