// web/panel_import.cpp — the file-import panel: a GPU profile or a model's config.json, dropped on
// the page or chosen with "Import profile…"; Idle / Pending / Ok / Failed with the error text.
#include "core/model_config.hpp"
#include "core/profile.hpp"
#include "core/text.hpp"

#include <algorithm>
#include "core/units.hpp"
#include "imgui.h"
#include "web/app.hpp"
#include "web/platform.h"
#include "web/widgets.hpp"

using namespace llmcalc;

namespace web {

void App::begin_file(const std::string& name) {
  ++file_attempts_;
  hub_status_ = false;
  file_state_ = FileState::pending;
  file_message_ = "Reading " + safe_text(name, 80) + "…";
}

void App::reject_file(const std::string& name, size_t bytes) {
  file_state_ = FileState::failed;
  const auto e = profile_size_error(bytes);
  file_message_ = safe_text(name, 80) + ": " + (e ? e->message : std::string("could not be read"));
}

// A Hugging Face config.json: the model, not the GPU. `name` overrides the config's own name
// (a Hub id is the better name than a local path).
void App::apply_config(const std::string& source, std::string_view bytes, const std::string& name) {
  Result<ModelConfig> mc = parse_model_config(bytes);
  if (!mc) {
    file_state_ = FileState::failed;
    file_message_ = safe_text(source, 80) + ": " + mc.error().message;
    return;
  }
  ModelConfig c = std::move(mc).value();
  if (!name.empty()) c.name = name;
  Scenario s = scenario_;
  apply_model_config(s, c);
  set_scenario(s);
  file_state_ = FileState::ok;
  file_message_ = "Model from " + c.name;
}

void App::receive_hub_config(const std::string& id, std::string_view bytes) {
  if (bytes.size() > kMaxModelConfigBytes || !looks_like_model_config(bytes)) {
    file_state_ = FileState::failed;
    file_message_ = id + ": the Hub's config.json is not a model config this page can read";
    return;
  }
  apply_config(id, bytes, id);
}

void App::hub_failed(const std::string& id, int status) {
  file_state_ = FileState::failed;
  file_message_ = hub_fetch_error(id, status);
}

void App::draw_hub_fetch() {
  label("Hugging Face");
  const ImGuiStyle& st = ImGui::GetStyle();
  const float button = ImGui::CalcTextSize("Fetch").x + st.FramePadding.x * 2;
  ImGui::SetNextItemWidth(std::max(40.0f, ImGui::GetContentRegionAvail().x - button - st.ItemSpacing.x));
  const bool enter = ImGui::InputTextWithHint("##hub", "org/model", hub_id_, sizeof hub_id_,
                                              ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
  note_text_field();
  track("hub-id");
  help_tooltip("A Hugging Face model id, e.g. Qwen/Qwen3-30B-A3B: its config.json is read from huggingface.co by "
               "your browser when you press Fetch (or Enter), never otherwise.");
  ImGui::SameLine();
  const bool click = ImGui::Button("Fetch");
  track("hub-fetch");
  if (enter || click) {
    ++file_attempts_;
    hub_status_ = true;
    if (const auto id = hub_model_id(hub_id_)) {
      file_state_ = FileState::pending;
      file_message_ = "Fetching " + *id + "'s config.json from huggingface.co…";
      platform::fetch(hub_config_url(*id), *id);
    } else {
      file_state_ = FileState::failed;
      file_message_ = "'" + std::string(hub_id_) + "' is not a Hugging Face model id (org/model, e.g. Qwen/Qwen3-30B-A3B)";
    }
  }
  if (hub_status_ && file_state_ != FileState::idle) {
    ImGui::PushTextWrapPos(0);
    const ImVec4 c = file_state_ == FileState::failed ? kBad : file_state_ == FileState::pending ? kWarn : kGood;
    ImGui::TextColored(c, "%s", file_message_.c_str());
    ImGui::PopTextWrapPos();
  }
}

void App::receive_file(const std::string& name, std::string_view bytes) {
  hub_status_ = false;
  if (looks_like_model_config(bytes)) {
    apply_config(name, bytes, "");
    return;
  }
  Result<Profile> p = parse_profile(bytes);
  if (!p) {
    file_state_ = FileState::failed;
    // a JSON object that is neither kind of file: say what each would have
    const bool neither = p.error().message.find("schema is missing") != std::string::npos;
    file_message_ = safe_text(name, 80) + ": " +
                    (neither ? "neither an llmcalc GPU profile (no \"schema\") nor a model's config.json (no "
                               "hidden_size and num_hidden_layers, or n_embd and n_layer)"
                             : p.error().message);
    return;  // the scenario is untouched
  }
  Scenario s = scenario_;
  s.timing = TimingModel::fitted;
  std::vector<std::string> notes = apply_profile(s, p.value(), false);
  if (Result<Resolved> r = resolve(s); !r) {
    file_state_ = FileState::failed;
    file_message_ = safe_text(name, 80) + ": the profile could not be applied to this scenario: " + r.error().message;
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
