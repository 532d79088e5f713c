// tests/calibrate/run_test.cpp — the profile is never lost: a failed step is noted and skipped,
// a fatal one stops the run, and a partial profile (budget, failure, watchdog) is written with its
// status (issue #11, 6).
#include <catch2/catch.hpp>
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "run.hpp"

using namespace calib;

namespace {
llmcalc::Profile started() {
  llmcalc::Profile p;
  p.created = "2026-01-01T00:00:00Z";
  p.device.name = "Test GPU";
  p.device.memory_bytes = 80e9;
  return p;
}
std::string read(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
void add_measurements(RunState& st) {
  st.update([](llmcalc::Profile& p) {
    p.launch_back_to_back_s = 2e-6;
    p.bandwidth.push_back({"read", 4e9, 4e9, 1.4e-3});
    p.gemm.push_back({"bf16", 1, 4096, 4096, 1.2e-5, 1.1e-5, 4, true});
  });
}
}  // namespace

TEST_CASE("a failed step is noted and skipped, the run goes on and says it is partial") {
  RunState st(started());
  int after = 0;
  CHECK_FALSE(guarded(st, "gemm fp8 M=1", [] { throw StepError(kOutOfMemory, "not enough GPU memory for GEMM weights"); }));
  CHECK(guarded(st, "gemm fp8 M=2", [&] { ++after; }));
  CHECK(after == 1);
  const llmcalc::Profile p = st.snapshot();
  CHECK(p.status == "partial");
  CHECK(p.status_reason == "some steps failed (see notes)");
  REQUIRE(p.notes.size() == 1);
  CHECK(p.notes[0] == "gemm fp8 M=1: not measured: not enough GPU memory for GEMM weights");
  // a fatal error (the CUDA context lost) is not swallowed
  CHECK_THROWS_AS(guarded(st, "gemm", [] { throw StepError(kFailure, "cudaErrorIllegalAddress", true); }), StepError);
}

TEST_CASE("the profile written at any point reads back, with its status and what was measured") {
  RunState st(started());
  add_measurements(st);
  st.partial("the GEMM time budget ran out");
  st.partial("the GEMM time budget ran out");  // said once
  const std::string path = std::string(LLMCALC_BUILD_DIR) + "/partial-profile.json";
  std::string err;
  REQUIRE(st.write(path, &err));
  llmcalc::Result<llmcalc::Profile> back = llmcalc::parse_profile(read(path));
  REQUIRE(back.ok());
  CHECK(back->status == "partial");
  CHECK(back->status_reason == "the GEMM time budget ran out");
  CHECK(back->gemm.size() == 1);
  // nothing half-written is left beside it
  CHECK_FALSE(std::ifstream(path + ".partial-write").good());
  CHECK_FALSE(st.write("/no/such/dir/profile.json", &err));
  CHECK(err.find("cannot write") != std::string::npos);
}

TEST_CASE("the watchdog fires on a stall or on the total time, and writes while a step is stuck") {
  const WatchdogRule rule{120, 3600};
  CHECK_FALSE(rule.fires(10, 100));
  CHECK(rule.fires(121, 200));
  CHECK(rule.fires(1, 3601));
  CHECK(rule.reason(130, 200, "gemm bf16 M=16 N=4096 K=4096") ==
        "the watchdog fired: no progress for 130 s (during gemm bf16 M=16 N=4096 K=4096)");
  // a measurement thread stuck inside a step (as in a hung CUDA call: it holds no lock) does not
  // keep the watchdog from writing what was measured
  const auto t0 = Clock::now();
  RunState st(started(), t0);
  add_measurements(st);
  st.step("gemm bf16 M=16 N=4096 K=4096", t0);
  std::atomic<bool> release{false};
  std::thread stuck([&] {
    while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  const auto later = t0 + std::chrono::seconds(200);
  REQUIRE(rule.fires(st.seconds_since_progress(later), st.elapsed(later)));
  st.partial(rule.reason(st.seconds_since_progress(later), st.elapsed(later), st.current()));
  const std::string path = std::string(LLMCALC_BUILD_DIR) + "/watchdog-profile.json";
  std::string err;
  CHECK(st.write(path, &err, later));
  release = true;
  stuck.join();
  llmcalc::Result<llmcalc::Profile> back = llmcalc::parse_profile(read(path));
  REQUIRE(back.ok());
  CHECK(back->status == "partial");
  CHECK(back->status_reason == "the watchdog fired: no progress for 200 s (during gemm bf16 M=16 N=4096 K=4096)");
  CHECK(back->run_seconds == Approx(200));
}
