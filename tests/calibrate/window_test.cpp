// tests/calibrate/window_test.cpp — the order of a timed sample (issue #11, 8): the spin kernel
// before the start event, the release after the stop event, a flush outside the window.
#include <catch2/catch.hpp>
#include <algorithm>

#include "window.hpp"

using namespace calib;
using W = WindowStep;

namespace {
size_t at(const std::vector<W>& s, W w) { return size_t(std::find(s.begin(), s.end(), w) - s.begin()); }
}  // namespace

TEST_CASE("host gaps never fall between the events: spin, start, work, stop, release, wait") {
  for (const bool flush : {false, true}) {
    const std::vector<W> s = window_steps(flush);
    CHECK(at(s, W::spin) < at(s, W::start));     // the stream is held before the window opens
    CHECK(at(s, W::start) < at(s, W::work));
    CHECK(at(s, W::work) < at(s, W::stop));
    CHECK(at(s, W::stop) < at(s, W::release));   // everything is enqueued before the GPU may run it
    CHECK(at(s, W::release) < at(s, W::wait));   // waiting first would wait for ever (until the gate's timeout)
    CHECK((at(s, W::flush) < s.size()) == flush);
    if (flush) CHECK(at(s, W::flush) < at(s, W::spin));  // the flush is outside the window
  }
}
