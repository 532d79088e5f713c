// calibrate/stats.hpp — statistics over timing samples. Pure C++ (no CUDA), tested without a GPU.
#pragma once
#include <vector>

namespace calib {

struct Summary {
  int count = 0;
  double median = 0, min = 0, max = 0, mean = 0;
  double spread = 0;  // (p90 − p10) / median: how noisy the samples were
};

// Linear-interpolated percentile, p in [0, 100]; 0 for no samples.
double percentile(std::vector<double> samples, double p);
double median(const std::vector<double>& samples);
// Summary of the samples after dropping the first `discard` (the first run after a change of
// shape pays for caches, clocks and lazy initialisation).
Summary summarize(const std::vector<double>& samples, int discard = 1);
// How many inner repetitions make one timed sample last at least `target_s`, given one run's
// estimated time (≥ 1, ≤ max_reps).
int reps_for(double one_run_s, double target_s, int max_reps = 1 << 16);

}  // namespace calib
