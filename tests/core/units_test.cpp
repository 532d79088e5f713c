// tests/core/units_test.cpp — the one place that formats quantities.
#include <catch2/catch.hpp>

#include "core/units.hpp"

using namespace llmcalc;

TEST_CASE("bytes in GiB and GB") {
  CHECK(format_bytes(536870912.0) == "512 MiB");
  CHECK(format_bytes(536870912.0, ByteUnit::GB) == "537 MB");
  CHECK(format_bytes(26.0e9, ByteUnit::GB) == "26.0 GB");
  CHECK(format_bytes(26.0e9) == "24.2 GiB");
  CHECK(format_bytes(80 * kGiB) == "80.0 GiB");
  CHECK(format_bytes(512) == "512 B");
}

TEST_CASE("seconds, counts, rates") {
  CHECK(format_seconds(0.0553) == "55.3 ms");
  CHECK(format_seconds(0.0093) == "9.30 ms");
  CHECK(format_seconds(812e-6) == "812 \xC2\xB5s");
  CHECK(format_seconds(1.5) == "1.50 s");
  CHECK(format_count(6.738e9) == "6.74 B");
  CHECK(format_flops(989.4e12) == "989 TFLOP/s");
  CHECK(format_bandwidth(3.35e12) == "3.35 TB/s");
}

TEST_CASE("format_number round-trips") {
  for (double v : {0.5, 1e-6, 0.1, 123456789.0, 1.0 / 3.0})
    CHECK(std::strtod(format_number(v).c_str(), nullptr) == v);
  CHECK(format_number(0.5) == "0.5");
}
