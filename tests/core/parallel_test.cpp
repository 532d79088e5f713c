// tests/core/parallel_test.cpp — one rule for GPU counts and parallel degrees (page edits and links).
#include <catch2/catch.hpp>

#include "core/parallel.hpp"

using namespace llmcalc;

TEST_CASE("a GPU count must split into tp·pp groups") {
  CHECK(gpu_split_problem(8, 2, 2).empty());
  CHECK(gpu_split_problem(3, 2, 1) == "gpus: 3 GPUs cannot be split into tp\xC2\xB7pp = 2 groups");
  CHECK(gpu_split_problem(6, 1, 1, 4) == "gpus: 6 GPUs cannot be split into tp\xC2\xB7pp\xC2\xB7" "cp = 4 groups");
  CHECK(gpu_split_problem(8, 2, 1, 4).empty());
  // the link decoder reports the same sentence
  const DecodedScenario d = decode_scenario_lenient("gpus=3&tp=2");
  REQUIRE(d.errors.size() == 1);
  CHECK(d.errors[0].message == gpu_split_problem(3, 2, 1));
  // a layout that cannot be keeps the one the user had (here the defaults), never a count below tp
  CHECK(d.scenario.gpus == 1);
  CHECK(d.scenario.tp == 1);
}

TEST_CASE("editing the GPU count snaps to a multiple of tp·pp in the direction of the edit") {
  Scenario s;
  s.tp = 4;
  s.gpus = 8;
  edit_gpus(s, 9);  // up: the next multiple
  CHECK(s.gpus == 12);
  edit_gpus(s, 11);  // down: the previous multiple
  CHECK(s.gpus == 8);
  edit_gpus(s, 1);  // never below one group
  CHECK(s.gpus == 4);
  edit_gpus(s, 2'000'000);  // within the codec's limit
  CHECK(s.gpus <= kMaxGpus);
  CHECK(s.gpus % 4 == 0);
}

TEST_CASE("changing tp or pp keeps the GPU count when it still splits, else rounds it up") {
  Scenario s;
  s.gpus = 8;
  edit_tp(s, 2);
  CHECK(s.gpus == 8);
  CHECK(s.dp() == 4);
  edit_pp(s, 3);  // 8 does not split into 6
  CHECK(s.gpus == 12);
  edit_tp(s, 16);  // more than the GPUs there are
  CHECK(s.gpus == 48);
  CHECK(s.dp() == 1);
  edit_tp(s, 0);  // clamped to 1
  CHECK(s.tp == 1);
}
