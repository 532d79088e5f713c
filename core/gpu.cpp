// core/gpu.cpp — GPU presets from datasheets.
//
// Peaks are the dense (without 2:4 sparsity) tensor figures; datasheets often print the sparse
// number with an asterisk, which is exactly twice these. Memory is the capacity a program sees
// (nvidia-smi's "Total" where that is well known, otherwise the datasheet's GB). Interconnect is
// one direction of the GPU's NVLink (half the datasheet's bidirectional figure) or of its PCIe
// x16 link (Gen4: 32 GB/s, Gen5: 64 GB/s).
#include "gpu.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "text.hpp"

#include <cctype>
#include <string>

#include "units.hpp"

namespace llmcalc {

double matmul_peak(const GpuSpec& g, DType t, bool* fell_back, DType* used) {
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
  if (used) *used = fb ? (g.peak.bf16 > 0 ? DType::bf16 : DType::fp16) : t;
  if (fb) p = g.peak.bf16 > 0 ? g.peak.bf16 : g.peak.fp16;
  if (fell_back) *fell_back = fb && t != DType::int4 && t != DType::fp4;
  return p;
}

namespace {
constexpr double T = 1e12;
constexpr double MiB = kMiB;
// clang-format off
// Dense peaks in TFLOP/s (T); memory as the driver reports it (nvidia-smi MiB) where known, else
// the marketed GB; bandwidth and interconnect (one direction) in bytes/s. [D] marks a figure derived
// from printed ones by the rule given; docs/gpus.md has every figure's source.
//                                    fp32       tf32       fp16        bf16        fp8         int8        fp4
constexpr GpuPreset kGpus[] = {
  {"a100-40gb", "NVIDIA A100 40GB SXM", {{19.5*T, 156*T, 312*T, 312*T, 0, 624*T}, 40960*MiB, 1555e9, 300e9},
   "NVIDIA A100 Tensor Core GPU datasheet (2021), SXM column; NVLink 3: 600 GB/s bidirectional"},
  {"a100-80gb", "NVIDIA A100 80GB SXM", {{19.5*T, 156*T, 312*T, 312*T, 0, 624*T}, 81920*MiB, 2039e9, 300e9},
   "NVIDIA A100 Tensor Core GPU datasheet (2021), A100 80GB SXM column"},
  {"a100-pcie-40gb", "NVIDIA A100 PCIe 40GB", {{19.5*T, 156*T, 312*T, 312*T, 0, 624*T}, 40960*MiB, 1555e9, 32e9},
   "NVIDIA A100 datasheet (40GB PCIe column); PCIe Gen4 x16 (NVLink bridge pairs: 300 GB/s)"},
  {"a100-pcie-80gb", "NVIDIA A100 PCIe 80GB", {{19.5*T, 156*T, 312*T, 312*T, 0, 624*T}, 81920*MiB, 1935e9, 32e9},
   "NVIDIA A100 80GB datasheet (PCIe column: 1,935 GB/s); PCIe Gen4 x16"},
  {"a800", "NVIDIA A800 SXM4 80GB", {{19.5*T, 156*T, 312*T, 312*T, 0, 624*T}, 81920*MiB, 2039e9, 200e9},
   "China-market A100 80GB (compute and memory as A100; Reuters via Tweakers); NVLink cut to 400 GB/s bidirectional. No NVIDIA datasheet"},
  {"h100-sxm", "NVIDIA H100 SXM 80GB", {{67*T, 494.7*T, 989.4*T, 989.4*T, 1978.9*T, 1978.9*T}, 81559*MiB, 3.35e12, 450e9},
   "NVIDIA H100 Tensor Core GPU datasheet (2023), H100 SXM column; NVLink 4: 900 GB/s bidirectional"},
  {"h100-pcie", "NVIDIA H100 PCIe 80GB", {{51*T, 378*T, 756*T, 756*T, 1513*T, 1513*T}, 81559*MiB, 2.0e12, 64e9},
   "NVIDIA H100 Tensor Core GPU datasheet (2023), H100 PCIe column; PCIe Gen5 x16"},
  {"h100-nvl", "NVIDIA H100 NVL 94GB", {{60*T, 417.5*T, 835.5*T, 835.5*T, 1670.5*T, 1670.5*T}, 95830*MiB, 3.9e12, 300e9},
   "NVIDIA H100 datasheet, H100 NVL column (dense = half of sparse); product brief PB-11773; NVLink bridge 600 GB/s bidirectional"},
  {"h100-96gb", "NVIDIA H100 SXM5 96GB", {{67*T, 494.7*T, 989.4*T, 989.4*T, 1978.9*T, 1978.9*T}, 97871*MiB, 3.36e12, 450e9},
   "unofficial: no NVIDIA datasheet; SKU in pci.ids (2338 'H100 SXM5 96GB') and TechPowerUp (96 GB, 3.36 TB/s, H100 SXM compute)"},
  {"h800", "NVIDIA H800 SXM5 80GB", {{67*T, 494.5*T, 989.5*T, 989.5*T, 1979*T, 1979*T}, 81559*MiB, 3.35e12, 200e9},
   "China-market H100: no NVIDIA datasheet; channel copies of NVIDIA's table, LMSYS/Ant Group dense table (2025); NVLink 400 GB/s bidirectional"},
  {"h20", "NVIDIA H20 96GB", {{44*T, 74*T, 148*T, 148*T, 296*T, 296*T}, 97871*MiB, 4.0e12, 450e9},
   "China-market Hopper: no NVIDIA datasheet; LMSYS/Ant Group blog (2025-09) dense 148 BF16 / 296 FP8; TF32 74 as printed (inconsistent with FP32 44)"},
  {"h200", "NVIDIA H200 SXM 141GB", {{67*T, 494.7*T, 989.4*T, 989.4*T, 1978.9*T, 1978.9*T}, 143771*MiB, 4.8e12, 450e9},
   "NVIDIA H200 Tensor Core GPU datasheet (2024), H200 SXM column; NVLink 4: 900 GB/s bidirectional"},
  {"gh200", "NVIDIA GH200 96GB", {{67*T, 494*T, 990*T, 990*T, 1979*T, 1979*T}, 97871*MiB, 4.0e12, 450e9},
   "NVIDIA GH200 Grace Hopper Superchip datasheet (HBM3 96 GB column, dense); GPU memory only (Grace LPDDR5X not counted)"},
  {"gh200-144gb", "NVIDIA GH200 144GB", {{67*T, 494*T, 990*T, 990*T, 1979*T, 1979*T}, 146831*MiB, 4.9e12, 450e9},
   "NVIDIA GH200 Grace Hopper Superchip datasheet (HBM3e 144 GB column, dense); GPU memory only"},
  {"b200", "NVIDIA B200 180GB", {{75*T, 1125*T, 2250*T, 2250*T, 4500*T, 4500*T, 9000*T}, 180e9, 8.0e12, 900e9},
   "NVIDIA DGX B200 datasheet (2024), per-GPU share of the 8-GPU system (dense = half of sparse; FP4 144 PF sparse per 8 GPUs); NVLink 5: 1.8 TB/s bidirectional"},
  {"b300", "NVIDIA B300 (HGX) 270GB", {{75*T, 1125*T, 2250*T, 2250*T, 4500*T, 154*T, 13500*T}, 275040*MiB, 7.7e12, 900e9},
   "NVIDIA Blackwell Ultra datasheet, HGX B300 column (dense = half of sparse; NVFP4 108 PF dense per 8 GPUs); INT8 cut on Blackwell Ultra (307 TOPS sparse); NVLink 5"},
  {"gb200", "NVIDIA GB200 (per GPU) 186GB", {{80*T, 1250*T, 2500*T, 2500*T, 5000*T, 5000*T, 10000*T}, 189471*MiB, 8.0e12, 900e9},
   "NVIDIA Blackwell datasheet, GB200 per GPU (dense = half of sparse; NVFP4 10 PF dense); NVLink 5: 1.8 TB/s bidirectional"},
  {"l40", "NVIDIA L40 48GB", {{90.5*T, 90.5*T, 181.05*T, 181.05*T, 362*T, 362*T}, 46068*MiB, 864e9, 32e9},
   "NVIDIA L40 datasheet (dense); PCIe Gen4 x16, no NVLink"},
  {"l40s", "NVIDIA L40S 48GB", {{91.6*T, 183*T, 362.05*T, 362.05*T, 733*T, 733*T}, 46068*MiB, 864e9, 32e9},
   "NVIDIA L40S datasheet (2023); PCIe Gen4 x16"},
  {"l4", "NVIDIA L4 24GB", {{30.3*T, 60*T, 121*T, 121*T, 242.5*T, 242.5*T}, 23034*MiB, 300e9, 32e9},
   "NVIDIA L4 Tensor Core GPU datasheet (2023); PCIe Gen4 x16"},
  {"a10", "NVIDIA A10 24GB", {{31.2*T, 62.5*T, 125*T, 125*T, 0, 250*T}, 23028*MiB, 600e9, 32e9},
   "NVIDIA A10 Tensor Core GPU datasheet (2021); PCIe Gen4 x16"},
  {"t4", "NVIDIA T4 16GB", {{8.1*T, 0, 65*T, 0, 0, 130*T}, 15360*MiB, 320e9, 16e9},
   "NVIDIA T4 datasheet (Turing: FP16 tensor cores, no BF16/TF32); PCIe Gen3 x16"},
  {"v100", "NVIDIA V100 SXM2 32GB", {{15.7*T, 0, 125*T, 0, 0, 0}, 32768*MiB, 900e9, 150e9},
   "NVIDIA V100 datasheet, SXM2 column (Volta: FP16 tensor cores only); NVLink 2: 300 GB/s bidirectional"},
  {"v100-16gb", "NVIDIA V100 SXM2 16GB", {{15.7*T, 0, 125*T, 0, 0, 0}, 16384*MiB, 900e9, 150e9},
   "NVIDIA V100 datasheet, SXM2 column"},
  {"rtx-a6000", "NVIDIA RTX A6000 48GB", {{38.7*T, 77.4*T, 154.8*T, 154.8*T, 0, 309.7*T}, 49140*MiB, 768e9, 32e9},
   "NVIDIA RTX A6000 datasheet; GA102 whitepaper (BF16 with FP32 accumulate 154.8 dense); PCIe Gen4 (NVLink bridge pairs 56 GB/s)"},
  {"rtx-6000-ada", "NVIDIA RTX 6000 Ada 48GB", {{91.1*T, 182.1*T, 364.2*T, 364.2*T, 728.5*T, 728.5*T}, 49140*MiB, 960e9, 32e9},
   "NVIDIA RTX 6000 Ada datasheet (FP8 1,457 sparse); [D] FP16/BF16 = FP8 dense ÷ 2, TF32 ÷ 4, INT8 = FP8; PCIe Gen4, no NVLink"},
  {"rtx-3060", "NVIDIA GeForce RTX 3060 12GB", {{12.74*T, 12.7*T, 25.5*T, 25.5*T, 0, 102*T, 0, 51*T}, 12288*MiB, 360e9, 32e9},
   "TechPowerUp spec (15 Gbps, 360 GB/s); [D] tensor: 112 TCs × 1.777 GHz × 256 = 51 FP16-acc, halved with FP32 accumulate (GeForce)"},
  {"rtx-3090", "NVIDIA GeForce RTX 3090", {{35.6*T, 35.6*T, 71*T, 71*T, 0, 284*T, 0, 142*T}, 24576*MiB, 936e9, 32e9},
   "NVIDIA Ampere GA102 GPU architecture whitepaper, Table 9 (FP16/BF16 with FP32 accumulate)"},
  {"rtx-4080", "NVIDIA GeForce RTX 4080 16GB", {{48.7*T, 48.7*T, 97.5*T, 97.5*T, 194.9*T, 389.9*T, 0, 195*T}, 16376*MiB, 716.8e9, 32e9},
   "Tom's Hardware spec table (FP16 390 sparse, 780 AI TOPS); [D] dense, FP32 accumulate halved as the Ada whitepaper's 4090 row"},
  {"rtx-4090", "NVIDIA GeForce RTX 4090", {{82.6*T, 82.6*T, 165.2*T, 165.2*T, 330.3*T, 660.6*T, 0, 330.3*T}, 24564*MiB, 1008e9, 32e9},
   "NVIDIA Ada Lovelace GPU architecture whitepaper, Appendix A, Table 2 (FP32 accumulate)"},
  {"rtx-5090", "NVIDIA GeForce RTX 5090 32GB", {{104.8*T, 104.8*T, 209.5*T, 209.5*T, 419*T, 838*T, 1676*T, 419*T}, 32607*MiB, 1792e9, 64e9},
   "NVIDIA RTX 5090 product page (3,352 AI TOPS = FP4 sparse), Tom's Hardware; [D] dense, FP16/BF16/FP8 with FP32 accumulate at half rate (GeForce); PCIe Gen5"},
  {"mi250x", "AMD Instinct MI250X (one GCD)", {{47.9*T, 0, 191.5*T, 191.5*T, 0, 191.5*T}, 64*kGiB, 1638.4e9, 50e9},
   "AMD MI250X spec table (383 TFLOPS FP16/BF16, 3.2 TB/s, 128 GB per package); a package is two GCDs, each a GPU to software: half of each; one Infinity Fabric link 50 GB/s"},
  {"mi300x", "AMD Instinct MI300X", {{163.4*T, 653.7*T, 1307.4*T, 1307.4*T, 2614.9*T, 2614.9*T}, 192*kGiB, 5.3e12, 448e9},
   "AMD Instinct MI300X datasheet (2023); Infinity Fabric: 896 GB/s aggregate bidirectional"},
  {"mi325x", "AMD Instinct MI325X", {{163.4*T, 653.7*T, 1307.4*T, 1307.4*T, 2614.9*T, 2614.9*T}, 256*kGiB, 6.0e12, 448e9},
   "AMD Instinct MI325X product page (256 GB HBM3E, 6 TB/s, 1,307.4 BF16 / 2,614.9 FP8 dense); Infinity Fabric as MI300X"},
  {"mi355x", "AMD Instinct MI355X", {{157.3*T, 0, 2516.6*T, 2516.6*T, 5033.2*T, 5033.2*T, 10066.4*T}, 288*kGiB, 8.0e12, 537e9},
   "AMD MI355X figures (288 GB HBM3E, 8 TB/s; dense 2,516.6 BF16, 5,033.2 FP8, 10,066.4 MXFP4); 7 Infinity Fabric links × 153.6 GB/s bidirectional"},
  {"m2-ultra", "Apple M2 Ultra 192GB (76-core GPU)", {{27.2*T, 27.2*T, 27.2*T, 27.2*T, 0, 0}, 0.75 * 192e9, 800e9, 10e9},
   "Apple (Mac Pro page: 76-core GPU up to 27.2 TFLOPS; 800 GB/s); GPU share of unified memory: macOS recommendedMaxWorkingSetSize ≈ 75% from 64 GB up (observed); Thunderbolt between Macs"},
  {"m3-max", "Apple M3 Max 128GB (40-core GPU)", {{14.32*T, 14.32*T, 14.32*T, 14.32*T, 0, 0}, 0.75 * 128e9, 400e9, 10e9},
   "TechPowerUp-derived spec (40-core M3 Max 14.32 TFLOPS FP32 = FP16); Apple: 400 GB/s; 75% of unified memory for the GPU (observed default)"},
  {"m4-max", "Apple M4 Max 128GB (40-core GPU)", {{17.2*T, 17.2*T, 17.2*T, 17.2*T, 0, 0}, 0.75 * 128e9, 546e9, 10e9},
   "Apple: 546 GB/s; [D] 17.2 TFLOPS = the 32-core M4 Max's 13.74 (TechPowerUp-derived) × 40/32 at its 1,678 MHz; 75% of unified memory for the GPU (observed default)"},
};
// clang-format on
}  // namespace

std::span<const GpuPreset> gpu_presets() { return kGpus; }

namespace {
// A per-preset figure from a table keyed by preset id; 0 when the preset has none recorded.
template <class T, size_t N>
T per_preset(const std::pair<std::string_view, T> (&table)[N], std::string_view gpu_id) {
  for (const auto& [id, v] : table)
    if (id == gpu_id) return v;
  return T(0);
}

// SM counts: NVIDIA datasheets and architecture whitepapers (A100: GA100 whitepaper; H100 SXM5 /
// PCIe / NVL, H800, H200, GH200: H100 whitepaper and product briefs; L40/L40S, RTX 6000 Ada,
// RTX 4080/4090: Ada whitepaper; others: their whitepapers). docs/gpus.md lists them.
constexpr std::pair<std::string_view, int> kSmCounts[] = {
    {"a100-40gb", 108}, {"a100-80gb", 108}, {"a100-pcie-40gb", 108}, {"a100-pcie-80gb", 108}, {"a800", 108},
    {"h100-sxm", 132},  {"h100-pcie", 114}, {"h100-nvl", 132},       {"h100-96gb", 132},      {"h800", 132},
    {"h20", 78},        {"h200", 132},      {"gh200", 132},          {"gh200-144gb", 132},    {"b200", 148},
    {"l40", 142},       {"l40s", 142},      {"l4", 58},              {"a10", 72},             {"t4", 40},
    {"v100", 80},       {"v100-16gb", 80},  {"rtx-a6000", 84},       {"rtx-6000-ada", 142},   {"rtx-3060", 28},
    {"rtx-3090", 82},   {"rtx-4080", 76},   {"rtx-4090", 128},       {"rtx-5090", 170},
};

std::string upper(std::string_view s) {
  std::string n;
  for (char c : s) n += (c >= 'a' && c <= 'z') ? char(c - 32) : c;
  return n;
}

bool memory_agrees(double preset_bytes, double measured_bytes) {
  return measured_bytes <= 0 || std::abs(measured_bytes - preset_bytes) <= 0.06 * preset_bytes;
}

bool sms_agree(std::string_view id, int sm_count) {
  const int want = preset_sm_count(id);
  return sm_count <= 0 || want == 0 || want == sm_count;
}

std::string_view family(std::string_view id) { return id.substr(0, id.find('-')); }

std::string describe(int sm_count, double memory_bytes) {
  std::string o = sm_count > 0 ? std::to_string(sm_count) + " SMs" : std::string("? SMs");
  return o + " and " + format_bytes(memory_bytes, ByteUnit::GB);
}
}  // namespace

const GpuPreset* match_gpu_preset(std::string_view name, double memory_bytes) {
  const std::string n = upper(name);
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
  const bool pcie = has("PCIE");
  if (has("GH200")) id = memory_bytes > 120e9 || has("144") ? "gh200-144gb" : "gh200";
  else if (has("H200")) id = "h200";
  else if (has("H100")) id = has("NVL") ? "h100-nvl" : pcie ? "h100-pcie" : (has("96GB") ? "h100-96gb" : "h100-sxm");
  else if (has("H800")) id = "h800";
  else if (token("H20")) id = "h20";
  else if (has("GB200")) id = "gb200";
  else if (has("B300")) id = "b300";
  else if (has("B200")) id = "b200";
  else if (has("A100")) {
    const bool big = memory_bytes > 60e9 || has("80GB");
    id = pcie ? (big ? "a100-pcie-80gb" : "a100-pcie-40gb") : (big ? "a100-80gb" : "a100-40gb");
  } else if (has("A800")) id = "a800";
  else if (token("L40S")) id = "l40s";
  else if (token("L40")) id = "l40";
  else if (token("T4")) id = "t4";
  else if (has("V100")) id = memory_bytes > 20e9 || has("32GB") ? "v100" : "v100-16gb";
  else if (has("A6000")) id = "rtx-a6000";
  else if (has("6000 ADA")) id = "rtx-6000-ada";
  else if (has("5090")) id = "rtx-5090";
  else if (has("4080")) id = "rtx-4080";
  else if (has("3060")) id = "rtx-3060";
  else if (token("L4")) id = "l4";
  else if (token("A10")) id = "a10";
  else if (has("4090")) id = "rtx-4090";
  else if (has("3090")) id = "rtx-3090";
  else if (has("MI300X")) id = "mi300x";
  else if (has("MI325X")) id = "mi325x";
  else if (has("MI355X")) id = "mi355x";
  else if (has("MI250X")) id = "mi250x";
  return id ? find_gpu_preset(id) : nullptr;
}

namespace {
// Board power, W: NVIDIA datasheets (max TDP; SXM modules, PCIe cards' max board power, GeForce TGP).
constexpr std::pair<std::string_view, double> kBoardPowerW[] = {
    {"a100-40gb", 400}, {"a100-80gb", 400}, {"a100-pcie-40gb", 250}, {"a100-pcie-80gb", 300}, {"a800", 400},
    {"h100-sxm", 700},  {"h100-pcie", 350}, {"h100-nvl", 400},       {"h100-96gb", 700},      {"h800", 700},
    {"h20", 400},       {"h200", 700},      {"b200", 1000},          {"l40", 300},            {"l40s", 350},
    {"l4", 72},         {"a10", 150},       {"t4", 70},              {"v100", 300},           {"v100-16gb", 300},
    {"rtx-a6000", 300}, {"rtx-6000-ada", 300}, {"rtx-3060", 170},    {"rtx-3090", 350},       {"rtx-4080", 320},
    {"rtx-4090", 450},  {"rtx-5090", 575},
};
// Architecture (die family) of a preset, and each one's reference card: the one assumed to hold its boost
// clock at its board power under tensor load (the datacenter flagship; for the GeForce dies the top card).
struct PowerFamily {
  std::string_view members[9];
  std::string_view reference;
};
constexpr PowerFamily kPowerFamilies[] = {
    {{"a100-40gb", "a100-80gb", "a100-pcie-40gb", "a100-pcie-80gb", "a800"}, "a100-80gb"},     // GA100
    {{"a10", "rtx-a6000", "rtx-3060", "rtx-3090"}, "rtx-3090"},                                 // GA10x (8 nm)
    {{"l40", "l40s", "l4", "rtx-6000-ada", "rtx-4080", "rtx-4090"}, "rtx-4090"},                // AD10x (4N)
    {{"h100-sxm", "h100-pcie", "h100-nvl", "h100-96gb", "h800", "h20", "h200"}, "h100-sxm"},   // GH100
    {{"b200"}, "b200"},                                                                        // GB100
};
double watts_per_tflops(std::string_view id, const GpuSpec& g) {
  const double tensor = std::max({g.peak.fp16_acc16, g.peak.fp16, g.peak.bf16});
  const double w = preset_board_power_w(id);
  return tensor > 0 && w > 0 ? w / (tensor / 1e12) : 0.0;
}
}  // namespace

double preset_board_power_w(std::string_view gpu_id) { return per_preset(kBoardPowerW, gpu_id); }

double sustained_clock_share(std::string_view gpu_id, const GpuSpec& spec) {
  for (const PowerFamily& f : kPowerFamilies)
    for (std::string_view m : f.members) {
      if (m.empty() || m != gpu_id) continue;
      const GpuPreset* ref = find_gpu_preset(f.reference);
      const double mine = watts_per_tflops(gpu_id, spec), theirs = ref ? watts_per_tflops(f.reference, ref->spec) : 0.0;
      if (mine <= 0 || theirs <= 0) return 1.0;
      return std::min(1.0, std::cbrt(mine / theirs));
    }
  return 1.0;
}

int preset_sm_count(std::string_view gpu_id) { return per_preset(kSmCounts, gpu_id); }

std::string mig_profile_of(std::string_view device_name) {
  const std::string n = upper(device_name);
  const size_t p = n.find(" MIG ");
  if (p == std::string::npos) return "";
  std::string_view rest = device_name.substr(p + 5);
  return std::string(rest.substr(0, rest.find(' ')));
}

DeviceMatch identify_device(std::string_view name, int sm_count, double memory_bytes, std::string_view mig) {
  DeviceMatch d;
  d.mig = mig.empty() ? mig_profile_of(name) : std::string(mig);
  d.preset = match_gpu_preset(name, memory_bytes);
  const std::string shown = safe_text(name, 100);
  if (!d.preset) {
    d.note = "no GPU preset matches " + shown;
    return d;
  }
  const GpuPreset& p = *d.preset;
  const std::string preset_has = describe(preset_sm_count(p.id), p.spec.memory_bytes);
  if (!d.mig.empty()) {
    d.kind = DeviceMatch::Kind::mig;
    d.note = "a MIG slice (" + safe_text(d.mig, 20) + ") of the " + std::string(p.name) + ": " + describe(sm_count, memory_bytes) +
             " of its " + preset_has + "; no preset is this device: the measured speeds and memory apply, the datasheet is the whole GPU's";
    return d;
  }
  if (memory_agrees(p.spec.memory_bytes, memory_bytes) && sms_agree(p.id, sm_count)) {
    d.kind = DeviceMatch::Kind::exact;
    return d;
  }
  for (const auto& q : gpu_presets())  // the same family's preset that agrees (H100 with 94 GB: H100 NVL)
    if (family(q.id) == family(p.id) && memory_agrees(q.spec.memory_bytes, memory_bytes) && sms_agree(q.id, sm_count)) {
      d.kind = DeviceMatch::Kind::exact;
      d.preset = &q;
      d.note = shown + " reports " + describe(sm_count, memory_bytes) + ": the " + std::string(q.name) + ", not the " +
               std::string(p.name) + " its name suggests";
      return d;
    }
  d.kind = DeviceMatch::Kind::mismatch;
  d.note = shown + " reports " + describe(sm_count, memory_bytes) + ", the " + std::string(p.name) + " preset has " + preset_has +
           ": not that GPU (a partitioned or unknown variant?); no preset switched to";
  return d;
}

bool gpu_matches(std::string_view name, std::string_view gpu_id) {
  const GpuPreset* p = match_gpu_preset(name, 0);
  if (!p) return false;
  if (p->id == gpu_id) return true;
  // the 40 GB / 80 GB A100 (and V100) cannot be told apart by name alone
  auto family = [](std::string_view id) { return id.substr(0, id.find_last_of('-')); };
  return (p->id.rfind("a100", 0) == 0 || p->id.rfind("v100", 0) == 0) && family(p->id) == family(gpu_id);
}

const GpuPreset* find_gpu_preset(std::string_view id) {
  for (const auto& p : kGpus)
    if (p.id == id) return &p;
  return nullptr;
}

namespace {
std::string gpu_key(std::string_view t) {
  std::string k = loose_key(t);
  for (std::string_view prefix : {"nvidia", "geforce", "amd", "instinct"})
    if (k.rfind(prefix, 0) == 0) k.erase(0, prefix.size());
  return k;
}
// Short names people use for the preset they mean (the SXM part where a name has several forms).
constexpr std::pair<std::string_view, std::string_view> kGpuAliases[] = {
    {"h100", "h100-sxm"},  {"h10080gb", "h100-sxm"}, {"h100sxm5", "h100-sxm"}, {"a100", "a100-80gb"},
    {"a100sxm", "a100-80gb"}, {"a10080gbsxm", "a100-80gb"}, {"a10040gbsxm", "a100-40gb"}, {"h200sxm", "h200"},
    {"h200141gb", "h200"}, {"4090", "rtx-4090"},    {"3090", "rtx-3090"},    {"5090", "rtx-5090"},
    {"4080", "rtx-4080"},  {"3060", "rtx-3060"},    {"mi300", "mi300x"},     {"b200sxm", "b200"},
};
}  // namespace

const GpuPreset* lookup_gpu_preset(std::string_view typed) {
  if (const GpuPreset* p = find_gpu_preset(typed)) return p;
  const std::string k = gpu_key(typed);
  if (k.empty()) return nullptr;
  for (const auto& [alias, id] : kGpuAliases)
    if (alias == k) return find_gpu_preset(id);
  for (const auto& p : kGpus)
    if (loose_key(p.id) == k || gpu_key(p.name) == k) return &p;
  return nullptr;
}

std::string suggest_gpu_preset(std::string_view typed) {
  std::vector<std::pair<std::string, std::string>> candidates;
  for (const auto& p : kGpus) candidates.emplace_back(loose_key(p.id), std::string(p.id));
  for (const auto& [alias, id] : kGpuAliases) candidates.emplace_back(std::string(alias), std::string(id));
  return nearest_ids(gpu_key(typed), candidates);
}

}  // namespace llmcalc
