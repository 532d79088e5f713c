// core/compare.cpp — two estimates side by side (see compare.hpp).
#include "compare.hpp"

#include <cmath>
#include <cstdio>

#include "text.hpp"
#include "units.hpp"
#include "verdict.hpp"

namespace llmcalc {

std::string format_quantity(double v, Quantity q) {
  char b[48];
  switch (q) {
    case Quantity::bytes: return format_bytes(v, ByteUnit::GiB);
    case Quantity::seconds: return format_seconds(v);
    case Quantity::tokens_per_s: return format_token_rate(v, v < 100 ? 1 : 0);
    case Quantity::count: return format_grouped(std::floor(v));
    case Quantity::usd: std::snprintf(b, sizeof b, v < 100 ? "$%.3f" : "$%.0f", v); return v < 100 ? b : "$" + format_grouped(v);
    case Quantity::share: std::snprintf(b, sizeof b, "%.0f%%", v * 100); return b;
  }
  return format_number(v);
}

int CompareRow::better() const {
  if (!in_a || !in_b || std::fabs(b - a) <= 5e-4 * std::max(std::fabs(a), std::fabs(b))) return 0;
  return (b > a) == higher_is_better ? 1 : -1;
}

std::vector<CompareRow> compare(const Estimate& a, const Estimate& b) {
  std::vector<CompareRow> rows;
  auto row = [&](std::string_view id, std::string_view label, Quantity q, bool higher, auto get, auto has) {
    rows.push_back({id, label, q, higher, has(a), has(b), has(a) ? get(a) : 0.0, has(b) ? get(b) : 0.0});
  };
  auto always = [](const Estimate&) { return true; };
  auto infer = [](const Estimate& e) { return e.mode == Mode::infer; };
  auto train = [](const Estimate& e) { return e.mode == Mode::train; };
  row("memory.total", "Memory per GPU", Quantity::bytes, false, [](const Estimate& e) { return e.memory.total; }, always);
  row("verdict.share", "Share of usable memory", Quantity::share, false, [](const Estimate& e) { return memory_share(e); }, always);
  row("gpu.count", "GPUs", Quantity::count, false, [](const Estimate& e) { return double(e.gpus); }, always);
  row("serving.max_concurrency", "Max users at the context", Quantity::count, true,
      [](const Estimate& e) { return e.serving.max_concurrency; }, infer);
  row("serving.ttft_s", "TTFT (one request)", Quantity::seconds, false, [](const Estimate& e) { return e.serving.ttft_s; }, infer);
  row("serving.tpot_s", "TPOT (steady state)", Quantity::seconds, false, [](const Estimate& e) { return e.serving.tpot_s; }, infer);
  row("serving.output_tokens_per_s", "Output throughput", Quantity::tokens_per_s, true,
      [](const Estimate& e) { return e.serving.output_tokens_per_s; }, infer);
  row("time.step_s", "Step time", Quantity::seconds, false, [](const Estimate& e) { return e.step_s; }, train);
  row("time.tokens_per_s", "Training throughput", Quantity::tokens_per_s, true, [](const Estimate& e) { return e.tokens_per_s; }, train);
  row("time.mfu", "MFU", Quantity::share, true, [](const Estimate& e) { return e.mfu; }, train);
  row("cost.usd_per_hour", "Cost per hour", Quantity::usd, false, [](const Estimate& e) { return e.cost.usd_per_hour; },
      [](const Estimate& e) { return e.cost.priced; });
  row("cost.usd_per_million_output_tokens", "Cost per million output tokens", Quantity::usd, false,
      [](const Estimate& e) { return e.cost.usd_per_million_output_tokens; },
      [](const Estimate& e) { return e.cost.priced && e.mode == Mode::infer; });
  row("cost.usd_per_million_tokens", "Cost per million trained tokens", Quantity::usd, false,
      [](const Estimate& e) { return e.cost.usd_per_million_tokens; },
      [](const Estimate& e) { return e.cost.priced && e.mode == Mode::train; });
  // only the rows that one of the two has
  std::vector<CompareRow> out;
  for (const CompareRow& r : rows)
    if (r.in_a || r.in_b) out.push_back(r);
  return out;
}

std::string encode_compare(const Scenario& b, const Scenario& a) {
  std::string out = encode_scenario(b) + "&vs=";
  percent_encode(encode_scenario(a), out);
  return out;
}

}  // namespace llmcalc
