// web/panel_inputs.cpp — the inputs panel: mode, model (searchable, architecture editor),
// hardware and parallel layout, workload, timing model. Edits a copy of the scenario; core keeps
// the GPU count and parallel degrees consistent (core/parallel.hpp).
#include <algorithm>
#include <cctype>
#include <cstdio>

#include "core/frameworks.hpp"
#include "core/parallel.hpp"
#include "core/resolve.hpp"
#include "core/units.hpp"
#include "imgui.h"
#include "core/cost.hpp"
#include "web/app.hpp"
#include "web/platform.h"
#include "web/widgets.hpp"

using namespace llmcalc;

namespace web {

namespace {

constexpr Mode kModesUi[] = {Mode::infer, Mode::train};
constexpr Precision kPrecUi[] = {Precision::mixed, Precision::fp8, Precision::bf16, Precision::fp32};
constexpr Optimizer kOptUi[] = {Optimizer::adamw, Optimizer::adamw8bit, Optimizer::sgd, Optimizer::sgdm, Optimizer::adafactor};
constexpr Method kMethodUi[] = {Method::full, Method::lora, Method::qlora};
constexpr Recompute kRecUi[] = {Recompute::automatic, Recompute::none, Recompute::selective, Recompute::full};
constexpr Framework kFrameworkUi[] = {Framework::megatron, Framework::fsdp, Framework::deepspeed, Framework::hf,
                                      Framework::torchtune, Framework::none};
std::string_view framework_label(Framework f) { return framework_spec(f).name; }
// Tokens to train on (the time and GPU-hours figures); 0: not asked.
constexpr double kTrainTokensUi[] = {0, 1e9, 1e10, 1e11, 1e12, 2e12, 1.5e13};
constexpr TimingModel kTimingUi[] = {TimingModel::fitted, TimingModel::roofline, TimingModel::additive};
constexpr Engine kEngineUi[] = {Engine::vllm, Engine::vllm0, Engine::sglang, Engine::trtllm, Engine::llamacpp, Engine::hf, Engine::gptfast, Engine::none};
std::string_view engine_label(Engine e) { return engine_spec(e).name; }

// Weight format (every format, its convention as a tooltip), group size, KV-cache type; MTP.
void draw_formats(Scenario& s, const Estimate* e) {
  label("Weights");
  const WeightFormat cur = s.weights();
  if (ImGui::BeginCombo("##dtype", std::string(weight_format_key(cur)).c_str(), ImGuiComboFlags_HeightLarge)) {
    for (const WeightFormatInfo& f : weight_formats()) {
      if (ImGui::Selectable(std::string(f.key).c_str(), f.id == cur)) {
        if (f.id == native_weights(s.model)) s.dtype.reset();
        else s.dtype = f.id;
      }
      help_tooltip(std::string(f.about).c_str());
    }
    ImGui::EndCombo();
  }
  help_tooltip(std::string(info(cur).about).c_str());
  if (cur == WeightFormat::awq || cur == WeightFormat::gptq) {
    label("Group size");
    int g = s.group;
    if (ImGui::BeginCombo("##group", std::to_string(g).c_str())) {
      for (int v : {32, 64, 128})
        if (ImGui::Selectable(std::to_string(v).c_str(), v == g)) s.group = v;
      ImGui::EndCombo();
    }
  }
  label("KV cache");
  const KvFormat kv = s.kv_format();
  if (ImGui::BeginCombo("##kv", std::string(kv_format_key(kv)).c_str())) {
    for (const KvFormatInfo& f : kv_formats()) {
      if (ImGui::Selectable(std::string(f.key).c_str(), f.id == kv)) s.kv = f.id;
      help_tooltip(std::string(f.about).c_str());
    }
    ImGui::EndCombo();
  }
  if (s.kv && *s.kv == s.default_kv()) s.kv.reset();
  if (e && (e->r.params.mtp > 0 || s.mtp)) {
    label("MTP modules");
    ImGui::Checkbox("##mtp", &s.mtp);
    help_tooltip("Load the multi-token-prediction modules (for speculative decoding).");
  }
}

}  // namespace

void App::draw_inputs() {
  Scenario s = scenario_;
  set_label_width(ImGui::GetFontSize() * 8.5f);

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
  {
    std::vector<Choice> items;
    for (const ModelPreset& p : model_presets()) {
      char item[128];
      std::snprintf(item, sizeof item, "%s  (%s)", std::string(p.name).c_str(), format_count(count_params(p.spec).total).c_str());
      items.push_back({item, std::string(p.id), s.model == p.id});
    }
    items.push_back({"Custom model (edit the architecture)", "custom", s.model == "custom"});
    const std::string preview = fitting_name({cur_name, cur ? std::string(cur->id) : cur_name},
                                             ImGui::CalcItemWidth() - ImGui::GetFrameHeight() - ImGui::GetStyle().FramePadding.x * 2);
    const int i = search_combo("##model", preview.c_str(), model_filter_, sizeof model_filter_, items);
    if (i >= 0 && size_t(i) + 1 < items.size()) {
      s.model = std::string(model_presets()[size_t(i)].id);
      s.arch = ArchOverrides{};
    } else if (i >= 0 && s.model != "custom") {
      if (ok_) s.arch = arch_of(est_.r.model);  // start from the current architecture
      s.model = "custom";
    }
  }
  track("model");
  draw_hub_fetch();
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
    arch_int("Layers", "##layers", m.layers, &o.layers, 1, kMaxLayers);
    arch_int("Hidden", "##hidden", m.hidden, &o.hidden, 1, kMaxHidden);
    arch_int("Heads", "##heads", m.heads, &o.heads, 1, kMaxHeads);
    arch_int("KV heads", "##kv_heads", m.kv_heads, &o.kv_heads, 1, kMaxHeads);
    arch_int("Head dim", "##head_dim", m.dim_head(), &o.head_dim, 1, kMaxHeads);
    arch_int("MLP width", "##ffn", m.ffn, &o.ffn, 1, kMaxFfn);
    arch_int("Vocabulary", "##vocab", m.vocab, &o.vocab, 1, kMaxVocab);
    arch_int("Experts", "##experts", m.experts, &o.experts, 1, kMaxExperts);
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
  {
    std::vector<Choice> items;
    for (const GpuPreset& p : gpu_presets()) {
      char item[128];
      std::snprintf(item, sizeof item, "%s  (%s)", std::string(p.name).c_str(), gb(p.spec.memory_bytes).c_str());
      items.push_back({item, std::string(p.id), s.gpu == p.id});
    }
    // the preview: the GPU's name, without the maker's name, or its id: what fits the box
    std::string preview = s.gpu;
    if (g) {
      const std::string full(g->name);
      const size_t sp = full.find(' ');
      preview = fitting_name({full, sp == std::string::npos ? full : full.substr(sp + 1), std::string(g->id)},
                             ImGui::CalcItemWidth() - ImGui::GetFrameHeight() - ImGui::GetStyle().FramePadding.x * 2);
    }
    const int i = search_combo("##gpu", preview.c_str(), gpu_filter_, sizeof gpu_filter_, items);
    if (i >= 0) s.gpu = std::string(gpu_presets()[size_t(i)].id);
  }
  track("gpu");
  {
    label("Price $/GPU-hour");
    const GpuPrice* dp = default_price(s.gpu);
    double price = s.price > 0 ? s.price : dp ? dp->usd_per_hour : 0;
    if (ImGui::InputDouble("##price", &price, 0, 0, "%.2f") && price > 0) s.price = std::clamp(price, 0.001, 1000.0);
    note_text_field();
    const std::string help = s.price > 0 ? std::string("Your price per GPU-hour (USD): the cost figures use it.")
                             : dp ? "Default: " + std::string(dp->source) + ", " + std::string(dp->date) +
                                        ". Type your own price: the cost figures follow."
                                  : std::string("No default price for this GPU: type one for the cost figures.");
    help_tooltip(help.c_str());
    track("price");
  }
  // core keeps gpus a multiple of tp·pp (core/parallel.hpp): the same rule as links
  int gpus = s.gpus, tp = s.tp, pp = s.pp, cp = s.cp;
  if (int_field("GPUs", "##gpus", &gpus, 1, kMaxGpus, "GPUs in all: tensor × pipeline × context × data parallel.")) edit_gpus(s, gpus);
  track("gpus");
  if (int_field("Tensor parallel", "##tp", &tp, 1, kMaxParallelDegree,
                "Each layer's matrices split over this many GPUs (Megatron-LM)."))
    edit_tp(s, tp);
  if (int_field("Pipeline parallel", "##pp", &pp, 1, kMaxParallelDegree, "Layers split into this many consecutive stages."))
    edit_pp(s, pp);
  if (s.mode == Mode::train) {
    if (s.pp > 1) {
      int_field("Virtual stages", "##vp", &s.vp, 1, kMaxParallelDegree,
                "Interleaved 1F1B: model chunks per GPU (Megatron-LM --num-layers-per-virtual-pipeline-stage): "
                "the bubble shrinks by this factor, more micro-batches stay in flight.");
      track("vp");
    }
    if (int_field("Context parallel", "##cp", &cp, 1, kMaxParallelDegree,
                  "The sequence split over this many GPUs (ring attention): activations and attention divided, "
                  "K and V passed round the ring."))
      edit_cp(s, cp);
    track("cp");
  }
  ImGui::TextDisabled("data parallel: %d replica%s", s.dp(), s.dp() == 1 ? "" : "s");
  if (ok_ && (est_.r.model.experts > 1 || s.ep > 1)) {
    int ep = s.ep;
    if (int_field("Expert parallel", "##ep", &ep, 1, kMaxGpus,
                  "Routed experts split by expert over this many GPUs (the rest by TP); adds all-to-alls."))
      s.ep = ep;
  }

  ImGui::Spacing();
  ImGui::TextDisabled("WORKLOAD");
  if (s.mode == Mode::infer) {
    enum_field("Engine", "##engine", &s.engine, kEngineUi, engine_label,
               "The serving engine whose conventions apply: memory budget, chunked prefill, KV blocks, CUDA graphs, "
               "host overheads (docs/engines.md). 'model only': the bare arithmetic.");
    track("engine");
    int_field("Users", "##batch", &s.batch, 1, kMaxBatch,
              "Concurrent requests: the engine serves them together (continuous batching); the offline figures "
              "prefill all their prompts at once.");
    track("batch");
    int_field("Prompt tokens", "##prompt", &s.prompt, 1, kMaxTokens);
    track("prompt");
    int_field("Generated", "##gen", &s.gen, 1, kMaxTokens, "Tokens generated per sequence.");
    draw_formats(s, ok_ ? &est_ : nullptr);
  } else {
    enum_field("Framework", "##framework", &s.framework, kFrameworkUi, framework_label,
               "The training framework whose buffers, defaults and overheads apply (docs/training.md): fp32 gradient "
               "buffers, autocast copies, cross-entropy temporaries, the allocator's reserve. 'model only': the "
               "textbook 2 + 2 + 12 bytes per parameter.");
    track("framework");
    int_field("Micro-batch", "##batch", &s.batch, 1, kMaxBatch, "Sequences per GPU per forward/backward pass.");
    track("batch");
    int_field("Sequence", "##seq", &s.seq, 1, kMaxTokens);
    track("seq");
    int_field("Grad. accumulation", "##accum", &s.accum, 1, kMaxAccum, "Micro-batches per optimizer step (also fills the pipeline).");
    enum_field("Precision", "##precision", &s.precision, kPrecUi, precision_name,
               "mixed: 16-bit weights and activations, fp32 master copy and optimizer states.");
    enum_field("Optimizer", "##optimizer", &s.optimizer, kOptUi, optimizer_name);
    enum_field("Method", "##method", &s.method, kMethodUi, method_name, "LoRA/QLoRA adapters on every linear layer of each block.");
    if (s.method != Method::full) int_field("LoRA rank", "##rank", &s.rank, 1, kMaxRank);
    enum_field("Recompute", "##recompute", &s.recompute, kRecUi, recompute_name,
               "Activation recomputation (Korthikanti et al. 2022): selective recomputes attention (torchtitan: "
               "op-level), full everything; auto: the framework's default (QLoRA in PEFT and torchtune: full).");
    if (s.recompute == Recompute::automatic) ImGui::TextDisabled("  auto = %s", std::string(recompute_name(recompute_of(s))).c_str());
    track("recompute");
    label("Offload activations");
    ImGui::Checkbox("##offload", &s.offload);
    help_tooltip("Saved activations go to host memory after each layer and come back for its backward.");
    label("torch.compile");
    ImGui::Checkbox("##compile", &s.compile);
    help_tooltip("Compiled PyTorch fuses the elementwise kernels (norms, SiLU): eager PyTorch keeps fp32 copies "
                 "in its RMSNorm and the SiLU output for the backward. Megatron's fused kernels are always compiled.");
    track("compile");
    int ce = ce_chunks_of(s);
    if (int_field("Loss chunks", "##ce", &ce, 1, 4096,
                  "Cross-entropy computed over the vocabulary this many chunks at a time (torchtune: 8)."))
      s.ce_chunks = ce;
    label("Train on");
    char tok[32];
    std::snprintf(tok, sizeof tok, "%s", s.train_tokens > 0 ? (format_count(s.train_tokens) + " tokens").c_str() : "-");
    if (ImGui::BeginCombo("##train_tokens", tok)) {
      for (double v : kTrainTokensUi) {
        const std::string name = v > 0 ? format_count(v) + " tokens" : "-";
        if (ImGui::Selectable(name.c_str(), s.train_tokens == v)) s.train_tokens = v;
      }
      ImGui::EndCombo();
    }
    help_tooltip("Tokens to train on: the time and GPU-hours it takes at this step time.");
    track("train-tokens");
    label("Flash attention");
    ImGui::Checkbox("##flash", &s.flash);
    label("ZeRO stage");
    ImGui::SliderInt("##zero", &s.zero, 0, 3);
    help_tooltip("1: optimizer states sharded over data-parallel replicas; 2: + gradients; 3: + weights (FSDP).");
    if (s.tp > 1) {
      label("Sequence parallel");
      ImGui::Checkbox("##sp", &s.seq_parallel);
    }
  }
  if (s.mode == Mode::infer) {
    label("Flash attention");
    ImGui::Checkbox("##flash", &s.flash);
  }

  ImGui::Spacing();
  ImGui::TextDisabled("TIME MODEL");
  enum_field("Timing", "##timing", &s.timing, kTimingUi, timing_name,
             "fitted: the engine's costs at efficiencies fitted to published measurements (validation.html), "
             "or the measured speeds of an imported GPU profile; additive: compute + memory at datasheet peaks "
             "(the seed); roofline: the larger of the two.");

  if (!(s == scenario_)) set_scenario(s);
  draw_profile();
}

}  // namespace web
