// core/sweep.hpp — memory and time of one scenario over a range of batch sizes or context
// lengths (the page's charts), and the largest value that still fits in memory.
#pragma once
#include <vector>

#include "estimate.hpp"

namespace llmcalc {

enum class SweepAxis { batch, context };  // context = prompt (infer) or seq (train)

struct SweepPoint {
  double x = 0;             // batch size or context tokens
  double memory_total_bytes = 0;  // per GPU
  double weights_bytes = 0, kv_cache_bytes = 0, activations_bytes = 0;
  double states_bytes = 0;        // gradients + optimizer states
  double latency_s = 0;     // infer: steady-state TPOT (serving); train: step time
  double first_s = 0;       // infer: one request's TTFT (serving); train: step time
  double tokens_per_s = 0;  // infer: output tokens/s (serving); train: trained tokens/s
  bool fits = false;
};

struct SweepResult {
  std::vector<SweepPoint> points;
  int max_fitting = 0;  // largest axis value whose estimate fits (0 when even 1 does not fit)
};

// `n` points spaced geometrically from lo to hi (integers, duplicates removed).
SweepResult sweep(const Scenario& s, const Resolved& r, SweepAxis axis, int lo, int hi, int n);
// Largest value of the axis (1 … limit) that fits, by bisection (memory grows with both axes).
int max_fitting(const Scenario& s, const Resolved& r, SweepAxis axis, int limit = 10'000'000);

}  // namespace llmcalc
