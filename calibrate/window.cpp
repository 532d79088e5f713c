// calibrate/window.cpp — the timed sample's order (see window.hpp).
#include "window.hpp"

namespace calib {

std::vector<WindowStep> window_steps(bool flush) {
  std::vector<WindowStep> s;
  if (flush) s.push_back(WindowStep::flush);
  for (WindowStep w : {WindowStep::spin, WindowStep::start, WindowStep::work, WindowStep::stop, WindowStep::release, WindowStep::wait})
    s.push_back(w);
  return s;
}

}  // namespace calib
