// tests/core/engines_test.cpp — engine conventions, fit parameters by name, and the serving
// figures they produce (issue #9's must-show scenario).
#include <catch2/catch.hpp>

#include "core/engines.hpp"
#include "core/estimate.hpp"

using namespace llmcalc;

namespace {
Estimate est(const std::string& text) {
  Result<DecodedScenario> d = decode_scenario(text);
  REQUIRE(d.ok());
  Result<Estimate> e = estimate(d->scenario);
  REQUIRE(e.ok());
  return e.value();
}
constexpr double GiB = 1024.0 * 1024 * 1024;
}  // namespace

TEST_CASE("engines are found by key and every fit parameter by its name") {
  for (int i = 0; i < kEngineCount; ++i) CHECK(find_engine(engine_key(Engine(i))) == Engine(i));
  CHECK_FALSE(find_engine("ollama"));
  FitParams p = kFitted;
  for (int i = 0; i < fit_param_count(); ++i) {
    double* v = fit_param(p, fit_param_name(i));
    REQUIRE(v);
    *v = 123;
  }
  CHECK(p.gemm == 123);
  CHECK(p.step_s[int(Engine::hf)] == 123);
  CHECK(fit_param(p, "step_none") == nullptr);  // no engine, no overhead: not a parameter
  CHECK(fit_param(p, "nope") == nullptr);
  CHECK(default_chunk(engine_spec(Engine::vllm), 80 * GiB) == 8192);
  CHECK(default_chunk(engine_spec(Engine::vllm), 24 * GiB) == 2048);
  CHECK(default_chunk(engine_spec(Engine::hf), 80 * GiB) == 0);
}

TEST_CASE("Llama 3.1 70B fp8 on 2 H100s with vLLM serves 32 users of 8k prompts") {
  const Estimate e = est("mode=infer&model=llama-3.1-70b&gpu=h100-sxm&gpus=2&tp=2&dtype=fp8&kv=fp8&batch=32&prompt=8192&gen=256");
  CHECK(e.fits);
  CHECK(e.memory.activations < 4e9);                 // a chunk of 8192 tokens, not 262k at once
  CHECK(e.serving.max_concurrency >= 32);
  // gpu_memory_utilization 0.9 of what the driver reports (0.5 GiB below the preset), plus the CUDA context and the
  // CUDA-graph pool that vLLM's budget leaves out
  CHECK(e.serving.usable_bytes == Approx(0.9 * (e.capacity_bytes - 0.5 * GiB) + 0.5 * GiB + 0.5 * GiB));
  CHECK(e.serving.ttft_s < e.ttft_s / 10);           // one request's TTFT vs prefilling all 32 prompts at once
  CHECK(e.serving.prefill_chunks == 2);              // 8192 tokens in passes of 8192 − 31 decode tokens
  CHECK(e.serving.tpot_s > e.tpot_s);                // the others' prefills slow every decode step down
  CHECK(e.serving.output_tokens_per_s == Approx(32 * 256 / e.serving.e2e_s));
  // the same scenario without an engine keeps the model-only arithmetic: every prompt at once
  const Estimate none = est("mode=infer&engine=none&model=llama-3.1-70b&gpu=h100-sxm&gpus=2&tp=2&dtype=fp8&kv=fp8&batch=32&prompt=8192&gen=256");
  CHECK(none.memory.activations > 20e9);
  CHECK(none.memory.overhead == 1e9);
}

TEST_CASE("the engine's budget decides how many requests fit, and says so when they do not") {
  const Estimate e = est("model=llama-3.1-8b&gpu=rtx-4090&batch=64&prompt=8192&gen=512");
  CHECK_FALSE(e.fits);
  REQUIRE(e.serving.max_concurrency >= 1);
  CHECK(e.serving.max_concurrency < 64);
  bool said = false;
  for (const auto& w : e.warnings) said |= w.find("need more KV cache than vLLM holds") != std::string::npos;
  CHECK(said);
  // TensorRT-LLM takes 0.9 of what is left; llama.cpp and transformers reserve nothing ahead
  const Estimate trt = est("engine=trtllm&model=llama-3.1-8b&batch=1");
  CHECK(trt.serving.kv_budget_bytes == Approx(0.9 * (trt.capacity_bytes - 0.5 * GiB - trt.memory.weights -
                                                     trt.memory.activations - trt.memory.overhead)));
  const Estimate cpp = est("engine=llamacpp&model=llama-3.1-8b&dtype=q4_k_m&prompt=1000&gen=24");
  CHECK(cpp.memory.kv_cache == Approx(cpp.d.kv_bytes_per_token * 1024));  // n_ctx padded to 256
  CHECK(cpp.serving.usable_bytes == cpp.capacity_bytes);
  // vLLM refuses to start when max_len does not fit its cache
  const Estimate big = est("model=llama-3.1-70b&gpu=h100-sxm&gpus=2&tp=2&max_len=131072&util=0.6");
  bool refuse = false;
  for (const auto& w : big.warnings) refuse |= w.find("would refuse to start") != std::string::npos;
  CHECK(refuse);
}

TEST_CASE("engine overheads: host time per step, per-kernel costs, weight-only dequantisation") {
  const Estimate v = est("engine=vllm&model=llama-3.1-8b&batch=1&prompt=128&gen=128");
  const Estimate n = est("engine=none&model=llama-3.1-8b&batch=1&prompt=128&gen=128");
  CHECK(v.decode.overhead_s > n.decode.overhead_s);
  CHECK(v.tpot_s > n.tpot_s);
  const Estimate hf = est("engine=hf&model=llama-3.1-8b&batch=1&prompt=128&gen=128");
  CHECK(hf.tpot_s > v.tpot_s);  // every kernel launched from Python
  // a weight-only format reads fewer bytes but below the native bandwidth
  const Estimate w4 = est("engine=vllm&model=llama-3.1-8b&dtype=awq&batch=1&prompt=128&gen=128");
  const double bytes_ratio = w4.decode.bytes / v.decode.bytes;
  CHECK(w4.decode.memory_s / v.decode.memory_s > bytes_ratio);
  CHECK(w4.decode.memory_s < v.decode.memory_s);
  // additive and roofline are the model's arithmetic: no engine term
  const Estimate a = est("engine=hf&timing=additive&model=llama-3.1-8b");
  const Estimate b = est("engine=vllm&timing=additive&model=llama-3.1-8b");
  CHECK(a.tpot_s == b.tpot_s);
}

TEST_CASE("vLLM V1 and V0: the same budget, a smaller sampler in V1's start-up profile, A100 chunks of 2048") {
  // V1 (engine=vllm) holds 14 B per logit of 256 sequences at its sampler's peak, V0 (engine=vllm0) 36 B
  CHECK(engine_spec(Engine::vllm).sampler_bytes == 14);
  CHECK(engine_spec(Engine::vllm0).sampler_bytes == 36);
  CHECK(engine_spec(Engine::vllm0).time_like == Engine::vllm);  // V0 shares vLLM's fitted host costs
  const std::string s = "mode=infer&model=llama-3.1-8b&gpu=h100-sxm&batch=1&prompt=4095&gen=1&chunk=2048";
  const Estimate v1 = est(s + "&engine=vllm"), v0 = est(s + "&engine=vllm0");
  CHECK(v1.memory.activations == Approx(256 * 128256 * 14.0));   // the sampler outweighs a 2048-token pass
  CHECK(v0.memory.activations == Approx(256 * 128256 * 36.0));
  CHECK(v1.serving.kv_tokens > v0.serving.kv_tokens);
  CHECK(v1.ttft_s == v0.ttft_s);  // same time model
  // vLLM V1 keeps max_num_batched_tokens at 2048 on the A100 80GB (PR 17885), 8192 on other large GPUs
  CHECK(default_chunk(engine_spec(Engine::vllm), 80 * GiB, "a100-80gb") == 2048);
  CHECK(default_chunk(engine_spec(Engine::vllm), 80 * GiB, "h100-sxm") == 8192);
  CHECK(default_chunk(engine_spec(Engine::vllm0), 80 * GiB, "a100-80gb") == 8192);
}

TEST_CASE("vLLM V1 reports a hybrid model's pool as if every layer cached every token") {
  // gpt-oss: 18 full and 18 sliding-window layers; V1 gives both KV-cache groups equal shares of the pool
  const std::string s = "mode=infer&model=gpt-oss-120b&gpu=a100-80gb&gpus=4&tp=4&batch=1&prompt=16383&gen=1&util=0.8&chunk=2048";
  const Estimate v1 = est(s + "&engine=vllm"), v0 = est(s + "&engine=vllm0");
  const double per_layer_token = 2.0 * 2 * 64 * 2;  // K and V, 2 of 8 KV heads per GPU, head_dim 64, bf16
  CHECK(v1.serving.kv_tokens == Approx(v1.serving.kv_budget_bytes / (36 * per_layer_token)));
  // V0 counts the full layers per token (the local ones only their window): about half as many bytes per token
  CHECK(v0.serving.kv_tokens / v0.serving.kv_budget_bytes > 1.9 * v1.serving.kv_tokens / v1.serving.kv_budget_bytes);
  // a request's own cache is the same either way: full layers its tokens, local layers their window
  CHECK(v1.serving.kv_per_sequence_bytes == Approx(v0.serving.kv_per_sequence_bytes));
}
