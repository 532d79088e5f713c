// tests/core/memory_train_test.cpp — training memory: bytes per parameter, ZeRO, TP/PP, LoRA/QLoRA, activations (Korthikanti et al.).
#include <catch2/catch.hpp>
#include <string>

#include "core/memory_train.hpp"
#include "tests/core/helpers.hpp"

using namespace llmcalc;
using llmcalc::test::est;
using llmcalc::test::P;

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
  const double layer = count_params(find_model_preset("llama-7b")->spec).dense.total;
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
  const double linear = 32 * c.dense.linear;
  const double adapters = e.d.adapter_params;
  CHECK(e.memory.weights == Approx(linear * (0.5 + 1.0 / 64 + 4.0 / (64 * 256)) + (c.total - linear) * 2 + adapters * 2).epsilon(1e-9));
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
