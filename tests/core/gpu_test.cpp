// tests/core/gpu_test.cpp — GPU presets and the matmul peak per data type.
#include <catch2/catch.hpp>
#include <cmath>
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

TEST_CASE("device identity: SM count and memory must agree with the preset the name picks (issue #11, 11)") {
  using K = DeviceMatch::Kind;
  const double MiB = 1048576.0;
  // exact
  DeviceMatch d = identify_device("NVIDIA H100 80GB HBM3", 132, 81559 * MiB);
  CHECK(d.kind == K::exact);
  CHECK(d.preset->id == "h100-sxm");
  CHECK(d.note.empty());
  // H100 NVL by name, and an H100 whose memory says NVL although its name does not
  CHECK(identify_device("NVIDIA H100 NVL", 132, 95830 * MiB).preset->id == "h100-nvl");
  d = identify_device("NVIDIA H100", 132, 95830 * MiB);
  CHECK(d.kind == K::exact);
  CHECK(d.preset->id == "h100-nvl");
  CHECK(d.note.find("the NVIDIA H100 NVL 94GB, not the NVIDIA H100 SXM 80GB its name suggests") != std::string::npos);
  // GH200: 96 GB HBM3 and 144 GB HBM3e parts
  CHECK(identify_device("NVIDIA GH200 480GB", 132, 97871 * MiB).preset->id == "gh200");
  CHECK(identify_device("NVIDIA GH200 144G HBM3e", 132, 146831 * MiB).preset->id == "gh200-144gb");
  CHECK(identify_device("NVIDIA GH200 480GB", 132, 97871 * MiB).kind == K::exact);
  // MIG slices: the parent preset, flagged
  d = identify_device("NVIDIA A100-SXM4-40GB MIG 1g.5gb", 14, 4.8e9);
  CHECK(d.kind == K::mig);
  CHECK(d.mig == "1g.5gb");
  CHECK(d.preset->id == "a100-40gb");
  CHECK(identify_device("NVIDIA H100 80GB HBM3", 16, 10e9, "1g.10gb").kind == K::mig);
  CHECK(mig_profile_of("NVIDIA H100 80GB HBM3 MIG 7g.80gb") == "7g.80gb");
  CHECK(mig_profile_of("NVIDIA H100 80GB HBM3") == "");
  // disagreeing SMs or memory with no sibling that agrees: a mismatch
  d = identify_device("NVIDIA H100 80GB HBM3", 100, 81559 * MiB);
  CHECK(d.kind == K::mismatch);
  CHECK(d.note.find("reports 100 SMs") != std::string::npos);
  CHECK(identify_device("NVIDIA H200", 132, 40e9).kind == K::mismatch);
  // unknown
  CHECK(identify_device("Some Accelerator", 10, 1e9).kind == K::none);
  // SM counts are recorded for the NVIDIA presets people calibrate
  for (const char* id : {"a100-40gb", "a100-80gb", "h100-sxm", "h100-pcie", "h100-nvl", "h200", "gh200", "l40s", "l4", "rtx-4090"}) {
    INFO(id);
    CHECK(preset_sm_count(id) > 0);
  }
}

TEST_CASE("board power: cards that budget fewer watts per TFLOP/s than their architecture's reference slow down") {
  auto share = [](const char* id) { return sustained_clock_share(id, find_gpu_preset(id)->spec); };
  // the references hold their clocks
  for (const char* id : {"a100-80gb", "rtx-3090", "rtx-4090", "h100-sxm", "b200"}) CHECK(share(id) == 1.0);
  // RTX 6000 Ada: 300 W for 364.2 TFLOP/s against the RTX 4090's 450 W for 330.3: (0.824 / 1.362)^(1/3)
  CHECK(share("rtx-6000-ada") == Approx(std::cbrt((300 / 364.2) / (450 / 330.3))));
  CHECK(share("l40s") < 1.0);
  CHECK(share("l40s") > share("rtx-6000-ada"));
  CHECK(share("h100-pcie") == Approx(std::cbrt((350 / 756.0) / (700 / 989.4))));
  CHECK(share("rtx-4080") == 1.0);  // more watts per TFLOP/s than the 4090: no limit
  CHECK(share("a100-pcie-80gb") < 1.0);
  CHECK(share("mi300x") == 1.0);    // no board power recorded, no family: unchanged
  CHECK(preset_board_power_w("h100-sxm") == 700);
  CHECK(preset_board_power_w("m2-ultra") == 0);
}
