// tests/core/comm_test.cpp — collectives between GPUs.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/comm.hpp"

using namespace llmcalc;

TEST_CASE("ring all-reduce: 2(g−1)/g of the bytes over the link plus latency, free on one GPU") {
  CHECK(allreduce_s(1e9, 1.0, 100e9, kCollectiveLatencyS) == 0);
  CHECK(allreduce_s(1e9, 8.0, 100e9, kCollectiveLatencyS) == Approx(2.0 * 7 / 8 * 1e9 / 100e9 + kCollectiveLatencyS));
  CHECK(allgather_s(4.0, 1e9, 2.0, 100e9, kCollectiveLatencyS) == Approx(0.75 * 2e9 / 100e9 + kCollectiveLatencyS));
  CHECK(send_s(1e6, 1e9, kCollectiveLatencyS) == Approx(1e-3 + kCollectiveLatencyS));
}

TEST_CASE("data parallelism beyond one node crosses the slower network") {
  CHECK(data_parallel_link(8, 450e9) == 450e9);
  CHECK(data_parallel_link(16, 450e9) == kInterNodeBytesPerS);
  CHECK(data_parallel_link(16, 32e9) == 32e9);  // PCIe is slower than the network
}

TEST_CASE("expert-parallel dispatch sends a token once to each other GPU holding one of its experts") {
  // 8 GPUs, 8 experts per token: 7·(1 − (7/8)^8) = 4.59 other GPUs on average
  const double remote = 7.0 * (1 - std::pow(7.0 / 8, 8));
  CHECK(expert_alltoall_s(1e6, 8, 8, 100e9, kCollectiveLatencyS) == Approx(1e6 * remote / 100e9 + kCollectiveLatencyS));
  CHECK(expert_alltoall_s(1e6, 2, 1, 100e9, kCollectiveLatencyS) == Approx(0.5e6 / 100e9 + kCollectiveLatencyS));  // half go across
  CHECK(expert_alltoall_s(1e6, 1, 8, 100e9, kCollectiveLatencyS) == 0);
}
