// web/widgets.cpp — small drawing helpers (see widgets.hpp).
#include "widgets.hpp"

#include <algorithm>

#include "core/units.hpp"

namespace web {

namespace {
float g_label_w = 150;
}

std::string gib(double b) { return llmcalc::format_bytes(b, llmcalc::ByteUnit::GiB); }
std::string gb(double b) { return llmcalc::format_bytes(b, llmcalc::ByteUnit::GB); }
std::string secs(double s) { return llmcalc::format_seconds(s); }

void set_label_width(float px) { g_label_w = px; }

void label(const char* text) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text);
  ImGui::SameLine(g_label_w);
  ImGui::SetNextItemWidth(-1);
}

void help_tooltip(const char* text) {
  if (text && ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

bool int_field(const char* text, const char* id, int* v, int lo, int hi, const char* help) {
  label(text);
  int x = *v;
  const bool changed = ImGui::InputInt(id, &x, 1, 100);
  help_tooltip(help);
  if (changed) {
    x = std::clamp(x, lo, hi);
    if (x != *v) {
      *v = x;
      return true;
    }
  }
  return false;
}

}  // namespace web
