// calibrate/run.cpp — run state, partial profiles, the watchdog's rule (see run.hpp).
#include "run.hpp"

#include <cstdio>
#include <fstream>

namespace calib {

RunState::RunState(llmcalc::Profile p, Clock::time_point start) : p_(std::move(p)), start_(start), progress_(start) {}

void RunState::update(const std::function<void(llmcalc::Profile&)>& edit) {
  std::lock_guard<std::mutex> g(mu_);
  edit(p_);
}

void RunState::step(const std::string& what, Clock::time_point now) {
  std::lock_guard<std::mutex> g(mu_);
  current_ = what;
  progress_ = now;
}

void RunState::heartbeat(Clock::time_point now) {
  std::lock_guard<std::mutex> g(mu_);
  progress_ = now;
}

std::string RunState::current() const {
  std::lock_guard<std::mutex> g(mu_);
  return current_;
}

double RunState::seconds_since_progress(Clock::time_point now) const {
  std::lock_guard<std::mutex> g(mu_);
  return std::chrono::duration<double>(now - progress_).count();
}

double RunState::elapsed(Clock::time_point now) const { return std::chrono::duration<double>(now - start_).count(); }

void RunState::partial(const std::string& reason) {
  std::lock_guard<std::mutex> g(mu_);
  p_.status = "partial";
  if (p_.status_reason.find(reason) != std::string::npos) return;
  if (p_.status_reason.size() > 400) return;  // the notes keep the rest
  p_.status_reason += (p_.status_reason.empty() ? "" : "; ") + reason;
}

void RunState::note(const std::string& text) {
  std::lock_guard<std::mutex> g(mu_);
  p_.notes.push_back(text);
}

llmcalc::Profile RunState::snapshot(Clock::time_point now) const {
  std::lock_guard<std::mutex> g(mu_);
  llmcalc::Profile p = p_;
  p.run_seconds = std::chrono::duration<double>(now - start_).count();
  if (p.status.empty()) p.status = "complete";
  return p;
}

bool RunState::write(const std::string& path, std::string* err, Clock::time_point now) const {
  const std::string text = llmcalc::write_profile(snapshot(now)) + "\n";
  const std::string tmp = path + ".partial-write";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    f.flush();
    if (!f) {
      if (err) *err = "cannot write " + tmp;
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    if (err) *err = "cannot rename " + tmp + " to " + path;
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

bool guarded(RunState& st, const std::string& what, const std::function<void()>& step) {
  try {
    step();
    return true;
  } catch (const StepError& e) {
    if (e.fatal) throw;
    st.note(what + ": not measured: " + e.what());
    st.partial("some steps failed (see notes)");
    return false;
  }
}

bool WatchdogRule::fires(double since_progress_s, double elapsed_s) const {
  return since_progress_s > stall_s || elapsed_s > total_s;
}

std::string WatchdogRule::reason(double since_progress_s, double elapsed_s, const std::string& step) const {
  char buf[160];
  if (since_progress_s > stall_s)
    std::snprintf(buf, sizeof buf, "the watchdog fired: no progress for %.0f s", since_progress_s);
  else
    std::snprintf(buf, sizeof buf, "the watchdog fired: the run took more than %.0f s", elapsed_s);
  return std::string(buf) + (step.empty() ? "" : " (during " + step + ")");
}

}  // namespace calib
