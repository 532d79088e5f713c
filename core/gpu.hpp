// core/gpu.hpp — a GPU's datasheet figures (GpuSpec) and the built-in presets.
#pragma once
#include <span>
#include <string>
#include <string_view>

#include "dtype.hpp"

namespace llmcalc {

// Dense (non-sparse) peak matrix throughput per data type, FLOP/s (int8: OP/s). 0 = the device
// has no such tensor-core path.
struct PeakFlops {
  double fp32 = 0;  // plain FP32 (what PyTorch uses by default: TF32 matmul is off since 1.12)
  double tf32 = 0;
  double fp16 = 0;  // FP16 inputs, FP32 accumulate
  double bf16 = 0;  // BF16 inputs, FP32 accumulate
  double fp8 = 0;   // FP8 inputs, FP32 accumulate
  double int8 = 0;
  double fp4 = 0;   // FP4 (E2M1) inputs: Blackwell
  double fp16_acc16 = 0;  // FP16 inputs, FP16 accumulate where it is faster (GeForce: 2× fp16); 0 = as fp16
};

struct GpuSpec {
  PeakFlops peak;
  double memory_bytes = 0;        // bytes of device memory usable by programs
  double bandwidth_bytes_per_s = 0;     // datasheet device-memory bandwidth
  double interconnect_bytes_per_s = 0;  // per direction per GPU to its peers (NVLink or PCIe)
};

// Peak for a matmul whose inputs are of type `t`. int4, fp4 where there is no fp4 path, and fp8
// where there is no fp8 path fall back to 16-bit compute (weight-only quantisation dequantises to
// bf16/fp16 before the GEMM). Sets *fell_back when fp8 or int8 had no tensor-core path (4-bit
// formats are routinely weight-only, so that is no surprise).
double matmul_peak(const GpuSpec& g, DType t, bool* fell_back = nullptr, DType* used = nullptr);

struct GpuPreset {
  std::string_view id;
  std::string_view name;
  GpuSpec spec;
  std::string_view source;
};

std::span<const GpuPreset> gpu_presets();
// The preset a measured device is an instance of, from the name the driver reports
// ("NVIDIA H100 80GB HBM3" → h100-sxm, "NVIDIA A100-SXM4-40GB" → a100-40gb); nullptr if none.
const GpuPreset* match_gpu_preset(std::string_view device_name, double memory_bytes);
// Streaming multiprocessors of a preset's GPU (datasheets, whitepapers; docs/gpus.md); 0 where
// not recorded (non-NVIDIA devices, unconfirmed parts).
int preset_sm_count(std::string_view gpu_id);
// Board power of a preset's GPU, W (NVIDIA datasheets' max TDP / TGP; docs/gpus.md); 0 where not recorded.
double preset_board_power_w(std::string_view gpu_id);
// The share of its boost clock a GPU sustains under dense tensor-core load, from its board power: a card
// that budgets fewer watts per dense 16-bit TFLOP/s than its architecture's reference card (which holds
// its boost clock: A100 SXM for GA100, RTX 3090 for GA10x, RTX 4090 for Ada, H100 SXM for Hopper, B200
// for Blackwell) lowers its clock until the power fits. Dynamic power goes as f·V² with V rising with f
// along the DVFS curve, P ∝ f³: share = min(1, (W/TFLOP ÷ reference W/TFLOP)^(1/3)). 1 where the board power,
// the architecture or the reference is unknown. `spec` gives the peaks (a preset with overridden peaks).
double sustained_clock_share(std::string_view gpu_id, const GpuSpec& spec);

// How a measured device compares with the presets (issue #11): the name picks a preset, then the
// SM count and the memory must agree with it. A MIG slice ("… MIG 3g.40gb", or `mig` given) is no
// preset: `preset` is the GPU it is cut from. A device whose memory disagrees is matched to the
// preset of the same family whose memory and SMs agree (an H100 that reports 94 GB is an H100
// NVL); failing that it is a mismatch, and nothing is switched to it.
struct DeviceMatch {
  enum class Kind { none, exact, mig, mismatch };
  Kind kind = Kind::none;
  const GpuPreset* preset = nullptr;  // exact: the device's preset; mig, mismatch: the family's
  std::string mig;                    // the MIG profile ("3g.40gb") of a slice
  std::string note;                   // one line for the user (empty when exact)
};
DeviceMatch identify_device(std::string_view name, int sm_count, double memory_bytes, std::string_view mig = {});
// The MIG profile in a device name ("NVIDIA A100-SXM4-40GB MIG 1g.5gb" → "1g.5gb"), else "".
std::string mig_profile_of(std::string_view device_name);

// True when the device name matches the preset `gpu_id`.
bool gpu_matches(std::string_view device_name, std::string_view gpu_id);
const GpuPreset* find_gpu_preset(std::string_view id);
// The preset a person means: the id in any case, with or without '-', the usual short names
// ("H100" → h100-sxm, "A100" → a100-80gb, "4090" → rtx-4090, "MI300" → mi300x); nullptr when none.
const GpuPreset* lookup_gpu_preset(std::string_view typed);
// The nearest preset id for "did you mean", or "" when nothing is close.
std::string suggest_gpu_preset(std::string_view typed);

}  // namespace llmcalc
