// tests/core/helpers.hpp — shared by the core tests: an estimate from a scenario string.
#pragma once
#include <catch2/catch.hpp>
#include <string>

#include "core/estimate.hpp"

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

}  // namespace llmcalc::test
