// core/units.cpp — text formatting of quantities (the only place that decides GB vs GiB).
#include "units.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace llmcalc {

namespace {
std::string fmt(double v, const char* suffix) {
  char buf[64];
  const double a = std::fabs(v);
  const char* f = a >= 100 ? "%.0f %s" : a >= 10 ? "%.1f %s" : "%.2f %s";
  std::snprintf(buf, sizeof buf, f, v, suffix);
  return buf;
}
}  // namespace

std::string format_bytes(double bytes, ByteUnit unit) {
  const double a = std::fabs(bytes);
  if (unit == ByteUnit::GiB) {
    if (a >= 1024.0 * kGiB) return fmt(bytes / (1024.0 * kGiB), "TiB");
    if (a >= kGiB) return fmt(bytes / kGiB, "GiB");
    if (a >= kMiB) return fmt(bytes / kMiB, "MiB");
    if (a >= kKiB) return fmt(bytes / kKiB, "KiB");
    return fmt(bytes, "B");
  }
  if (a >= kTB) return fmt(bytes / kTB, "TB");
  if (a >= kGB) return fmt(bytes / kGB, "GB");
  if (a >= 1e6) return fmt(bytes / 1e6, "MB");
  if (a >= 1e3) return fmt(bytes / 1e3, "kB");
  return fmt(bytes, "B");
}

std::string format_seconds(double s) {
  const double a = std::fabs(s);
  if (a == 0) return "0 s";
  if (a >= 7200) return fmt(s / 3600, "h");
  if (a >= 120) return fmt(s / 60, "min");
  if (a >= 1) return fmt(s, "s");
  if (a >= 1e-3) return fmt(s * 1e3, "ms");
  if (a >= 1e-6) return fmt(s * 1e6, "\xC2\xB5s");
  return fmt(s * 1e9, "ns");
}

std::string format_count(double n) {
  const double a = std::fabs(n);
  if (a >= 1e12) return fmt(n / 1e12, "T");
  if (a >= 1e9) return fmt(n / 1e9, "B");
  if (a >= 1e6) return fmt(n / 1e6, "M");
  if (a >= 1e3) return fmt(n / 1e3, "k");
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", n);
  return buf;
}

std::string format_flops(double f) {
  const double a = std::fabs(f);
  if (a >= 1e15) return fmt(f / 1e15, "PFLOP/s");
  if (a >= 1e12) return fmt(f / 1e12, "TFLOP/s");
  if (a >= 1e9) return fmt(f / 1e9, "GFLOP/s");
  return fmt(f, "FLOP/s");
}

std::string format_bandwidth(double b) {
  const double a = std::fabs(b);
  if (a >= 1e12) return fmt(b / 1e12, "TB/s");
  if (a >= 1e9) return fmt(b / 1e9, "GB/s");
  return fmt(b / 1e6, "MB/s");
}

std::string format_number(double v) {
  char buf[40];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

}  // namespace llmcalc
