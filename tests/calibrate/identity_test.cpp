// tests/calibrate/identity_test.cpp — the calibrator's device against the presets (issue #11, 11).
#include <catch2/catch.hpp>

#include "identity.hpp"

using namespace calib;

namespace {
llmcalc::Profile device(const char* name, int sms, double memory) {
  llmcalc::Profile p;
  p.device.name = name;
  p.device.sm_count = sms;
  p.device.memory_bytes = memory;
  return p;
}
constexpr double MiB = 1048576.0;
}  // namespace

TEST_CASE("an exact preset: nothing to say") {
  llmcalc::Profile p = device("NVIDIA H100 80GB HBM3", 132, 81559 * MiB);
  CHECK(note_identity(p).empty());
  CHECK(p.notes.empty());
  CHECK(p.device.mig.empty());
}

TEST_CASE("a MIG slice is recorded as one, with its parent named") {
  llmcalc::Profile p = device("NVIDIA H100 80GB HBM3 MIG 3g.40gb", 60, 40 * 1024 * MiB);
  const std::string line = note_identity(p);
  CHECK(p.device.mig == "3g.40gb");
  CHECK(line.find("a MIG slice (3g.40gb) of the NVIDIA H100 SXM 80GB") != std::string::npos);
  REQUIRE(p.notes.size() == 1);
  CHECK(p.notes[0].rfind("device: ", 0) == 0);
}

TEST_CASE("H100 NVL and GH200 by what they report, and a device unlike its name's preset is said to be") {
  llmcalc::Profile nvl = device("NVIDIA H100 NVL", 132, 95830 * MiB);
  CHECK(note_identity(nvl).empty());
  llmcalc::Profile gh = device("NVIDIA GH200 480GB", 132, 97871 * MiB);
  CHECK(note_identity(gh).empty());
  llmcalc::Profile odd = device("NVIDIA H100 80GB HBM3", 100, 81559 * MiB);
  CHECK(note_identity(odd).find("reports 100 SMs") != std::string::npos);
}
