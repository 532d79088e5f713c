// tests/core/frameworks_test.cpp — training frameworks and the features of issue #10: fp8 training,
// context parallelism, interleaved pipelines, expert parallelism, activation offloading, chunked
// cross-entropy, time to train; MFU never above 100%.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "core/frameworks.hpp"
#include "core/memory_train.hpp"
#include "core/engines.hpp"
#include "core/verdict.hpp"
#include "tests/core/helpers.hpp"

using namespace llmcalc;
using llmcalc::test::est;
using llmcalc::test::P;

namespace {
const std::string k8b = "mode=train&model=llama-3.1-8b&gpu=h100-sxm&gpus=8&batch=1&seq=8192&accum=8&zero=1";
}

// framework=none (the default) keeps the seed's textbook accounting: tests/core/memory_train_test.cpp and
// tests/golden/seed.tsv pin it.

TEST_CASE("Megatron keeps an fp32 main-gradient buffer, PyTorch autocast fp32 weights and a 16-bit copy") {
  const double n = P("llama-3.1-8b");
  const Estimate mg = est("mode=train&framework=megatron&model=llama-3.1-8b&gpu=h100-sxm&batch=1&seq=1024");
  CHECK(mg.memory.gradients == Approx(4 * n));
  CHECK(mg.memory.weights == Approx(2 * n));
  CHECK(mg.memory.optimizer == Approx(12 * n));
  const Estimate pt = est("mode=train&framework=fsdp&model=llama-3.1-8b&gpu=h100-sxm&batch=1&seq=1024");
  CHECK(pt.memory.weights == Approx(6 * n));  // fp32 parameters + the autocast copies
  // fp32 gradients appear during the backward as activations are freed: only their excess shows at the peak
  CHECK(pt.memory.gradients == Approx(4 * n - pt.memory.activations));
  CHECK(pt.memory.optimizer == Approx(8 * n));  // m and v; the fp32 parameters are the master
  // under DDP (unsharded, several GPUs) they live in buckets allocated up front: all of them count
  const Estimate ddp = est("mode=train&framework=fsdp&model=llama-3.1-8b&gpu=h100-sxm&gpus=8&batch=1&seq=1024");
  CHECK(ddp.memory.gradients == Approx(4 * n));
  CHECK(pt.d.runtime_bytes == framework_spec(Framework::fsdp).runtime_bytes);
}

TEST_CASE("with gradient accumulation the gradients are there before the next micro-batch's activations") {
  // LitGPT's TinyLlama full fine-tune (config hub, 1×A10G, micro-batch 4, global batch 32: 8 micro-batches)
  const std::string tiny = "mode=train&framework=fsdp&model=custom&layers=22&hidden=2048&heads=32&kv_heads=4&ffn=5632&"
                           "vocab=32000&gated=1&gpu=a10&batch=4&seq=512&precision=bf16";
  const Estimate one = est(tiny);
  const Estimate eight = est(tiny + "&accum=8");
  const double head = 2.0 * 32000 * 2048;  // the output layer's bf16 gradient, the backward's first
  CHECK(one.memory.gradients == Approx(std::max(head, 2.0 * one.d.params_per_gpu - one.memory.activations)));
  CHECK(one.memory.gradients == Approx(head));  // its activations outweigh its gradients
  // all the bf16 gradients, and the new output-layer gradient beside them until it is added in place
  CHECK(eight.memory.gradients == Approx(2.0 * eight.d.params_per_gpu + head));
  CHECK(eight.memory.activations == Approx(one.memory.activations));
  // a tied embedding's lookup gradient comes last, beside all the others (Llama 3.2 3B: 128256 × 3072, bf16)
  const Estimate tied = est("mode=train&framework=torchtune&model=llama-3.2-3b&gpu=a100-80gb&batch=2&seq=4096&precision=bf16&"
                            "recompute=full&ce_chunks=8");
  CHECK(tied.memory.gradients == Approx(2.0 * tied.d.params_per_gpu + 2.0 * 128256 * 3072 - tied.memory.activations));
  // LoRA trains no output layer
  const Estimate lora = est(tiny + "&method=lora");
  CHECK(lora.memory.gradients == 0);  // the adapters' gradients are far below its activations
  // Megatron's main-gradient buffer is allocated up front either way
  const std::string mg = "mode=train&framework=megatron&model=llama-3.1-8b&gpu=h100-sxm&gpus=8&zero=1&batch=1&seq=4096";
  CHECK(est(mg).memory.gradients == Approx(est(mg + "&accum=8").memory.gradients));
}

TEST_CASE("the allocator's reserve is a share of the allocated peak, held to what the device has left") {
  const double runtime = framework_spec(Framework::fsdp).runtime_bytes;
  auto reserve = [&](const Estimate& e) { return e.memory.overhead - e.d.runtime_bytes; };
  auto allocated = [](const Estimate& e) {
    return e.memory.weights + e.memory.gradients + e.memory.optimizer + e.memory.activations;
  };
  // room to spare: the fitted share of the peak
  const Estimate roomy = est("mode=train&framework=fsdp&model=llama-3.1-8b&gpu=h100-sxm&gpus=8&zero=3&batch=1&seq=1024");
  CHECK(reserve(roomy) == Approx(allocated(roomy) * kFitted.train_alloc_reserve));
  CHECK(roomy.d.runtime_bytes == runtime);
  CHECK_FALSE(roomy.d.reserve_held);
  // LitGPT's LoRA of Llama 2 7B on a 24 GB A10G (published peak allocated 19.77 GB): the cache takes the rest
  const Estimate edge = est("mode=train&framework=fsdp&model=llama-2-7b&gpu=a10&batch=2&seq=512&precision=bf16&method=lora&rank=32");
  CHECK(reserve(edge) < allocated(edge) * kFitted.train_alloc_reserve);
  CHECK(reserve(edge) == Approx(edge.capacity_bytes - allocated(edge) - runtime));
  CHECK(edge.memory.total == Approx(edge.capacity_bytes));
  CHECK(edge.fits);
  CHECK(edge.d.reserve_held);
  CHECK(verdict_text(decode_scenario("mode=train&framework=fsdp&model=llama-2-7b&gpu=a10&batch=2&seq=512&precision=bf16&method=lora&rank=32")->scenario, edge)
            .find("the allocator's cache takes the last") != std::string::npos);
  // what does not fit allocated keeps no cache beside it
  const Estimate over = est("mode=train&framework=fsdp&model=llama-3.1-8b&gpu=h100-sxm&batch=1&seq=1024");
  CHECK(reserve(over) == 0);
  CHECK_FALSE(over.fits);
}

TEST_CASE("recompute=auto is the framework's default: full for QLoRA in PEFT and torchtune") {
  CHECK(recompute_of(decode_scenario("mode=train&framework=hf&method=qlora")->scenario) == Recompute::full);
  CHECK(recompute_of(decode_scenario("mode=train&framework=hf")->scenario) == Recompute::none);
  CHECK(recompute_of(decode_scenario("mode=train&framework=torchtune")->scenario) == Recompute::full);
  CHECK(recompute_of(decode_scenario("mode=train&framework=hf&method=qlora&recompute=none")->scenario) == Recompute::none);
  const Estimate q = est("mode=train&framework=hf&model=llama-3.1-8b&method=qlora&batch=4&seq=2048");
  const Estimate q0 = est("mode=train&framework=hf&model=llama-3.1-8b&method=qlora&batch=4&seq=2048&recompute=none");
  CHECK(q.memory.activations < 0.5 * q0.memory.activations);
}

TEST_CASE("fp8 training: GEMMs at the fp8 rate, linear inputs kept in fp8, an fp8 copy of the weights") {
  const Estimate bf = est(k8b + "&framework=megatron");
  const Estimate f8 = est(k8b + "&framework=megatron&precision=fp8");
  CHECK(f8.step.compute_s < 0.8 * bf.step.compute_s);
  CHECK(f8.memory.activations < bf.memory.activations);
  CHECK(f8.memory.weights > bf.memory.weights);
  CHECK(f8.d.compute_dtype == DType::fp8);
  CHECK(f8.mfu <= 1.0);
  // a GPU without fp8 tensor cores falls back, with a warning
  const Estimate a100 = est("mode=train&framework=megatron&model=llama-3.1-8b&gpu=a100-80gb&precision=fp8&batch=1&seq=1024");
  CHECK(a100.d.compute_dtype == DType::bf16);
  CHECK(!a100.warnings.empty());
}

TEST_CASE("context parallelism: the sequence split over cp GPUs, K and V passed round the ring") {
  const Estimate c1 = est("mode=train&framework=megatron&model=llama-3.1-8b&gpu=h100-sxm&gpus=8&batch=1&seq=65536&recompute=full&zero=1");
  const Estimate c4 = est("mode=train&framework=megatron&model=llama-3.1-8b&gpu=h100-sxm&gpus=8&cp=4&batch=1&seq=65536&recompute=full&zero=1");
  CHECK(c4.dp == 2);
  CHECK(c4.memory.activations < 0.3 * c1.memory.activations);
  CHECK(c4.step.comm_s > 0);
  CHECK(c1.step.comm_s == 0);
  // same tokens per step: each GPU does a quarter of each sequence
  CHECK(c4.tokens_per_step == c1.tokens_per_step / 4);
  // the GPU count must split into tp·pp·cp groups
  CHECK(!decode_scenario("mode=train&gpus=6&cp=4").ok());
}

TEST_CASE("interleaved 1F1B: the bubble shrinks by vp, more micro-batches stay in flight") {
  const std::string base = "mode=train&framework=megatron&model=llama-3.1-70b&gpu=h100-sxm&gpus=32&tp=4&pp=8&sp=1&batch=1&seq=4096&accum=32&zero=1";
  const Estimate v1 = est(base);
  const Estimate v5 = est(base + "&vp=5");
  CHECK(v1.d.bubble == Approx(7.0 / 32));
  CHECK(v5.d.bubble == Approx(7.0 / (32 * 5)));
  CHECK(v1.d.inflight == 8);
  CHECK(v5.d.inflight == Approx((2.0 * 7 + 4 * 8 + 1) / 5));  // Megatron's warm-up count, in stage units
  CHECK(v5.memory.activations > v1.memory.activations);
  CHECK(v5.step_s < v1.step_s);
}

TEST_CASE("expert parallelism in training: experts' states divided, all-to-alls added") {
  const std::string base = "mode=train&framework=megatron&model=qwen3-30b-a3b&gpu=h100-sxm&gpus=8&batch=1&seq=4096&accum=8&zero=1";
  const Estimate e1 = est(base);
  const Estimate e8 = est(base + "&ep=8");
  CHECK(e8.memory.weights < 0.3 * e1.memory.weights);
  CHECK(e8.memory.optimizer < 0.3 * e1.memory.optimizer);
  CHECK(e8.step.comm_s > e1.step.comm_s);
}

TEST_CASE("activation offloading keeps two layers on the GPU and pays the host link where it outlasts compute") {
  const std::string base = "mode=train&framework=torchtune&model=llama-3.1-8b&gpu=h100-sxm&batch=2&seq=8192&recompute=none&precision=bf16&optimizer=adamw8bit";
  const Estimate on = est(base + "&offload=1");
  const Estimate off = est(base);
  const double logits = on.d.act_logits_bytes;
  CHECK(on.memory.activations == Approx(2 * on.d.act_per_layer_bytes + logits));
  CHECK(off.memory.activations == Approx(32 * off.d.act_per_layer_bytes + logits));
  CHECK(on.step_s > off.step_s);
}

TEST_CASE("chunked cross-entropy: the fp32 temporaries of one chunk at a time") {
  const std::string base = "mode=train&framework=hf&model=llama-3.1-8b&gpu=h100-sxm&batch=2&seq=4096";
  const Estimate c1 = est(base + "&ce_chunks=1");
  const Estimate c8 = est(base + "&ce_chunks=8");
  const double logits = 2.0 * 4096 * 128256;
  const FrameworkSpec& f = framework_spec(Framework::hf);
  const double out_layer = 2.0 * 2 * 4096 * 4096 * 2;  // final-norm and head inputs, 16-bit
  CHECK(c1.d.act_logits_bytes == Approx(out_layer + logits * (f.logit_kept_bytes + f.logit_upcast_bytes)));
  CHECK(c8.d.act_logits_bytes == Approx(out_layer + logits * (f.logit_kept_bytes + f.logit_upcast_bytes / 8)));
  CHECK(ce_chunks_of(decode_scenario("mode=train&framework=torchtune")->scenario) == 8);
}

TEST_CASE("global batch, tokens per step, time and GPU-hours to train") {
  const Estimate e = est(k8b + "&framework=megatron&train_tokens=1e12");
  CHECK(e.global_batch == 8 * 8);
  CHECK(e.tokens_per_step == 64 * 8192);
  CHECK(e.train_s == Approx(1e12 / e.tokens_per_s));
  CHECK(e.gpu_hours == Approx(e.train_s * 8 / 3600));
}

TEST_CASE("MFU uses the FLOPs the method runs and never exceeds 100%") {
  // LoRA runs 4·N (+ adapters): with the 6·N of full training its MFU would read ~1.5× too high
  const Estimate lora = est("mode=train&framework=hf&model=llama-3.1-70b&gpu=h100-sxm&method=qlora&batch=1&seq=2048");
  CHECK(lora.mfu < 1.0);
  // a property over generated scenarios: frameworks, methods, precisions, layouts, GPUs
  const char* fws[] = {"megatron", "fsdp", "deepspeed", "hf", "torchtune", "none"};
  const char* methods[] = {"full", "lora", "qlora"};
  const char* precisions[] = {"mixed", "bf16", "fp32", "fp8"};
  const char* recs[] = {"none", "selective", "full", "auto"};
  const char* gpus[] = {"h100-sxm", "a100-80gb", "b200", "rtx-4090", "mi300x"};
  const char* models[] = {"llama-3.2-1b", "llama-3.1-8b", "qwen3-30b-a3b", "gemma-3-4b", "deepseek-v3"};
  const char* timings[] = {"fitted", "roofline", "additive"};
  int checked = 0;
  unsigned seed = 12345;
  auto pick = [&](int n) { seed = seed * 1103515245u + 12345u; return int((seed >> 16) % unsigned(n)); };
  for (int i = 0; i < 400; ++i) {
    const int tp = 1 << pick(3), pp = 1 << pick(3), cp = 1 << pick(2);
    std::string s = std::string("mode=train&framework=") + fws[pick(6)] + "&model=" + models[pick(5)] + "&gpu=" + gpus[pick(5)] +
                    "&method=" + methods[pick(3)] + "&precision=" + precisions[pick(4)] + "&recompute=" + recs[pick(4)] +
                    "&timing=" + timings[pick(3)] + "&tp=" + std::to_string(tp) + "&pp=" + std::to_string(pp) +
                    "&cp=" + std::to_string(cp) + "&gpus=" + std::to_string(tp * pp * cp * (1 << pick(3))) +
                    "&batch=" + std::to_string(1 + pick(8)) + "&seq=" + std::to_string(512 << pick(6)) +
                    "&accum=" + std::to_string(1 + pick(16)) + "&zero=" + std::to_string(pick(4)) +
                    (pp > 1 && pick(2) ? "&vp=2" : "") + (pick(3) == 0 ? "&offload=1" : "") + (pick(2) ? "&sp=1" : "");
    auto d = decode_scenario(s);
    INFO(s);
    REQUIRE(d.ok());
    auto e = estimate(d->scenario);
    if (!e.ok()) continue;
    CHECK(e->mfu > 0);
    CHECK(e->mfu <= 1.0 + 1e-9);  // timing=roofline runs every FLOP at the peak: exactly 1 at most
    ++checked;
  }
  CHECK(checked > 300);
}

TEST_CASE("eager PyTorch blocks keep fp32 norm copies and the SiLU output, compile=1 fuses them, GQA copies stay") {
  const std::string base = "mode=train&model=llama-3.2-3b&gpu=a100-80gb&batch=2&seq=4096&precision=bf16&recompute=none&ce_chunks=1";
  const Estimate eager = est(base + "&framework=torchtune"), compiled = est(base + "&framework=torchtune&compile=1");
  // Llama 3.2 3B: h 3072, FFN 8192; per token and layer eager adds 2 norms × 4h + 2 B per MLP intermediate
  const double tokens = 2 * 4096;
  CHECK(eager.d.act_per_layer_bytes - compiled.d.act_per_layer_bytes == Approx(tokens * (8.0 * 3072 + 2.0 * 8192)));
  // K and V repeated to the 24 query heads (8 KV heads of 128) are kept whether compiled or not; Megatron's
  // attention takes the GQA heads as they are
  const Estimate megatron = est(base + "&framework=megatron");
  CHECK(compiled.d.act_per_layer_bytes - megatron.d.act_per_layer_bytes == Approx(tokens * 4.0 * (24 - 8) * 128));
  // Megatron's fused kernels: compile changes nothing
  CHECK(est(base + "&framework=megatron&compile=1").memory.activations == megatron.memory.activations);
}

TEST_CASE("torchtune's compiled chunked loss keeps only the 16-bit logits, unchunked it upcasts in the model") {
  const std::string base = "mode=train&framework=torchtune&model=llama-3.2-3b&gpu=a100-80gb&batch=2&seq=4096&precision=bf16&compile=1";
  const double logits = 2.0 * 4096 * 128256, out_layer = 2.0 * 2 * 4096 * 3072 * 2;
  const FrameworkSpec& f = framework_spec(Framework::torchtune);
  CHECK(est(base + "&ce_chunks=8").d.act_logits_bytes == Approx(out_layer + logits * f.logit_kept_bytes));
  CHECK(est(base + "&ce_chunks=1").d.act_logits_bytes == Approx(out_layer + logits * (f.logit_kept_bytes + f.logit_upcast_bytes)));
  CHECK(est(base + "&ce_chunks=8&framework=fsdp").d.act_logits_bytes ==
        Approx(out_layer + logits * (2 + framework_spec(Framework::fsdp).logit_upcast_bytes / 8)));
}

TEST_CASE("full recomputation: a recomputed layer's backward and the output layer never coexist") {
  const std::string base = "mode=train&framework=hf&model=llama-3.1-8b&gpu=a100-80gb&batch=1&seq=2048&recompute=full";
  const Estimate e = est(base);
  const double checkpoints = 32 * e.d.act_per_layer_bytes;
  const double working = e.memory.activations - checkpoints;
  CHECK(working < e.d.act_logits_bytes + 1.0);  // here the output layer (a 128k vocabulary) is the larger
  CHECK(working == Approx(e.d.act_logits_bytes));
  // framework=none keeps the seed's sum of the two
  const Estimate none = est("mode=train&model=llama-3.1-8b&gpu=a100-80gb&batch=1&seq=2048&recompute=full");
  CHECK(none.memory.activations > 32 * none.d.act_per_layer_bytes + none.d.act_logits_bytes);
}
