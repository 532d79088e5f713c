// web/panel_import.cpp — the file-import panel: a GPU profile or a model's config.json, dropped on
// the page or chosen with "Import profile…"; Idle / Pending / Ok / Failed with the error text.
#include "core/model_config.hpp"
#include "core/profile.hpp"
#include "core/units.hpp"
#include "imgui.h"
#include "web/app.hpp"
#include "web/platform.h"
#include "web/widgets.hpp"

using namespace llmcalc;

namespace web {

void App::begin_file(const std::string& name) {
  file_state_ = FileState::pending;
  file_message_ = "Reading " + name + "…";
}

void App::reject_file(const std::string& name, size_t bytes) {
  file_state_ = FileState::failed;
  const auto e = profile_size_error(bytes);
  file_message_ = name + ": " + (e ? e->message : std::string("could not be read"));
}

void App::receive_file(const std::string& name, std::string_view bytes) {
  if (looks_like_model_config(bytes)) {  // a Hugging Face config.json: the model, not the GPU
    Result<ModelConfig> mc = parse_model_config(bytes);
    if (!mc) {
      file_state_ = FileState::failed;
      file_message_ = name + ": " + mc.error().message;
      return;
    }
    Scenario s = scenario_;
    if (!mc->weights) s.dtype.reset();  // the new model's checkpoint format, or bf16
    apply_model_config(s, mc.value());
    set_scenario(s);
    file_state_ = FileState::ok;
    file_message_ = "Model from " + mc->name;
    return;
  }
  Result<Profile> p = parse_profile(bytes);
  if (!p) {
    file_state_ = FileState::failed;
    file_message_ = name + ": " + p.error().message;
    return;  // the scenario is untouched
  }
  Scenario s = scenario_;
  s.timing = TimingModel::calibrated;
  std::vector<std::string> notes = apply_profile(s, p.value(), false);
  if (!resolve(s)) {
    file_state_ = FileState::failed;
    file_message_ = name + ": the profile could not be applied";
    return;
  }
  // What the import changed, figure by figure.
  profile_changes_.clear();
  const bool had = ok_;
  const Estimate before = est_;
  set_scenario(s);
  if (had && ok_) {
    auto change = [&](const char* what, double a, double b) {
      profile_changes_.push_back(std::string(what) + " " + secs(a) + " \xE2\x86\x92 " + secs(b));
    };
    if (s.mode == Mode::infer) {
      change("TTFT", before.ttft_s, est_.ttft_s);
      change("TPOT", before.tpot_s, est_.tpot_s);
    } else {
      change("step", before.step_s, est_.step_s);
    }
  }
  file_state_ = FileState::ok;
  file_message_.clear();
  for (size_t i = 0; i < notes.size(); ++i) file_message_ += (i ? "; " : "") + notes[i];
}

void App::draw_profile() {
  ImGui::Spacing();
  ImGui::TextDisabled("GPU PROFILE");
  if (ImGui::Button("Import profile…")) platform::open_file_dialog();
  track("import-profile");
  help_tooltip("A GPU profile written by llmcalc-calibrate on a real GPU (JSON), or a model's Hugging Face "
               "config.json. You can also drop the file anywhere on the page.");
  const Calibration* cal = ok_ ? est_.r.calibration.get() : nullptr;
  if (cal) {
    ImGui::SameLine();
    if (ImGui::Button("Remove")) {
      Scenario s = scenario_;
      s.prof.clear();
      profile_changes_.clear();
      file_state_ = FileState::idle;
      set_scenario(s);
      return;
    }
    track("remove-profile");
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(kGood, "Measured: %s, %s", cal->device.c_str(), cal->date.c_str());
    ImGui::TextDisabled("memory %s, launch %s (graph %s)", format_bandwidth(cal->bandwidth_bytes_per_s).c_str(),
                        secs(cal->launch_stream_s).c_str(), secs(cal->launch_graph_s).c_str());
    for (const auto& c : profile_changes_) ImGui::TextDisabled("%s", c.c_str());
    ImGui::PopTextWrapPos();
  } else {
    ImGui::SameLine();
    ImGui::TextDisabled("none: datasheet speeds");
  }
  ImGui::PushTextWrapPos(0);
  if (file_state_ == FileState::pending) ImGui::TextColored(kWarn, "%s", file_message_.c_str());
  if (file_state_ == FileState::failed) ImGui::TextColored(kBad, "%s", file_message_.c_str());
  if (file_state_ == FileState::ok && !file_message_.empty()) ImGui::TextColored(kGood, "%s", file_message_.c_str());
  ImGui::PopTextWrapPos();
}

}  // namespace web
