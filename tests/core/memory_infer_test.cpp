// tests/core/memory_infer_test.cpp — serving memory: quantised weights, the KV cache.
#include <catch2/catch.hpp>
#include <string>

#include "core/memory_infer.hpp"
#include "tests/core/helpers.hpp"

using namespace llmcalc;
using llmcalc::test::est;
using llmcalc::test::P;

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

TEST_CASE("MLA caches its latent: (kv_lora_rank + rope dim) per token and layer, on every TP rank") {
  // DeepSeek-V3: 61 × (512 + 64) × 2 B = 70,272 B per token
  const Estimate one = est("model=deepseek-v3&kv=bf16&prompt=1000&gen=24");
  CHECK(one.d.kv_bytes_per_token == 70272.0);
  CHECK(one.memory.kv_cache == 70272.0 * 1024);
  // today's engines replicate the latent per TP rank (no heads to split)
  const Estimate tp8 = est("model=deepseek-v3&kv=bf16&gpu=h200&gpus=8&tp=8&prompt=1000&gen=24");
  CHECK(tp8.memory.kv_cache == one.memory.kv_cache);
  // pipeline stages hold their own layers' latents
  const Estimate pp = est("model=deepseek-v3&kv=bf16&gpu=h200&gpus=2&pp=2&prompt=1000&gen=24");
  CHECK(pp.d.kv_bytes_per_token == 31 * 576 * 2.0);
}

TEST_CASE("local layers keep min(window, tokens): Gemma 3 27B and gpt-oss-120b at 128k") {
  // Gemma 3 27B: 16 KV heads × 128 × 2 (K, V) × 2 B = 8192 B per token and layer; 10 global, 52 local (1024)
  CHECK(est("model=gemma-3-27b&prompt=131071&gen=1").memory.kv_cache == 8192.0 * (10 * 131072 + 52 * 1024));
  // below the window every layer keeps every token
  CHECK(est("model=gemma-3-27b&prompt=500&gen=12").memory.kv_cache == 8192.0 * 62 * 512);
  // gpt-oss-120b: 8 KV heads × 64 × 2 × 2 B = 2048 B; 18 full layers, 18 with a 128-token window
  CHECK(est("model=gpt-oss-120b&prompt=131071&gen=1").memory.kv_cache == 2048.0 * 18 * (131072 + 128));
  // a window on every layer when no pattern is given (Mistral 7B v0.1's sliding window)
  CHECK(est("model=mistral-7b&window=4096&prompt=8000&gen=192").memory.kv_cache ==
        est("model=mistral-7b&prompt=3840&gen=256").memory.kv_cache);
}

TEST_CASE("MTP modules are loaded only when asked for (speculative decoding)") {
  const Estimate off = est("model=deepseek-v3&gpu=h200&gpus=8&tp=8");
  const Estimate on = est("model=deepseek-v3&gpu=h200&gpus=8&tp=8&mtp=1");
  CHECK(on.memory.weights > off.memory.weights * 1.015);  // ~11.5 B more parameters in fp8
  CHECK(on.memory.weights < off.memory.weights * 1.03);
  CHECK(on.memory.kv_cache > off.memory.kv_cache);  // the module's own attention layer
}
