// core/gpu.cpp — GPU presets from datasheets.
//
// Peaks are the dense (without 2:4 sparsity) tensor figures; datasheets often print the sparse
// number with an asterisk, which is exactly twice these. Memory is the capacity a program sees
// (nvidia-smi's "Total" where that is well known, otherwise the datasheet's GB). Interconnect is
// one direction of the GPU's NVLink (half the datasheet's bidirectional figure) or of its PCIe
// x16 link (Gen4: 32 GB/s, Gen5: 64 GB/s).
#include "gpu.hpp"

#include <cctype>
#include <string>

#include "units.hpp"

namespace llmcalc {

double matmul_peak(const GpuSpec& g, DType t, bool* fell_back) {
  double p = 0;
  switch (t) {
    case DType::fp32: p = g.peak.fp32; break;
    case DType::fp16: p = g.peak.fp16; break;
    case DType::bf16: p = g.peak.bf16; break;
    case DType::fp8: p = g.peak.fp8; break;
    case DType::int8: p = g.peak.int8; break;
    case DType::int4: p = 0; break;  // weight-only: computed in 16-bit
    case DType::fp4: p = g.peak.fp4; break;
  }
  const bool fb = p <= 0;
  if (fb) p = g.peak.bf16 > 0 ? g.peak.bf16 : g.peak.fp16;
  if (fell_back) *fell_back = fb && t != DType::int4 && t != DType::fp4;
  return p;
}

namespace {
constexpr double T = 1e12;
constexpr double MiB = kMiB;
// clang-format off
//                     fp32     tf32      fp16      bf16      fp8       int8       memory            bandwidth   interconnect
constexpr GpuPreset kGpus[] = {
  {"a100-40gb", "NVIDIA A100 40GB SXM", {{19.5*T, 156*T, 312*T, 312*T, 0, 624*T}, 40960*MiB, 1555e9, 300e9},
   "NVIDIA A100 Tensor Core GPU datasheet (2021), SXM column; NVLink 3: 600 GB/s bidirectional"},
  {"a100-80gb", "NVIDIA A100 80GB SXM", {{19.5*T, 156*T, 312*T, 312*T, 0, 624*T}, 81920*MiB, 2039e9, 300e9},
   "NVIDIA A100 Tensor Core GPU datasheet (2021), A100 80GB SXM column"},
  {"h100-sxm", "NVIDIA H100 SXM 80GB", {{67*T, 494.7*T, 989.4*T, 989.4*T, 1978.9*T, 1978.9*T}, 81559*MiB, 3.35e12, 450e9},
   "NVIDIA H100 Tensor Core GPU datasheet (2023), H100 SXM column; NVLink 4: 900 GB/s bidirectional"},
  {"h100-pcie", "NVIDIA H100 PCIe 80GB", {{51*T, 378*T, 756*T, 756*T, 1513*T, 1513*T}, 81559*MiB, 2.0e12, 64e9},
   "NVIDIA H100 Tensor Core GPU datasheet (2023), H100 PCIe column; PCIe Gen5 x16"},
  {"h200", "NVIDIA H200 SXM 141GB", {{67*T, 494.7*T, 989.4*T, 989.4*T, 1978.9*T, 1978.9*T}, 143771*MiB, 4.8e12, 450e9},
   "NVIDIA H200 Tensor Core GPU datasheet (2024), H200 SXM column; NVLink 4: 900 GB/s bidirectional"},
  {"b200", "NVIDIA B200 180GB", {{75*T, 1125*T, 2250*T, 2250*T, 4500*T, 4500*T}, 180e9, 8.0e12, 900e9},
   "NVIDIA DGX B200 datasheet (2024), per-GPU share of the 8-GPU system (dense = half of sparse); NVLink 5: 1.8 TB/s bidirectional"},
  {"l40s", "NVIDIA L40S 48GB", {{91.6*T, 183*T, 362.05*T, 362.05*T, 733*T, 733*T}, 46068*MiB, 864e9, 32e9},
   "NVIDIA L40S datasheet (2023); PCIe Gen4 x16"},
  {"l4", "NVIDIA L4 24GB", {{30.3*T, 60*T, 121*T, 121*T, 242.5*T, 242.5*T}, 23034*MiB, 300e9, 32e9},
   "NVIDIA L4 Tensor Core GPU datasheet (2023); PCIe Gen4 x16"},
  {"a10", "NVIDIA A10 24GB", {{31.2*T, 62.5*T, 125*T, 125*T, 0, 250*T}, 23028*MiB, 600e9, 32e9},
   "NVIDIA A10 Tensor Core GPU datasheet (2021); PCIe Gen4 x16"},
  {"rtx-3090", "NVIDIA GeForce RTX 3090", {{35.6*T, 35.6*T, 71*T, 71*T, 0, 284*T}, 24576*MiB, 936e9, 32e9},
   "NVIDIA Ampere GA102 GPU architecture whitepaper, Table 9 (FP16/BF16 with FP32 accumulate)"},
  {"rtx-4090", "NVIDIA GeForce RTX 4090", {{82.6*T, 82.6*T, 165.2*T, 165.2*T, 330.3*T, 660.6*T}, 24564*MiB, 1008e9, 32e9},
   "NVIDIA Ada Lovelace GPU architecture whitepaper, Appendix A, Table 2 (FP32 accumulate)"},
  {"mi300x", "AMD Instinct MI300X", {{163.4*T, 653.7*T, 1307.4*T, 1307.4*T, 2614.9*T, 2614.9*T}, 192*kGiB, 5.3e12, 448e9},
   "AMD Instinct MI300X datasheet (2023); Infinity Fabric: 896 GB/s aggregate bidirectional"},
};
// clang-format on
}  // namespace

std::span<const GpuPreset> gpu_presets() { return kGpus; }

const GpuPreset* match_gpu_preset(std::string_view name, double memory_bytes) {
  std::string n;
  for (char c : name) n += (c >= 'a' && c <= 'z') ? char(c - 32) : c;
  auto has = [&](const char* t) { return n.find(t) != std::string::npos; };
  // whole-token test, so "A10" does not match "A100" and "L4" not "L40S"
  auto token = [&](const char* t) {
    const std::string tok(t);
    for (size_t p = n.find(tok); p != std::string::npos; p = n.find(tok, p + 1)) {
      const bool l = p == 0 || !std::isalnum(static_cast<unsigned char>(n[p - 1]));
      const size_t e = p + tok.size();
      const bool r = e >= n.size() || !std::isalnum(static_cast<unsigned char>(n[e]));
      if (l && r) return true;
    }
    return false;
  };
  const char* id = nullptr;
  if (has("H200")) id = "h200";
  else if (has("H100")) id = has("PCIE") ? "h100-pcie" : "h100-sxm";
  else if (has("B200")) id = "b200";
  else if (has("A100")) id = (memory_bytes > 60e9 || has("80GB")) ? "a100-80gb" : "a100-40gb";
  else if (token("L40S")) id = "l40s";
  else if (token("L4")) id = "l4";
  else if (token("A10")) id = "a10";
  else if (has("4090")) id = "rtx-4090";
  else if (has("3090")) id = "rtx-3090";
  else if (has("MI300X")) id = "mi300x";
  return id ? find_gpu_preset(id) : nullptr;
}

bool gpu_matches(std::string_view name, std::string_view gpu_id) {
  const GpuPreset* p = match_gpu_preset(name, 0);
  if (!p) return false;
  if (p->id == gpu_id) return true;
  // the 40 GB / 80 GB A100 cannot be told apart by name alone
  return (p->id == "a100-40gb" || p->id == "a100-80gb") && (gpu_id == "a100-40gb" || gpu_id == "a100-80gb");
}

const GpuPreset* find_gpu_preset(std::string_view id) {
  for (const auto& p : kGpus)
    if (p.id == id) return &p;
  return nullptr;
}

}  // namespace llmcalc
