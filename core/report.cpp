// core/report.cpp — JSON and text output of an estimate (nlohmann/json stays inside this file).
#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include <nlohmann/json.hpp>

#include "compare.hpp"
#include "frameworks.hpp"
#include "units.hpp"
#include "verdict.hpp"

namespace llmcalc {

namespace {
using json = nlohmann::ordered_json;

json phase_json(const Phase& p) {
  return json{{"flops", p.flop},         {"bytes", p.bytes},       {"compute_s", p.compute_s},
              {"memory_s", p.memory_s},   {"comm_s", p.comm_s},     {"overhead_s", p.overhead_s},
              {"elementwise_s", p.elementwise_s},
              {"time_s", p.time_s},       {"bound", p.compute_bound ? "compute" : "memory"}};
}
}  // namespace

std::string estimate_json(const Scenario& s, const Estimate& e,
                          const std::vector<std::string>& decode_warnings, int indent) {
  json j;
  j["scenario"] = encode_scenario(s);
  j["model"] = {{"id", e.r.model_id}, {"name", e.r.model_name}, {"params", e.r.params.total},
                {"active_params", e.r.params.active}};
  j["gpu"] = {{"id", e.r.gpu_id}, {"name", e.r.gpu_name}, {"memory_bytes", e.capacity_bytes},
              {"count", e.gpus}, {"tp", e.tp}, {"pp", e.pp}, {"dp", e.dp}};
  if (e.mode == Mode::train) {
    j["gpu"]["cp"] = s.cp;
    j["training"] = {{"framework", framework_key(s.framework)}, {"recompute", recompute_name(recompute_of(s))},
                     {"ce_chunks", ce_chunks_of(s)}, {"compile", s.compile}};
  }
  const MemoryBytes& m = e.memory;
  j["memory"] = {{"weights", m.weights},         {"gradients", m.gradients}, {"optimizer", m.optimizer},
                 {"activations", m.activations}, {"kv_cache", m.kv_cache},   {"overhead", m.overhead},
                 {"total", m.total},             {"capacity", e.capacity_bytes},   {"fits", e.fits}};
  json t;
  t["timing"] = timing_name(s.timing);
  if (e.mode == Mode::infer) {
    t["ttft_s"] = e.ttft_s;
    t["tpot_s"] = e.tpot_s;
    t["e2e_s"] = e.e2e_s;
    t["tokens_per_s"] = e.tokens_per_s;
    t["decode_tokens_per_s"] = e.decode_tokens_per_s;
    t["prefill_tokens_per_s"] = e.prefill_tokens_per_s;
    t["prefill"] = phase_json(e.prefill);
    t["decode"] = phase_json(e.decode);
  } else {
    t["step_s"] = e.step_s;
    t["tokens_per_s"] = e.tokens_per_s;
    t["mfu"] = e.mfu;
    t["global_batch"] = e.global_batch;
    t["tokens_per_step"] = e.tokens_per_step;
    if (s.train_tokens > 0) {
      t["train_s"] = e.train_s;
      t["gpu_hours"] = e.gpu_hours;
    }
    t["step"] = phase_json(e.step);
  }
  j["time"] = t;
  if (e.mode == Mode::infer) {
    const Serving& v = e.serving;
    j["serving"] = {{"engine", engine_key(s.engine)},
                    {"usable_bytes", v.usable_bytes},
                    {"kv_budget_bytes", v.kv_budget_bytes},
                    {"kv_tokens", v.kv_tokens},
                    {"max_concurrency", v.max_concurrency},
                    {"prefill_chunks", v.prefill_chunks},
                    {"prefill_steps_s", v.prefill_steps_s},
                    {"step_s", v.step_s},
                    {"ttft_s", v.ttft_s},
                    {"tpot_s", v.tpot_s},
                    {"e2e_s", v.e2e_s},
                    {"output_tokens_per_s", v.output_tokens_per_s},
                    {"total_tokens_per_s", v.total_tokens_per_s},
                    {"prefill", phase_json(v.prefill)}};
  }
  const Cost& c = e.cost;
  json cost = {{"price_source", c.source}};
  if (c.priced) {
    cost["usd_per_gpu_hour"] = c.usd_per_gpu_hour;
    cost["usd_per_hour"] = c.usd_per_hour;
    if (e.mode == Mode::infer) {
      cost["usd_per_million_output_tokens"] = c.usd_per_million_output_tokens;
      cost["usd_per_million_total_tokens"] = c.usd_per_million_total_tokens;
    } else {
      cost["usd_per_million_tokens"] = c.usd_per_million_tokens;
      if (s.train_tokens > 0) cost["usd_to_train"] = c.usd_to_train;
    }
  }
  j["cost"] = cost;
  // the verdict in words, and the single changes that make the scenario fit (or no longer tight)
  const Verdict verdict = verdict_of(e);
  json vj = {{"state", verdict_key(verdict)}, {"share", memory_share(e)}, {"room_bytes", e.room_bytes}};
  if (const std::string note = replication_note(s, e); !note.empty()) vj["note"] = note;
  json fx = json::array();
  for (const Fix& f : fixes_for(s, e))
    fx.push_back({{"change", f.change}, {"scenario", encode_scenario(f.scenario)}, {"share", f.share}});
  vj["fixes"] = fx;
  j["verdict"] = vj;
  json w = json::array();
  for (const auto& x : decode_warnings) w.push_back(x);
  for (const auto& x : e.warnings) w.push_back(x);
  j["warnings"] = w;
  if (!e.explain.empty()) {
    json x = json::object();
    for (const auto& ex : e.explain) {
      json where = json::array();
      for (size_t i = 1; i < ex.steps.size(); ++i) where.push_back(ex.steps[i].text);
      x[ex.id] = {{"formula", ex.formula()}, {"where", where}, {"source", ex.source}};
    }
    j["explain"] = x;
  }
  return j.dump(indent, ' ', false, json::error_handler_t::replace);  // never throws on bad UTF-8
}

std::string estimate_text(const Scenario& s, const Estimate& e, const std::vector<std::string>& dw) {
  std::string o;
  char line[512];
  auto row = [&](const char* name, double bytes) {
    std::snprintf(line, sizeof line, "  %-12s %12s  %12s\n", name,
                  format_bytes(bytes, ByteUnit::GB).c_str(), format_bytes(bytes, ByteUnit::GiB).c_str());
    o += line;
  };
  std::snprintf(line, sizeof line, "%s on %d × %s (tp=%d pp=%d dp=%d), %s\n",
                std::string(e.r.model_name).c_str(), e.gpus, std::string(e.r.gpu_name).c_str(), e.tp,
                e.pp, e.dp, e.mode == Mode::infer ? "inference" : "training");
  o += line;
  std::snprintf(line, sizeof line, "  params %s (active %s)\n", format_count(e.r.params.total).c_str(),
                format_count(e.r.params.active).c_str());
  o += line;
  if (e.mode == Mode::train)
    o += "  framework " + std::string(framework_spec(s.framework).name) + ", recompute " +
         std::string(recompute_name(recompute_of(s))) + "\n";
  o += "memory per GPU\n";
  row("weights", e.memory.weights);
  if (e.mode == Mode::train) {
    row("gradients", e.memory.gradients);
    row("optimizer", e.memory.optimizer);
  }
  row("activations", e.memory.activations);
  if (e.mode == Mode::infer) row("kv cache", e.memory.kv_cache);
  row("overhead", e.memory.overhead);
  row("total", e.memory.total);
  const Verdict verdict = verdict_of(e);
  std::snprintf(line, sizeof line, "  %-12s %12s  %12s  → %s (%.0f%% of %s usable)\n", "capacity",
                format_bytes(e.capacity_bytes, ByteUnit::GB).c_str(), format_bytes(e.capacity_bytes, ByteUnit::GiB).c_str(),
                verdict == Verdict::over ? "DOES NOT FIT" : std::string(verdict_key(verdict)).c_str(), memory_share(e) * 100,
                format_bytes(e.room_bytes, ByteUnit::GiB).c_str());
  o += line;
  if (const std::string note = replication_note(s, e); !note.empty()) o += "  note: " + note + "\n";
  for (const Fix& f : fixes_for(s, e)) {
    std::snprintf(line, sizeof line, "  %s with %s (%.0f%%): ", verdict == Verdict::over ? "fits" : "roomier",
                  f.change.c_str(), f.share * 100);
    o += line + encode_scenario(f.scenario) + "\n";
  }
  if (e.mode == Mode::infer) {
    const Serving& v = e.serving;
    std::snprintf(line, sizeof line, "serving (%s): %s usable, KV budget %s = %.0f tokens, max %.0f requests of %lld tokens\n",
                  std::string(engine_spec(s.engine).name).c_str(), format_bytes(v.usable_bytes).c_str(),
                  format_bytes(v.kv_budget_bytes).c_str(), v.kv_tokens, v.max_concurrency, 1LL * s.prompt + s.gen);
    o += line;
    std::snprintf(line, sizeof line, "  %d users: TTFT %s, TPOT %s, request %s, %.1f output tokens/s\n", s.batch,
                  format_seconds(v.ttft_s).c_str(), format_seconds(v.tpot_s).c_str(), format_seconds(v.e2e_s).c_str(),
                  v.output_tokens_per_s);
    o += line;
  }
  std::snprintf(line, sizeof line, "time (%s)%s\n", std::string(timing_name(s.timing)).c_str(),
                e.mode == Mode::infer ? ", the whole batch at once" : "");
  o += line;
  if (e.mode == Mode::infer) {
    std::snprintf(line, sizeof line,
                  "  TTFT %s (%s-bound)\n  TPOT %s (%s-bound)\n  end-to-end %s\n  %.1f tokens/s generated, %.1f tokens/s decode\n",
                  format_seconds(e.ttft_s).c_str(), e.prefill.compute_bound ? "compute" : "memory",
                  format_seconds(e.tpot_s).c_str(), e.decode.compute_bound ? "compute" : "memory",
                  format_seconds(e.e2e_s).c_str(), e.tokens_per_s, e.decode_tokens_per_s);
  } else {
    std::snprintf(line, sizeof line, "  step %s (%s-bound)\n  %.0f tokens/s, MFU %.1f%%\n  global batch %s sequences, %s tokens/step\n",
                  format_seconds(e.step_s).c_str(), e.step.compute_bound ? "compute" : "memory",
                  e.tokens_per_s, e.mfu * 100, format_count(e.global_batch).c_str(), format_count(e.tokens_per_step).c_str());
    if (s.train_tokens > 0) {
      o += line;
      std::snprintf(line, sizeof line, "  %s tokens: %s, %s GPU-hours\n", format_count(s.train_tokens).c_str(),
                    format_seconds(e.train_s).c_str(), format_count(e.gpu_hours).c_str());
    }
  }
  o += line;
  const Cost& c = e.cost;
  if (!c.priced) {
    o += "cost: " + c.source + "\n";
  } else if (e.mode == Mode::infer) {
    std::snprintf(line, sizeof line, "cost: $%.2f per GPU-hour (%s): $%.2f per hour, $%.3f per million output tokens\n",
                  c.usd_per_gpu_hour, c.source.c_str(), c.usd_per_hour, c.usd_per_million_output_tokens);
    o += line;
  } else {
    std::snprintf(line, sizeof line, "cost: $%.2f per GPU-hour (%s): $%.2f per hour, $%.3f per million tokens%s\n",
                  c.usd_per_gpu_hour, c.source.c_str(), c.usd_per_hour, c.usd_per_million_tokens,
                  s.train_tokens > 0 ? (", $" + format_count(c.usd_to_train) + " to train").c_str() : "");
    o += line;
  }
  for (const auto& w : dw) o += "warning: " + w + "\n";
  for (const auto& w : e.warnings) o += "warning: " + w + "\n";
  o += "scenario: " + encode_scenario(s) + "\n";
  return o;
}

std::string estimate_markdown(const Scenario& s, const Estimate& e) {
  std::string o = "## " + std::string(e.r.model_name) + " on " + std::to_string(e.gpus) + " \xC3\x97 " + std::string(e.r.gpu_name) +
                  (e.mode == Mode::infer ? ", inference (" + std::string(engine_spec(s.engine).name) + ")"
                                         : ", training (" + std::string(framework_spec(s.framework).name) + ")") +
                  "\n\n**" + verdict_text(s, e) + "**\n\n";
  auto line = [&](const std::string& name, const std::string& v) { o += "| " + name + " | " + v + " |\n"; };
  o += "| Memory per GPU | GiB |\n|---|---:|\n";
  const MemoryBytes& m = e.memory;
  const std::pair<const char*, double> parts[] = {{"Weights", m.weights},         {"Gradients", m.gradients},
                                                  {"Optimizer states", m.optimizer}, {"Activations", m.activations},
                                                  {"KV cache", m.kv_cache},       {"Overhead", m.overhead}};
  for (const auto& [name, v] : parts)
    if (v > 0) line(name, format_bytes(v));
  line("**Total**", "**" + format_bytes(m.total) + "**");
  o += "\n";
  if (e.mode == Mode::infer) {
    const Serving& v = e.serving;
    o += "| Serving, " + format_grouped(s.batch) + (s.batch == 1 ? " user" : " users") + " | |\n|---|---:|\n";
    line("Max users at " + format_grouped(1.0 * s.prompt + s.gen) + " tokens", format_grouped(std::floor(v.max_concurrency)));
    line("TTFT (one request)", format_seconds(v.ttft_s));
    line("TPOT (steady state)", format_seconds(v.tpot_s));
    line("Request latency", format_seconds(v.e2e_s));
    line("Output throughput", format_token_rate(v.output_tokens_per_s, 1));
  } else {
    o += "| Training | |\n|---|---:|\n";
    line("Step time", format_seconds(e.step_s));
    line("Throughput", format_token_rate(e.tokens_per_s));
    char mfu[16];
    std::snprintf(mfu, sizeof mfu, "%.1f%%", e.mfu * 100);
    line("MFU", mfu);
    line("Tokens per step", format_grouped(e.tokens_per_step));
    if (s.train_tokens > 0) {
      line("Time to train " + format_count(s.train_tokens) + " tokens", format_seconds(e.train_s));
      line("GPU-hours", format_grouped(e.gpu_hours));
    }
  }
  const Cost& c = e.cost;
  if (c.priced) {
    char buf[160];
    if (e.mode == Mode::infer) std::snprintf(buf, sizeof buf, "$%.3f per million output tokens", c.usd_per_million_output_tokens);
    else std::snprintf(buf, sizeof buf, "$%.3f per million trained tokens", c.usd_per_million_tokens);
    line("Cost", std::string(buf) + (s.train_tokens > 0 && e.mode == Mode::train ? ", $" + format_grouped(c.usd_to_train) + " to train" : ""));
    std::snprintf(buf, sizeof buf, "$%.2f per GPU-hour", c.usd_per_gpu_hour);
    line("Price", buf);
  }
  o += "\n";
  for (const std::string& w : e.warnings) o += "- " + w + "\n";
  o += "\nScenario: `" + encode_scenario(s) + "` (" + std::string(timing_name(s.timing)) + " timing, llmcalc)\n";
  return o;
}

namespace {
void flatten(const json& j, const std::string& path, std::string& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) flatten(it.value(), path.empty() ? it.key() : path + "." + it.key(), out);
  } else if (j.is_number() || j.is_boolean()) {
    out += path + "," + (j.is_boolean() ? std::string(j.get<bool>() ? "1" : "0") : format_number(j.get<double>())) + "\n";
  }
}
}  // namespace

std::string estimate_csv(const Scenario& s, const Estimate& e) {
  json j = json::parse(estimate_json(s, e, {}, -1));
  j.erase("verdict");  // its fixes are links, not figures
  std::string out = "figure,value\n";
  flatten(j, "", out);
  return out;
}

std::string compare_json(const Scenario& a, const Estimate& ea, const Scenario& b, const Estimate& eb, int indent) {
  json j;
  j["a"] = encode_scenario(a);
  j["b"] = encode_scenario(b);
  json rows = json::array();
  for (const CompareRow& r : compare(ea, eb)) {
    json x = {{"id", r.id}, {"label", r.label}};
    x["a"] = r.in_a ? json(r.a) : json(nullptr);
    x["b"] = r.in_b ? json(r.b) : json(nullptr);
    x["change"] = r.in_a && r.in_b && r.a != 0 ? json(r.change()) : json(nullptr);
    x["better"] = r.better();
    rows.push_back(x);
  }
  j["rows"] = rows;
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

std::string compare_text(const Scenario& a, const Estimate& ea, const Scenario& b, const Estimate& eb) {
  std::string o = "A: " + encode_scenario(a) + "\nB: " + encode_scenario(b) + "\n";
  char line[256];
  std::snprintf(line, sizeof line, "  %-32s %14s %14s %8s\n", "", "A", "B", "change");
  o += line;
  for (const CompareRow& r : compare(ea, eb)) {
    char change[16] = "";
    if (r.in_a && r.in_b && r.a != 0)
      std::snprintf(change, sizeof change, std::fabs(r.change()) < 5e-4 ? "same" : "%+.1f%%", r.change() * 100);
    std::snprintf(line, sizeof line, "  %-32s %14s %14s %8s\n", std::string(r.label).c_str(),
                  r.in_a ? format_quantity(r.a, r.q).c_str() : "-", r.in_b ? format_quantity(r.b, r.q).c_str() : "-", change);
    o += line;
  }
  return o;
}

namespace {
// Widest id and name of a preset table, so long names ("Llama 4 Maverick 17B-128E") keep columns aligned.
template <class Presets>
std::pair<int, int> column_widths(const Presets& presets, int id_min, int name_min) {
  std::pair<int, int> w{id_min, name_min};
  for (const auto& p : presets) {
    w.first = std::max(w.first, static_cast<int>(p.id.size()));
    w.second = std::max(w.second, static_cast<int>(p.name.size()));
  }
  return w;
}
}  // namespace

std::string models_text() {
  const auto [iw, nw] = column_widths(model_presets(), 2, 4);
  std::string o;
  char line[512];
  std::snprintf(line, sizeof line, "%-*s %-*s %10s %10s  %s\n", iw, "id", nw, "name", "params", "active", "source");
  o += line;
  for (const auto& p : model_presets()) {
    const ParamCounts c = count_params(p.spec);
    std::snprintf(line, sizeof line, "%-*s %-*s %10s %10s  %s\n", iw, std::string(p.id).c_str(), nw,
                  std::string(p.name).c_str(), format_count(c.total).c_str(), format_count(c.active).c_str(),
                  std::string(p.source).c_str());
    o += line;
  }
  return o;
}

std::string gpus_text() {
  const auto [iw, nw] = column_widths(gpu_presets(), 2, 4);
  std::string o;
  char line[512];
  std::snprintf(line, sizeof line, "%-*s %-*s %10s %11s %14s %14s\n", iw, "id", nw, "name", "memory", "bandwidth",
                "bf16 (dense)", "fp8 (dense)");
  o += line;
  for (const auto& p : gpu_presets()) {
    std::snprintf(line, sizeof line, "%-*s %-*s %10s %11s %14s %14s\n", iw, std::string(p.id).c_str(), nw,
                  std::string(p.name).c_str(), format_bytes(p.spec.memory_bytes, ByteUnit::GB).c_str(),
                  format_bandwidth(p.spec.bandwidth_bytes_per_s).c_str(), format_flops(p.spec.peak.bf16).c_str(),
                  p.spec.peak.fp8 > 0 ? format_flops(p.spec.peak.fp8).c_str() : "-");
    o += line;
  }
  return o;
}

std::string json_quote(std::string_view text) {
  // invalid UTF-8 (from a user's file name, say) is replaced, never thrown on
  return json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string models_json() {
  json a = json::array();
  for (const auto& p : model_presets()) {
    const ParamCounts c = count_params(p.spec);
    const ModelSpec& m = p.spec;
    a.push_back({{"id", p.id}, {"name", p.name}, {"params", c.total}, {"active_params", c.active},
                 {"layers", m.layers}, {"hidden", m.hidden}, {"heads", m.heads}, {"kv_heads", m.kv_heads},
                 {"head_dim", m.dim_head()}, {"ffn", m.ffn}, {"vocab", m.vocab}, {"experts", m.experts},
                 {"experts_active", m.experts_active}, {"gated", m.gated}, {"tied", m.tied},
                 {"context", m.context}, {"source", p.source}});
  }
  return a.dump(2, ' ', false, json::error_handler_t::replace);
}

std::string gpus_json() {
  json a = json::array();
  for (const auto& p : gpu_presets()) {
    const GpuSpec& g = p.spec;
    a.push_back({{"id", p.id}, {"name", p.name}, {"memory_bytes", g.memory_bytes}, {"bandwidth", g.bandwidth_bytes_per_s},
                 {"interconnect", g.interconnect_bytes_per_s},
                 {"peak", {{"fp32", g.peak.fp32}, {"tf32", g.peak.tf32}, {"fp16", g.peak.fp16},
                           {"bf16", g.peak.bf16}, {"fp8", g.peak.fp8}, {"int8", g.peak.int8}}},
                 {"source", p.source}});
  }
  return a.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace llmcalc
