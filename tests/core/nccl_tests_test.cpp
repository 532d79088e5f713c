// tests/core/nccl_tests_test.cpp — nccl-tests output into a profile's collectives. The fixtures are
// format samples written by hand in nccl-tests' layout, not measurements.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "core/nccl_tests.hpp"

using namespace llmcalc;

namespace {
std::string sample(const char* name) {
  std::ifstream f(std::string(LLMCALC_SOURCE_DIR) + "/tests/fixtures/" + name);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
const char* kAllReduce = "nccl-tests-all_reduce_perf-8gpu-format-sample.txt";
const char* kAllGather = "nccl-tests-all_gather_perf-8gpu-format-sample.txt";
}  // namespace

TEST_CASE("nccl-tests: an all_reduce_perf output becomes one sample per size, out-of-place") {
  Result<std::vector<CollectiveSample>> r = parse_nccl_tests(sample(kAllReduce), kAllReduce);
  REQUIRE(r.ok());
  REQUIRE(r->size() == 31);
  const CollectiveSample& first = r->front();
  CHECK(first.op == "all_reduce");
  CHECK(first.ranks == 8);
  CHECK(first.bytes == 8);
  CHECK(first.seconds == Approx(22.00e-6));
  const CollectiveSample& last = r->back();
  CHECK(last.bytes == 8589934592.0);
  CHECK(last.seconds == Approx(41779e-6));
  CHECK(last.bus_bandwidth == Approx(359.81e9));
  CHECK(last.source == std::string(kAllReduce) + " (nccl-tests, 8 \xC3\x97 NVIDIA H100 80GB HBM3)");  // no host names
  CHECK(last.source.find("node-a") == std::string::npos);
}

TEST_CASE("nccl-tests: the collective comes from the test line, else the file name, else the columns") {
  // no "Collective test starting" line: the file name says all_gather
  Result<std::vector<CollectiveSample>> g = parse_nccl_tests(sample(kAllGather), kAllGather);
  REQUIRE(g.ok());
  CHECK(g->front().op == "all_gather");
  // neither: an all-reduce is told by busbw = algbw · 2(n − 1)/n
  std::string text = sample(kAllReduce);
  text.erase(text.find("# Collective test starting"), text.find('\n', text.find("# Collective test starting")) + 1 -
                                                         text.find("# Collective test starting"));
  Result<std::vector<CollectiveSample>> a = parse_nccl_tests(text, "run.log");
  REQUIRE(a.ok());
  CHECK(a->front().op == "all_reduce");
  // an all-gather without either is refused, saying what to do
  Result<std::vector<CollectiveSample>> x = parse_nccl_tests(sample(kAllGather), "run.log");
  REQUIRE_FALSE(x.ok());
  CHECK(x.error().message.find("cannot tell which collective") != std::string::npos);
  // a collective llmcalc does not model
  std::string bc = sample(kAllReduce);
  bc.replace(bc.find("all_reduce_perf"), 15, "broadcast_perf");
  CHECK(parse_nccl_tests(bc, "x.txt").error().message.find("'broadcast_perf': llmcalc reads") != std::string::npos);
}

TEST_CASE("nccl-tests: launcher noise is skipped, wrong results dropped, damaged outputs refused") {
  std::string text = sample(kAllReduce);
  const size_t row = text.find("\n        1024 ");
  text.insert(row + 1, "[node-a:40100] 7 more processes have sent help message help-mca-var.txt\n");
  Result<std::vector<CollectiveSample>> r = parse_nccl_tests(text, kAllReduce);
  REQUIRE(r.ok());
  CHECK(r->size() == 31);
  // a row with #wrong = 3 is not kept
  std::string wrong = sample(kAllReduce);
  const size_t at = wrong.find("\n        2048 ");
  const size_t eol = wrong.find('\n', at + 1);
  std::string line = wrong.substr(at + 1, eol - at - 1);
  line.replace(line.find("       0    "), 12, "       3    ");
  wrong.replace(at + 1, eol - at - 1, line);
  CHECK(parse_nccl_tests(wrong, kAllReduce)->size() == 30);
  for (const auto& [edit, want] : std::vector<std::pair<std::string, const char*>>{
           {"hello\n", "no column header"},
           {sample(kAllReduce).substr(0, sample(kAllReduce).find("           8")), "no result rows"},
           {std::string(kMaxNcclTestsBytes + 1, '#'), "an nccl-tests output is at most"}}) {
    INFO(want);
    Result<std::vector<CollectiveSample>> e = parse_nccl_tests(edit, "f.txt");
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().message.find(want) != std::string::npos);
  }
  std::string only0;
  std::istringstream in(sample(kAllReduce));
  for (std::string l; std::getline(in, l);)
    if (l.rfind("#  Rank", 0) != 0 || l.rfind("#  Rank  0", 0) == 0) only0 += l + "\n";
  CHECK(parse_nccl_tests(only0, kAllReduce).error().message.find("fewer than two '#  Rank' lines") != std::string::npos);
}

TEST_CASE("nccl-tests: importing replaces the same collective and GPU count, keeps the others") {
  Profile p;
  p.schema_version = "1.0";
  const auto ar = parse_nccl_tests(sample(kAllReduce), kAllReduce).value();
  const auto ag = parse_nccl_tests(sample(kAllGather), kAllGather).value();
  import_collectives(p, ar);
  import_collectives(p, ag);
  CHECK(p.collectives.size() == 62);
  CHECK(p.schema_version == "1.1");
  import_collectives(p, ar);
  CHECK(p.collectives.size() == 62);
}
