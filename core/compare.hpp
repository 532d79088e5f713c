// core/compare.hpp — two scenarios side by side: the figures people decide with (memory per GPU,
// how many users fit, TTFT, TPOT, throughput, step time, cost), A's and B's value and the change.
// The page's compare view and `llmcalc compare A B` print these rows; a link carries A as `vs=`.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "estimate.hpp"

namespace llmcalc {

enum class Quantity { bytes, seconds, tokens_per_s, count, usd, share };
// "79.6 GiB", "12.4 ms", "1,280 tok/s", "51", "$3.412", "93%".
std::string format_quantity(double value, Quantity q);

struct CompareRow {
  std::string_view id;     // the JSON path of the figure ("serving.ttft_s")
  std::string_view label;  // "TTFT (one request)"
  Quantity q;
  bool higher_is_better;
  bool in_a, in_b;         // the figure exists for that scenario (inference or training, priced)
  double a, b;
  // b ÷ a − 1, or 0 when either is missing or a is 0.
  double change() const { return in_a && in_b && a != 0 ? b / a - 1 : 0; }
  // +1 B is better, −1 worse, 0 the same (within 0.05%) or not comparable.
  int better() const;
};

// The rows of both estimates: those of either mode, in the order the page shows them.
std::vector<CompareRow> compare(const Estimate& a, const Estimate& b);

// B's link that also carries A (`&vs=` + A's canonical text, percent-encoded).
std::string encode_compare(const Scenario& b, const Scenario& a);

}  // namespace llmcalc
