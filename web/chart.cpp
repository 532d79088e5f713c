// web/chart.cpp — line chart with ImDrawList (ImGui 1.86 has no multi-series plot).
#include "chart.hpp"

#include "core/units.hpp"
#include "layout_check.hpp"
#include "widgets.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace web {

namespace {
std::string fmt_x(double x) {
  char b[32];
  if (x >= 1048576) std::snprintf(b, sizeof b, "%.0fM", x / 1048576);
  else if (x >= 1024 && std::fmod(x, 1024) == 0) std::snprintf(b, sizeof b, "%.0fk", x / 1024);
  else if (x >= 1000) std::snprintf(b, sizeof b, "%.0fk", x / 1000);
  else std::snprintf(b, sizeof b, "%.0f", x);
  return b;
}

struct UnitStep {
  double scale;
  const char* suffix;
};
// Units per axis quantity, smallest first: the largest whose scale fits under the top is used.
constexpr UnitStep kBytes[] = {{1, " B"}, {1024.0, " KiB"}, {1048576.0, " MiB"}, {1073741824.0, " GiB"}, {1099511627776.0, " TiB"}};
constexpr UnitStep kSeconds[] = {{1e-9, " ns"}, {1e-6, " \xC2\xB5s"}, {1e-3, " ms"}, {1, " s"}, {60, " min"}, {3600, " h"}};
constexpr UnitStep kRates[] = {{1, " tok/s"}, {1e3, "k tok/s"}, {1e6, "M tok/s"}};
}  // namespace

Ticks nice_ticks(double top, AxisUnit unit, int max_ticks) {
  Ticks t;
  const UnitStep* units = unit == AxisUnit::bytes ? kBytes : unit == AxisUnit::seconds ? kSeconds : kRates;
  const size_t n = unit == AxisUnit::bytes ? std::size(kBytes) : unit == AxisUnit::seconds ? std::size(kSeconds) : std::size(kRates);
  if (!(top > 0) || !std::isfinite(top)) top = 1;
  size_t u = 0;
  for (size_t i = 0; i < n; ++i)
    if (top >= units[i].scale) u = i;
  // minutes and hours only from 2 of them (90 s reads better than 1.5 min)
  if (unit == AxisUnit::seconds && u >= 4 && top < 2 * units[u].scale) --u;
  t.scale = units[u].scale;
  t.suffix = units[u].suffix;
  const double span = top / t.scale;  // in the unit
  const double raw = span / std::max(1, max_ticks - 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  t.step = step * t.scale;
  t.decimals = step >= 1 ? (std::fmod(step, 1.0) == 0 ? 0 : 1) : int(std::ceil(-std::log10(step) - 1e-9)) + (std::fmod(step / mag, 1.0) != 0 ? 1 : 0);
  t.decimals = std::clamp(t.decimals, 0, 3);
  return t;
}

std::string tick_text(double v, const Ticks& t) {
  if (v == 0) return "0";
  char b[48];
  std::snprintf(b, sizeof b, "%.*f%s", t.decimals, v / t.scale, t.suffix);
  return b;
}

void draw_chart(const ChartSpec& c, ImVec2 size, double focus_x) {
  ImGui::PushID(c.id);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fs = ImGui::GetFontSize();
  const ImVec4 box(p0.x, p0.y, p0.x + size.x, p0.y + size.y);
  // legend first: as many lines as it needs at this width
  struct Entry {
    const ChartSeries* s;
    ImVec2 at;
  };
  std::vector<Entry> legend;
  {
    float lx = p0.x, ly = p0.y;
    for (const auto& s : c.series) {
      const float w = fs * 1.6f + ImGui::CalcTextSize(s.name).x;
      if (lx > p0.x && lx + w > box.z) {
        lx = p0.x;
        ly += fs * 1.3f;
      }
      legend.push_back({&s, ImVec2(lx, ly)});
      lx += w;
    }
    if (!legend.empty()) size.y += legend.back().at.y - p0.y;  // taller by the extra legend lines
  }
  const float legend_h = (legend.empty() ? 0 : legend.back().at.y - p0.y) + fs * 1.7f;
  ImGui::InvisibleButton("chart", size);
  const bool hovered = ImGui::IsItemHovered();
  const ImU32 grid = ink(28), text = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  // y range: focused on the region up to twice the largest that fits (or the scenario's value)
  double ymax = c.limit;
  const double focus = 2 * std::max(c.marker_x, focus_x);
  for (const auto& s : c.series)
    for (size_t i = 0; i < s.y.size() && i < c.x.size(); ++i)
      if (focus <= 0 || c.x[i] <= focus || i == 0) ymax = std::max(ymax, s.y[i]);
  if (c.limit > 0) ymax = std::max(ymax, c.limit * 1.15);
  const Ticks ticks = nice_ticks(ymax > 0 ? ymax * 1.02 : 1.0, c.unit);
  const double top = std::ceil((ymax > 0 ? ymax * 1.02 : 1.0) / ticks.step) * ticks.step;
  // the widest tick label sets the left margin
  float label_w = 0;
  for (double v = 0; v <= top * (1 + 1e-9); v += ticks.step) label_w = std::max(label_w, ImGui::CalcTextSize(tick_text(v, ticks).c_str()).x);
  const ImVec2 a(p0.x + label_w + fs * 0.5f, p0.y + legend_h);          // plot area top-left (legend above)
  const ImVec2 b(p0.x + size.x - fs * 0.6f, p0.y + size.y - fs * 2.6f);  // bottom-right
  dl->AddRectFilled(a, b, ink(8));
  if (c.x.size() < 2 || b.x <= a.x || b.y <= a.y) {
    ImGui::PopID();
    return;
  }
  const double x0 = std::log(c.x.front()), x1 = std::log(c.x.back());
  auto px = [&](double x) { return a.x + float((std::log(x) - x0) / (x1 - x0)) * (b.x - a.x); };
  auto py = [&](double y) { return b.y - float(y / top) * (b.y - a.y); };
  const std::string group = std::string(c.id) + " " + c.x_label;

  // grid and y ticks: round values in one unit
  for (double v = 0; v <= top * (1 + 1e-9); v += ticks.step) {
    const float y = py(v);
    dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), grid);
    const std::string t = tick_text(v, ticks);
    const ImVec2 ts = ImGui::CalcTextSize(t.c_str());
    const ImVec2 at(a.x - fs * 0.3f - ts.x, y - fs * 0.5f);
    dl->AddText(at, text, t.c_str());
    note_label((group + " y").c_str(), t, at, ts, box);
  }
  // x ticks at powers of two (or ten over a wide range), skipping any that would touch the last one drawn
  const double lo = c.x.front(), hi = c.x.back();
  const bool decimal = hi / lo > 4096;
  float last_right = -1e9f;
  for (double t = 1; t <= hi; t *= decimal ? 10 : 2) {
    if (t < lo) continue;
    const float x = px(t);
    dl->AddLine(ImVec2(x, a.y), ImVec2(x, b.y), grid);
    const std::string s = fmt_x(t);
    const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
    const float left = std::clamp(x - ts.x * 0.5f, p0.x, box.z - ts.x);
    if (left < last_right + fs * 0.5f) continue;
    const ImVec2 at(left, b.y + fs * 0.2f);
    dl->AddText(at, text, s.c_str());
    note_label((group + " x").c_str(), s, at, ts, box);
    last_right = left + ts.x;
  }
  {
    const ImVec2 ts = ImGui::CalcTextSize(c.x_label);
    const ImVec2 at((a.x + b.x) * 0.5f - ts.x * 0.5f, b.y + fs * 1.3f);
    dl->AddText(at, text, c.x_label);
    note_label((group + " title").c_str(), c.x_label, at, ts, box);
  }

  dl->PushClipRect(a, b, true);
  const ImVec4 plot(a.x, a.y, b.x, b.y);
  if (c.limit > 0) {
    const float y = py(c.limit);
    dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), IM_COL32(235, 87, 87, 255), 2.0f);
    if (c.limit_label) {
      const ImVec2 at(a.x + 4, std::max(a.y, y - fs * 1.1f));
      dl->AddText(at, IM_COL32(235, 87, 87, 255), c.limit_label);
      note_label((group + " limit").c_str(), c.limit_label, at, ImGui::CalcTextSize(c.limit_label), plot);
    }
  }
  if (c.marker_x >= lo && c.marker_x <= hi) {
    const float x = px(c.marker_x);
    dl->AddLine(ImVec2(x, a.y), ImVec2(x, b.y), IM_COL32(120, 200, 120, 200), 1.5f);
    if (c.marker_label) {
      const ImVec2 ts = ImGui::CalcTextSize(c.marker_label);
      const ImVec2 at(x + 4 + ts.x > b.x ? std::max(a.x, x - ts.x - 4) : x + 4, a.y + 2);
      dl->AddText(at, IM_COL32(120, 200, 120, 255), c.marker_label);
      if (ts.x + 8 <= b.x - a.x) note_label((group + " marker").c_str(), c.marker_label, at, ts, plot);
    }
  }
  for (const auto& s : c.series) {
    const size_t n = std::min(s.y.size(), c.x.size());
    std::vector<ImVec2> pts(n);
    for (size_t i = 0; i < n; ++i) pts[i] = ImVec2(px(c.x[i]), std::max(py(s.y[i]), a.y - fs));  // above the range: at the top
    dl->AddPolyline(pts.data(), int(n), s.color, 0, 2.0f);
  }
  dl->PopClipRect();

  for (const Entry& e : legend) {
    dl->AddRectFilled(ImVec2(e.at.x, e.at.y + fs * 0.3f), ImVec2(e.at.x + fs * 0.8f, e.at.y + fs * 0.8f), e.s->color);
    const ImVec2 at(e.at.x + fs, e.at.y);
    dl->AddText(at, ImGui::GetColorU32(ImGuiCol_Text), e.s->name);
    note_label((group + " legend").c_str(), e.s->name, at, ImGui::CalcTextSize(e.s->name), box);
  }

  if (hovered) {
    const float mx = ImGui::GetIO().MousePos.x;
    size_t best = 0;
    for (size_t i = 1; i < c.x.size(); ++i)
      if (std::fabs(px(c.x[i]) - mx) < std::fabs(px(c.x[best]) - mx)) best = i;
    dl->AddLine(ImVec2(px(c.x[best]), a.y), ImVec2(px(c.x[best]), b.y), ink(90));
    ImGui::BeginTooltip();
    ImGui::Text("%s = %s", c.x_label, llmcalc::format_grouped(c.x[best]).c_str());
    for (const auto& s : c.series)
      if (best < s.y.size()) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(s.color), "%s: %s", s.name, c.format_y(s.y[best]).c_str());
    ImGui::EndTooltip();
  }
  ImGui::PopID();
}

}  // namespace web
