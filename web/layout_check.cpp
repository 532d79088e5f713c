// web/layout_check.cpp — see layout_check.hpp. Reads Dear ImGui's internal window and table
// state (imgui_internal.h): each window's content extent (DC.CursorMaxPos) against its work
// rectangle, and each table column's content and ideal header width against the column.
#include "web/layout_check.hpp"

#include <cstdio>

#include "imgui_internal.h"

namespace web {

namespace {
struct Label {
  std::string group, text;
  ImVec4 r;    // min x, min y, max x, max y
  ImVec4 box;
};
std::vector<Label> g_labels, g_labels_done;
constexpr float kSlack = 1.0f;  // px: rounding of positions

std::string fmt(const char* f, const char* a, double x, double y) {
  char buf[320];
  std::snprintf(buf, sizeof buf, f, a, x, y);
  return buf;
}
}  // namespace

void note_label(const char* group, const std::string& text, ImVec2 at, ImVec2 size, ImVec4 box) {
  g_labels.push_back({group, text, ImVec4(at.x, at.y, at.x + size.x, at.y + size.y), box});
}

void begin_layout_frame() {
  g_labels_done.swap(g_labels);
  g_labels.clear();
}

std::vector<std::string> clipped_items() {
  std::vector<std::string> out;
  ImGuiContext& g = *GImGui;
  for (ImGuiWindow* w : g.Windows) {
    if (!w->WasActive || w->Hidden || (w->Flags & ImGuiWindowFlags_Tooltip) || w->ScrollbarX) continue;
    const float over = w->DC.CursorMaxPos.x - w->WorkRect.Max.x;
    if (over > kSlack)
      out.push_back(fmt("window '%s': content %.0f px past its right edge (width %.0f px)", w->Name, over, w->WorkRect.GetWidth()));
  }
  for (int n = 0; n < g.Tables.GetMapSize(); ++n) {
    ImGuiTable* t = g.Tables.TryGetMapData(n);
    if (!t || t->LastFrameActive < g.FrameCount - 1) continue;
    for (int c = 0; c < t->ColumnsCount; ++c) {
      const ImGuiTableColumn& col = t->Columns[c];
      if (!col.IsEnabled) continue;
      const char* name = t->ColumnsNames.Buf.Size > 0 && col.NameOffset >= 0 ? t->ColumnsNames.c_str() + col.NameOffset : "?";
      const float cell = ImMax(col.ContentMaxXFrozen, col.ContentMaxXUnfrozen) - col.WorkMaxX;
      const float head = col.ContentMaxXHeadersIdeal - col.WorkMaxX;
      if (cell > kSlack) out.push_back(fmt("table column '%s': a cell %.0f px wider than the column (%.0f px)", name, cell, col.WorkMaxX - col.WorkMinX));
      if (head > kSlack) out.push_back(fmt("table column '%s': header %.0f px wider than the column (%.0f px)", name, head, col.WorkMaxX - col.WorkMinX));
    }
  }
  for (size_t i = 0; i < g_labels_done.size(); ++i) {
    const Label& l = g_labels_done[i];
    if (l.r.x < l.box.x - kSlack || l.r.z > l.box.z + kSlack || l.r.y < l.box.y - kSlack || l.r.w > l.box.w + kSlack)
      out.push_back("label '" + l.text + "' (" + l.group + ") leaves its box");
    for (size_t j = 0; j < i; ++j) {
      const Label& o = g_labels_done[j];
      if (o.group == l.group && l.r.x < o.r.z && o.r.x < l.r.z && l.r.y < o.r.w && o.r.y < l.r.w)
        out.push_back("labels '" + o.text + "' and '" + l.text + "' (" + l.group + ") overlap");
    }
  }
  return out;
}

}  // namespace web
