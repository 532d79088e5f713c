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
