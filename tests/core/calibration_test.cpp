// tests/core/calibration_test.cpp — the shape-dependent rate model and the link form.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/calibration.hpp"

using namespace llmcalc;

namespace {
// Two (N, K) columns, M = 1, 16, 256; rates in FLOP/s.
Calibration sample() {
  Calibration c;
  c.device = "NVIDIA H100 80GB HBM3";
  c.date = "2026-11-24";
  c.bandwidth_bytes_per_s = 3.1e12;
  c.launch_stream_s = 2.4e-6;
  c.launch_graph_s = 1.2e-6;
  GemmGrid& g = c.gemm[static_cast<int>(DType::bf16)];
  g.m = {1, 16, 256};
  g.n = {4096, 16384};
  g.k = {4096, 16384};
  g.rate = {2e12, 32e12, 500e12,   // 4096×4096
            3e12, 48e12, 700e12};  // 16384×16384
  return c;
}
}  // namespace

TEST_CASE("no calibration: nothing measured") {
  CHECK(measured_gemm_rate(nullptr, DType::bf16, 4096, 4096, 4096) == 0);
  CHECK(launch_s(nullptr, true) == 0);
}

TEST_CASE("measured points are returned exactly") {
  const Calibration c = sample();
  CHECK(measured_gemm_rate(&c, DType::bf16, 16, 4096, 4096) == Approx(32e12));
  CHECK(measured_gemm_rate(&c, DType::bf16, 256, 16384, 16384) == Approx(700e12));
  CHECK(launch_s(&c, true) == 1.2e-6);
  CHECK(launch_s(&c, false) == 2.4e-6);
}

TEST_CASE("interpolation is linear in log M and log rate between measured M") {
  const Calibration c = sample();
  // M = 4 is halfway between 1 and 16 in log M: the geometric mean of 2 and 32 TFLOP/s
  CHECK(measured_gemm_rate(&c, DType::bf16, 4, 4096, 4096) == Approx(8e12));
  // beyond the grid: the nearest measured value
  CHECK(measured_gemm_rate(&c, DType::bf16, 65536, 4096, 4096) == Approx(500e12));
}

TEST_CASE("between (N, K) columns: inverse-square-distance blend in log space") {
  const Calibration c = sample();
  // 8192×8192 is equidistant from both columns in (log N, log K): geometric mean
  CHECK(measured_gemm_rate(&c, DType::bf16, 256, 8192, 8192) == Approx(std::sqrt(500e12 * 700e12)));
  // closer to 4096² → closer to its rate
  const double r = measured_gemm_rate(&c, DType::bf16, 256, 5000, 5000);
  CHECK(r > 500e12);
  CHECK(r < std::sqrt(500e12 * 700e12));
}

TEST_CASE("a data type that was not measured has no rate (rates.hpp then uses its default)") {
  const Calibration c = sample();
  CHECK(measured_gemm_rate(&c, DType::fp8, 256, 4096, 4096) == 0);
}

TEST_CASE("the link form round-trips exactly after quantisation") {
  const Calibration c = sample();
  const std::string text = encode_calibration(c);
  for (char ch : text) {
    INFO(text);
    CHECK((std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '.' || ch == '_' || ch == '~'));
  }
  Result<Calibration> d = decode_calibration(text);
  REQUIRE(d.ok());
  CHECK(d->device == c.device);
  CHECK(d->date == c.date);
  CHECK(d->gemm[static_cast<int>(DType::bf16)].m == c.gemm[static_cast<int>(DType::bf16)].m);
  CHECK(d->bandwidth_bytes_per_s == Approx(3.1e12));
  CHECK(encode_calibration(d.value()) == text);
  CHECK(decode_calibration(encode_calibration(d.value())).value() == d.value());
  // quantised to three significant digits
  Calibration q = c;
  q.bandwidth_bytes_per_s = 3.14159e12;
  CHECK(decode_calibration(encode_calibration(q))->bandwidth_bytes_per_s == 3.14e12);
}

TEST_CASE("damaged link forms are refused with a message") {
  for (const char* bad : {"", "1", "1~a~b~x~1~1", "1~a~b~1~1~1~bf16.1.4096x4096", "1~a~b~1~1~1~bf99.1.1x1.1",
                          "1~a~b~1~1~1~bf16.1.4096.1", "1~a~b~1~1~1~bf16.1.1x1.-1", "1~a~b~1~1~1~bf16.1.1x1.1~bf16.1.1x1.1"}) {
    INFO(bad);
    CHECK_FALSE(decode_calibration(bad).ok());
  }
  CHECK(decode_calibration("7~a~b~1~1~1").error().code == ErrorCode::unsupported_version);
}
