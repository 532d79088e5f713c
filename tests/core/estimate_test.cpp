// tests/core/estimate_test.cpp — the memory and time formulas, one behaviour per test.
#include <catch2/catch.hpp>
#include <string>

#include "core/estimate.hpp"

using namespace llmcalc;

namespace {
Estimate est(const std::string& text) {
  auto d = decode_scenario(text);
  INFO(text);
  REQUIRE(d.ok());
  auto e = estimate(d->scenario);
  if (!e.ok()) FAIL(e.error().message);
  return e.value();
}
double P(const char* id) { return count_params(find_model_preset(id)->spec).total; }
}  // namespace

// ---- training memory ---------------------------------------------------------------------------

TEST_CASE("mixed-precision AdamW is 2 + 2 + 12 bytes per parameter") {
  const Estimate e = est("mode=train&model=llama-7b");
  const double n = P("llama-7b");
  CHECK(e.memory.weights == Approx(2 * n));
  CHECK(e.memory.gradients == Approx(2 * n));
  CHECK(e.memory.optimizer == Approx(12 * n));
}

TEST_CASE("precision and optimizer set the bytes per parameter") {
  const double n = P("llama-7b");
  const Estimate fp32 = est("mode=train&model=llama-7b&precision=fp32");
  CHECK(fp32.memory.weights == Approx(4 * n));
  CHECK(fp32.memory.gradients == Approx(4 * n));
  CHECK(fp32.memory.optimizer == Approx(8 * n));  // m, v; no master copy
  CHECK(est("mode=train&model=llama-7b&precision=bf16").memory.optimizer == Approx(4 * n));
  CHECK(est("mode=train&model=llama-7b&optimizer=sgd").memory.optimizer == Approx(4 * n));   // master only
  CHECK(est("mode=train&model=llama-7b&optimizer=sgdm").memory.optimizer == Approx(8 * n));
  CHECK(est("mode=train&model=llama-7b&optimizer=adamw8bit").memory.optimizer ==
        Approx((4 + 2 * (1 + 4.0 / 2048)) * n));
  // Adafactor's factored second moment is far smaller than a full one (Shazeer & Stern 2018).
  const double ada = est("mode=train&model=llama-7b&optimizer=adafactor&precision=fp32").memory.optimizer;
  CHECK(ada < 0.01 * 4 * n);
  CHECK(ada > 0);
}

TEST_CASE("ZeRO stages divide optimizer, then gradients, then weights by dp") {
  const std::string base = "mode=train&model=llama-7b&gpus=8";
  const Estimate z0 = est(base), z1 = est(base + "&zero=1"), z2 = est(base + "&zero=2"), z3 = est(base + "&zero=3");
  CHECK(z1.memory.optimizer == Approx(z0.memory.optimizer / 8));
  CHECK(z1.memory.gradients == Approx(z0.memory.gradients));
  CHECK(z2.memory.gradients == Approx(z0.memory.gradients / 8));
  CHECK(z2.memory.weights == Approx(z0.memory.weights));
  // ÷ dp, + the layer in use and the prefetched one, gathered in full (16-bit)
  const double layer = count_params(find_model_preset("llama-7b")->spec).per_layer;
  CHECK(z3.memory.weights == Approx(z0.memory.weights / 8 + 2 * 2 * layer));
  CHECK(z3.memory.activations == Approx(z0.memory.activations));  // ZeRO does not touch activations
}

TEST_CASE("tensor and pipeline parallelism divide the parameters") {
  const Estimate one = est("mode=train&model=llama-2-70b");
  const Estimate tp8 = est("mode=train&model=llama-2-70b&gpus=8&tp=8");
  CHECK(tp8.memory.weights == Approx(one.memory.weights / 8));
  const Estimate pp4 = est("mode=train&model=llama-2-70b&gpus=4&pp=4");
  CHECK(pp4.d.layers_per_gpu == 20);
  CHECK(pp4.memory.weights < one.memory.weights / 3.8);
}

TEST_CASE("LoRA: frozen 16-bit base, gradients and optimizer only for the adapters") {
  const Estimate e = est("mode=train&model=llama-7b&method=lora&rank=8");
  const double n = P("llama-7b");
  const double adapters = 32.0 * 8 * (4 * 8192.0 + 3 * (4096.0 + 11008));
  CHECK(e.d.adapter_params == Approx(adapters));
  CHECK(e.memory.weights == Approx(2 * n + 2 * adapters));
  CHECK(e.memory.gradients == Approx(2 * adapters));
  CHECK(e.memory.optimizer == Approx(12 * adapters));
}

TEST_CASE("QLoRA: NF4 linear layers with 0.127 bits of scales, 16-bit embeddings") {
  const Estimate e = est("mode=train&model=llama-7b&method=qlora&rank=8");
  const ParamCounts c = count_params(find_model_preset("llama-7b")->spec);
  const double linear = 32 * c.per_layer_linear;
  const double adapters = e.d.adapter_params;
  CHECK(e.memory.weights == Approx(linear * (4.127 / 8) + (c.total - linear) * 2 + adapters * 2));
  CHECK(e.memory.weights < 0.32 * est("mode=train&model=llama-7b&method=lora&rank=8").memory.weights);
}

TEST_CASE("activations follow Korthikanti et al. 2022, Table 2") {
  // LLaMA-13B, s=1024, b=1: s·b·h·(34 + 5·a·s/h) per layer.
  const double s = 1024, b = 1, h = 5120, a = 40, L = 40, V = 32000;
  const double out_layer = 4 * s * b * h + 4 * s * b * V;
  const double none = s * b * h * (34 + 5 * a * s / h);
  const std::string base = "mode=train&model=llama-13b&seq=1024";
  CHECK(est(base + "&flash=0").memory.activations == Approx(L * none + out_layer));
  // flash: the 5·a·s²·b term becomes the fp32 log-sum-exp 4·a·s·b
  CHECK(est(base).memory.activations == Approx(L * (s * b * h * 34 + 4 * a * s * b) + out_layer));
  // selective recomputation: s·b·h·34
  CHECK(est(base + "&flash=0&recompute=selective").memory.activations == Approx(L * s * b * h * 34 + out_layer));
  // full recomputation: 2·s·b·h per layer + one layer being recomputed
  CHECK(est(base + "&flash=0&recompute=full").memory.activations == Approx(L * 2 * s * b * h + none + out_layer));
  // tensor parallel t=4: s·b·h·(10 + 24/t + 5·a·s/(h·t)); with SP everything ÷ t
  const double t = 4;
  const double out_tp = 4 * s * b * h + 4 * s * b * V / t;
  CHECK(est(base + "&flash=0&gpus=4&tp=4").memory.activations ==
        Approx(L * s * b * h * (10 + 24 / t + 5 * a * s / (h * t)) + out_tp));
  CHECK(est(base + "&flash=0&gpus=4&tp=4&sp=1").memory.activations == Approx(L * none / t + out_tp));
}

TEST_CASE("activations grow with batch and quadratically with sequence without flash") {
  const std::string base = "mode=train&model=llama-7b&flash=0";
  const double a1 = est(base + "&seq=1024").d.act_per_layer_bytes, a2 = est(base + "&seq=2048").d.act_per_layer_bytes;
  CHECK(a2 > 2.2 * a1);
  CHECK(est(base + "&batch=4").d.act_per_layer_bytes == Approx(4 * est(base).d.act_per_layer_bytes));
}

TEST_CASE("pipeline: 1F1B keeps min(pp, accum) micro-batches in flight") {
  CHECK(est("mode=train&model=llama-7b&gpus=4&pp=4&accum=8").d.inflight == 4);
  CHECK(est("mode=train&model=llama-7b&gpus=4&pp=4&accum=2").d.inflight == 2);
  CHECK(est("mode=train&model=llama-7b&gpus=4&pp=4&accum=8").d.bubble == Approx(3.0 / 8));
}

// ---- inference memory ----------------------------------------------------------------------------

TEST_CASE("KV cache: 2·layers·kv_heads·head_dim·tokens·batch·bytes, GQA-aware") {
  CHECK(est("model=llama-7b&prompt=768&gen=256&dtype=fp16").memory.kv_cache == 536870912.0);  // seed: 512 MiB
  // Llama-2-70B: 8 KV heads → 2·80·8·128·2 = 327,680 B per token
  CHECK(est("model=llama-2-70b&prompt=4000&gen=96&batch=2").memory.kv_cache == Approx(327680.0 * 4096 * 2));
  CHECK(est("model=llama-2-70b&prompt=4000&gen=96&kv=fp8").memory.kv_cache == Approx(163840.0 * 4096));
  // TP splits KV heads; with tp > kv_heads they are replicated
  CHECK(est("model=llama-2-70b&gpus=4&tp=4").memory.kv_cache == Approx(est("model=llama-2-70b").memory.kv_cache / 4));
  const Estimate tp16 = est("model=llama-2-70b&gpus=16&tp=16");
  CHECK(tp16.d.kv_heads_per_gpu == 1);
  CHECK_FALSE(tp16.warnings.empty());
}

TEST_CASE("inference weights by dtype, quantised with scales") {
  const double n = P("llama-3.1-8b");
  CHECK(est("dtype=bf16").memory.weights == Approx(2 * n));
  CHECK(est("dtype=fp32").memory.weights == Approx(4 * n));
  const Estimate i4 = est("dtype=int4");
  CHECK(i4.memory.weights > 0.25 * est("dtype=bf16").memory.weights);
  CHECK(i4.memory.weights < 0.40 * est("dtype=bf16").memory.weights);  // 16-bit embedding + head
  CHECK(est("dtype=int8").memory.weights < est("dtype=fp8").memory.weights * 1.01);
}

TEST_CASE("fits compares the total with the GPU's memory") {
  CHECK(est("model=llama-3.1-8b&gpu=h100-sxm").fits);
  CHECK_FALSE(est("model=llama-3.1-70b&gpu=h100-sxm").fits);
  CHECK(est("model=llama-3.1-70b&gpu=h100-sxm&gpus=2&tp=2").fits);
  CHECK_FALSE(est("mode=train&model=llama-13b&gpu=a100-80gb").fits);
}

// ---- time -------------------------------------------------------------------------------------------

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

TEST_CASE("fp8 on an A100 falls back to bf16 with a warning") {
  const Estimate e = est("model=llama-3.1-8b&gpu=a100-80gb&dtype=fp8");
  REQUIRE_FALSE(e.warnings.empty());
  CHECK(e.warnings[0].find("fp8") != std::string::npos);
  CHECK(e.d.compute_dtype == DType::bf16);
}

TEST_CASE("resolve: overrides, custom models and unknown presets") {
  CHECK(est("model=llama-7b&layers=16").r.model.layers == 16);
  CHECK(est("model=custom&layers=2&hidden=256&heads=4&ffn=1024&vocab=1000").r.params.total > 0);
  auto bad = estimate(decode_scenario("model=custom&layers=2")->scenario);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("hidden") == 0);
  auto unknown = estimate(decode_scenario("gpu=tpu-v5")->scenario);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message.find("gpu: unknown GPU 'tpu-v5'") == 0);
}
