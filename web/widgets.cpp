// web/widgets.cpp — small drawing helpers (see widgets.hpp).
#include "widgets.hpp"

#include <algorithm>
#include <cstdio>

#include "core/units.hpp"

namespace web {

namespace {
float g_label_w = 150;
}

std::string gib(double b) { return llmcalc::format_bytes(b, llmcalc::ByteUnit::GiB); }
std::string gb(double b) { return llmcalc::format_bytes(b, llmcalc::ByteUnit::GB); }
std::string secs(double s) { return llmcalc::format_seconds(s); }

void set_label_width(float px) { g_label_w = px; }

void apply_theme(bool light) {
  g_light = light;
  ImGuiStyle& st = ImGui::GetStyle();
  if (light) {
    ImGui::StyleColorsLight(&st);
    st.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.98f, 1);
    st.Colors[ImGuiCol_Text] = ImVec4(0.08f, 0.09f, 0.11f, 1);
    st.Colors[ImGuiCol_TextDisabled] = ImVec4(0.36f, 0.37f, 0.40f, 1);  // 6.9:1 on the background
    kGood = ImVec4(0.05f, 0.45f, 0.12f, 1);   // 6.8:1
    kBad = ImVec4(0.70f, 0.10f, 0.10f, 1);    // 6.6:1
    kWarn = ImVec4(0.50f, 0.33f, 0.0f, 1);    // 6.3:1
    kAccent = ImVec4(0.10f, 0.35f, 0.70f, 1);
    kInk = IM_COL32(0, 0, 0, 255);
  } else {
    ImGui::StyleColorsDark(&st);
    st.Colors[ImGuiCol_WindowBg] = ImVec4(0.09f, 0.10f, 0.12f, 1);
    st.Colors[ImGuiCol_TextDisabled] = ImVec4(0.60f, 0.61f, 0.64f, 1);  // 6.0:1 (ImGui's 0.50 is 4.4:1, below AA)
    kGood = ImVec4(0.45f, 0.85f, 0.45f, 1);
    kBad = ImVec4(0.95f, 0.42f, 0.42f, 1);
    kWarn = ImVec4(0.95f, 0.8f, 0.35f, 1);
    kAccent = ImVec4(0.55f, 0.78f, 1.0f, 1);
    kInk = IM_COL32(255, 255, 255, 255);
  }
  st.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
}

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

// A whole number as people type it (8192, 8k, 128K, 1.5M: core's parse_count), with "-" and "+"
// buttons at its right like ImGui's InputInt. While the field is active ImGui edits its own copy
// of the text; each edit that reads as a count applies at once, and text that does not yet
// ("1.") leaves the value as it was. Out of range, the nearest allowed value.
bool int_field(const char* text, const char* id, int* v, int lo, int hi, const char* help) {
  label(text);
  const ImGuiStyle& st = ImGui::GetStyle();
  const float button = ImGui::GetFrameHeight();
  int x = *v;
  ImGui::BeginGroup();
  ImGui::PushID(id);
  ImGui::SetNextItemWidth(std::max(1.0f, ImGui::CalcItemWidth() - 2 * (button + st.ItemInnerSpacing.x)));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d", *v);
  if (ImGui::InputText("##text", buf, sizeof buf, ImGuiInputTextFlags_AutoSelectAll)) {
    long long parsed = 0;
    if (llmcalc::parse_count(buf, &parsed)) x = int(std::clamp<long long>(parsed, lo, hi));
  }
  help_tooltip(help);
  ImGui::SameLine(0, st.ItemInnerSpacing.x);
  const int step = ImGui::GetIO().KeyCtrl ? 100 : 1;
  if (ImGui::Button("-", ImVec2(button, button))) x = std::max(lo, x - step);
  ImGui::SameLine(0, st.ItemInnerSpacing.x);
  if (ImGui::Button("+", ImVec2(button, button))) x = std::min(hi, x + step);
  ImGui::PopID();
  ImGui::EndGroup();
  if (x != *v) {
    *v = x;
    return true;
  }
  return false;
}

}  // namespace web
