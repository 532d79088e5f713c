// calibrate/run.hpp — the state of one calibration run: the profile as measurements arrive, what
// is being measured (for progress and the watchdog), and what was lost. Whatever happens — a
// failed shape, a lost CUDA context, the watchdog — the profile measured so far is written with
// its status (issue #11, 6). Pure C++ (no CUDA), tested without a GPU (tests/calibrate/run_test.cpp).
#pragma once
#include <chrono>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>

#include "core/profile.hpp"

namespace calib {

enum Exit { kOk = 0, kFailure = 1, kUsage = 2, kNoDevice = 3, kTimeout = 4, kBusy = 5, kOutOfMemory = 6 };

// A step that could not be measured. `fatal`: the device can no longer be trusted (a sticky CUDA
// error: the context is lost), so nothing more is measured; otherwise the run goes on without it.
struct StepError : std::runtime_error {
  int exit_code;
  bool fatal;
  StepError(int code, const std::string& what, bool is_fatal = false)
      : std::runtime_error(what), exit_code(code), fatal(is_fatal) {}
};

using Clock = std::chrono::steady_clock;

class RunState {
 public:
  explicit RunState(llmcalc::Profile p, Clock::time_point start = Clock::now());
  // Changes the profile under the lock (measurements add their results as they come). Never call
  // CUDA inside `edit`: the watchdog must always be able to take the lock.
  void update(const std::function<void(llmcalc::Profile&)>& edit);
  // Progress: the step now running (also a heartbeat for the watchdog).
  void step(const std::string& what, Clock::time_point now = Clock::now());
  void heartbeat(Clock::time_point now = Clock::now());
  std::string current() const;
  double seconds_since_progress(Clock::time_point now = Clock::now()) const;
  double elapsed(Clock::time_point now = Clock::now()) const;
  // The run lost something: status becomes "partial"; the reasons are joined (first ones kept).
  void partial(const std::string& reason);
  void note(const std::string& text);
  // The profile as it stands now, with its status and run time: what is written on every path.
  llmcalc::Profile snapshot(Clock::time_point now = Clock::now()) const;
  // Writes snapshot() to `path` through a temporary file and a rename, so a reader never sees half
  // a file; false (with *err) when it cannot.
  bool write(const std::string& path, std::string* err, Clock::time_point now = Clock::now()) const;

 private:
  mutable std::mutex mu_;
  llmcalc::Profile p_;
  std::string current_;
  Clock::time_point start_, progress_;
};

// Runs one measurement step: a non-fatal StepError is noted, the run marked partial and the step
// skipped (false); a fatal one is rethrown for main to write the partial profile and stop.
bool guarded(RunState& st, const std::string& what, const std::function<void()>& step);

// When the watchdog gives up: no progress for `stall_s`, or the whole run past `total_s`.
struct WatchdogRule {
  double stall_s = 120, total_s = 3600;
  bool fires(double since_progress_s, double elapsed_s) const;
  std::string reason(double since_progress_s, double elapsed_s, const std::string& step) const;
};

}  // namespace calib
