// tests/core/units_test.cpp — the one place that formats quantities.
#include <catch2/catch.hpp>
#include <cmath>

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

TEST_CASE("a value that rounds up to the next unit is printed in that unit") {
  CHECK(format_count(999.9e6) == "1.00 B");  // Gemma 3 1B, not "1000 M"
  CHECK(format_count(999.4e6) == "999 M");
  CHECK(format_count(999.7) == "1.00 k");
  CHECK(format_seconds(0.99980) == "1.00 s");
  CHECK(format_bytes(999.8e9, ByteUnit::GB) == "1.00 TB");
  CHECK(format_bytes(1023.9 * kGiB, ByteUnit::GiB) == "1.00 TiB");
  CHECK(format_flops(999.99e12) == "1.00 PFLOP/s");
}

TEST_CASE("format_number round-trips") {
  for (double v : {0.5, 1e-6, 0.1, 123456789.0, 1.0 / 3.0})
    CHECK(std::strtod(format_number(v).c_str(), nullptr) == v);
  CHECK(format_number(0.5) == "0.5");
}

TEST_CASE("terms of an explanation: 4 significant digits, whole counts exactly, and read back") {
  CHECK(format_term(32, Unit::count) == "32");
  CHECK(format_term(128256, Unit::count) == "128256");
  CHECK(format_term(1024.5, Unit::count) == "1024.5");
  CHECK(format_term(1.015625, Unit::number) == "1.016");
  CHECK(format_term(1234.567, Unit::number) == "1234.6");
  CHECK(format_term(8.03e9, Unit::count) == "8.030 B");
  CHECK(format_term(9.0811e9, Unit::bytes) == "9.081 GB");
  CHECK(format_term(1e9, Unit::bytes) == "1.000 GB");
  CHECK(format_term(0.0123456, Unit::seconds) == "12.35 ms");
  CHECK(format_term(0, Unit::seconds) == "0 s");
  CHECK(format_term(989e12, Unit::flop_per_s) == "989.0 TFLOP/s");
  double v = 0, half = 0;
  REQUIRE(parse_term("9.081 GB", Unit::bytes, &v, &half));
  CHECK(v == Approx(9.081e9));
  CHECK(half == Approx(0.0005e9));
  REQUIRE(parse_term("32", Unit::count, &v, &half));
  CHECK(half == 0);  // a count without a decimal point is exact
  REQUIRE(parse_term("1234.6", Unit::number, &v, &half));
  CHECK(half == Approx(0.05));
  CHECK_FALSE(parse_term("9.081 GiB", Unit::bytes, &v, &half));
  for (double x : {3.3e-7, 0.75, 6.5e4, 2.5e6, 8.123e15})
    for (Unit u : {Unit::number, Unit::count, Unit::bytes, Unit::seconds, Unit::flop, Unit::flop_per_s, Unit::bytes_per_s}) {
      INFO(x << " " << format_term(x, u));
      REQUIRE(parse_term(format_term(x, u), u, &v, &half));
      CHECK(std::fabs(v - x) <= half * (1 + 1e-12));
    }
}
