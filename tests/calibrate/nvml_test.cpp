// tests/calibrate/nvml_test.cpp — a phase's NVML samples summarised (issue #11, 7).
#include <catch2/catch.hpp>

#include "nvml.hpp"

using namespace calib;

TEST_CASE("a phase's clock, power and temperature: median, range, peaks") {
  const llmcalc::PhaseClocks c = summarize_clocks("gemm", {{1980, 500, 60}, {1755, 700, 71}, {1830, 690, 70}, {1980, 650, 66}, {1905, 680, 69}});
  CHECK(c.phase == "gemm");
  CHECK(c.samples == 5);
  CHECK(c.sm_clock_mhz_min == 1755);
  CHECK(c.sm_clock_mhz_max == 1980);
  CHECK(c.sm_clock_mhz_median == 1905);
  CHECK(c.power_w_median == 680);
  CHECK(c.power_w_max == 700);
  CHECK(c.temperature_c_max == 71);
  const llmcalc::PhaseClocks none = summarize_clocks("launch", {});
  CHECK(none.samples == 0);
  CHECK(none.sm_clock_mhz_max == 0);
}

TEST_CASE("a sampler without NVML samples nothing and says so") {
  ClockSampler s(nullptr);
  CHECK_FALSE(s.active());
  s.begin("gemm");
  CHECK(s.end().samples == 0);
}
