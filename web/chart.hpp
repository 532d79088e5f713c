// web/chart.hpp — a small line chart drawn with ImGui's draw list: log-scaled x, linear y from 0,
// an optional horizontal limit line (capacity) and vertical marker (largest value that fits),
// and a hover read-out. Draws only; the data comes from core (sweep).
#pragma once
#include <string>
#include <vector>

#include "imgui.h"

namespace web {

struct ChartSeries {
  std::vector<double> y;  // one value per x
  ImU32 color;
  const char* name;
};

// The quantity on the y axis: its ticks are round numbers in one unit chosen for the range.
enum class AxisUnit { bytes, seconds, rate };

struct ChartSpec {
  const char* id;
  const char* x_label;
  std::vector<double> x;  // increasing, > 0
  std::vector<ChartSeries> series;
  AxisUnit unit = AxisUnit::bytes;
  std::string (*format_y)(double);  // the hover read-out's text
  double limit = 0;                 // horizontal line (0 = none)
  const char* limit_label = nullptr;
  double marker_x = 0;              // vertical line (0 = none)
  const char* marker_label = nullptr;
};

// Draws the chart in `size`. The y range is focused where decisions are made: up to twice the
// larger of the marker (largest that fits) and `focus_x` (the scenario's own value), and never
// below the limit line; what lies above is cut at the top edge.
void draw_chart(const ChartSpec& spec, ImVec2 size, double focus_x = 0);

// Round tick values in one unit: a step of 1, 2, 2.5 or 5 × 10^k of the unit picked for `top`.
struct Ticks {
  double step = 1;         // in the axis quantity (bytes, seconds, tokens/s)
  double scale = 1;        // quantity per unit shown (e.g. 2^30 for GiB)
  const char* suffix = "";  // " GiB", " ms", "k tok/s"
  int decimals = 0;
};
Ticks nice_ticks(double top, AxisUnit unit, int max_ticks = 5);
std::string tick_text(double value, const Ticks& t);

}  // namespace web
