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

struct ChartSpec {
  const char* id;
  const char* x_label;
  std::vector<double> x;  // increasing, > 0
  std::vector<ChartSeries> series;
  std::string (*format_y)(double);  // tick and read-out text
  double limit = 0;                 // horizontal line (0 = none)
  const char* limit_label = nullptr;
  double marker_x = 0;              // vertical line (0 = none)
  const char* marker_label = nullptr;
};

void draw_chart(const ChartSpec& spec, ImVec2 size);

}  // namespace web
