// web/app.cpp — the page: inputs on the left, results on the right (one column when narrow).
//
// [SECTION] state: links, recompute
// [SECTION] widgets: labelled fields, tooltips
// [SECTION] header
// [SECTION] inputs
// [SECTION] results: verdict, memory bar, tables
// [SECTION] charts
// [SECTION] frame
#include "app.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "chart.hpp"
#include "core/model_config.hpp"
#include "core/profile.hpp"
#include "core/units.hpp"
#include "imgui.h"
#include "shell/platform.h"

using namespace llmcalc;

namespace web {

namespace {
const ImU32 kColWeights = IM_COL32(86, 156, 214, 255);
const ImU32 kColGrads = IM_COL32(230, 145, 56, 255);
const ImU32 kColOpt = IM_COL32(176, 122, 214, 255);
const ImU32 kColAct = IM_COL32(106, 190, 112, 255);
const ImU32 kColKv = IM_COL32(78, 201, 176, 255);
const ImU32 kColOver = IM_COL32(150, 150, 150, 255);
const ImVec4 kGood(0.45f, 0.85f, 0.45f, 1), kBad(0.95f, 0.42f, 0.42f, 1), kWarn(0.95f, 0.8f, 0.35f, 1);

std::string gib(double b) { return format_bytes(b, ByteUnit::GiB); }
std::string gb(double b) { return format_bytes(b, ByteUnit::GB); }
std::string secs(double s) { return format_seconds(s); }
std::string gib_tick(double b) { return format_bytes(b, ByteUnit::GiB); }
std::string sec_tick(double s) { return format_seconds(s); }
std::string rate_tick(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, r >= 1e4 ? "%.0fk/s" : "%.0f/s", r >= 1e4 ? r / 1e3 : r);
  return buf;
}
}  // namespace

// ============================================================================================
// [SECTION] state
// ============================================================================================

void App::apply_link(const std::string& fragment) {
  DecodedScenario d = decode_scenario_lenient(fragment);
  link_notes_.clear();
  link_had_errors_ = !d.errors.empty();
  for (const Error& e : d.errors) link_notes_.push_back(e.message);
  for (const std::string& w : d.warnings) link_notes_.push_back(w);
  Scenario s = d.scenario;
  // A preset this build does not know, or a model that does not resolve: keep everything else
  // and fall back for the GPU, then for the model, then for everything.
  if (Result<Resolved> r = resolve(s); !r) {
    link_had_errors_ = true;
    link_notes_.push_back(r.error().message);
    if (!find_gpu_preset(s.gpu)) s.gpu = Scenario{}.gpu;
    if (!resolve(s)) {
      s.model = Scenario{}.model;
      s.arch = ArchOverrides{};
    }
    if (!resolve(s)) s = Scenario{};
  }
  if (link_had_errors_) link_notes_.insert(link_notes_.begin(), "This link could not be read in full; the rest uses defaults:");
  set_scenario(s);
}

void App::set_scenario(const Scenario& s) {
  scenario_ = s;
  recompute();
  const std::string t = encode_scenario(scenario_);
  if (t != text_) {
    text_ = t;
    platform::set_fragment(text_);
  }
}

void App::recompute() {
  Result<Resolved> r = resolve(scenario_);
  ok_ = r.ok();
  if (!ok_) {
    error_ = r.error().message;
    return;
  }
  error_.clear();
  est_ = compute(scenario_, r.value());
  explain(scenario_, est_);
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
    s.model = "custom";
    s.arch = mc->arch;
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

// Figure with a formula tooltip: hovering shows the formula with its inputs and the source.
void App::explained(const char* id) {
  if (!ImGui::IsItemHovered()) return;
  const Explanation* x = find_explanation(est_, id);
  if (!x) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 36);
  ImGui::TextUnformatted(x->formula.c_str());
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
// [SECTION] widgets
// ============================================================================================
namespace {

float g_label_w = 150;

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

bool int_field(const char* text, const char* id, int* v, int lo, int hi, const char* help = nullptr) {
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

template <class E, size_t N>
bool enum_field(const char* text, const char* id, E* v, const E (&all)[N], std::string_view (*name)(E),
                const char* help = nullptr) {
  label(text);
  bool changed = false;
  if (ImGui::BeginCombo(id, std::string(name(*v)).c_str())) {
    for (E e : all) {
      if (ImGui::Selectable(std::string(name(e)).c_str(), e == *v) && e != *v) {
        *v = e;
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  help_tooltip(help);
  return changed;
}

std::string_view dtype_label(DType t) { return dtype_name(t); }

constexpr Mode kModesUi[] = {Mode::infer, Mode::train};
constexpr Precision kPrecUi[] = {Precision::mixed, Precision::bf16, Precision::fp32};
constexpr Optimizer kOptUi[] = {Optimizer::adamw, Optimizer::adamw8bit, Optimizer::sgd, Optimizer::sgdm, Optimizer::adafactor};
constexpr Method kMethodUi[] = {Method::full, Method::lora, Method::qlora};
constexpr Recompute kRecUi[] = {Recompute::none, Recompute::selective, Recompute::full};
constexpr TimingModel kTimingUi[] = {TimingModel::calibrated, TimingModel::roofline, TimingModel::additive};

}  // namespace

// ============================================================================================
// [SECTION] header
// ============================================================================================

void App::draw_header(float width) {
  ImGui::TextColored(ImVec4(0.55f, 0.78f, 1.0f, 1), "llmcalc");
  ImGui::SameLine();
  ImGui::TextDisabled("will it fit, and how fast will it be?");
  const float bw = ImGui::CalcTextSize("Copy link").x + ImGui::CalcTextSize("About & formulas").x +
                   ImGui::GetStyle().FramePadding.x * 4 + ImGui::GetStyle().ItemSpacing.x;
  if (width > bw * 2.2f) ImGui::SameLine(width - bw - ImGui::GetStyle().WindowPadding.x);
  if (ImGui::Button("Copy link")) {
    const std::string link = platform::link_for(text_);
    copied_note_ = platform::copy_to_clipboard(link) ? "Link copied" : "Copy failed: select the address bar";
    copied_at_ = ImGui::GetTime();
  }
  track("copy-link");
  help_tooltip("Copies this page's address: the whole scenario is in it, so the receiver sees the same numbers.");
  ImGui::SameLine();
  if (ImGui::Button("About & formulas")) platform::open_url("about.html");
  track("about");
  if (ImGui::GetTime() - copied_at_ < 2.5) {
    ImGui::SameLine();
    ImGui::TextColored(kGood, "%s", copied_note_.c_str());
  }
  if (!link_notes_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, link_had_errors_ ? ImVec4(0.35f, 0.12f, 0.12f, 1) : ImVec4(0.3f, 0.27f, 0.1f, 1));
    const float h = ImGui::GetTextLineHeightWithSpacing() * (float(std::min<size_t>(link_notes_.size(), 5)) + 0.6f);
    ImGui::BeginChild("link-notes", ImVec2(0, h), false);
    for (size_t i = 0; i < link_notes_.size() && i < 5; ++i) {
      ImGui::TextUnformatted(link_notes_[i].c_str());
      if (i == 0) {
        ImGui::SameLine(ImGui::GetWindowWidth() - ImGui::CalcTextSize("Dismiss").x - 24);
        if (ImGui::SmallButton("Dismiss")) link_notes_.clear();
        if (link_notes_.empty()) break;
      }
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
  }
  ImGui::Separator();
}

// ============================================================================================
// [SECTION] inputs
// ============================================================================================

void App::draw_inputs() {
  Scenario s = scenario_;
  g_label_w = ImGui::GetFontSize() * 8.5f;

  // mode as two toggle buttons
  for (Mode m : kModesUi) {
    const bool on = s.mode == m;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ImGui::Button(m == Mode::infer ? "Inference" : "Training", ImVec2(ImGui::GetContentRegionAvail().x * (m == Mode::infer ? 0.5f : 1.0f), 0)))
      s.mode = m;
    track(m == Mode::infer ? "mode-infer" : "mode-train");
    if (on) ImGui::PopStyleColor();
    if (m == Mode::infer) ImGui::SameLine();
  }

  ImGui::Spacing();
  ImGui::TextDisabled("MODEL");
  label("Model");
  const ModelPreset* cur = find_model_preset(s.model);
  const std::string cur_name = cur ? std::string(cur->name) : "Custom model";
  if (ImGui::BeginCombo("##model", cur_name.c_str(), ImGuiComboFlags_HeightLarge)) {
    if (ImGui::IsWindowAppearing()) {
      ImGui::SetKeyboardFocusHere();
      model_filter_[0] = 0;
    }
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##filter", "search…", model_filter_, sizeof model_filter_);
    auto matches = [&](std::string_view a, std::string_view b) {
      std::string f = model_filter_;
      for (auto& ch : f) ch = char(std::tolower(static_cast<unsigned char>(ch)));
      auto has = [&](std::string_view t) {
        std::string l(t);
        for (auto& ch : l) ch = char(std::tolower(static_cast<unsigned char>(ch)));
        return l.find(f) != std::string::npos;
      };
      return f.empty() || has(a) || has(b);
    };
    for (const ModelPreset& p : model_presets()) {
      if (!matches(p.id, p.name)) continue;
      char item[128];
      std::snprintf(item, sizeof item, "%s  (%s)", std::string(p.name).c_str(), format_count(count_params(p.spec).total).c_str());
      if (ImGui::Selectable(item, s.model == p.id)) {
        s.model = std::string(p.id);
        s.arch = ArchOverrides{};
      }
    }
    if (matches("custom", "Custom model") && ImGui::Selectable("Custom model (edit the architecture)", s.model == "custom")) {
      if (ok_) {  // start from the current architecture
        const ModelSpec& m = est_.r.model;
        s.arch = ArchOverrides{m.layers, m.hidden, m.heads, m.kv_heads, m.head_dim, m.ffn, m.vocab,
                               m.experts > 1 ? m.experts : 0, m.experts > 1 ? m.experts_active : 0, m.gated, m.tied};
      }
      s.model = "custom";
    }
    ImGui::EndCombo();
  }
  track("model");
  if (ok_) {
    ImGui::TextDisabled("%s parameters%s", format_count(est_.r.params.total).c_str(),
                        est_.r.model.experts > 1 ? (", " + format_count(est_.r.params.active) + " active").c_str() : "");
  }
  if (ok_ && ImGui::TreeNode("Architecture")) {
    const ModelSpec& m = est_.r.model;
    ArchOverrides& o = s.arch;
    auto arch_int = [&](const char* text, const char* id, int eff, int* field, int lo, int hi) {
      int v = eff;
      if (int_field(text, id, &v, lo, hi)) *field = v;
    };
    arch_int("Layers", "##layers", m.layers, &o.layers, 1, 1000);
    arch_int("Hidden", "##hidden", m.hidden, &o.hidden, 1, 1000000);
    arch_int("Heads", "##heads", m.heads, &o.heads, 1, 100000);
    arch_int("KV heads", "##kv_heads", m.kv_heads, &o.kv_heads, 1, 100000);
    arch_int("Head dim", "##head_dim", m.dim_head(), &o.head_dim, 1, 100000);
    arch_int("MLP width", "##ffn", m.ffn, &o.ffn, 1, 10000000);
    arch_int("Vocabulary", "##vocab", m.vocab, &o.vocab, 1, 100000000);
    arch_int("Experts", "##experts", m.experts, &o.experts, 1, 100000);
    arch_int("Active experts", "##experts_active", m.experts_active, &o.experts_active, 1, std::max(1, m.experts));
    bool gated = m.gated, tied = m.tied;
    label("Gated MLP");
    if (ImGui::Checkbox("##gated", &gated)) o.gated = gated;
    help_tooltip("SwiGLU-style MLP with gate, up and down matrices (three instead of two).");
    label("Tied embeddings");
    if (ImGui::Checkbox("##tied", &tied)) o.tied = tied;
    if (s.arch.any() && s.model != "custom" && ImGui::SmallButton("Reset to preset")) s.arch = ArchOverrides{};
    ImGui::TreePop();
  }

  ImGui::Spacing();
  ImGui::TextDisabled("HARDWARE");
  label("GPU");
  const GpuPreset* g = find_gpu_preset(s.gpu);
  if (ImGui::BeginCombo("##gpu", g ? std::string(g->name).c_str() : s.gpu.c_str(), ImGuiComboFlags_HeightLarge)) {
    for (const GpuPreset& p : gpu_presets()) {
      char item[128];
      std::snprintf(item, sizeof item, "%s  (%s)", std::string(p.name).c_str(), gb(p.spec.memory_bytes).c_str());
      if (ImGui::Selectable(item, s.gpu == p.id)) s.gpu = std::string(p.id);
    }
    ImGui::EndCombo();
  }
  track("gpu");
  // gpus, tp, pp stay consistent: gpus is a multiple of tp·pp.
  int gpus = s.gpus, tp = s.tp, pp = s.pp;
  if (int_field("GPUs", "##gpus", &gpus, 1, 65536, "GPUs in all: tensor × pipeline × data parallel.")) {
    // snap to a multiple of tp·pp in the direction of the edit
    const int group = s.tp * s.pp;
    s.gpus = gpus > s.gpus ? (gpus + group - 1) / group * group : std::max(group, gpus / group * group);
  }
  track("gpus");
  if (int_field("Tensor parallel", "##tp", &tp, 1, 4096, "Each layer's matrices split over this many GPUs (Megatron-LM)."))
    s.tp = tp;
  if (int_field("Pipeline parallel", "##pp", &pp, 1, 4096, "Layers split into this many consecutive stages."))
    s.pp = pp;
  if (s.gpus % (s.tp * s.pp) != 0 || s.gpus < s.tp * s.pp)
    s.gpus = std::max(1, (s.gpus + s.tp * s.pp - 1) / (s.tp * s.pp)) * s.tp * s.pp;
  ImGui::TextDisabled("data parallel: %d replica%s", s.dp(), s.dp() == 1 ? "" : "s");

  ImGui::Spacing();
  ImGui::TextDisabled("WORKLOAD");
  if (s.mode == Mode::infer) {
    int_field("Batch", "##batch", &s.batch, 1, 10000000, "Sequences decoded together.");
    track("batch");
    int_field("Prompt tokens", "##prompt", &s.prompt, 1, 100000000);
    track("prompt");
    int_field("Generated", "##gen", &s.gen, 1, 100000000, "Tokens generated per sequence.");
    enum_field("Weights", "##dtype", &s.dtype, kAllDTypes, dtype_label, "int8: per-channel scales; int4: group-128 (GPTQ/AWQ); fp8: per-tensor.");
    DType kv = s.kv_dtype();
    if (enum_field("KV cache", "##kv", &kv, kAllDTypes, dtype_label)) s.kv = kv;
    if (s.kv && *s.kv == s.default_kv()) s.kv.reset();
  } else {
    int_field("Micro-batch", "##batch", &s.batch, 1, 10000000, "Sequences per GPU per forward/backward pass.");
    track("batch");
    int_field("Sequence", "##seq", &s.seq, 1, 100000000);
    track("seq");
    int_field("Grad. accumulation", "##accum", &s.accum, 1, 1000000, "Micro-batches per optimizer step (also fills the pipeline).");
    enum_field("Precision", "##precision", &s.precision, kPrecUi, precision_name,
               "mixed: 16-bit weights and activations, fp32 master copy and optimizer states.");
    enum_field("Optimizer", "##optimizer", &s.optimizer, kOptUi, optimizer_name);
    enum_field("Method", "##method", &s.method, kMethodUi, method_name, "LoRA/QLoRA adapters on every linear layer of each block.");
    if (s.method != Method::full) int_field("LoRA rank", "##rank", &s.rank, 1, 65536);
    enum_field("Recompute", "##recompute", &s.recompute, kRecUi, recompute_name,
               "Activation recomputation (Korthikanti et al. 2022): selective recomputes attention, full everything.");
    label("Flash attention");
    ImGui::Checkbox("##flash", &s.flash);
    label("ZeRO stage");
    ImGui::SliderInt("##zero", &s.zero, 0, 3);
    help_tooltip("1: optimizer states sharded over data-parallel replicas; 2: + gradients; 3: + weights (FSDP).");
    if (s.tp > 1) {
      label("Sequence parallel");
      ImGui::Checkbox("##sp", &s.sp);
    }
  }
  if (s.mode == Mode::infer) {
    label("Flash attention");
    ImGui::Checkbox("##flash", &s.flash);
  }

  ImGui::Spacing();
  ImGui::TextDisabled("TIME MODEL");
  enum_field("Timing", "##timing", &s.timing, kTimingUi, timing_name,
             "additive: compute + memory at datasheet peaks (the seed); roofline: the larger of the two; "
             "calibrated: roofline with efficiencies (defaults until a GPU profile is imported).");

  if (!(s == scenario_)) set_scenario(s);
  draw_profile();
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
    ImGui::TextDisabled("memory %s, launch %s (graph %s)", format_bandwidth(cal->bandwidth).c_str(),
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

// ============================================================================================
// [SECTION] results
// ============================================================================================

void App::draw_memory_bar(float width) {
  const MemoryBytes& m = est_.memory;
  struct Seg { const char* name; double v; ImU32 c; const char* id; } segs[] = {
      {"weights", m.weights, kColWeights, "memory.weights"},
      {"gradients", m.gradients, kColGrads, "memory.gradients"},
      {"optimizer", m.optimizer, kColOpt, "memory.optimizer"},
      {"activations", m.activations, kColAct, "memory.activations"},
      {"KV cache", m.kv_cache, kColKv, "memory.kv_cache"},
      {"overhead", m.overhead, kColOver, "memory.overhead"}};
  const double scale = std::max(m.total, est_.capacity) * 1.04;
  const float h = ImGui::GetFontSize() * 2.0f;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("memory-bar", ImVec2(width, h));
  track("memory-bar");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + width, p.y + h), IM_COL32(255, 255, 255, 14), 3);
  float x = p.x;
  const char* hovered = nullptr;
  for (const Seg& s : segs) {
    if (s.v <= 0) continue;
    const float w = float(s.v / scale) * width;
    dl->AddRectFilled(ImVec2(x, p.y), ImVec2(x + w, p.y + h), s.c);
    if (ImGui::IsItemHovered() && ImGui::GetIO().MousePos.x >= x && ImGui::GetIO().MousePos.x < x + w) hovered = s.id;
    x += w;
  }
  const float cx = p.x + float(est_.capacity / scale) * width;
  dl->AddLine(ImVec2(cx, p.y - 4), ImVec2(cx, p.y + h + 4), IM_COL32(235, 87, 87, 255), 2.5f);
  if (hovered) explained(hovered);
  // legend
  for (const Seg& s : segs) {
    if (s.v <= 0) continue;
    const ImVec2 q = ImGui::GetCursorScreenPos();
    const float fs = ImGui::GetFontSize();
    dl->AddRectFilled(ImVec2(q.x, q.y + fs * 0.25f), ImVec2(q.x + fs * 0.7f, q.y + fs * 0.95f), s.c);
    ImGui::Dummy(ImVec2(fs * 0.8f, fs));
    ImGui::SameLine();
    ImGui::TextUnformatted(s.name);
    ImGui::SameLine();
  }
  ImGui::TextColored(kBad, "| capacity");
}

void App::draw_verdict() {
  const Estimate& e = est_;
  const MemoryBytes& m = e.memory;
  const double pct = m.total / e.capacity * 100;
  ImGui::PushStyleColor(ImGuiCol_Text, e.fits ? kGood : kBad);
  if (e.fits)
    ImGui::TextWrapped("Fits: %s of %s per GPU (%.0f%%), %s free", gib(m.total).c_str(), gib(e.capacity).c_str(), pct,
                       gib(e.capacity - m.total).c_str());
  else
    ImGui::TextWrapped("Does not fit: %s of %s per GPU (%.0f%%), %s over", gib(m.total).c_str(), gib(e.capacity).c_str(),
                       pct, gib(m.total - e.capacity).c_str());
  ImGui::PopStyleColor();
  track("verdict");
  explained("memory.total");
}

void App::draw_results(float width) {
  if (!ok_) {
    ImGui::TextColored(kBad, "No estimate: %s", error_.c_str());
    return;
  }
  const Estimate& e = est_;
  const MemoryBytes& m = e.memory;
  ImGui::TextWrapped("%s on %d × %s (tp %d, pp %d, dp %d)", std::string(e.r.model_name).c_str(), e.gpus,
                     std::string(e.r.gpu_name).c_str(), e.tp, e.pp, e.dp);

  draw_verdict();
  draw_memory_bar(width);
  ImGui::Spacing();

  const float col = std::min(width, ImGui::GetFontSize() * 40);
  if (ImGui::BeginTable("memory", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp,
                        ImVec2(col, 0))) {
    ImGui::TableSetupColumn("Memory per GPU");
    ImGui::TableSetupColumn("GiB", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 6);
    ImGui::TableSetupColumn("GB", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 6);
    ImGui::TableSetupColumn("share", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 4);
    ImGui::TableHeadersRow();
    struct Row { const char* name; double v; const char* id; ImU32 c; } rows[] = {
        {"Weights", m.weights, "memory.weights", kColWeights},
        {"Gradients", m.gradients, "memory.gradients", kColGrads},
        {"Optimizer states", m.optimizer, "memory.optimizer", kColOpt},
        {"Activations", m.activations, "memory.activations", kColAct},
        {"KV cache", m.kv_cache, "memory.kv_cache", kColKv},
        {"Overhead", m.overhead, "memory.overhead", kColOver},
        {"Total", m.total, "memory.total", IM_COL32(255, 255, 255, 255)}};
    for (const Row& r : rows) {
      if (r.v <= 0 && r.id != std::string("memory.total")) continue;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(r.c), "%s", r.name);
      explained(r.id);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(gib(r.v).c_str());
      explained(r.id);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(gb(r.v).c_str());
      explained(r.id);
      ImGui::TableNextColumn();
      ImGui::Text("%.0f%%", r.v / m.total * 100);
    }
    ImGui::EndTable();
  }
  ImGui::TextDisabled("Hover any figure for its formula. Capacity %s (%s).", gib(e.capacity).c_str(), gb(e.capacity).c_str());

  ImGui::Spacing();
  if (ImGui::BeginTable("time", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp,
                        ImVec2(col, 0))) {
    ImGui::TableSetupColumn("Time");
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 8);
    ImGui::TableSetupColumn("bound by", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 7);
    ImGui::TableHeadersRow();
    auto row = [&](const char* name, const std::string& v, const char* bound, const char* id) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(name);
      explained(id);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(v.c_str());
      explained(id);
      ImGui::TableNextColumn();
      if (bound) ImGui::TextDisabled("%s", bound);
    };
    char buf[64];
    if (e.mode == Mode::infer) {
      row("Time to first token", secs(e.ttft_s), e.prefill.compute_bound() ? "compute" : "memory", "time.ttft");
      row("Time per output token", secs(e.tpot_s), e.decode.compute_bound() ? "compute" : "memory", "time.tpot");
      row("End to end", secs(e.e2e_s), nullptr, "time.e2e");
      std::snprintf(buf, sizeof buf, "%.1f tok/s", e.tokens_per_s);
      row("Throughput (generated)", buf, nullptr, "time.tokens_per_s");
      std::snprintf(buf, sizeof buf, "%.1f tok/s", e.decode_tokens_per_s);
      row("Decode rate", buf, nullptr, "time.tpot");
    } else {
      row("Step time", secs(e.step_s), e.step.compute_bound() ? "compute" : "memory", "time.step");
      std::snprintf(buf, sizeof buf, "%.0f tok/s", e.tokens_per_s);
      row("Throughput", buf, nullptr, "time.tokens_per_s");
      std::snprintf(buf, sizeof buf, "%.1f%%", e.mfu * 100);
      row("Model FLOPs utilisation", buf, nullptr, "time.tokens_per_s");
    }
    ImGui::EndTable();
  }
  track("time-table");
  ImGui::TextDisabled("Timing: %s%s", std::string(timing_name(scenario_.timing)).c_str(),
                      scenario_.timing != TimingModel::calibrated ? ""
                      : e.r.calibration ? " (measured speeds from the GPU profile)"
                                        : " (default efficiencies: 75% GEMM, 85% bandwidth — not measured)");
  for (const std::string& w : e.warnings) ImGui::TextColored(kWarn, "! %s", w.c_str());
}

// ============================================================================================
// [SECTION] charts
// ============================================================================================

void App::build_charts() {
  for (int axis = 0; axis < 2; ++axis) {
    const SweepResult& sw = axis == 0 ? batch_sweep_ : context_sweep_;
    const char* xl = axis == 0 ? "batch" : (scenario_.mode == Mode::infer ? "prompt tokens" : "sequence tokens");
    ChartSpec mem;
    mem.id = "mem-chart";
    mem.x_label = xl;
    mem.format_y = gib_tick;
    ChartSeries total{{}, IM_COL32(255, 255, 255, 230), "total"};
    ChartSeries weights{{}, kColWeights, "weights"};
    ChartSeries kv{{}, scenario_.mode == Mode::infer ? kColKv : kColAct, scenario_.mode == Mode::infer ? "KV cache" : "activations"};
    ChartSpec tim;
    tim.id = "time-chart";
    tim.x_label = xl;
    tim.format_y = sec_tick;
    ChartSeries lat{{}, IM_COL32(255, 200, 90, 255), scenario_.mode == Mode::infer ? "TPOT" : "step time"};
    ChartSeries first{{}, IM_COL32(120, 170, 255, 255), "TTFT"};
    ChartSpec thr;
    thr.id = "throughput-chart";
    thr.x_label = xl;
    thr.format_y = rate_tick;
    ChartSeries tput{{}, IM_COL32(106, 190, 112, 255), scenario_.mode == Mode::infer ? "decode tokens/s" : "tokens/s"};
    for (const SweepPoint& p : sw.points) {
      mem.x.push_back(p.x);
      tim.x.push_back(p.x);
      thr.x.push_back(p.x);
      total.y.push_back(p.memory_total);
      weights.y.push_back(p.weights);
      kv.y.push_back(scenario_.mode == Mode::infer ? p.kv_cache : p.activations);
      lat.y.push_back(p.latency_s);
      first.y.push_back(p.first_s);
      tput.y.push_back(p.tokens_per_s);
    }
    mem.series = {total, weights, kv};
    mem.limit = est_.capacity;
    mem.limit_label = "GPU memory";
    mem.marker_x = sw.max_fitting;
    mem.marker_label = "largest that fits";
    tim.series = {lat};
    tim.marker_x = sw.max_fitting;
    ChartSpec ttft = tim;
    ttft.id = "ttft-chart";
    ttft.series = {first};
    thr.series = {tput};
    thr.marker_x = sw.max_fitting;
    charts_[axis] = scenario_.mode == Mode::infer ? std::vector<ChartSpec>{mem, tim, ttft, thr}
                                                  : std::vector<ChartSpec>{mem, tim, thr};
  }
}

void App::draw_charts(float width) {
  if (!ok_) return;
  ImGui::Spacing();
  ImGui::TextDisabled("CHARTS");
  ImGui::SameLine();
  ImGui::RadioButton("vs batch", &chart_axis_, 0);
  track("axis-batch");
  ImGui::SameLine();
  ImGui::RadioButton(scenario_.mode == Mode::infer ? "vs prompt length" : "vs sequence length", &chart_axis_, 1);
  track("axis-context");
  const SweepResult& sw = chart_axis_ == 0 ? batch_sweep_ : context_sweep_;
  const char* xl = chart_axis_ == 0 ? "batch" : (scenario_.mode == Mode::infer ? "prompt tokens" : "sequence tokens");
  ImGui::SameLine();
  if (sw.max_fitting > 0)
    ImGui::TextColored(kGood, "largest %s that fits: %d", xl, sw.max_fitting);
  else
    ImGui::TextColored(kBad, "nothing fits, even at 1");

  // a 2×2 grid when wide (memory, latency / TTFT, throughput), one column when narrow
  const float fs = ImGui::GetFontSize();
  const bool side = width > fs * 44;
  const ImVec2 sz(side ? (width - ImGui::GetStyle().ItemSpacing.x) * 0.5f : width, fs * 13);
  const std::vector<ChartSpec>& charts = charts_[chart_axis_];
  for (size_t i = 0; i < charts.size(); ++i) {
    if (i % 2 == 1 && side) ImGui::SameLine();
    draw_chart(charts[i], sz);
    if (i == 0) track("memory-chart");
  }
}

// ============================================================================================
// [SECTION] frame
// ============================================================================================

void App::frame(float width, float height) {
  std::string changed;
  if (platform::take_fragment_change(&changed) && changed != text_) apply_link(changed);
  rects_next_.clear();
  tooltip_next_.clear();
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
        ImGui::Text("TTFT %s · TPOT %s · %.0f tok/s", secs(est_.ttft_s).c_str(), secs(est_.tpot_s).c_str(), est_.tokens_per_s);
      else
        ImGui::Text("step %s · %.0f tok/s · MFU %.0f%%", secs(est_.step_s).c_str(), est_.tokens_per_s, est_.mfu * 100);
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
  if (tooltip_next_ != tooltip_id_) {
    tooltip_id_ = tooltip_next_;
    const Explanation* x = ok_ ? find_explanation(est_, tooltip_id_) : nullptr;
    tooltip_text_ = x ? x->formula : std::string();
  }
}

}  // namespace web
