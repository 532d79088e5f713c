// web/panel_results.cpp — the results panel: verdict, memory bar, memory and time tables, formula
// tooltips of every figure (the explanations core generated from its arithmetic).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/rates.hpp"
#include "core/report.hpp"
#include "core/units.hpp"
#include "core/verdict.hpp"
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

// A table of figures: a label column that takes the rest of the width and wraps, and value columns
// as wide as their widest text. Columns marked optional are left out, last first, when the labels
// would get narrower than 8 characters (phones). Hovering a row's label or values shows the formula.
void App::figure_table(const char* id, const std::vector<FigureColumn>& columns, const std::vector<FigureRow>& rows, float width) {
  const float fs = ImGui::GetFontSize();
  const float pad = ImGui::GetStyle().CellPadding.x * 2 + fs * 0.4f;
  std::vector<float> w(columns.size(), 0);
  for (size_t c = 1; c < columns.size(); ++c) {
    w[c] = ImGui::CalcTextSize(columns[c].name).x;
    for (const FigureRow& r : rows)
      if (c - 1 < r.cells.size()) w[c] = std::max(w[c], ImGui::CalcTextSize(r.cells[c - 1].c_str()).x);
    w[c] += pad;
  }
  std::vector<bool> shown(columns.size(), true);
  auto label_room = [&] {
    float used = 0;
    for (size_t c = 1; c < columns.size(); ++c) used += shown[c] ? w[c] : 0;
    return width - used;
  };
  for (size_t c = columns.size(); c-- > 1 && label_room() < fs * 8;)
    if (columns[c].optional) shown[c] = false;
  int n = 0;
  for (bool b : shown) n += b;
  if (ImGui::BeginTable(id, n, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH, ImVec2(width, 0))) {
    for (size_t c = 0; c < columns.size(); ++c)
      if (shown[c])
        ImGui::TableSetupColumn(columns[c].name, c == 0 ? ImGuiTableColumnFlags_WidthStretch : ImGuiTableColumnFlags_WidthFixed,
                                c == 0 ? 1.0f : w[c] - ImGui::GetStyle().CellPadding.x * 2);
    ImGui::TableHeadersRow();
    for (const FigureRow& r : rows) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      if (r.color) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(r.color));
      ImGui::TextWrapped("%s", r.label.c_str());
      if (r.color) ImGui::PopStyleColor();
      if (r.id) explained(r.id);
      for (size_t c = 1; c < columns.size(); ++c) {
        if (!shown[c]) continue;
        ImGui::TableNextColumn();
        if (c - 1 >= r.cells.size()) continue;
        const bool last = c + 1 == columns.size();
        if (last && r.last_color) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(r.last_color), "%s", r.cells[c - 1].c_str());
        else if (columns[c].dim) ImGui::TextDisabled("%s", r.cells[c - 1].c_str());
        else ImGui::TextUnformatted(r.cells[c - 1].c_str());
        if (r.id) explained(r.id);
      }
    }
    ImGui::EndTable();
  }
}

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
  // the limit the verdict uses (the engine's usable memory when serving), and the device's edge
  const float cx = p.x + float(est_.room_bytes / scale) * width;
  if (est_.room_bytes < est_.capacity_bytes) {
    const float dx = p.x + float(est_.capacity_bytes / scale) * width;
    dl->AddLine(ImVec2(dx, p.y), ImVec2(dx, p.y + h), ink(120), 1.5f);
  }
  dl->AddLine(ImVec2(cx, p.y - 4), ImVec2(cx, p.y + h + 4), IM_COL32(235, 87, 87, 255), 2.5f);
  if (hovered) explained(hovered);
  // legend
  // legend, flowing onto more lines where it does not fit
  const float fs = ImGui::GetFontSize();
  bool first = true;
  auto room_for = [&](const char* text) {
    const float w = fs * 0.8f + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(text).x;
    if (!first) {
      ImGui::SameLine();
      if (ImGui::GetContentRegionAvail().x < w) ImGui::NewLine();
    }
    first = false;
  };
  for (const MemoryPart& s : kMemoryParts) {
    if (m.*s.bytes <= 0) continue;
    room_for(s.legend);
    const ImVec2 q = ImGui::GetCursorScreenPos();
    dl->AddRectFilled(ImVec2(q.x, q.y + fs * 0.25f), ImVec2(q.x + fs * 0.7f, q.y + fs * 0.95f), s.color);
    ImGui::Dummy(ImVec2(fs * 0.8f, fs));
    ImGui::SameLine();
    ImGui::TextUnformatted(s.legend);
  }
  const char* limit = est_.mode == Mode::infer && est_.room_bytes < est_.capacity_bytes ? "| usable" : "| capacity";
  room_for(limit);
  ImGui::TextColored(kBad, "%s", limit);
}

std::string App::verdict_text(int* kind) const {
  if (!not_asked_.empty()) {
    *kind = 3;
    return "Not the scenario the link asked for: " + not_asked_ + " Shown instead: " + est_.r.model_name.data() +
           std::string(" on ") + est_.r.gpu_name.data() + ".";
  }
  const Verdict v = verdict_of(est_);
  *kind = v == Verdict::fits ? 0 : v == Verdict::tight ? 1 : 2;
  return llmcalc::verdict_text(scenario_, est_);
}

void App::draw_verdict() {
  int kind = 0;
  const std::string text = verdict_text(&kind);
  ImGui::PushStyleColor(ImGuiCol_Text, kind == 0 ? kGood : kind == 2 ? kBad : kWarn);
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
  track("verdict");
  explained("memory.total");
  if (kind == 1 || kind == 2) draw_fixes(kind == 2);
}

// The single changes that make the scenario fit (or roomier), each a button that applies it.
void App::draw_fixes(bool over) {
  if (fixes_.empty()) return;
  ImGui::TextDisabled("%s", over ? "It fits with any one of:" : "Room to spare with any one of:");
  Scenario chosen;
  bool apply = false;
  for (size_t i = 0; i < fixes_.size(); ++i) {
    const Fix& f = fixes_[i];
    ImGui::PushID(int(i));
    char label[160];
    std::snprintf(label, sizeof label, "%s (%.0f%%)", f.change.c_str(), f.share * 100);
    // flow the buttons like words: a new line when the next one would not fit
    const float w = ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2;
    if (i > 0) {
      ImGui::SameLine();
      if (ImGui::GetContentRegionAvail().x < w) ImGui::NewLine();
    }
    if (ImGui::SmallButton(label)) {
      chosen = f.scenario;
      apply = true;
    }
    track(("fix-" + std::to_string(i)).c_str());
    help_tooltip("Applies this one change: the link, the figures and the charts follow. The percentage is the share of "
                 "the usable memory it then takes.");
    ImGui::PopID();
  }
  if (apply) set_scenario(chosen);
}

// Export: the figures as text or Markdown on the clipboard, as JSON or CSV files, or printed.
void App::draw_export() {
  if (ImGui::SmallButton("Export\xE2\x80\xA6")) ImGui::OpenPopup("export");
  track("export");
  if (!ImGui::BeginPopup("export")) return;
  const std::string stem = "llmcalc-" + std::string(est_.r.model_id) + "-" + std::string(est_.r.gpu_id);
  auto item = [&](const char* label, const char* name) {
    const bool chosen = ImGui::Selectable(label);
    track(name);
    return chosen;
  };
  if (item("Copy as text", "export-text")) copied_ok_ = platform::copy_to_clipboard(estimate_text(scenario_, est_));
  if (item("Copy as Markdown", "export-markdown")) copied_ok_ = platform::copy_to_clipboard(estimate_markdown(scenario_, est_));
  if (item("Download JSON", "export-json")) platform::download(stem + ".json", "application/json", estimate_json(scenario_, est_));
  if (item("Download CSV", "export-csv")) platform::download(stem + ".csv", "text/csv", estimate_csv(scenario_, est_));
  if (item("Print", "export-print"))
    platform::print_report(estimate_text(scenario_, est_) + "\nLink: " + platform::link_for(fragment()) + "\n");
  ImGui::EndPopup();
}

void App::draw_compare(float width) {
  const std::vector<CompareRow> rows = compare(pinned_est_, est_);
  const float fs = ImGui::GetFontSize();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("A: %s on %d \xC3\x97 %s (%s)", std::string(pinned_est_.r.model_name).c_str(), pinned_est_.gpus,
                     std::string(pinned_est_.r.gpu_name).c_str(), encode_scenario(pinned_scenario_).c_str());
  ImGui::PopStyleColor();
  std::vector<FigureRow> table;
  for (const CompareRow& r : rows) {
    const char* none = "\xE2\x80\x94";
    FigureRow x{std::string(r.label), {r.in_a ? format_quantity(r.a, r.q) : none, r.in_b ? format_quantity(r.b, r.q) : none, ""}};
    if (r.in_a && r.in_b && r.a != 0) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%+.0f%%", r.change() * 100);
      const int better = r.better();
      x.cells[2] = better == 0 && std::fabs(r.change()) < 5e-4 ? "same" : buf;
      x.last_color = better == 0 ? ImGui::GetColorU32(ImGuiCol_TextDisabled) : ImGui::GetColorU32(better > 0 ? kGood : kBad);
    }
    table.push_back(x);
  }
  figure_table("compare", {{"Compare"}, {"A"}, {"B (now)"}, {"change"}}, table, std::min(width, fs * 40));
  track("compare-table");
}

void App::draw_cost() {
  const Cost& c = est_.cost;
  if (!c.priced) {
    wrapped_disabled("Cost: " + c.source);
    return;
  }
  if (est_.mode == Mode::infer)
    ImGui::TextWrapped("Cost: $%.3f per million output tokens ($%.3f per million in + out), $%.2f per hour",
                c.usd_per_million_output_tokens, c.usd_per_million_total_tokens, c.usd_per_hour);
  else if (scenario_.train_tokens > 0)
    ImGui::TextWrapped("Cost: $%s to train %s tokens ($%.3f per million tokens), $%.2f per hour", format_grouped(c.usd_to_train).c_str(),
                format_count(scenario_.train_tokens).c_str(), c.usd_per_million_tokens, c.usd_per_hour);
  else
    ImGui::TextWrapped("Cost: $%.3f per million trained tokens, $%.2f per hour", c.usd_per_million_tokens, c.usd_per_hour);
  explained(est_.mode == Mode::infer ? "cost.usd_per_million_output_tokens" : "cost.usd_per_million_tokens");
  track("cost");
  char price[48];
  std::snprintf(price, sizeof price, "at $%.2f per GPU-hour: ", c.usd_per_gpu_hour);
  wrapped_disabled(price + c.source);
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
    std::snprintf(buf, sizeof buf, "Step time %s, %s, MFU %.0f%%.", secs(e.step_s).c_str(),
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
  if (kind == 1 || kind == 2) {
    std::string list;
    for (const Fix& f : fixes_) list += (list.empty() ? "" : "; ") + f.change;
    if (!list.empty()) t += (kind == 2 ? " It fits with any one of: " : " Room to spare with any one of: ") + list + ".";
  }
  if (kind >= 2) t += " Times are for a scenario that does not fit as asked.";
  if (pinned_) {
    t += " Compared with A (" + std::string(pinned_est_.r.model_name) + " on " + std::to_string(pinned_est_.gpus) + " \xC3\x97 " +
         std::string(pinned_est_.r.gpu_name) + "):";
    for (const CompareRow& r : compare(pinned_est_, est_))
      if (r.in_a && r.in_b)
        t += " " + std::string(r.label) + " " + format_quantity(r.a, r.q) + " \xE2\x86\x92 " + format_quantity(r.b, r.q) + ";";
  }
  platform::set_summary(t);
}

// Serving: how many users the engine's KV budget holds at this context, and how fast each of the
// scenario's users is served in steady state.
void App::draw_serving(float col) {
  const Serving& v = est_.serving;
  const double context = 1.0 * scenario_.prompt + scenario_.gen;
  wrapped_disabled("Serving with " + std::string(engine_spec(scenario_.engine).name) + ": " + format_grouped(scenario_.batch) +
                   (scenario_.batch == 1 ? " user" : " users"));
  figure_table("serving", {{"Serving"}, {"value"}},
               {{"Max users at " + format_grouped(context) + " tokens", {format_grouped(std::floor(v.max_concurrency))}, "serving.max_concurrency"},
                {"KV budget", {gib(v.kv_budget_bytes) + " (" + format_count(std::floor(v.kv_tokens)) + " tok)"}, "serving.kv_budget_bytes"},
                {"TTFT (one request)", {secs(v.ttft_s)}, "serving.ttft_s"},
                {"TPOT (steady state)", {secs(v.tpot_s)}, "serving.tpot_s"},
                {"Request latency", {secs(v.e2e_s)}, "serving.e2e_s"},
                {"Output throughput", {format_token_rate(v.output_tokens_per_s, 1)}, "serving.output_tokens_per_s"}},
               col);
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

  draw_export();
  ImGui::SameLine();
  // compare: pin this scenario as A, change anything, read B against A
  if (!pinned_) {
    if (ImGui::SmallButton("Compare: pin as A")) pin(scenario_);
    track("pin");
    help_tooltip("Keeps this scenario as A: change anything and the figures of both show side by side, with the "
                 "changes. The link carries both.");
  } else {
    if (ImGui::SmallButton("Unpin A")) {
      pinned_ = false;
      platform::set_fragment(fragment());
    }
    track("unpin");
    ImGui::SameLine();
    if (ImGui::SmallButton("Swap A and B")) {
      const Scenario b = scenario_;
      set_scenario(pinned_scenario_);
      pin(b);
    }
    track("swap");
    draw_compare(width);
  }
  draw_verdict();
  draw_memory_bar(width);
  ImGui::Spacing();

  const float col = std::min(width, ImGui::GetFontSize() * 40);
  {
    std::vector<FigureRow> rows;
    char share[16];
    auto row = [&](const MemoryPart& part) {
      const double v = m.*part.bytes;
      std::snprintf(share, sizeof share, "%.0f%%", v / m.total * 100);
      rows.push_back({part.row, {gib(v), gb(v), share}, part.id, part.color});
    };
    for (const MemoryPart& part : kMemoryParts)
      if (m.*part.bytes > 0) row(part);
    row({"total", "Total", &MemoryBytes::total, "memory.total", 0});
    figure_table("memory", {{"Memory per GPU"}, {"GiB"}, {"GB", true}, {"share", true}}, rows, col);
  }
  wrapped_disabled("Hover any figure for its formula. Capacity " + gib(e.capacity_bytes) + " (" + gb(e.capacity_bytes) + ").");

  ImGui::Spacing();
  int kind = 0;
  verdict_text(&kind);
  const bool grey = kind >= 2;  // times of a scenario that does not fit (or is not what was asked)
  if (grey) {
    ImGui::PushStyleColor(ImGuiCol_Text, kWarn);
    ImGui::TextWrapped("Times below are for a scenario that does not fit as asked.");
    ImGui::PopStyleColor();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  }
  if (e.mode == Mode::infer) draw_serving(col);
  ImGui::Spacing();
  if (e.mode == Mode::infer)
    wrapped_disabled("Offline batch: all " + format_grouped(scenario_.batch) + " prompts prefilled at once");
  {
    std::vector<FigureRow> rows;
    auto bound = [](const Phase& p) { return std::string(p.compute_bound ? "compute" : "memory"); };
    if (e.mode == Mode::infer) {
      rows = {{"Time to first token", {secs(e.ttft_s), bound(e.prefill)}, "time.ttft_s"},
              {"Time per output token", {secs(e.tpot_s), bound(e.decode)}, "time.tpot_s"},
              {"End to end", {secs(e.e2e_s)}, "time.e2e_s"},
              {"Throughput (generated)", {format_token_rate(e.tokens_per_s, 1)}, "time.tokens_per_s"},
              {"Decode rate", {format_token_rate(e.decode_tokens_per_s, 1)}, "time.decode_tokens_per_s"}};
    } else {
      char mfu[16];
      std::snprintf(mfu, sizeof mfu, "%.1f%%", e.mfu * 100);
      rows = {{"Step time", {secs(e.step_s), bound(e.step)}, "time.step_s"},
              {"Throughput", {format_token_rate(e.tokens_per_s)}, "time.tokens_per_s"},
              {"Model FLOPs utilisation", {mfu}, "time.mfu"},
              {"Global batch", {format_grouped(e.global_batch) + " sequences"}, "time.global_batch"},
              {"Tokens per step", {format_grouped(e.tokens_per_step)}, "time.tokens_per_step"}};
      if (scenario_.train_tokens > 0) {
        rows.push_back({"Time to train", {secs(e.train_s)}, "time.train_s"});
        rows.push_back({"GPU-hours", {format_grouped(e.gpu_hours)}, "time.gpu_hours"});
      }
    }
    figure_table("time", {{"Time"}, {"value"}, {"bound by", true, true}}, rows, col);
  }
  track("time-table");
  if (grey) ImGui::PopStyleColor();
  draw_cost();
  wrapped_disabled(timing_note(scenario_, e.d.gemm_share, e.r.calibration.get()));
  ImGui::PushStyleColor(ImGuiCol_Text, kWarn);
  for (const std::string& w : e.warnings) ImGui::TextWrapped("! %s", w.c_str());
  ImGui::PopStyleColor();
}

}  // namespace web
