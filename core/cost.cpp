// core/cost.cpp — prices per GPU-hour and the cost figures (see cost.hpp).
#include "cost.hpp"

#include "trace.hpp"

namespace llmcalc {

namespace {
// On-demand prices of one GPU, USD per hour, as published by the provider named (prices change:
// the page and the CLI show the source and date, and `price=` replaces them).
constexpr GpuPrice kPrices[] = {
    {"a100-40gb", 1.99, "Lambda, 8x A100 SXM 40GB per GPU (lambda.ai/instances)", "2026-11-16"},
    {"a100-80gb", 2.30, "Crusoe, A100 80GB SXM on-demand (crusoe.ai/cloud/pricing)", "observed 2026-09-20"},
    {"a100-pcie-80gb", 2.00, "Crusoe, A100 80GB PCIe on-demand (crusoe.ai/cloud/pricing)", "observed 2026-09-20"},
    {"h100-sxm", 3.90, "Crusoe, H100 80GB HGX on-demand (crusoe.ai/cloud/pricing)", "observed 2026-09-20"},
    {"h100-pcie", 2.89, "RunPod Secure Cloud, H100 PCIe (runpod.io/pricing)", "observed 2026-11-09"},
    {"h100-nvl", 3.19, "RunPod Secure Cloud, H100 NVL (runpod.io/pricing)", "observed 2026-11-09"},
    {"h200", 4.29, "Crusoe, H200 141GB HGX on-demand (crusoe.ai/cloud/pricing)", "observed 2026-09-20"},
    {"gh200", 2.29, "Lambda, 1x GH200 96GB (lambda.ai/instances)", "observed 2026-09-20"},
    {"b200", 6.69, "Lambda, 8x B200 SXM6 per GPU (lambda.ai/instances)", "observed 2026-09-20"},
    {"b300", 7.89, "RunPod Pods, B300 (runpod.io/pricing)", "observed 2026-10-07"},
    {"gb200", 10.50, "CoreWeave, GB200 NVL72 per GPU (coreweave.com/pricing)", "observed 2026-09-20"},
    {"l40", 1.00, "Hyperstack, L40 on-demand (hyperstack.cloud/gpu-pricing)", "observed 2026-08-26"},
    {"l40s", 1.50, "Crusoe, L40S 48GB on-demand (crusoe.ai/cloud/pricing)", "observed 2026-09-20"},
    {"l4", 0.80, "Modal, L4 per second, CPU and memory billed apart (modal.com/pricing)", "2026-05-07"},
    {"a10", 1.29, "Lambda, 1x A10 (lambda.ai/instances)", "observed 2026-09-20"},
    {"t4", 0.59, "Modal, T4 per second, CPU and memory billed apart (modal.com/pricing)", "2026-05-07"},
    {"v100-16gb", 0.79, "Lambda, 8x Tesla V100 16GB per GPU (lambda.ai/instances)", "observed 2026-09-20"},
    {"rtx-a6000", 0.82, "Verda (formerly DataCrunch), 1x RTX A6000 on-demand (verda.com/pricing)", "observed 2026-10-29"},
    {"rtx-6000-ada", 0.77, "RunPod Secure Cloud, RTX 6000 Ada (runpod.io/pricing)", "observed 2025-07-13"},
    {"rtx-3090", 0.22, "RunPod Community Cloud, RTX 3090 (runpod.io/pricing)", "observed 2025-07-13"},
    {"rtx-4090", 0.34, "RunPod Community Cloud, RTX 4090 (runpod.io/pricing)", "observed 2026-09-25"},
    {"rtx-5090", 0.69, "RunPod Community Cloud, RTX 5090 (runpod.io/pricing)", "observed 2025-07-13"},
    {"mi300x", 2.59, "DigitalOcean, 1x MI300X droplet list price", "observed 2026-10-07"},
    {"mi325x", 1.95, "TensorWave, MI325X (as quoted by cliffcenter.com/research/amd-inference-economics)", "2026-05-18"},
};
}  // namespace

std::span<const GpuPrice> gpu_prices() { return kPrices; }

const GpuPrice* default_price(std::string_view gpu_id) {
  for (const GpuPrice& p : kPrices)
    if (p.gpu_id == gpu_id) return &p;
  return nullptr;
}

namespace {
template <class N>
bool price_of(const Setup<N>& x, CostOf<N>& c) {
  if (x.s.price > 0) {
    c.usd_per_gpu_hour = fig(in<N>(x.s.price, "price per GPU-hour", Unit::usd, "yours (price=)"), "cost.usd_per_gpu_hour",
                             "price per GPU-hour", Unit::usd, "the scenario's price= (USD)");
  } else if (const GpuPrice* p = default_price(x.r.gpu_id); p && x.s.gpu != "custom") {
    c.usd_per_gpu_hour = fig(in<N>(p->usd_per_hour, "price per GPU-hour", Unit::usd, p->source.data()), "cost.usd_per_gpu_hour",
                             "price per GPU-hour", Unit::usd, "docs/cost.md: on-demand price (USD), source and date in the table");
  } else {
    return false;
  }
  c.priced = true;
  c.usd_per_hour = fig(c.usd_per_gpu_hour * in<N>(x.s.gpus, "GPUs", Unit::count), "cost.usd_per_hour", "per hour",
                       Unit::usd, "price per GPU-hour × GPUs");
  return true;
}
}  // namespace

template <class N>
CostOf<N> infer_cost(const Setup<N>& x, N output_tokens_per_s, N total_tokens_per_s) {
  CostOf<N> c;
  if (!price_of(x, c)) return c;
  c.usd_per_million_output = fig(c.usd_per_hour / (output_tokens_per_s * 3600.0) * 1e6, "cost.usd_per_million_output_tokens",
                                 "per million output tokens", Unit::usd,
                                 "cost per hour ÷ output tokens per hour (serving at the scenario's concurrency)");
  c.usd_per_million_total = fig(c.usd_per_hour / (total_tokens_per_s * 3600.0) * 1e6, "cost.usd_per_million_total_tokens",
                                "per million tokens in and out", Unit::usd, "cost per hour ÷ (prompt + output) tokens per hour");
  return c;
}

template <class N>
CostOf<N> train_cost(const Setup<N>& x, N tokens_per_s, N gpu_hours) {
  CostOf<N> c;
  if (!price_of(x, c)) return c;
  c.usd_per_million_tokens = fig(c.usd_per_hour / (tokens_per_s * 3600.0) * 1e6, "cost.usd_per_million_tokens",
                                 "per million trained tokens", Unit::usd, "cost per hour ÷ tokens trained per hour");
  if (x.s.train_tokens > 0)
    c.usd_to_train = fig(gpu_hours * c.usd_per_gpu_hour, "cost.usd_to_train", "to train", Unit::usd,
                         "GPU-hours × price per GPU-hour");
  return c;
}

template CostOf<double> infer_cost(const Setup<double>&, double, double);
template CostOf<Traced> infer_cost(const Setup<Traced>&, Traced, Traced);
template CostOf<double> train_cost(const Setup<double>&, double, double);
template CostOf<Traced> train_cost(const Setup<Traced>&, Traced, Traced);

}  // namespace llmcalc
