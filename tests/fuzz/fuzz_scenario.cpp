// tests/fuzz/fuzz_scenario.cpp — the link decoder: any text decodes leniently without a crash;
// messages are readable; the decoded scenario's canonical link decodes to the same scenario
// without errors (so every link the page writes can be opened again).
#include <cstddef>
#include <cstdint>

#include "check.hpp"
#include "core/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace llmcalc;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const DecodedScenario d = decode_scenario_lenient(text);
  for (const Error& e : d.errors) fuzz::check_error(e);
  for (const std::string& w : d.warnings) fuzz::check_message(w);
  const Scenario& s = d.scenario;
  FUZZ_CHECK(s.gpus >= s.tp * s.pp * s.cp);
  FUZZ_CHECK(s.gpus % (s.tp * s.pp * s.cp) == 0);
  const std::string canon = encode_scenario(s);
  FUZZ_CHECK(printable_utf8(canon));
  const DecodedScenario back = decode_scenario_lenient(canon);
  FUZZ_CHECK(back.errors.empty());
  FUZZ_CHECK(back.warnings.empty());
  FUZZ_CHECK(back.scenario == s);
  FUZZ_CHECK(encode_scenario(back.scenario) == canon);
  return 0;
}
