// tests/core/comm_test.cpp — collectives between GPUs.
#include <catch2/catch.hpp>

#include "core/comm.hpp"

using namespace llmcalc;

TEST_CASE("ring all-reduce: 2(g−1)/g of the bytes over the link plus latency, free on one GPU") {
  CHECK(allreduce_s(1e9, 1.0, 100e9) == 0);
  CHECK(allreduce_s(1e9, 8.0, 100e9) == Approx(2.0 * 7 / 8 * 1e9 / 100e9 + kCollectiveLatencyS));
  CHECK(allgather_s(4.0, 1e9, 2.0, 100e9) == Approx(0.75 * 2e9 / 100e9 + kCollectiveLatencyS));
  CHECK(send_s(1e6, 1e9) == Approx(1e-3 + kCollectiveLatencyS));
}

TEST_CASE("data parallelism beyond one node crosses the slower network") {
  CHECK(data_parallel_link(8, 450e9) == 450e9);
  CHECK(data_parallel_link(16, 450e9) == kInterNodeBytesPerS);
  CHECK(data_parallel_link(16, 32e9) == 32e9);  // PCIe is slower than the network
}
