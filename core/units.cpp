// core/units.cpp — text formatting of quantities (the only place that decides GB vs GiB).
#include "units.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace llmcalc {

namespace {
std::string fmt(double v, const char* suffix) {
  char buf[64];
  const double a = std::fabs(v);
  const char* f = a >= 100 ? "%.0f %s" : a >= 10 ? "%.1f %s" : "%.2f %s";
  std::snprintf(buf, sizeof buf, f, v, suffix);
  return buf;
}

// True when `a` is at least one `unit` once printed to 3 significant digits: 999.6 M prints as
// "1.00 B", not "1000 M".
bool reaches(double a, double unit) { return a >= unit * 0.9995; }
}  // namespace

std::string format_bytes(double bytes, ByteUnit unit) {
  const double a = std::fabs(bytes);
  if (unit == ByteUnit::GiB) {
    if (reaches(a, 1024.0 * kGiB)) return fmt(bytes / (1024.0 * kGiB), "TiB");
    if (reaches(a, kGiB)) return fmt(bytes / kGiB, "GiB");
    if (reaches(a, kMiB)) return fmt(bytes / kMiB, "MiB");
    if (reaches(a, kKiB)) return fmt(bytes / kKiB, "KiB");
    return fmt(bytes, "B");
  }
  if (reaches(a, kTB)) return fmt(bytes / kTB, "TB");
  if (reaches(a, kGB)) return fmt(bytes / kGB, "GB");
  if (reaches(a, 1e6)) return fmt(bytes / 1e6, "MB");
  if (reaches(a, 1e3)) return fmt(bytes / 1e3, "kB");
  return fmt(bytes, "B");
}

std::string format_seconds(double s) {
  const double a = std::fabs(s);
  if (a == 0) return "0 s";
  if (a >= 7200) return fmt(s / 3600, "h");
  if (a >= 120) return fmt(s / 60, "min");
  if (reaches(a, 1)) return fmt(s, "s");
  if (reaches(a, 1e-3)) return fmt(s * 1e3, "ms");
  if (reaches(a, 1e-6)) return fmt(s * 1e6, "\xC2\xB5s");
  return fmt(s * 1e9, "ns");
}

std::string format_count(double n) {
  const double a = std::fabs(n);
  if (reaches(a, 1e12)) return fmt(n / 1e12, "T");
  if (reaches(a, 1e9)) return fmt(n / 1e9, "B");
  if (reaches(a, 1e6)) return fmt(n / 1e6, "M");
  if (reaches(a, 1e3)) return fmt(n / 1e3, "k");
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", n);
  return buf;
}

std::string format_grouped(double n) {
  if (!std::isfinite(n)) return format_number(n);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.0f", std::fabs(n));
  std::string digits = buf, out = n <= -0.5 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string format_flops(double f) {
  const double a = std::fabs(f);
  if (reaches(a, 1e15)) return fmt(f / 1e15, "PFLOP/s");
  if (reaches(a, 1e12)) return fmt(f / 1e12, "TFLOP/s");
  if (reaches(a, 1e9)) return fmt(f / 1e9, "GFLOP/s");
  return fmt(f, "FLOP/s");
}

std::string format_bandwidth(double b) {
  const double a = std::fabs(b);
  if (reaches(a, 1e12)) return fmt(b / 1e12, "TB/s");
  if (reaches(a, 1e9)) return fmt(b / 1e9, "GB/s");
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

std::string format_decimal(double v) {
  char buf[64];
  for (int decimals = 0; decimals <= 6; ++decimals) {
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    if (std::strtod(buf, nullptr) == v) return buf;
  }
  return format_number(v);
}

std::string format_token_rate(double r, int decimals) {
  char buf[48];
  if (std::fabs(r) >= 1e4) std::snprintf(buf, sizeof buf, "%.*fk tok/s", decimals, r / 1e3);
  else std::snprintf(buf, sizeof buf, "%.*f tok/s", decimals, r);
  return buf;
}

// ---- terms of an explanation ------------------------------------------------------------------
namespace {
struct Prefix {
  double scale;
  const char* suffix;  // "" = none; a leading space is added when printing
};
// Largest first; the first whose scale ≤ |value| is used (the last is the fallback).
constexpr Prefix kCount[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}, {1, ""}};
constexpr Prefix kBytes[] = {{1e12, "TB"}, {1e9, "GB"}, {1e6, "MB"}, {1e3, "kB"}, {1, "B"}};
constexpr Prefix kSeconds[] = {{3600, "h"}, {60, "min"}, {1, "s"}, {1e-3, "ms"}, {1e-6, "\xC2\xB5s"}, {1e-9, "ns"}};
constexpr Prefix kFlop[] = {{1e15, "PFLOP"}, {1e12, "TFLOP"}, {1e9, "GFLOP"}, {1e6, "MFLOP"}, {1, "FLOP"}};
constexpr Prefix kFlopRate[] = {{1e15, "PFLOP/s"}, {1e12, "TFLOP/s"}, {1e9, "GFLOP/s"}, {1e6, "MFLOP/s"}, {1, "FLOP/s"}};
constexpr Prefix kByteRate[] = {{1e12, "TB/s"}, {1e9, "GB/s"}, {1e6, "MB/s"}, {1e3, "kB/s"}, {1, "B/s"}};
constexpr Prefix kUsd[] = {{1, "USD"}};

template <size_t K>
std::pair<const Prefix*, size_t> table(const Prefix (&t)[K]) { return {t, K}; }
std::pair<const Prefix*, size_t> prefixes(Unit u) {
  switch (u) {
    case Unit::count: case Unit::number: return table(kCount);
    case Unit::bytes: return table(kBytes);
    case Unit::seconds: return table(kSeconds);
    case Unit::flop: return table(kFlop);
    case Unit::flop_per_s: return table(kFlopRate);
    case Unit::bytes_per_s: return table(kByteRate);
    case Unit::usd: return table(kUsd);
  }
  return table(kCount);
}

// 4 significant digits, trailing zeros kept (they are significant), exponents without '+' or
// leading zeros.
std::string four_digits(double v) {
  char buf[48];
  if (std::fabs(v) >= 1e4 && std::fabs(v) < 1e15) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%#.4g", v);
  std::string s = buf;
  if (const size_t e = s.find('e'); e != std::string::npos) {
    std::string exp = s.substr(e + 1), t = "e";
    s.resize(e);
    size_t i = 0;
    if (exp[i] == '-') t += '-';
    if (exp[i] == '-' || exp[i] == '+') ++i;
    while (i + 1 < exp.size() && exp[i] == '0') ++i;
    s += t + exp.substr(i);
  }
  if (s.back() == '.') s.pop_back();
  return s;
}
}  // namespace

std::string format_term(double v, Unit unit) {
  const double a = std::fabs(v);
  if (v == 0) {  // exactly zero, in the unit's base ("0 s", "0 B")
    const auto [t, n] = prefixes(unit);
    for (size_t i = 0; i < n; ++i)
      if (t[i].scale == 1) return *t[i].suffix ? std::string("0 ") + t[i].suffix : "0";
    return "0";
  }
  // Counts and factors below a million: exactly when they have at most two decimals (32 layers,
  // 128256 vocab, 1024.5 tokens, 0.75), else rounded but always with a decimal point, so a
  // number without one is exact.
  if ((unit == Unit::count || unit == Unit::number) && a < 1e6) {
    char buf[48];
    for (int decimals = 0; decimals <= 2; ++decimals) {
      std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
      if (std::strtod(buf, nullptr) == v) return buf;
    }
    if (a < 1000) return four_digits(v);  // "%#.4g": always with a decimal point
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
  }
  const auto [t, n] = prefixes(unit);
  size_t i = 0;
  while (i + 1 < n && a < t[i].scale) ++i;
  const std::string num = four_digits(v / t[i].scale);
  return *t[i].suffix ? num + " " + t[i].suffix : num;
}

bool parse_term(std::string_view text, Unit unit, double* value, double* half_ulp) {
  const std::string s(text);
  char* end = nullptr;
  const double x = std::strtod(s.c_str(), &end);
  if (end == s.c_str()) return false;
  const std::string num(s.c_str(), static_cast<const char*>(end));
  std::string rest(end);
  if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
  double scale = 0;
  const auto [t, n] = prefixes(unit);
  for (size_t i = 0; i < n; ++i)
    if (rest == t[i].suffix) scale = t[i].scale;
  if (scale == 0) return false;
  // the last digit's place: decimals after '.', shifted by the exponent; a plain count or factor
  // without a decimal point is exact (format_term writes rounded ones with a point)
  int exp10 = 0;
  const size_t e = num.find_first_of("eE");
  if (e != std::string::npos) exp10 = std::atoi(num.c_str() + e + 1);
  const std::string mant = num.substr(0, e);
  const size_t dot = mant.find('.');
  const int decimals = dot == std::string::npos ? 0 : int(mant.size() - dot - 1);
  const bool exact = x == 0 || ((unit == Unit::count || unit == Unit::number) && rest.empty() &&
                                 dot == std::string::npos && e == std::string::npos);
  *value = x * scale;
  *half_ulp = exact ? 0.0 : 0.5 * std::pow(10.0, exp10 - decimals) * scale;
  return true;
}

bool parse_count(std::string_view t, long long* out) {
  std::string digits;
  double scale = 1;
  size_t i = 0;
  while (i < t.size() && t[i] == ' ') ++i;
  for (; i < t.size(); ++i) {
    const char c = t[i];
    if ((c >= '0' && c <= '9') || c == '.') digits += c;
    else if ((c == ',' || c == '_') && !digits.empty()) continue;  // thousands separators
    else break;
  }
  while (i < t.size() && t[i] == ' ') ++i;
  if (i < t.size()) {
    const char c = t[i];
    if (c == 'k' || c == 'K') scale = 1024.0;
    else if (c == 'm' || c == 'M') scale = 1024.0 * 1024;
    else if (c == 'g' || c == 'G') scale = 1024.0 * 1024 * 1024;
    else return false;
    ++i;
  }
  while (i < t.size() && t[i] == ' ') ++i;
  if (i != t.size() || digits.empty() || digits.size() > 20 || digits == ".") return false;
  char* end = nullptr;
  const double v = std::strtod(digits.c_str(), &end);
  if (end != digits.c_str() + digits.size() || !std::isfinite(v)) return false;
  const double x = v * scale;
  if (x != std::floor(x) || x > 9007199254740992.0) return false;
  *out = static_cast<long long>(x);
  return true;
}

}  // namespace llmcalc
