// web/layout_check.hpp — what the last frame drew that did not fit where it was put: windows whose
// content runs past their right edge (text cut off, buttons off-screen), table columns whose
// cells or headers are wider than the column (clipped or shortened with "…"), and drawn labels
// (charts) that leave their box or overlap. The page's hook (window.llmcalc.clipped()) returns it,
// so browser tests can ask for "nothing clipped" at phone, laptop and desktop widths.
#pragma once
#include <string>
#include <vector>

#include "imgui.h"

namespace web {

// A label drawn straight onto a draw list (charts): `text` at `at` must stay inside `box` and
// must not overlap the labels noted before it in the same box group.
void note_label(const char* group, const std::string& text, ImVec2 at, ImVec2 size, ImVec4 box);
// After ImGui::EndFrame (or Render): one line per problem of that frame, empty when all fits.
std::vector<std::string> clipped_items();
// Starts the next frame's record of labels.
void begin_layout_frame();

}  // namespace web
