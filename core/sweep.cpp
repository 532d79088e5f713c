// core/sweep.cpp — charts' data: repeated estimates with one field varied.
#include "sweep.hpp"

#include <algorithm>
#include <cmath>

namespace llmcalc {

namespace {
void set_axis(Scenario& s, SweepAxis axis, int v) {
  if (axis == SweepAxis::batch) s.batch = v;
  else if (s.mode == Mode::infer) s.prompt = v;
  else s.seq = v;
}
}  // namespace

int max_fitting(const Scenario& base, const Resolved& r, SweepAxis axis, int limit) {
  Scenario s = base;
  set_axis(s, axis, 1);
  if (!compute(s, r, Figures::charts).fits) return 0;
  int lo = 1, hi = limit;
  set_axis(s, axis, hi);
  if (compute(s, r, Figures::charts).fits) return hi;
  while (hi - lo > 1) {  // invariant: lo fits, hi does not
    const int mid = lo + (hi - lo) / 2;
    set_axis(s, axis, mid);
    (compute(s, r, Figures::charts).fits ? lo : hi) = mid;
  }
  return lo;
}

SweepResult sweep(const Scenario& base, const Resolved& r, SweepAxis axis, int lo, int hi, int n) {
  SweepResult out;
  lo = std::max(1, lo);
  hi = std::max(lo, hi);
  n = std::max(1, n);
  out.points.reserve(size_t(n));
  Scenario s = base;
  int last = 0;
  const double ratio = n > 1 ? std::log(double(hi) / lo) / (n - 1) : 0.0;
  for (int i = 0; i < n; ++i) {
    int v = int(std::lround(lo * std::exp(ratio * i)));
    if (i == n - 1) v = hi;
    if (v <= last) v = last + 1;  // keep integers strictly increasing
    if (v > hi) break;
    last = v;
    set_axis(s, axis, v);
    const Estimate e = compute(s, r, Figures::charts);
    SweepPoint p;
    p.x = v;
    p.memory_total_bytes = e.memory.total;
    p.weights_bytes = e.memory.weights;
    p.kv_cache_bytes = e.memory.kv_cache;
    p.activations_bytes = e.memory.activations;
    p.states_bytes = e.memory.gradients + e.memory.optimizer;
    // inference: what `batch` users get from the engine in steady state (the serving figures)
    p.latency_s = s.mode == Mode::infer ? e.serving.tpot_s : e.step_s;
    p.first_s = s.mode == Mode::infer ? e.serving.ttft_s : e.step_s;
    p.tokens_per_s = s.mode == Mode::infer ? e.serving.output_tokens_per_s : e.tokens_per_s;
    p.fits = e.fits;
    out.points.push_back(p);
  }
  out.max_fitting = max_fitting(base, r, axis);
  return out;
}

}  // namespace llmcalc
