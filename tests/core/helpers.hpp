// tests/core/helpers.hpp — shared by the core tests: an estimate from a scenario string.
#pragma once
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "core/estimate.hpp"
#include "core/profile.hpp"

namespace llmcalc::test {

inline Estimate est(const std::string& text) {
  auto d = decode_scenario(text);
  INFO(text);
  REQUIRE(d.ok());
  auto e = estimate(d->scenario);
  if (!e.ok()) FAIL(e.error().message);
  return e.value();
}
inline double P(const char* id) { return count_params(find_model_preset(id)->spec).total; }

// The synthetic H100 profile (tests/fixtures; NOT a measurement).
inline std::string fixture_text() {
  std::ifstream f(std::string(LLMCALC_SOURCE_DIR) + "/tests/fixtures/synthetic-h100-profile.json");
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
inline Profile fixture() {
  Result<Profile> p = parse_profile(fixture_text());
  if (!p) FAIL(p.error().message);
  return p.value();
}
// Its link (prof=…) with every section; `legacy`: only what links carried before schema 1.1
// (bandwidth, launches, the GEMM grids).
inline std::string fixture_link(bool legacy = false) {
  const std::string link = encode_calibration(calibration_from_profile(fixture()));
  if (!legacy) return link;
  std::string out;
  size_t start = 0, field = 0;
  while (start <= link.size()) {
    const size_t end = std::min(link.find('~', start), link.size());
    const std::string part = link.substr(start, end - start);
    const std::string name = part.substr(0, part.find('.'));
    if (field++ < 6 || parse_dtype(name)) out += (out.empty() ? "" : "~") + part;
    start = end + 1;
  }
  return out;
}
// The link without its section(s) named `name` ("ad", "kn", "cr8", …).
inline std::string without(const std::string& link, const std::string& name) {
  std::string out;
  size_t start = 0;
  while (start <= link.size()) {
    const size_t end = std::min(link.find('~', start), link.size());
    const std::string part = link.substr(start, end - start);
    if (part.substr(0, part.find('.')) != name) out += (out.empty() ? "" : "~") + part;
    start = end + 1;
  }
  return out;
}
// Every explanation's text, to look for a label.
inline std::string explained(const std::string& text) {
  auto d = decode_scenario(text);
  REQUIRE(d.ok());
  const Estimate e = estimate(d->scenario, Explain::yes).value();
  std::string all;
  for (const Explanation& x : e.explain)
    for (const Step& st : x.steps) all += st.text + "\n";
  return all;
}

}  // namespace llmcalc::test
