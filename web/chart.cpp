// web/chart.cpp — line chart with ImDrawList (ImGui 1.86 has no multi-series plot).
#include "chart.hpp"

#include "widgets.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace web {

namespace {
std::string tick_y(std::string (*f)(double), double v) { return v == 0 ? std::string("0") : f(v); }
std::string fmt_x(double x) {
  char b[32];
  if (x >= 1e6) std::snprintf(b, sizeof b, "%.0fM", x / 1e6);
  else if (x >= 1e3) std::snprintf(b, sizeof b, "%.0fk", x / 1e3);
  else std::snprintf(b, sizeof b, "%.0f", x);
  return b;
}
}  // namespace

void draw_chart(const ChartSpec& c, ImVec2 size) {
  ImGui::PushID(c.id);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("chart", size);
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fs = ImGui::GetFontSize();
  const ImVec2 a(p0.x + fs * 4.2f, p0.y + fs * 1.7f);             // plot area top-left (legend above)
  const ImVec2 b(p0.x + size.x - fs * 0.6f, p0.y + size.y - fs * 2.6f);  // bottom-right
  const ImU32 grid = ink(28), text = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  dl->AddRectFilled(a, b, ink(8));
  if (c.x.size() < 2 || b.x <= a.x || b.y <= a.y) {
    ImGui::PopID();
    return;
  }
  const double x0 = std::log(c.x.front()), x1 = std::log(c.x.back());
  double ymax = c.limit;
  for (const auto& s : c.series)
    for (double v : s.y) ymax = std::max(ymax, v);
  ymax = ymax > 0 ? ymax * 1.08 : 1.0;
  auto px = [&](double x) { return a.x + float((std::log(x) - x0) / (x1 - x0)) * (b.x - a.x); };
  auto py = [&](double y) { return b.y - float(y / ymax) * (b.y - a.y); };

  // grid and ticks: 4 horizontal lines, x ticks at powers of two/ten that fall inside
  for (int i = 0; i <= 4; ++i) {
    const double v = ymax * i / 4.0;
    const float y = py(v);
    dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), grid);
    const std::string t = tick_y(c.format_y, v);
    dl->AddText(ImVec2(p0.x, y - fs * 0.5f), text, t.c_str());
  }
  const double lo = c.x.front(), hi = c.x.back();
  const bool decimal = hi / lo > 4096;
  for (double t = 1; t <= hi; t *= decimal ? 10 : 2) {
    if (t < lo) continue;
    const float x = px(t);
    dl->AddLine(ImVec2(x, a.y), ImVec2(x, b.y), grid);
    const std::string s = fmt_x(t);
    dl->AddText(ImVec2(x - ImGui::CalcTextSize(s.c_str()).x * 0.5f, b.y + fs * 0.2f), text, s.c_str());
  }
  dl->AddText(ImVec2((a.x + b.x) * 0.5f - ImGui::CalcTextSize(c.x_label).x * 0.5f, b.y + fs * 1.3f), text, c.x_label);

  dl->PushClipRect(a, b, true);
  if (c.limit > 0) {
    const float y = py(c.limit);
    dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), IM_COL32(235, 87, 87, 255), 2.0f);
    if (c.limit_label) dl->AddText(ImVec2(a.x + 4, y - fs * 1.1f), IM_COL32(235, 87, 87, 255), c.limit_label);
  }
  if (c.marker_x >= lo && c.marker_x <= hi) {
    const float x = px(c.marker_x);
    dl->AddLine(ImVec2(x, a.y), ImVec2(x, b.y), IM_COL32(120, 200, 120, 200), 1.5f);
    if (c.marker_label) {
      const float w = ImGui::CalcTextSize(c.marker_label).x;
      dl->AddText(ImVec2(x + 4 + w > b.x ? x - w - 4 : x + 4, a.y + 2), IM_COL32(120, 200, 120, 255), c.marker_label);
    }
  }
  for (const auto& s : c.series) {
    const size_t n = std::min(s.y.size(), c.x.size());
    std::vector<ImVec2> pts(n);
    for (size_t i = 0; i < n; ++i) pts[i] = ImVec2(px(c.x[i]), py(s.y[i]));
    dl->AddPolyline(pts.data(), int(n), s.color, 0, 2.0f);
  }
  dl->PopClipRect();

  // legend
  float lx = a.x;
  const float ly = p0.y;
  for (const auto& s : c.series) {
    dl->AddRectFilled(ImVec2(lx, ly + fs * 0.3f), ImVec2(lx + fs * 0.8f, ly + fs * 0.8f), s.color);
    dl->AddText(ImVec2(lx + fs, ly), ImGui::GetColorU32(ImGuiCol_Text), s.name);
    lx += fs * 1.6f + ImGui::CalcTextSize(s.name).x;
  }

  if (hovered) {
    const float mx = ImGui::GetIO().MousePos.x;
    size_t best = 0;
    for (size_t i = 1; i < c.x.size(); ++i)
      if (std::fabs(px(c.x[i]) - mx) < std::fabs(px(c.x[best]) - mx)) best = i;
    dl->AddLine(ImVec2(px(c.x[best]), a.y), ImVec2(px(c.x[best]), b.y), ink(90));
    ImGui::BeginTooltip();
    ImGui::Text("%s = %.0f", c.x_label, c.x[best]);
    for (const auto& s : c.series)
      if (best < s.y.size()) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(s.color), "%s: %s", s.name, c.format_y(s.y[best]).c_str());
    ImGui::EndTooltip();
  }
  ImGui::PopID();
}

}  // namespace web
