// core/units.hpp — unit constants and the ONE place where bytes, seconds and rates are turned
// into text (CONVENTIONS.md §3). Everything in core is bytes, seconds, FLOP and FLOP/s.
#pragma once
#include <string>
#include <string_view>

namespace llmcalc {

inline constexpr double kKiB = 1024.0;
inline constexpr double kMiB = 1024.0 * 1024.0;
inline constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
inline constexpr double kGB = 1e9;
inline constexpr double kTB = 1e12;

enum class ByteUnit { GiB, GB };

// "13.48 GB" / "12.55 GiB" (binary prefixes for GiB, decimal for GB; picks MiB/MB, KiB/kB or
// TiB/TB when the value is small or large).
std::string format_bytes(double bytes, ByteUnit unit = ByteUnit::GiB);
// "55.3 ms", "9.31 ms", "812 µs", "1.52 s", "2.1 h".
std::string format_seconds(double seconds);
// "6.74 B", "405.9 B", "12.3 M" (parameter or token counts).
std::string format_count(double count);
// A whole number with thousands separators: "8,192", "1,048,576", "-12,000" (rounded).
std::string format_grouped(double count);
// "989.4 TFLOP/s".
std::string format_flops(double flops_per_s);
// "3.35 TB/s".
std::string format_bandwidth(double bytes_per_s);
// Shortest round-trippable decimal for a double ("0.5", "1e-06").
std::string format_number(double value);
// The same without an exponent where up to 6 decimals suffice ("4000", "989.5"), for values people
// type.
std::string format_decimal(double value);
// A whole count as people type it: "8192", "8,192", "8k" or "8K" (= 8192), "128k", "1.5M"
// (= 1572864), "1G"; k, M, G are binary, as context lengths are named. False when the text is
// not one, or not a whole number, or above 2^53.
bool parse_count(std::string_view text, long long* out);
// "1,280 tok/s", "12.3k tok/s" (a rate of tokens, as the page's tables and chart ticks show it).
std::string format_token_rate(double tokens_per_s, int decimals = 0);

// ---- terms of an explanation ------------------------------------------------------------------
// What a number in a formula is; decides its text. Explanations show 4 significant digits
// (whole counts exactly), so the terms a user reads reproduce the figure they explain.
enum class Unit {
  number,       // dimensionless: factors, bytes per element, fractions ("0.5", "1.016")
  count,        // parameters, tokens, layers ("32", "6.976 B")
  bytes,        // decimal prefixes ("9.084 GB")
  seconds,      // "12.35 ms"
  flop,         // "1.234 TFLOP"
  flop_per_s,   // "742.5 TFLOP/s"
  bytes_per_s,  // "2.85 TB/s"
  usd,          // money: "2.990 USD"
};
std::string format_term(double value, Unit unit);
// The inverse, for checking explanations: the value a term's text stands for and the largest
// error its rounding can hide (half a unit in its last digit). False when `text` is not a term of
// that unit.
bool parse_term(std::string_view text, Unit unit, double* value, double* half_ulp);

}  // namespace llmcalc
