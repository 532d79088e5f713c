// web/app.cpp — the page's state and frame: links in, recompute when the scenario changes, the
// header, and the layout of the panels (inputs, results, charts, file import: panel_*.cpp).
// Inputs on the left, results on the right; one column, verdict first, when narrow.
//
// [SECTION] state: links, recompute, tooltips, widget rectangles
// [SECTION] header
// [SECTION] frame
#include "web/app.hpp"

#include <algorithm>

#include "core/units.hpp"
#include "imgui.h"
#include "web/app.hpp"
#include "web/layout_check.hpp"
#include "web/platform.h"
#include "web/widgets.hpp"

using namespace llmcalc;

namespace web {

// ============================================================================================
// [SECTION] state
// ============================================================================================

void App::apply_link(const std::string& fragment) {
  // A link opened over the user's scenario: what it cannot give keeps what the user had.
  const Scenario base = have_scenario_ ? scenario_ : Scenario{};
  DecodedScenario d = decode_scenario_lenient(fragment, base);
  link_notes_.clear();
  link_had_errors_ = !d.errors.empty();
  for (const Error& e : d.errors) link_notes_.push_back(e.message);
  for (const std::string& w : d.warnings) link_notes_.push_back(w);
  Scenario s = d.scenario;
  // vs=: the scenario to compare with (A); one that cannot be read is named and left out
  pinned_ = false;
  if (!d.compare.empty()) {
    DecodedScenario a = decode_scenario_lenient(d.compare);
    Result<Estimate> ea = a.errors.empty() ? estimate(a.scenario) : Result<Estimate>(a.errors.front());
    if (ea) {
      pinned_ = true;
      pinned_scenario_ = a.scenario;
      pinned_est_ = ea.value();
    } else {
      link_notes_.push_back("vs: the scenario to compare with could not be read (" + ea.error().message + "); no comparison shown");
    }
  }
  // A preset this build does not know, or a model that does not resolve: keep everything else
  // and keep the user's GPU, then the user's model, then the whole scenario the user had.
  std::string not_asked;
  if (Result<Resolved> r = resolve(s); !r) {
    link_had_errors_ = true;
    link_notes_.push_back(r.error().message);
    if (r.error().code == ErrorCode::unknown_preset) not_asked = r.error().message;
    if (!find_gpu_preset(s.gpu) && s.gpu != "custom") {
      s.gpu = base.gpu;
      s.gpu_spec = base.gpu_spec;
      d.refused.push_back("gpu");
    }
    if (!resolve(s)) {
      s.model = base.model;
      s.name = base.name;
      s.arch = base.arch;
      d.refused.push_back("model");
    }
    if (!resolve(s)) s = base;
  }
  if (link_had_errors_) {
    std::string kept;
    for (const std::string& k : d.refused) kept += (kept.empty() ? "" : ", ") + k;
    link_notes_.insert(link_notes_.begin(), "This link could not be read in full: " +
                                                (kept.empty() ? std::string("nothing was changed for it")
                                                              : (have_scenario_ ? "kept your " : "defaults for ") + kept) +
                                                "; the rest is the link's.");
  }
  // The address bar keeps what was pasted, so it can be seen and fixed, until the user acts.
  set_scenario(s, /*write_address=*/link_notes_.empty());
  keep_address_ = !link_notes_.empty();
  not_asked_ = not_asked;
  update_summary();
}

void App::set_scenario(const Scenario& s, bool write_address) {
  // an import's notes (e.g. "measured on another GPU") are about the profile and GPU they were given for
  if (file_state_ == FileState::ok && !hub_status_ && (s.prof != scenario_.prof || s.gpu != scenario_.gpu)) {
    file_state_ = FileState::idle;
    file_message_.clear();
  }
  scenario_ = s;
  have_scenario_ = true;
  not_asked_.clear();  // from now on the page shows what the user chose
  recompute();
  update_summary();
  const std::string t = encode_scenario(scenario_);
  if (t != text_ || keep_address_ || write_address) {
    text_ = t;
    if (write_address) {
      platform::set_fragment(fragment());
      keep_address_ = false;
    }
  }
}

std::string App::fragment() const { return pinned_ ? encode_compare(scenario_, pinned_scenario_) : text_; }

void App::pin(const Scenario& a) {
  Result<Estimate> e = estimate(a);
  if (!e) return;
  pinned_ = true;
  pinned_scenario_ = a;
  pinned_est_ = e.value();
  platform::set_fragment(fragment());
  update_summary();
}

void App::recompute() {
  Result<Resolved> r = resolve(scenario_);
  ok_ = r.ok();
  if (!ok_) {
    error_ = r.error().message;
    return;
  }
  error_.clear();
  est_ = compute_explained(scenario_, r.value());
  fixes_ = fixes_for(scenario_, est_);
  // Chart ranges: batch 1…1024 (256 in training); context 128 … the model's context (≥ 4k).
  const int bmax = scenario_.mode == Mode::infer ? 1024 : 256;
  const int cmax = std::clamp(est_.r.model.context > 0 ? est_.r.model.context : 131072, 4096, 1 << 20);
  batch_sweep_ = sweep(scenario_, r.value(), SweepAxis::batch, 1, bmax, 48);
  context_sweep_ = sweep(scenario_, r.value(), SweepAxis::context, 128, cmax, 48);
  build_charts();
  if (!first_done_) {
    first_done_ = true;
    platform::mark_first_estimate();
  }
}

// Figure with a formula tooltip: hovering shows the formula with its inputs and the source.
void App::explained(const char* id) {
  if (!ImGui::IsItemHovered()) return;
  const Explanation* x = find_explanation(est_, id);
  if (!x) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40);
  ImGui::TextUnformatted(x->formula().c_str());
  // the named terms it uses, each on its own line (the first few; the CLI's --explain lists all)
  constexpr size_t kWhereLines = 6;
  for (size_t i = 1; i < x->steps.size() && i <= kWhereLines; ++i) ImGui::TextDisabled("%s", x->steps[i].text.c_str());
  if (x->steps.size() > kWhereLines + 1) ImGui::TextDisabled("\xE2\x80\xA6 %zu more", x->steps.size() - 1 - kWhereLines);
  ImGui::TextDisabled("Source: %s", x->source.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
  tooltip_next_ = id;
}

bool App::widget_rect(const std::string& name, float out[4]) const {
  for (const auto& [n, r] : rects_)
    if (n == name) {
      std::copy(r.begin(), r.end(), out);
      return true;
    }
  return false;
}

void App::track(const char* name) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  rects_next_.push_back({name, {a.x, a.y, b.x - a.x, b.y - a.y}});
}

// ============================================================================================
// [SECTION] header
// ============================================================================================

void App::draw_header(float width) {
  ImGui::TextColored(kAccent, "llmcalc");
  ImGui::SameLine();
  ImGui::TextDisabled("will it fit, and how fast will it be?");
  const float bw = ImGui::CalcTextSize("Copy failed").x + ImGui::CalcTextSize("About & formulas").x +
                   ImGui::CalcTextSize("Light").x + ImGui::GetStyle().FramePadding.x * 6 + ImGui::GetStyle().ItemSpacing.x * 2;
  if (width > bw * 2.2f) ImGui::SameLine(width - bw - ImGui::GetStyle().WindowPadding.x);
  // the button says what happened, in place (a note beside it would fall off a narrow screen)
  const bool recent = ImGui::GetTime() - copied_at_ < 2.5;
  const float copy_w = std::max({ImGui::CalcTextSize("Copy link").x, ImGui::CalcTextSize("Copied \xE2\x9C\x93").x,
                                 ImGui::CalcTextSize("Copy failed").x}) +
                       ImGui::GetStyle().FramePadding.x * 2;
  if (ImGui::Button(recent ? (copied_ok_ ? "Copied \xE2\x9C\x93###copy" : "Copy failed###copy") : "Copy link###copy", ImVec2(copy_w, 0))) {
    copied_ok_ = platform::copy_to_clipboard(platform::link_for(fragment()));
    copied_at_ = ImGui::GetTime();
  }
  track("copy-link");
  help_tooltip("Copies this page's address: the whole scenario is in it, so the receiver sees the same numbers.");
  ImGui::SameLine();
  if (ImGui::Button("About & formulas")) platform::open_url("about.html");
  track("about");
  ImGui::SameLine();
  if (ImGui::Button(g_light ? "Dark" : "Light")) apply_theme(!g_light);
  track("theme");
  help_tooltip("Light or dark colours (the page starts with your system's choice).");
  if (!link_notes_.empty()) {
    const ImVec4 bad = g_light ? ImVec4(1.0f, 0.88f, 0.88f, 1) : ImVec4(0.35f, 0.12f, 0.12f, 1);
    const ImVec4 warn = g_light ? ImVec4(1.0f, 0.95f, 0.8f, 1) : ImVec4(0.3f, 0.27f, 0.1f, 1);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, link_had_errors_ ? bad : warn);
    // as tall as the notes need, wrapped at the page's width (the first line leaves room for Dismiss)
    const ImGuiStyle& st = ImGui::GetStyle();
    const float dismiss = ImGui::CalcTextSize("Dismiss").x + st.FramePadding.x * 2 + st.ItemSpacing.x;
    const float wrap = std::max(40.0f, width - st.WindowPadding.x * 2 - dismiss);
    float h = st.WindowPadding.y * 2;
    for (size_t i = 0; i < link_notes_.size() && i < 5; ++i)
      h += ImGui::CalcTextSize(link_notes_[i].c_str(), nullptr, false, wrap).y + st.ItemSpacing.y;
    ImGui::BeginChild("link-notes", ImVec2(0, h), false, ImGuiWindowFlags_AlwaysUseWindowPadding | ImGuiWindowFlags_NoScrollbar);
    for (size_t i = 0; i < link_notes_.size() && i < 5; ++i) {
      ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
      ImGui::TextUnformatted(link_notes_[i].c_str());
      ImGui::PopTextWrapPos();
      if (i == 0) {
        ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - dismiss + st.ItemSpacing.x);
        if (ImGui::SmallButton("Dismiss")) {
          link_notes_.clear();
          if (keep_address_) set_scenario(scenario_);  // the address shows the scenario from now on
        }
        if (link_notes_.empty()) break;
      }
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
  }
  ImGui::Separator();
}

// ============================================================================================
// [SECTION] frame
// ============================================================================================

void App::frame(float width, float height) {
  std::string changed;
  if (platform::take_fragment_change(&changed) && changed != fragment()) apply_link(changed);
  rects_next_.clear();
  tooltip_next_.clear();
  begin_layout_frame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(width, height));
  ImGui::Begin("llmcalc", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings);
  draw_header(ImGui::GetContentRegionAvail().x);
  const float fs = ImGui::GetFontSize();
  const bool narrow = width < fs * 52;
  if (narrow) {
    // the answer first: the verdict and the headline times stay above the inputs
    if (ok_) {
      draw_verdict();
      if (est_.mode == Mode::infer)
        ImGui::Text("TTFT %s · TPOT %s · %s", secs(est_.serving.ttft_s).c_str(), secs(est_.serving.tpot_s).c_str(),
                    format_token_rate(est_.serving.output_tokens_per_s).c_str());
      else
        ImGui::Text("step %s · %s · MFU %.0f%%", secs(est_.step_s).c_str(), format_token_rate(est_.tokens_per_s).c_str(),
                    est_.mfu * 100);
      ImGui::Separator();
    }
    ImGui::BeginChild("page", ImVec2(0, 0), false);
    draw_inputs();
    ImGui::Separator();
    draw_results(ImGui::GetContentRegionAvail().x);
    draw_charts(ImGui::GetContentRegionAvail().x);
    ImGui::EndChild();
  } else {
    const float left = std::clamp(width * 0.3f, fs * 20, fs * 26);
    ImGui::BeginChild("inputs", ImVec2(left, 0), false);
    draw_inputs();
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("results", ImVec2(0, 0), false);
    draw_results(ImGui::GetContentRegionAvail().x);
    draw_charts(ImGui::GetContentRegionAvail().x);
    ImGui::EndChild();
  }
  ImGui::End();
  rects_.swap(rects_next_);
  end_frame_text_fields();
  if (tooltip_next_ != tooltip_id_) {
    tooltip_id_ = tooltip_next_;
    const Explanation* x = ok_ ? find_explanation(est_, tooltip_id_) : nullptr;
    tooltip_text_ = x ? x->formula() : std::string();
  }
}

}  // namespace web
