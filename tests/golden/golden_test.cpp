// tests/golden/golden_test.cpp — runs every line of tests/golden/*.tsv through the same path as
// `llmcalc estimate --json` and checks the named field against the expectation and its source.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/report.hpp"

using namespace llmcalc;

namespace {
std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string f;
  while (std::getline(ss, f, '\t')) out.push_back(f);
  return out;
}
}  // namespace

TEST_CASE("golden scenarios (tests/golden/seed.tsv, models.tsv)") {
  int checked = 0;
  for (const char* file : {"seed.tsv", "models.tsv"}) {
  std::ifstream in(std::string(LLMCALC_SOURCE_DIR) + "/tests/golden/" + file);
  REQUIRE(in.good());
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto f = split_tabs(line);
    REQUIRE(f.size() == 4);
    const std::string &scenario = f[0], &path = f[1], &expect = f[2], &source = f[3];
    INFO(scenario << "\n  " << path << " expected " << expect << "\n  source: " << source);
    auto d = decode_scenario(scenario);
    REQUIRE(d.ok());
    auto e = estimate(d->scenario);
    REQUIRE(e.ok());
    const auto j = nlohmann::json::parse(estimate_json(d->scenario, e.value()));
    const auto dot = path.find('.');
    const double got = j[path.substr(0, dot)][path.substr(dot + 1)].get<double>();
    double lo, hi, v, pct;
    if (std::sscanf(expect.c_str(), "[%lf, %lf]", &lo, &hi) == 2) {
    } else if (std::sscanf(expect.c_str(), "%lf \xC2\xB1%lf%%", &v, &pct) == 2) {
      lo = v * (1 - pct / 100);
      hi = v * (1 + pct / 100);
    } else {
      FAIL("unreadable expectation: " << expect);
    }
    INFO("  got " << got);
    CHECK(got >= lo);
    CHECK(got <= hi);
    ++checked;
  }
  }
  CHECK(checked >= 25);
}
