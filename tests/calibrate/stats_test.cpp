// tests/calibrate/stats_test.cpp — the calibrator's statistics, without a GPU.
#include <catch2/catch.hpp>

#include "stats.hpp"

using namespace calib;

TEST_CASE("percentile interpolates between order statistics") {
  CHECK(percentile({}, 50) == 0);
  CHECK(percentile({3, 1, 2}, 50) == 2);
  CHECK(percentile({1, 2, 3, 4}, 50) == Approx(2.5));
  CHECK(percentile({1, 2, 3, 4, 5}, 0) == 1);
  CHECK(percentile({1, 2, 3, 4, 5}, 100) == 5);
  CHECK(percentile({10, 20}, 25) == Approx(12.5));
}

TEST_CASE("summaries drop the first (cold) sample and report the spread") {
  const Summary s = summarize({100, 1, 2, 3, 4, 5});
  CHECK(s.count == 5);
  CHECK(s.median == 3);
  CHECK(s.min == 1);
  CHECK(s.max == 5);
  CHECK(s.mean == Approx(3));
  CHECK(s.spread == Approx((4.6 - 1.4) / 3));
  CHECK(summarize({7}).median == 7);  // never drop the only sample
  CHECK(summarize({}).count == 0);
}

TEST_CASE("the median is robust to one outlier") {
  CHECK(summarize({0, 1.0, 1.1, 0.9, 50.0, 1.05}).median == Approx(1.05));
}

TEST_CASE("inner repetitions make a timed sample long enough") {
  CHECK(reps_for(1e-3, 200e-6) == 1);
  CHECK(reps_for(10e-6, 200e-6) == 20);
  CHECK(reps_for(0, 1) == 1 << 16);
  CHECK(reps_for(1e-9, 1, 4096) == 4096);
}
