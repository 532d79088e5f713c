// tests/core/rates_test.cpp — speeds under each timing model.
#include <catch2/catch.hpp>
#include <memory>

#include "core/rates.hpp"

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

TEST_CASE("the timing note names the fitted efficiencies and the engine, or the profile") {
  Scenario s;
  char expect[200];
  std::snprintf(expect, sizeof expect,
                "Timing: fitted (vLLM; efficiencies fitted to published measurements: %.0f%% GEMM, %.0f%% bandwidth "
                "\xE2\x80\x94 not measured on this GPU)",
                kFitted.gemm * 100, kFitted.bw_native * 100);
  CHECK(timing_note(s, nullptr) == expect);
  Calibration c;
  CHECK(timing_note(s, &c) == "Timing: fitted (measured speeds from the GPU profile; vLLM overheads fitted)");
  s.timing = TimingModel::roofline;
  CHECK(timing_note(s, nullptr) == "Timing: roofline");
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
  CHECK(gemm_s(h100, rate_terms<double>(h100), g) == Approx(g.flop() / (h100.peak_flop_per_s * kFitted.gemm_llamacpp_hopper)));
}
