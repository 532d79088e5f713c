// web/panel_results.cpp — the results panel: verdict, memory bar, memory and time tables, formula
// tooltips of every figure (the explanations core generated from its arithmetic).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/rates.hpp"
#include "core/units.hpp"
#include "imgui.h"
#include "web/app.hpp"
#include "web/platform.h"
#include "web/widgets.hpp"

using namespace llmcalc;

namespace web {

namespace {
// The memory components, in the order the bar, its legend and the table show them.
struct MemoryPart {
  const char* legend;  // in the bar's legend
  const char* row;     // in the table
  double MemoryBytes::*bytes;
  const char* id;      // its explanation
  ImU32 color;
};
const MemoryPart kMemoryParts[] = {
    {"weights", "Weights", &MemoryBytes::weights, "memory.weights", kColWeights},
    {"gradients", "Gradients", &MemoryBytes::gradients, "memory.gradients", kColGrads},
    {"optimizer", "Optimizer states", &MemoryBytes::optimizer, "memory.optimizer", kColOpt},
    {"activations", "Activations", &MemoryBytes::activations, "memory.activations", kColAct},
    {"KV cache", "KV cache", &MemoryBytes::kv_cache, "memory.kv_cache", kColKv},
    {"overhead", "Overhead", &MemoryBytes::overhead, "memory.overhead", kColOver},
};
}  // namespace

void App::draw_memory_bar(float width) {
  const MemoryBytes& m = est_.memory;
  const double scale = std::max(m.total, est_.capacity_bytes) * 1.04;
  const float h = ImGui::GetFontSize() * 2.0f;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("memory-bar", ImVec2(width, h));
  track("memory-bar");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + width, p.y + h), ink(14), 3);
  float x = p.x;
  const char* hovered = nullptr;
  for (const MemoryPart& s : kMemoryParts) {
    if (m.*s.bytes <= 0) continue;
    const float w = float(m.*s.bytes / scale) * width;
    dl->AddRectFilled(ImVec2(x, p.y), ImVec2(x + w, p.y + h), s.color);
    if (ImGui::IsItemHovered() && ImGui::GetIO().MousePos.x >= x && ImGui::GetIO().MousePos.x < x + w) hovered = s.id;
    x += w;
  }
  const float cx = p.x + float(est_.capacity_bytes / scale) * width;
  dl->AddLine(ImVec2(cx, p.y - 4), ImVec2(cx, p.y + h + 4), IM_COL32(235, 87, 87, 255), 2.5f);
  if (hovered) explained(hovered);
  // legend
  for (const MemoryPart& s : kMemoryParts) {
    if (m.*s.bytes <= 0) continue;
    const ImVec2 q = ImGui::GetCursorScreenPos();
    const float fs = ImGui::GetFontSize();
    dl->AddRectFilled(ImVec2(q.x, q.y + fs * 0.25f), ImVec2(q.x + fs * 0.7f, q.y + fs * 0.95f), s.color);
    ImGui::Dummy(ImVec2(fs * 0.8f, fs));
    ImGui::SameLine();
    ImGui::TextUnformatted(s.legend);
    ImGui::SameLine();
  }
  ImGui::TextColored(kBad, "| capacity");
}

// Above this share of the memory the engine may use, a scenario is "tight": fragmentation, a
// longer request or a framework's extra buffers can tip it over.
constexpr double kTightShare = 0.90;

std::string App::verdict_text(int* kind) const {
  if (!not_asked_.empty()) {
    *kind = 3;
    return "Not the scenario the link asked for: " + not_asked_ + " Shown instead: " + est_.r.model_name.data() +
           std::string(" on ") + est_.r.gpu_name.data() + ".";
  }
  const Estimate& e = est_;
  const MemoryBytes& m = e.memory;
  // inference: against what the engine may use (vLLM: 90% of the memory), else the device memory
  const bool budget = e.mode == Mode::infer && e.serving.usable_bytes < e.capacity_bytes;
  const double room = budget ? e.serving.usable_bytes : e.capacity_bytes;
  const double share = m.total / room;
  const std::string of = budget ? gib(room) + " usable by " + std::string(engine_spec(scenario_.engine).name)
                                : gib(room);
  char buf[256];
  if (!e.fits) {
    *kind = 2;
    std::snprintf(buf, sizeof buf, "Does not fit: %s of %s per GPU (%.0f%%), %s over", gib(m.total).c_str(), of.c_str(),
                  share * 100, gib(m.total - room).c_str());
  } else if (share > kTightShare) {
    *kind = 1;
    std::snprintf(buf, sizeof buf, "Tight: %s of %s per GPU (%.0f%%), only %s free", gib(m.total).c_str(), of.c_str(),
                  share * 100, gib(room - m.total).c_str());
  } else {
    *kind = 0;
    std::snprintf(buf, sizeof buf, "Fits: %s of %s per GPU (%.0f%%), %s free", gib(m.total).c_str(), of.c_str(), share * 100,
                  gib(room - m.total).c_str());
  }
  return buf;
}

void App::draw_verdict() {
  int kind = 0;
  const std::string text = verdict_text(&kind);
  ImGui::PushStyleColor(ImGuiCol_Text, kind == 0 ? kGood : kind == 2 ? kBad : kWarn);
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
  track("verdict");
  explained("memory.total");
}

void App::draw_cost() {
  const Cost& c = est_.cost;
  if (!c.priced) {
    ImGui::TextDisabled("Cost: %s", c.source.c_str());
    return;
  }
  if (est_.mode == Mode::infer)
    ImGui::Text("Cost: $%.3f per million output tokens ($%.3f per million in + out), $%.2f per hour",
                c.usd_per_million_output_tokens, c.usd_per_million_total_tokens, c.usd_per_hour);
  else if (scenario_.train_tokens > 0)
    ImGui::Text("Cost: $%s to train %s tokens ($%.3f per million tokens), $%.2f per hour", format_count(c.usd_to_train).c_str(),
                format_count(scenario_.train_tokens).c_str(), c.usd_per_million_tokens, c.usd_per_hour);
  else
    ImGui::Text("Cost: $%.3f per million trained tokens, $%.2f per hour", c.usd_per_million_tokens, c.usd_per_hour);
  explained(est_.mode == Mode::infer ? "cost.usd_per_million_output_tokens" : "cost.usd_per_million_tokens");
  track("cost");
  ImGui::TextDisabled("  at $%.2f per GPU-hour: %s", c.usd_per_gpu_hour, c.source.c_str());
}

void App::update_summary() {
  if (!ok_) {
    platform::set_summary("No estimate: " + error_);
    return;
  }
  const Estimate& e = est_;
  int kind = 0;
  std::string t = std::string(e.r.model_name) + " on " + std::to_string(e.gpus) + " \xC3\x97 " + std::string(e.r.gpu_name) +
                  ", " + (e.mode == Mode::infer ? "inference" : "training") + ". " + verdict_text(&kind) + ". ";
  char buf[320];
  if (e.mode == Mode::infer) {
    const Serving& v = e.serving;
    std::snprintf(buf, sizeof buf, "%d users: TTFT %s, TPOT %s, %s generated; at most %.0f users at this context.",
                  scenario_.batch, secs(v.ttft_s).c_str(), secs(v.tpot_s).c_str(), format_token_rate(v.output_tokens_per_s).c_str(),
                  v.max_concurrency);
  } else {
    std::snprintf(buf, sizeof buf, "Step time %s, %s tokens/s, MFU %.0f%%.", secs(e.step_s).c_str(),
                  format_token_rate(e.tokens_per_s).c_str(), e.mfu * 100);
  }
  t += buf;
  if (e.cost.priced) {
    std::snprintf(buf, sizeof buf, e.mode == Mode::infer ? " Cost $%.3f per million output tokens at $%.2f per GPU-hour."
                                                         : " Cost $%.3f per million tokens at $%.2f per GPU-hour.",
                  e.mode == Mode::infer ? e.cost.usd_per_million_output_tokens : e.cost.usd_per_million_tokens,
                  e.cost.usd_per_gpu_hour);
    t += buf;
  }
  if (kind >= 2) t += " Times are for a scenario that does not fit as asked.";
  platform::set_summary(t);
}

// Serving: how many users the engine's KV budget holds at this context, and how fast each of the
// scenario's users is served in steady state.
void App::draw_serving(float col) {
  const Estimate& e = est_;
  const Serving& v = e.serving;
  const long long context = 1LL * scenario_.prompt + scenario_.gen;
  ImGui::TextDisabled("Serving with %s: %d users", std::string(engine_spec(scenario_.engine).name).c_str(), scenario_.batch);
  if (ImGui::BeginTable("serving", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp,
                        ImVec2(col, 0))) {
    ImGui::TableSetupColumn("Serving");
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 9);
    ImGui::TableHeadersRow();
    auto row = [&](const std::string& name, const std::string& value, const char* id) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(name.c_str());
      explained(id);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(value.c_str());
      explained(id);
    };
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f", v.max_concurrency);
    row("Max users at " + format_count(double(context)) + " tokens", buf, "serving.max_concurrency");
    row("KV budget", gib(v.kv_budget_bytes) + " (" + format_count(std::floor(v.kv_tokens)) + " tok)", "serving.kv_budget_bytes");
    row("TTFT (one request)", secs(v.ttft_s), "serving.ttft_s");
    row("TPOT (steady state)", secs(v.tpot_s), "serving.tpot_s");
    row("Request latency", secs(v.e2e_s), "serving.e2e_s");
    row("Output throughput", format_token_rate(v.output_tokens_per_s, 1), "serving.output_tokens_per_s");
    ImGui::EndTable();
  }
  track("serving-table");
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
    auto row = [&](const MemoryPart& part) {
      const double v = m.*part.bytes;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(part.color), "%s", part.row);
      explained(part.id);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(gib(v).c_str());
      explained(part.id);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(gb(v).c_str());
      explained(part.id);
      ImGui::TableNextColumn();
      ImGui::Text("%.0f%%", v / m.total * 100);
    };
    for (const MemoryPart& part : kMemoryParts)
      if (m.*part.bytes > 0) row(part);
    row({"total", "Total", &MemoryBytes::total, "memory.total", ink(255)});
    ImGui::EndTable();
  }
  ImGui::TextDisabled("Hover any figure for its formula. Capacity %s (%s).", gib(e.capacity_bytes).c_str(), gb(e.capacity_bytes).c_str());

  ImGui::Spacing();
  int kind = 0;
  verdict_text(&kind);
  const bool grey = kind >= 2;  // times of a scenario that does not fit (or is not what was asked)
  if (grey) {
    ImGui::TextColored(kWarn, "Times below are for a scenario that does not fit as asked.");
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  }
  if (e.mode == Mode::infer) draw_serving(col);
  ImGui::Spacing();
  if (e.mode == Mode::infer) ImGui::TextDisabled("Offline batch: all %d prompts prefilled at once", scenario_.batch);
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
      row("Time to first token", secs(e.ttft_s), e.prefill.compute_bound ? "compute" : "memory", "time.ttft_s");
      row("Time per output token", secs(e.tpot_s), e.decode.compute_bound ? "compute" : "memory", "time.tpot_s");
      row("End to end", secs(e.e2e_s), nullptr, "time.e2e_s");
      row("Throughput (generated)", format_token_rate(e.tokens_per_s, 1), nullptr, "time.tokens_per_s");
      row("Decode rate", format_token_rate(e.decode_tokens_per_s, 1), nullptr, "time.decode_tokens_per_s");
    } else {
      row("Step time", secs(e.step_s), e.step.compute_bound ? "compute" : "memory", "time.step_s");
      row("Throughput", format_token_rate(e.tokens_per_s), nullptr, "time.tokens_per_s");
      std::snprintf(buf, sizeof buf, "%.1f%%", e.mfu * 100);
      row("Model FLOPs utilisation", buf, nullptr, "time.mfu");
      row("Global batch", format_count(e.global_batch) + " sequences", nullptr, "time.global_batch");
      row("Tokens per step", format_count(e.tokens_per_step), nullptr, "time.tokens_per_step");
      if (scenario_.train_tokens > 0) {
        row("Time to train", secs(e.train_s), nullptr, "time.train_s");
        row("GPU-hours", format_count(e.gpu_hours), nullptr, "time.gpu_hours");
      }
    }
    ImGui::EndTable();
  }
  track("time-table");
  if (grey) ImGui::PopStyleColor();
  draw_cost();
  ImGui::TextDisabled("%s", timing_note(scenario_, e.r.calibration.get()).c_str());
  for (const std::string& w : e.warnings) ImGui::TextColored(kWarn, "! %s", w.c_str());
}

}  // namespace web
