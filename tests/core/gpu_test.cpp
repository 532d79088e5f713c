// tests/core/gpu_test.cpp — GPU presets and the matmul peak per data type.
#include <catch2/catch.hpp>
#include <string>

#include "core/gpu.hpp"

using namespace llmcalc;

TEST_CASE("the GPU presets the issue names exist with positive datasheet figures") {
  for (const char* id : {"a100-40gb", "a100-80gb", "h100-sxm", "h100-pcie", "h200", "b200", "l40s", "l4", "a10",
                         "rtx-3090", "rtx-4090", "mi300x"}) {
    INFO(id);
    const GpuPreset* p = find_gpu_preset(id);
    REQUIRE(p != nullptr);
    CHECK(p->spec.memory_bytes > 16e9);
    CHECK(p->spec.bandwidth_bytes_per_s > 2e11);
    CHECK(p->spec.peak.bf16 > p->spec.peak.fp32);
    CHECK(p->spec.interconnect_bytes_per_s > 0);
    CHECK_FALSE(p->source.empty());
  }
}

TEST_CASE("peaks are dense: H100 SXM bf16 is 989.4 TFLOP/s, not the sparse 1979") {
  const GpuSpec& h = find_gpu_preset("h100-sxm")->spec;
  CHECK(h.peak.bf16 == Approx(989.4e12));
  CHECK(h.peak.fp8 == Approx(2 * h.peak.bf16).epsilon(0.001));
}

TEST_CASE("matmul_peak falls back to 16-bit where the type has no tensor-core path") {
  const GpuSpec& a = find_gpu_preset("a100-80gb")->spec;
  bool fb = false;
  CHECK(matmul_peak(a, DType::fp8, &fb) == a.peak.bf16);
  CHECK(fb);
  CHECK(matmul_peak(a, DType::int8, &fb) == a.peak.int8);
  CHECK_FALSE(fb);
  CHECK(matmul_peak(a, DType::int4, &fb) == a.peak.bf16);
  CHECK_FALSE(fb);  // int4 is weight-only by design, not a fallback
  CHECK(matmul_peak(a, DType::fp32, &fb) == a.peak.fp32);
}
