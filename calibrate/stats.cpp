// calibrate/stats.cpp — percentiles, medians, sample summaries.
#include "stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace calib {

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = std::clamp(p, 0.0, 100.0) / 100.0 * double(v.size() - 1);
  const size_t lo = size_t(std::floor(pos));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
}

double median(const std::vector<double>& v) { return percentile(v, 50); }

Summary summarize(const std::vector<double>& samples, int discard) {
  Summary s;
  if (discard < 0) discard = 0;
  if (samples.size() <= size_t(discard)) discard = 0;
  const std::vector<double> v(samples.begin() + discard, samples.end());
  if (v.empty()) return s;
  s.count = int(v.size());
  s.median = median(v);
  s.min = *std::min_element(v.begin(), v.end());
  s.max = *std::max_element(v.begin(), v.end());
  s.mean = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
  s.spread = s.median > 0 ? (percentile(v, 90) - percentile(v, 10)) / s.median : 0;
  return s;
}

int reps_for(double one_run_s, double target_s, int max_reps) {
  if (!(one_run_s > 0)) return max_reps;
  const double r = std::ceil(target_s / one_run_s);
  return int(std::clamp(r, 1.0, double(max_reps)));
}

}  // namespace calib
