// web/widgets.cpp — small drawing helpers (see widgets.hpp).
#include "widgets.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <vector>

#include "core/units.hpp"

namespace web {

namespace {
float g_label_w = 150;
std::vector<ImVec4> g_fields, g_fields_next;  // text fields: min x, min y, max x, max y
}  // namespace

void note_text_field() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  g_fields_next.push_back(ImVec4(a.x, a.y, b.x, b.y));
}
bool text_field_at(float x, float y) {
  for (const ImVec4& r : g_fields)
    if (x >= r.x && x <= r.z && y >= r.y && y <= r.w) return true;
  return false;
}
void end_frame_text_fields() {
  g_fields.swap(g_fields_next);
  g_fields_next.clear();
}

std::string gib(double b) { return llmcalc::format_bytes(b, llmcalc::ByteUnit::GiB); }
std::string gb(double b) { return llmcalc::format_bytes(b, llmcalc::ByteUnit::GB); }
std::string secs(double s) { return llmcalc::format_seconds(s); }

void set_label_width(float px) { g_label_w = px; }

void wrapped_disabled(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

std::string fitting_name(std::initializer_list<std::string> names, float width) {
  for (const std::string& n : names)
    if (ImGui::CalcTextSize(n.c_str()).x <= width) return n;
  return names.size() ? *(names.end() - 1) : std::string();
}

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
  note_text_field();
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

namespace web {

bool entered() { return ImGui::IsItemFocused() && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false); }

int search_combo(const char* id, const char* preview, char* filter, size_t filter_size, const std::vector<Choice>& items) {
  int chosen = -1;
  if (!ImGui::BeginCombo(id, preview, ImGuiComboFlags_HeightLarge)) return -1;
  if (ImGui::IsWindowAppearing()) {
    ImGui::SetKeyboardFocusHere();
    filter[0] = 0;
  }
  ImGui::SetNextItemWidth(-1);
  const bool enter = ImGui::InputTextWithHint("##search", "search\xE2\x80\xA6", filter, filter_size,
                                              ImGuiInputTextFlags_EnterReturnsTrue);
  note_text_field();
  auto lower = [](std::string t) {
    for (char& c : t) c = char(std::tolower(static_cast<unsigned char>(c)));
    return t;
  };
  const std::string f = lower(filter);
  int first = -1;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!f.empty() && lower(items[i].match + " " + items[i].label).find(f) == std::string::npos) continue;
    if (first < 0) first = int(i);
    // the first match is what Enter picks: shown highlighted while searching
    if (ImGui::Selectable(items[i].label.c_str(), items[i].selected || (!f.empty() && int(i) == first))) chosen = int(i);
    if (entered()) {
      chosen = int(i);
      ImGui::CloseCurrentPopup();
    }
    if (items[i].selected && ImGui::IsWindowAppearing()) ImGui::SetItemDefaultFocus();
  }
  if (first < 0) ImGui::TextDisabled("no match for \"%s\"", filter);
  if (enter && first >= 0) {
    chosen = first;
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndCombo();
  return chosen;
}

}  // namespace web
