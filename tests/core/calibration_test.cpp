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

// ---- schema-1.1 sections in the link ------------------------------------------------------------

namespace {
Calibration full() {
  Calibration c = sample();
  GemmGrid& w4 = c.weight_only[0];
  w4.m = {1, 16};
  w4.n = {4096};
  w4.k = {4096};
  w4.rate = {4e12, 60e12};
  GemmGrid& g = c.grouped[static_cast<int>(DType::bf16)];
  g.m = {1, 8};
  g.n = {14336};
  g.k = {4096};
  g.rate = {10e12, 80e12};
  c.attn_decode = {{512, 1, 128, 4, 1.5e12}, {8192, 8, 128, 4, 2.6e12}};
  c.attn_prefill = {{2048, 128, 300e12}, {8192, 128, 450e12}};
  c.small[static_cast<int>(SmallKernel::rmsnorm)] = {{16384, 268435456}, {2.5e-6, 150e-6}};
  c.memory_bytes = 85520809984;
  c.context_bytes = 589299712;
  c.collectives = {{Collective::all_reduce, 8, {{8, 1048576, 268435456}, {12e-6, 20e-6, 1.4e-3}}}};
  c.p2p_bytes_per_s = 3.78e11;
  c.p2p_latency_s = 8.01e-6;
  return c;
}
}  // namespace

TEST_CASE("every 1.1 section travels in the link and reads back exactly") {
  const Calibration c = full();
  const std::string text = encode_calibration(c);
  for (const char* sec : {"~w4.", "~gbf16.", "~ad.512x1x128x4_8192x8x128x4.", "~ap.", "~kn.16384_268435456.", "~mem.85520809984_589299712",
                          "~cr8.8_1048576_268435456.", "~p2p.3.78e11_8.01e-6"}) {
    INFO(sec);
    CHECK(text.find(sec) != std::string::npos);
  }
  Result<Calibration> d = decode_calibration(text);
  REQUIRE(d.ok());
  CHECK(d.value() == c);  // every value here has 3 significant digits or is whole
  CHECK(encode_calibration(d.value()) == text);
  // links made before 1.1 read with the new sections empty
  Result<Calibration> old = decode_calibration(encode_calibration(sample()));
  REQUIRE(old.ok());
  CHECK(old->attn_decode.empty());
  CHECK(old->collectives.empty());
  CHECK(old->memory_bytes == 0);
}

TEST_CASE("damaged 1.1 sections are refused with a message") {
  const std::string head = "1~G~d~3e12~0~0~bf16.1.4096x4096.100";
  for (const char* bad : {"~ad.512x1x128.1", "~ad.0x1x128x4.1", "~ad.512x1x128x4.1_2", "~ad.512x1x128x4.1e9", "~ap.2048x128.0",
                          "~ap.8192x128_2048x128.1_1", "~kn.16384_16.1e-6_1e-6", "~kn.16384.5", "~kq.1.1e-6", "~mem.100_200",
                          "~mem.1e16_0", "~cr1.8.1e-5", "~cx8.8.1e-5", "~cr8.8.1e-5~cr8.8.1e-5", "~p2p.1e15_1e-6",
                          "~p2p.1e10_1", "~w4.1.1x1.0", "~gint4.1.1x1.1", "~zz.1.1", "~w4.1.1x1.1~w4.1.1x1.1"}) {
    INFO(bad);
    CHECK_FALSE(decode_calibration(head + bad).ok());
  }
}

TEST_CASE("1.1 look-ups: curves, blends, weight-only range, collectives only at their GPU count") {
  const Calibration c = full();
  const Curve& norm = c.small[static_cast<int>(SmallKernel::rmsnorm)];
  CHECK(curve_at(norm, 100) == Approx(2.5e-6));                      // below the first point: the first
  CHECK(curve_at(norm, 2 * 268435456.0) == Approx(300e-6));          // beyond the last: proportional
  CHECK(curve_at(norm, std::sqrt(16384.0 * 268435456)) == Approx(std::sqrt(2.5e-6 * 150e-6)));  // log-log midpoint
  CHECK(measured_small_kernel_s(&c, SmallKernel::rope, 1e6) == 0);  // not measured
  CHECK(measured_decode_attention_bandwidth(&c, 8192, 8, 128, 4) == Approx(2.6e12));
  const double between = measured_decode_attention_bandwidth(&c, 2048, 2, 128, 4);
  CHECK(between > 1.5e12);
  CHECK(between < 2.6e12);
  CHECK(measured_prefill_attention_rate(&c, 4096, 128) == Approx(std::sqrt(300e12 * 450e12)));
  CHECK(measured_prefill_attention_rate(&c, 65536, 64) == Approx(450e12));  // nearest head_dim, last value
  CHECK(measured_weight_only_rate(&c, 4, 16, 4096, 4096) == Approx(60e12));
  CHECK(measured_weight_only_rate(&c, 4, 64, 4096, 4096) == 0);  // above the measured M: the 16-bit path prices it
  CHECK(measured_weight_only_rate(&c, 8, 1, 4096, 4096) == 0);
  CHECK(weight_only_bandwidth(&c, 4) == Approx(4e12 * kW4A16BytesPerWeight / 2));
  CHECK(measured_grouped_rate(&c, DType::bf16, 8, 14336, 4096) == Approx(80e12));
  CHECK(measured_collective_s(&c, Collective::all_reduce, 8, 1048576) == Approx(20e-6));
  CHECK(measured_collective_s(&c, Collective::all_reduce, 4, 1048576) == 0);
  CHECK(measured_collective_s(&c, Collective::all_gather, 8, 1048576) == 0);
}
