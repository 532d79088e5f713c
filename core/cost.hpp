// core/cost.hpp — what an estimate costs at a price per GPU-hour: cost per million output tokens
// when serving, cost of a training run. The price is the scenario's `price` (USD per GPU-hour)
// or a documented default per GPU preset (on-demand cloud rental; source and date in the table).
#pragma once
#include <span>
#include <string_view>

#include "setup.hpp"

namespace llmcalc {

struct GpuPrice {
  std::string_view gpu_id;
  double usd_per_hour;      // one GPU, on demand
  std::string_view source;  // provider and offering, where published
  std::string_view date;    // when the price was published or observed
};
std::span<const GpuPrice> gpu_prices();
const GpuPrice* default_price(std::string_view gpu_id);  // nullptr: no default (set price=…)

template <class N>
struct CostOf {
  bool priced = false;
  N usd_per_gpu_hour{}, usd_per_hour{};        // one GPU; all the scenario's GPUs
  N usd_per_million_output{}, usd_per_million_total{};  // inference
  N usd_per_million_tokens{}, usd_to_train{};  // training (to_train: when train_tokens is asked)
};

// Inference: the scenario's GPUs for an hour ÷ the tokens they serve in that hour.
template <class N>
CostOf<N> infer_cost(const Setup<N>& x, N output_tokens_per_s, N total_tokens_per_s);
// Training: the GPUs' hour ÷ tokens trained in it; the run of train_tokens = GPU-hours × price.
template <class N>
CostOf<N> train_cost(const Setup<N>& x, N tokens_per_s, N gpu_hours);

}  // namespace llmcalc
