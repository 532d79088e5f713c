// web/widgets.hpp — the page's small drawing helpers: colours, a labelled row, a help tooltip,
// integer and enum fields. Draw only; limits and values come from core.
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "imgui.h"

namespace web {

inline const ImU32 kColWeights = IM_COL32(86, 156, 214, 255);
inline const ImU32 kColGrads = IM_COL32(230, 145, 56, 255);
inline const ImU32 kColOpt = IM_COL32(176, 122, 214, 255);
inline const ImU32 kColAct = IM_COL32(106, 190, 112, 255);
inline const ImU32 kColKv = IM_COL32(78, 201, 176, 255);
inline const ImU32 kColOver = IM_COL32(150, 150, 150, 255);
// Verdict colours and the "ink" of overlays (grid lines, bar backgrounds, the total's line):
// set by apply_theme for the dark or the light scheme, each with AA contrast on its background.
inline ImVec4 kGood, kBad, kWarn, kAccent;
inline ImU32 kInk = IM_COL32(255, 255, 255, 255);
inline ImU32 ink(int alpha) { return (kInk & 0x00FFFFFFu) | (ImU32(alpha) << 24); }
inline bool g_light = false;
// The ImGui style and the colours above for one scheme.
void apply_theme(bool light);

// Text of quantities (formatting itself lives in core/units).
std::string gib(double bytes);
std::string gb(double bytes);
std::string secs(double seconds);

// Text that wraps at the panel's edge, in the secondary colour.
void wrapped_disabled(const std::string& text);
// The first of `names` (longest first) that fits `width` pixels, else the last one.
std::string fitting_name(std::initializer_list<std::string> names, float width);

// Width of the label column of the input rows, in pixels.
void set_label_width(float px);
// A row label; the next widget fills the rest of the row.
void label(const char* text);
// A tooltip with `text` while the last item is hovered (nothing when text is null).
void help_tooltip(const char* text);
// Text fields drawn this frame (call after each InputText): a tap there opens the phone's
// keyboard at once (the page asks text_field_at from its touch handler, a user gesture).
void note_text_field();
bool text_field_at(float x, float y);  // in a text field drawn in the last frame
void end_frame_text_fields();
// An integer input clamped to [lo, hi]; true when the value changed.
bool int_field(const char* text, const char* id, int* v, int lo, int hi, const char* help = nullptr);

// After a list item (Selectable): true when it has the keyboard focus and Enter was pressed
// (Dear ImGui 1.86 activates items with Space only; people press Enter).
bool entered();

// A list entry of search_combo: what it shows and the texts a search matches (case-insensitive).
struct Choice {
  std::string label;
  std::string match;  // e.g. "llama-3.1-70b Llama 3.1 70B"
  bool selected = false;
};
// A combo with a search field that has the keyboard when it opens: typing filters the list, Enter
// picks the first match (the only one, once the search is specific), the arrow keys move through
// the list. `filter` is the caller's buffer (emptied when the combo opens). The index chosen, or -1.
int search_combo(const char* id, const char* preview, char* filter, size_t filter_size, const std::vector<Choice>& items);

// A combo over the values of an enum; true when the value changed.
template <class E, size_t N>
bool enum_field(const char* text, const char* id, E* v, const E (&all)[N], std::string_view (*name)(E),
                const char* help = nullptr) {
  label(text);
  bool changed = false;
  if (ImGui::BeginCombo(id, std::string(name(*v)).c_str())) {
    for (E e : all) {
      if ((ImGui::Selectable(std::string(name(e)).c_str(), e == *v) || entered()) && e != *v) {
        *v = e;
        changed = true;
        ImGui::CloseCurrentPopup();
      }
      if (e == *v && ImGui::IsWindowAppearing()) ImGui::SetItemDefaultFocus();
    }
    ImGui::EndCombo();
  }
  help_tooltip(help);
  return changed;
}

}  // namespace web
