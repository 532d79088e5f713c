// tests/fuzz/check.hpp — what every harness asserts: a failed check aborts with the reason, which
// libFuzzer reports as a crash and saves the input (kept in tests/fuzz/regressions/).
#pragma once
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/text.hpp"

#define FUZZ_CHECK(cond)                                                              \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                   \
    }                                                                                 \
  } while (0)

namespace fuzz {
// An error or warning a person will read: non-empty, valid UTF-8, no control characters, short.
inline void check_message(std::string_view m) {
  FUZZ_CHECK(!m.empty());
  FUZZ_CHECK(llmcalc::printable_utf8(m));
  FUZZ_CHECK(m.size() < 2000);
}
inline void check_error(const llmcalc::Error& e) { check_message(e.message); }
// A figure: finite and not negative.
inline void check_figure(double v) { FUZZ_CHECK(std::isfinite(v) && v >= 0); }
}  // namespace fuzz
