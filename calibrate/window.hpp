// calibrate/window.hpp — the order of one timed sample (issue #11, 8). A spin kernel holds the
// stream until the host has enqueued everything, so the start event fires only when the work can
// run back to back: host gaps (launch overhead, a descheduled thread) never fall between the two
// events. An L2 flush, when the method has one, runs before the spin kernel. Pure C++ (no CUDA);
// measure.cpp executes these steps in this order and tests/calibrate/window_test.cpp pins it.
#pragma once
#include <vector>

namespace calib {

enum class WindowStep {
  flush,    // the L2 flush of the method (read or write), outside the window
  spin,     // the gate kernel: spins on a host-mapped flag (with a timeout)
  start,    // cudaEventRecord(start)
  work,     // the launches being timed
  stop,     // cudaEventRecord(stop)
  release,  // the host sets the flag: the gate kernel ends and the window's work runs
  wait,     // cudaEventSynchronize(stop)
};

std::vector<WindowStep> window_steps(bool flush);

}  // namespace calib
