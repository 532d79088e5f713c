// tests/fuzz/fuzz_profile.cpp — the GPU-profile file reader: refused with a message naming the
// problem, or read into a profile whose calibration travels in a link, whose summary and JSON
// are valid text, and which applies to a scenario that estimates.
#include <cstddef>
#include <cstdint>

#include "check.hpp"
#include "core/estimate.hpp"
#include "core/profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace llmcalc;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<Profile> p = parse_profile(text);
  if (!p) {
    fuzz::check_error(p.error());
    FUZZ_CHECK(p.error().message.rfind("profile: ", 0) == 0);
    return 0;
  }
  const Profile& prof = p.value();
  FUZZ_CHECK(valid_utf8(profile_summary(prof)));
  FUZZ_CHECK(valid_utf8(write_profile(prof)));
  FUZZ_CHECK(parse_profile(write_profile(prof)).ok());
  Scenario s;
  for (const std::string& n : apply_profile(s, prof, false)) fuzz::check_message(n);
  FUZZ_CHECK(decode_calibration(s.prof).ok());
  Result<Estimate> e = estimate(s);
  FUZZ_CHECK(e.ok());
  fuzz::check_figure(e->serving.ttft_s);
  fuzz::check_figure(e->serving.tpot_s);
  return 0;
}
