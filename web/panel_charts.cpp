// web/panel_charts.cpp — the charts panel: memory, latency and throughput over batch size or
// context length (core/sweep.hpp), with the capacity line and the largest value that fits.
#include <cstdio>

#include "web/chart.hpp"
#include "core/units.hpp"
#include "imgui.h"
#include "web/app.hpp"
#include "web/platform.h"
#include "web/widgets.hpp"

using namespace llmcalc;

namespace web {

namespace {
std::string gib_tick(double b) { return format_bytes(b, ByteUnit::GiB); }
std::string sec_tick(double s) { return format_seconds(s); }
std::string rate_tick(double r) { return format_token_rate(r); }
}  // namespace

void App::build_charts() {
  for (int axis = 0; axis < 2; ++axis) {
    const SweepResult& sw = axis == 0 ? batch_sweep_ : context_sweep_;
    const bool infer = scenario_.mode == Mode::infer;
    const char* xl = axis == 0 ? (infer ? "users" : "batch") : (infer ? "prompt tokens" : "sequence tokens");
    ChartSpec mem;
    mem.id = "mem-chart";
    mem.x_label = xl;
    mem.format_y = gib_tick;
    mem.unit = AxisUnit::bytes;
    ChartSeries total{{}, ink(230), "total"};
    ChartSeries weights{{}, kColWeights, "weights"};
    ChartSeries kv{{}, scenario_.mode == Mode::infer ? kColKv : kColAct, scenario_.mode == Mode::infer ? "KV cache" : "activations"};
    ChartSpec tim;
    tim.id = "time-chart";
    tim.x_label = xl;
    tim.format_y = sec_tick;
    tim.unit = AxisUnit::seconds;
    ChartSeries lat{{}, IM_COL32(255, 200, 90, 255), scenario_.mode == Mode::infer ? "TPOT" : "step time"};
    ChartSeries first{{}, IM_COL32(120, 170, 255, 255), "TTFT"};
    ChartSpec thr;
    thr.id = "throughput-chart";
    thr.x_label = xl;
    thr.format_y = rate_tick;
    thr.unit = AxisUnit::rate;
    ChartSeries tput{{}, IM_COL32(106, 190, 112, 255), infer ? "output tokens/s" : "tokens/s"};
    for (const SweepPoint& p : sw.points) {
      mem.x.push_back(p.x);
      tim.x.push_back(p.x);
      thr.x.push_back(p.x);
      total.y.push_back(p.memory_total_bytes);
      weights.y.push_back(p.weights_bytes);
      kv.y.push_back(scenario_.mode == Mode::infer ? p.kv_cache_bytes : p.activations_bytes);
      lat.y.push_back(p.latency_s);
      first.y.push_back(p.first_s);
      tput.y.push_back(p.tokens_per_s);
    }
    mem.series = {total, weights, kv};
    // what the verdict compares with: the engine's usable memory (vLLM: 90%), else the GPU's
    const bool budget = infer && est_.serving.usable_bytes < est_.capacity_bytes;
    mem.limit = budget ? est_.serving.usable_bytes : est_.capacity_bytes;
    mem.limit_label = budget ? "usable memory" : "GPU memory";
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
  const bool infer = scenario_.mode == Mode::infer;
  ImGui::Spacing();
  ImGui::TextDisabled("CHARTS");
  ImGui::SameLine();
  ImGui::RadioButton(infer ? "vs users" : "vs batch", &chart_axis_, 0);
  track("axis-batch");
  ImGui::SameLine();
  ImGui::RadioButton(infer ? "vs prompt length" : "vs sequence length", &chart_axis_, 1);
  track("axis-context");
  const SweepResult& sw = chart_axis_ == 0 ? batch_sweep_ : context_sweep_;
  const char* xl = chart_axis_ == 0 ? (infer ? "users" : "batch") : (infer ? "prompt tokens" : "sequence tokens");
  char fit[96];
  if (sw.max_fitting > 0) std::snprintf(fit, sizeof fit, "largest %s that fits: %s", xl, format_grouped(sw.max_fitting).c_str());
  else std::snprintf(fit, sizeof fit, "nothing fits, even at 1");
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(fit).x) ImGui::NewLine();
  ImGui::TextColored(sw.max_fitting > 0 ? kGood : kBad, "%s", fit);

  // a 2×2 grid when wide (memory, latency / TTFT, throughput), one column when narrow
  const float fs = ImGui::GetFontSize();
  const bool side = width > fs * 44;
  const ImVec2 sz(side ? (width - ImGui::GetStyle().ItemSpacing.x) * 0.5f : width, fs * 13);
  const std::vector<ChartSpec>& charts = charts_[chart_axis_];
  for (size_t i = 0; i < charts.size(); ++i) {
    if (i % 2 == 1 && side) ImGui::SameLine();
    draw_chart(charts[i], sz, chart_axis_ == 0 ? scenario_.batch : infer ? scenario_.prompt : scenario_.seq);
    if (i == 0) track("memory-chart");
  }
}

}  // namespace web
