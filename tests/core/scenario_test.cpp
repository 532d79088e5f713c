// tests/core/scenario_test.cpp — the v1 scenario string (DESIGN.md §1).
#include <catch2/catch.hpp>
#include <string>

#include "core/scenario.hpp"

using namespace llmcalc;

namespace {
Scenario dec(const std::string& t) {
  auto r = decode_scenario(t);
  INFO(t);
  REQUIRE(r.ok());
  return r->scenario;
}
std::string first_error(const std::string& t) {
  auto r = decode_scenario(t);
  return r.ok() ? std::string() : r.error().message;
}
}  // namespace

TEST_CASE("the default scenario encodes to just the version") {
  CHECK(encode_scenario(Scenario{}) == "v=1");
  CHECK(dec("") == Scenario{});
  CHECK(dec("v=1") == Scenario{});
}

TEST_CASE("canonical encoding: fixed key order, defaults omitted") {
  const Scenario s = dec("seq=1024&model=llama-13b&mode=train&batch=1&flash=0&optimizer=adamw&precision=mixed");
  CHECK(encode_scenario(s) == "v=1&mode=train&model=llama-13b&seq=1024&flash=0");
}

TEST_CASE("every key round-trips exactly") {
  Scenario s;
  s.mode = Mode::train;
  s.model = "custom";
  s.name = "Org/Model – v2 (β)";
  s.arch = {48, 6144, 48, 8, 128, 16384, 64000, 8, 2, 1, 0};
  s.arch.kv_lora = 512;
  s.arch.q_lora = 1536;
  s.arch.rope_dim = 64;
  s.arch.v_dim = 96;
  s.arch.window = 4096;
  s.arch.local = 3;
  s.arch.period = 4;
  s.arch.expert_ffn = 2048;
  s.arch.shared_experts = 2;
  s.arch.shared_ffn = 8192;
  s.arch.dense_layers = 3;
  s.arch.moe_every = 2;
  s.arch.mtp_layers = 1;
  s.gpu = "a100-80gb";
  s.gpu_spec = {94, 3900, 600, 67, 989.5, 1979, 1979, 0.5};
  s.gpus = 64;
  s.tp = 4;
  s.pp = 2;
  s.cp = 2;
  s.vp = 3;
  s.seq_parallel = true;
  s.batch = 3;
  s.prompt = 4000;
  s.gen = 17;
  s.seq = 8192;
  s.accum = 16;
  s.dtype = WeightFormat::gptq;
  s.group = 64;
  s.kv = KvFormat::q8_0;
  s.ep = 8;
  s.mtp = true;
  s.precision = Precision::bf16;
  s.optimizer = Optimizer::adafactor;
  s.method = Method::qlora;
  s.rank = 64;
  s.recompute = Recompute::selective;
  s.flash = false;
  s.zero = 3;
  s.framework = Framework::torchtune;
  s.offload = true;
  s.compile = true;
  s.ce_chunks = 4;
  s.train_tokens = 1.5e12;
  s.price = 2.49;
  s.engine = Engine::sglang;
  s.util = 0.85;
  s.chunk = 4096;
  s.max_len = 32768;
  s.kv_per_head = true;
  s.shard = 8;
  s.timing = TimingModel::roofline;
  s.prof = "1~Test_GPU~2026-01-01~3e12~2e-6~1e-6~bf16.1_16.4096x4096.1.5_20";
  const std::string text = encode_scenario(s);
  CHECK(dec(text) == s);
  CHECK(encode_scenario(dec(text)) == text);
  // every key of the table except the derived dp appears
  for (int i = 0; i < scenario_key_count(); ++i) {
    const std::string k(scenario_key(i));
    if (k == "dp") continue;
    INFO(k);
    CHECK(text.find(k + "=") != std::string::npos);
  }
}

TEST_CASE("old links: timing=calibrated reads as timing=fitted (the default) and engines read by name") {
  CHECK(dec("timing=calibrated").timing == TimingModel::fitted);
  CHECK(encode_scenario(dec("timing=calibrated")) == "v=1");
  CHECK(dec("engine=llamacpp").engine == Engine::llamacpp);
  CHECK(dec("engine=trtllm&util=0.8&chunk=2048").chunk == 2048);
  const DecodedScenario bad = decode_scenario_lenient("engine=ollama&util=1.5");
  REQUIRE(bad.errors.size() == 2);
  CHECK(bad.errors[0].message == "engine: must be one of vllm | vllm0 | sglang | trtllm | llamacpp | hf | gptfast | none, got 'ollama'");
  CHECK(bad.errors[1].message == "util: must be between 0.05 and 1, got '1.5'");
}

TEST_CASE("a whole URL, a bare fragment, percent-escapes and stray '&' are read") {
  const Scenario a = dec("https://example.org/llmcalc/#mode=train&model=llama-7b&batch=4");
  CHECK(a.mode == Mode::train);
  CHECK(a.batch == 4);
  CHECK(dec("#batch=4&&model=llama%2D7b&") .model == "llama-7b");
  CHECK(dec("  batch=4\n").batch == 4);
}

TEST_CASE("bad values are errors naming the key and the value") {
  CHECK(first_error("mode=train&batch=-1").find("batch") == 0);
  CHECK(first_error("batch=-1").find("'-1'") != std::string::npos);
  CHECK(first_error("batch=abc").find("batch: must be a whole number") == 0);
  CHECK(first_error("batch=1.5").find("batch") == 0);
  CHECK(first_error("dtype=fp12").find("dtype: must be one of fp32 | fp16 | bf16 | fp8 | fp8_channel") == 0);
  CHECK(first_error("kv=fp12").find("kv: must be one of fp32 | fp16 | bf16 | fp8 | fp8_e5m2") == 0);
  CHECK(first_error("group=100").find("group: must be a multiple of 16") == 0);
  CHECK(first_error("gpu_mem=lots").find("gpu_mem: must be a number") == 0);
  CHECK(first_error("zero=4").find("zero: must be between 0 and 3") == 0);
  CHECK(first_error("flash=yes").find("flash") == 0);
  CHECK(first_error("model=%00").find("model: must be a preset id") == 0);
  CHECK(first_error("batch").find("batch: has no value") == 0);
  CHECK(first_error("v=2").find("version") != std::string::npos);
  CHECK(decode_scenario("v=2").error().code == ErrorCode::unsupported_version);
}

TEST_CASE("unknown keys become warnings and the rest is still read") {
  auto r = decode_scenario("foo=1&batch=8");
  REQUIRE(r.ok());
  REQUIRE(r->warnings.size() == 1);
  CHECK(r->warnings[0].find("foo") != std::string::npos);
  CHECK(r->scenario.batch == 8);
  auto dup = decode_scenario("batch=2&batch=3");
  CHECK(dup->scenario.batch == 3);
  CHECK(dup->warnings.size() == 1);
}

TEST_CASE("lenient decoding keeps what could be read") {
  const DecodedScenario d = decode_scenario_lenient("mode=train&batch=zero&model=llama-2-70b&seq=-5");
  CHECK(d.errors.size() == 2);
  CHECK(d.scenario.mode == Mode::train);
  CHECK(d.scenario.model == "llama-2-70b");
  CHECK(d.scenario.batch == 1);   // default kept
  CHECK(d.scenario.seq == 2048);
}

TEST_CASE("gpus, tp, pp and dp resolve to one consistent layout") {
  CHECK(dec("tp=2&pp=2").gpus == 4);             // gpus follows tp·pp when not given
  CHECK(dec("gpus=16&tp=4").dp() == 4);          // dp derived from gpus
  CHECK(dec("tp=2&dp=3").gpus == 6);             // dp given: gpus = tp·pp·dp
  CHECK(encode_scenario(dec("tp=2&dp=3")) == "v=1&gpus=6&tp=2");  // dp is never written
  CHECK(first_error("gpus=6&tp=4").find("gpus") == 0);
  CHECK(first_error("gpus=8&tp=2&dp=3").find("dp") == 0);
  CHECK(first_error("heads=32&kv_heads=5").find("kv_heads") == 0);
  CHECK(first_error("experts=4&experts_active=8").find("experts_active") == 0);
}

TEST_CASE("formats: names people type are accepted and canonical keys written, the native format is the default") {
  CHECK(*dec("dtype=Q4_K_M").dtype == WeightFormat::q4_k_m);
  CHECK(*dec("dtype=AWQ").dtype == WeightFormat::awq);
  CHECK(*dec("dtype=fp8-block").dtype == WeightFormat::fp8_block);
  CHECK(*dec("kv=fp8_e4m3").kv == KvFormat::fp8);
  CHECK(encode_scenario(dec("dtype=Q4_K_M&kv=E4M3")) == "v=1&dtype=q4_k_m&kv=fp8");
  // a preset's native checkpoint format is its default, and is not written
  CHECK(dec("model=deepseek-v3").weights() == WeightFormat::fp8_block);
  CHECK(encode_scenario(dec("model=deepseek-v3&dtype=fp8_block")) == "v=1&model=deepseek-v3");
  CHECK(encode_scenario(dec("model=deepseek-v3&dtype=bf16")) == "v=1&model=deepseek-v3&dtype=bf16");
  CHECK(dec("model=deepseek-v3").kv_format() == KvFormat::bf16);
}

TEST_CASE("a model's name and a custom GPU survive the link") {
  const Scenario s = dec("model=custom&name=Qwen%2FQwen3-30B-A3B&gpu=custom&gpu_mem=96&gpu_bw=4000&gpu_bf16=989.5");
  CHECK(s.name == "Qwen/Qwen3-30B-A3B");
  CHECK(s.gpu_spec.bf16_tflops == 989.5);
  CHECK(encode_scenario(s) == "v=1&model=custom&name=Qwen%2FQwen3-30B-A3B&gpu=custom&gpu_mem=96&gpu_bw=4000&gpu_bf16=989.5");
}

TEST_CASE("the KV type defaults to the weight type, or bf16 for quantised weights") {
  CHECK(dec("dtype=fp16").kv_format() == KvFormat::fp16);
  CHECK(dec("dtype=int4").kv_format() == KvFormat::bf16);
  CHECK(dec("dtype=fp16&kv=fp16").kv_format() == KvFormat::fp16);
  CHECK(encode_scenario(dec("dtype=fp16&kv=fp16")) == "v=1&dtype=fp16");
  CHECK(encode_scenario(dec("kv=fp8")) == "v=1&kv=fp8");
}

TEST_CASE("a damaged profile in a link is an error naming prof") {
  CHECK(first_error("prof=1~x").find("prof: ") == 0);
  CHECK(first_error("prof=2~a~b~1~1~1").find("prof: unknown GPU-profile link version") == 0);
  CHECK(first_error("prof=1~G~2026-01-01~3e12~2e-6~1e-6~bf16.1_16.4096x4096.1.5").find("grid size") != std::string::npos);
}
