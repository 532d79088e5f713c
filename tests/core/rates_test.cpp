// tests/core/rates_test.cpp — speeds under each timing model.
#include <catch2/catch.hpp>
#include <memory>

#include "core/rates.hpp"
#include "tests/core/helpers.hpp"

using namespace llmcalc;

namespace {
Resolved resolved(const char* text) { return resolve(decode_scenario(text)->scenario).value(); }
Rates rates(const char* text, std::vector<std::string>* warnings = nullptr) {
  std::vector<std::string> w;
  const Rates r = make_rates(decode_scenario(text)->scenario, resolved(text), w);
  if (warnings) *warnings = w;
  return r;
}
}  // namespace

TEST_CASE("the matmul type: the weight type when serving (int4 runs in bf16), the precision when training") {
  CHECK(rates("dtype=fp8").compute_dtype == DType::fp8);
  CHECK(rates("dtype=int4").compute_dtype == DType::bf16);
  CHECK(rates("mode=train&precision=fp32").compute_dtype == DType::fp32);
  std::vector<std::string> w;
  const Rates a100 = rates("gpu=a100-80gb&dtype=fp8", &w);
  CHECK(a100.compute_dtype == DType::bf16);
  CHECK(a100.peak_flop_per_s == 312e12);
  REQUIRE(w.size() == 1);
  CHECK(w[0] == "NVIDIA A100 80GB SXM has no fp8 tensor cores: weights are dequantised and multiplied in bf16");
}

TEST_CASE("GEMM time: at peak (roofline), at the default efficiency or the measured rate (calibrated)") {
  const Gemm<double> g{"test", "test FLOP", 1024, 4096, 4096, 1};
  const Rates roof = rates("timing=roofline");
  CHECK(gemm_s(roof, rate_terms<double>(roof), g) == Approx(g.flop() / roof.peak_flop_per_s));
  const Rates cal = rates("timing=calibrated");
  CHECK(gemm_s(cal, rate_terms<double>(cal), g) == Approx(g.flop() / (cal.peak_flop_per_s * kFitted.gemm)));
  Calibration c;
  c.bandwidth_bytes_per_s = 3e12;
  GemmGrid& grid = c.gemm[int(DType::bf16)];
  grid.m = {1024};
  grid.n = {4096};
  grid.k = {4096};
  grid.rate = {600e12};
  Rates measured = cal;
  measured.profile = &c;
  const RateTerms<double> t = rate_terms<double>(measured);
  CHECK(gemm_s(measured, t, g) == Approx(g.flop() / 600e12));
  CHECK(t.bandwidth == 3e12);
  CHECK(rate_terms<double>(cal).bandwidth == Approx(3.35e12 * kFitted.bw_native));
  CHECK(rate_terms<double>(roof).bandwidth == 3.35e12);
}

TEST_CASE("launches and elementwise kernels count only where the timing model says so") {
  const Rates roof = rates("timing=roofline"), cal = rates("timing=calibrated");
  CHECK(launches_s(roof, 100.0, true) == 0);
  CHECK(step_overhead_s<double>(roof) == 0);
  // an engine's kernels: fitted cost per kernel in a CUDA graph (vLLM) or launched from Python (transformers)
  CHECK(launches_s(cal, 100.0, true) == Approx(100 * kFitted.kernel_graph_s));
  CHECK(launches_s(rates("engine=hf"), 100.0, true) == Approx(100 * kFitted.kernel_eager_s));
  CHECK(step_overhead_s<double>(cal) == kFitted.step_s[int(Engine::vllm)]);
  CHECK(launches_s(rates("engine=none"), 100.0, false) == 0);  // model only, no profile: not counted
  CHECK(step_overhead_s<double>(rates("engine=none")) == 0);
  CHECK(elementwise_s(roof, rate_terms<double>(roof), 1e6, 1024.0, 2.0, 1.0) == 0);
  // elements × tokens × bytes × passes ÷ (0.85 × datasheet bandwidth)
  CHECK(elementwise_s(cal, rate_terms<double>(cal), 1e6, 1024.0, 2.0, 3.0) ==
        Approx(1e6 * 1024 * 2 * 3 / (3.35e12 * kFitted.bw_native)));
  CHECK(combine(TimingModel::additive, 2.0, 3.0) == 5);
  CHECK(combine(TimingModel::roofline, 2.0, 3.0) == 3);
}

TEST_CASE("the timing note names the efficiencies the estimate used and the engine or framework, or the profile") {
  char expect[240];
  // inference on an H100 (board power at its architecture's reference: no sustained-clock share)
  std::snprintf(expect, sizeof expect,
                "Timing: fitted (vLLM; efficiencies fitted to published measurements: %.0f%% GEMM, %.0f%% bandwidth "
                "\xE2\x80\x94 not measured on this GPU)",
                kFitted.gemm * 100, kFitted.bw_native * 100);
  auto note = [](const std::string& link) {
    const Estimate e = test::est(link);
    return timing_note(decode_scenario(link)->scenario, e.d.gemm_share, e.r.calibration.get());
  };
  CHECK(note("model=llama-3.1-8b&gpu=h100-sxm") == expect);
  // training with a framework: that framework's fitted GEMM share for the GPU's generation, not inference's
  std::snprintf(expect, sizeof expect,
                "Timing: fitted (Megatron-LM / NeMo; efficiencies fitted to published training runs: %.0f%% GEMM on this "
                "GPU \xE2\x80\x94 not measured on it)",
                kFitted.train_gemm[int(Generation::hopper)] * 100);
  CHECK(note("mode=train&framework=megatron&model=llama-3.1-8b&gpu=h100-sxm") == expect);
  CHECK(note("mode=train&model=llama-3.1-8b&gpu=h100-sxm").find("(no framework;") != std::string::npos);
  CHECK(note("model=llama-3.1-8b&gpu=h100-sxm&prof=1~G~d~3e12~5e-6~0") ==
        "Timing: fitted (measured speeds from the GPU profile; vLLM overheads fitted)");
  CHECK(note("model=llama-3.1-8b&timing=roofline") == "Timing: roofline");
  // an L40S (below its architecture's board-power reference) runs GEMMs at less than the fitted share
  const Estimate g = test::est("model=llama-3.1-8b&gpu=l40s");
  CHECK(g.d.gemm_share < kFitted.gemm);
}

// ---- a GPU profile's schema-1.1 sections: core uses each where present (issue #11) -------------

namespace {
using test::est;
using test::explained;
using test::fixture_link;
using test::without;
bool mentions(const std::string& scenario, const char* label) { return explained(scenario).find(label) != std::string::npos; }
}  // namespace

TEST_CASE("decode attention: the KV cache is read at the measured attention bandwidth") {
  const std::string link = fixture_link();
  const std::string base = "model=llama-3.1-8b&batch=32&prompt=8192&gen=512&prof=";
  const Estimate with = est(base + link), without_ad = est(base + without(link, "ad"));
  // the synthetic decode attention reaches 85% of 3 TB/s (less with its +5 µs): slower than the read bandwidth
  CHECK(with.decode.memory_s > without_ad.decode.memory_s * 1.05);
  CHECK(with.tpot_s > without_ad.tpot_s);
  CHECK(mentions(base + link, "KV read bandwidth of decode attention at 8448 tokens, batch 32, head_dim 128, GQA 4"));
  CHECK_FALSE(mentions(base + without(link, "ad"), "KV read bandwidth"));
}

TEST_CASE("prefill attention: the prompt's attention runs at the measured prefill-attention rate") {
  const std::string link = fixture_link();
  const std::string base = "model=llama-3.1-8b&prompt=32768&gen=2&prof=";
  CHECK(est(base + link).prefill.compute_s != est(base + without(link, "ap")).prefill.compute_s);
  CHECK(mentions(base + link, "prefill attention rate at 32768 tokens, head_dim 128 (batched GEMMs + softmax)"));
}

TEST_CASE("small kernels: the non-GEMM kernels take their measured times beyond an empty kernel") {
  const std::string link = fixture_link();
  const std::string base = "model=llama-3.1-8b&batch=1&prof=";
  const Estimate with = est(base + link), fallback = est(base + without(link, "ks"));  // one kernel missing: all fall back
  // synthetic: 2.5 µs + bytes at 60% of 3 TB/s per kernel, less the 2.2 µs empty kernel: 0.3 µs and up per kernel,
  // 6 kernels × 32 blocks + embedding + sampling ≥ 58 µs, where streaming the bytes alone takes ~2 µs
  CHECK(with.decode.elementwise_s > 55e-6);
  CHECK(fallback.decode.elementwise_s < 5e-6);
  CHECK(mentions(base + link, "rmsnorm moving 16.4 kB, beyond an empty kernel"));
}

TEST_CASE("usable memory: the measured context replaces the assumed 1 GB, the device's memory the preset's") {
  const std::string link = fixture_link();
  const Estimate none = est("model=llama-3.1-8b&engine=none&prof=" + link);
  CHECK(none.memory.overhead == 562.0 * 1024 * 1024);
  CHECK(est("model=llama-3.1-8b&engine=none").memory.overhead == 1e9);
  CHECK(est("mode=train&model=llama-3.1-8b&gpus=8&zero=3&prof=" + link).memory.overhead == 562.0 * 1024 * 1024);
  CHECK(est("model=llama-3.1-8b&engine=vllm&prof=" + link).memory.overhead == est("model=llama-3.1-8b&engine=vllm").memory.overhead);
  CHECK(none.capacity_bytes == 85520809984.0);
  // a profile of another GPU brings neither
  CHECK(est("model=llama-3.1-8b&engine=none&gpu=a100-80gb&prof=" + link).memory.overhead == 1e9);
}

TEST_CASE("collectives: an imported nccl-tests curve prices TP all-reduces at exactly its GPU count") {
  const std::string link = fixture_link();
  const std::string tp8 = "model=llama-3.1-70b&gpus=8&tp=8&batch=16&prof=";
  CHECK(est(tp8 + link).decode.comm_s != est(tp8 + without(link, "cr8")).decode.comm_s);
  CHECK(mentions(tp8 + link, "all_reduce of 262 kB over 8 GPUs (nccl-tests"));
  // 4 GPUs: no curve at 4 ranks, the ring formula
  const std::string tp4 = "model=llama-3.1-70b&gpus=4&tp=4&batch=16&prof=";
  CHECK(est(tp4 + link).decode.comm_s == est(tp4 + without(link, "cr8")).decode.comm_s);
  // ZeRO-3 training's all-gathers too
  const std::string z3 = "mode=train&model=llama-3.1-8b&gpus=8&zero=3&prof=";
  CHECK(est(z3 + link).d.dp_comm_s != est(z3 + without(link, "cg8")).d.dp_comm_s);
}

TEST_CASE("peer-to-peer: pipeline hand-offs within a node at the measured copy bandwidth and latency") {
  const std::string link = fixture_link();
  const std::string pp = "model=llama-3.1-70b&gpus=8&tp=4&pp=2&batch=4&prof=";
  CHECK(est(pp + link).decode.comm_s != est(pp + without(link, "p2p")).decode.comm_s);
  CHECK(mentions(pp + link, "peer-to-peer copy latency"));
}

TEST_CASE("grouped GEMMs: a routed expert's GEMM runs at the measured grouped rate") {
  const std::string link = fixture_link();
  const std::string moe = "model=mixtral-8x7b&gpus=2&tp=2&batch=8&prof=";
  CHECK(est(moe + link).decode.compute_s != est(moe + without(link, "gbf16")).decode.compute_s);
  CHECK(mentions(moe + link, "grouped (MoE) bf16 rate at"));
}

TEST_CASE("a profile's sections apply under timing=fitted only") {
  const std::string link = fixture_link();
  for (const char* t : {"roofline", "additive"}) {
    const std::string s = std::string("model=llama-3.1-8b&batch=32&prompt=8192&timing=") + t;
    CHECK(est(s + "&prof=" + link).tpot_s == est(s + "&prof=" + fixture_link(true)).tpot_s);
  }
}

TEST_CASE("llama.cpp reaches less of an HBM GPU's bandwidth, and of Hopper's peak") {
  const Rates a100 = rates("engine=llamacpp&gpu=a100-80gb&dtype=q4_k_m");
  const Rates vllm = rates("engine=vllm&gpu=a100-80gb&dtype=awq");
  const Rates rtx = rates("engine=llamacpp&gpu=rtx-4090&dtype=q4_k_m");
  CHECK(a100.hbm);
  CHECK_FALSE(rtx.hbm);
  CHECK(rate_terms<double>(a100).bandwidth == Approx(2039e9 * kFitted.bw_native * kFitted.bw_llamacpp_hbm));
  CHECK(rate_terms<double>(vllm).bandwidth == Approx(2039e9 * kFitted.bw_native));
  CHECK(rate_terms<double>(rtx).bandwidth == Approx(1008e9 * kFitted.bw_native));
  const Rates h100 = rates("engine=llamacpp&gpu=h100-pcie&dtype=fp16");
  const Gemm<double> g{"g", "g", 512.0, 4096.0, 4096.0, 1.0};
  // the H100 PCIe also sustains less than its boost clock under tensor load (350 W for 756 TFLOP/s)
  CHECK(h100.sustained < 1.0);
  CHECK(gemm_s(h100, rate_terms<double>(h100), g) ==
        Approx(g.flop() / (h100.peak_flop_per_s * kFitted.gemm_llamacpp_hopper * h100.sustained)));
}

TEST_CASE("board power slows the GEMMs of power-limited cards under the fitted engine and framework models only") {
  auto gemm_share = [](const std::string& s) {
    std::vector<std::string> w;
    const Scenario sc = decode_scenario(s)->scenario;
    return make_rates(sc, resolve(sc).value(), w).sustained;
  };
  CHECK(gemm_share("mode=infer&engine=llamacpp&gpu=rtx-6000-ada") == Approx(sustained_clock_share("rtx-6000-ada", find_gpu_preset("rtx-6000-ada")->spec)));
  CHECK(gemm_share("mode=infer&engine=llamacpp&gpu=rtx-6000-ada") < 0.9);
  CHECK(gemm_share("mode=train&framework=fsdp&gpu=h100-pcie") < 1.0);
  CHECK(gemm_share("mode=infer&engine=none&gpu=rtx-6000-ada") == 1.0);        // the model-only arithmetic
  CHECK(gemm_share("mode=train&gpu=h100-pcie") == 1.0);                       // framework=none
  CHECK(gemm_share("mode=infer&gpu=rtx-6000-ada&timing=roofline") == 1.0);    // the seed's timings
  CHECK(gemm_share("mode=infer&gpu=rtx-4090") == 1.0);
}
