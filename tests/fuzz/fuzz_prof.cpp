// tests/fuzz/fuzz_prof.cpp — the link's compact GPU profile (prof=): refused with a message, or
// read into values a measurement can have, whose canonical text reads back exactly, and whose
// rates are finite at any shape.
#include <cstddef>
#include <cstdint>

#include "check.hpp"
#include "core/calibration.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace llmcalc;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<Calibration> c = decode_calibration(text);
  if (!c) {
    fuzz::check_error(c.error());
    return 0;
  }
  const Calibration& cal = c.value();
  FUZZ_CHECK(cal.bandwidth_bytes_per_s >= kMinBandwidth && cal.bandwidth_bytes_per_s <= kMaxBandwidth);
  FUZZ_CHECK(cal.launch_stream_s <= kMaxLaunch && cal.launch_graph_s <= kMaxLaunch);
  const std::string canon = encode_calibration(cal);
  Result<Calibration> back = decode_calibration(canon);
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(encode_calibration(back.value()) == canon);
  FUZZ_CHECK(decode_calibration(encode_calibration(back.value())).value() == back.value());
  for (DType t : kAllDTypes)
    for (double m : {1.0, 7.0, 4096.0, 1e6})
      for (double nk : {1.0, 4096.0, 1e5}) {
        const double r = measured_gemm_rate(&cal, t, m, nk, nk);
        FUZZ_CHECK(std::isfinite(r) && r >= 0 && r <= kMaxFlops);
        const double g = measured_grouped_rate(&cal, t, m, nk, nk);
        FUZZ_CHECK(std::isfinite(g) && g >= 0 && g <= kMaxFlops);
      }
  // the schema-1.1 look-ups: finite and within what a measurement can be, at any shape
  for (double x : {1.0, 7.0, 4096.0, 1e6, 1e12}) {
    for (int bits : {4, 8}) {
      const double w = measured_weight_only_rate(&cal, bits, x, 4096, 4096);
      FUZZ_CHECK(std::isfinite(w) && w >= 0 && w <= kMaxFlops);
      const double b = weight_only_bandwidth(&cal, bits);
      FUZZ_CHECK(std::isfinite(b) && b >= 0);
    }
    const double a = measured_decode_attention_bandwidth(&cal, x, 8, 128, 4);
    FUZZ_CHECK(std::isfinite(a) && a >= 0 && a <= kMaxBandwidth);
    const double p = measured_prefill_attention_rate(&cal, x, 128);
    FUZZ_CHECK(std::isfinite(p) && p >= 0 && p <= kMaxFlops);
    for (int k = 0; k < kSmallKernelCount; ++k) {
      const double s = measured_small_kernel_s(&cal, SmallKernel(k), x);
      FUZZ_CHECK(std::isfinite(s) && s >= 0);
    }
    for (int o = 0; o < kCollectiveCount; ++o) {
      const double s = measured_collective_s(&cal, Collective(o), 8, x);
      FUZZ_CHECK(std::isfinite(s) && s >= 0);
    }
  }
  return 0;
}
