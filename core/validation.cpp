// core/validation.cpp — the validation suite (see validation.hpp).
#include "validation.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "estimate.hpp"

namespace llmcalc {

namespace {
using json = nlohmann::ordered_json;

// What a quantity is in the estimate, and how its unit converts to the base unit.
struct Quantity {
  std::string_view name;
  bool time;   // a time (or rate) quantity
  bool rate;   // a rate: its time is the inverse
  double (*pick)(const Estimate&);
};
const Quantity kQuantities[] = {
    {"ttft_s", true, false, [](const Estimate& e) { return e.serving.ttft_s; }},
    {"tpot_s", true, false, [](const Estimate& e) { return e.serving.tpot_s; }},
    {"output_tokens_per_s", true, true, [](const Estimate& e) { return e.serving.output_tokens_per_s; }},
    {"total_tokens_per_s", true, true, [](const Estimate& e) { return e.serving.total_tokens_per_s; }},
    {"batch_latency_s", true, false, [](const Estimate& e) { return e.e2e_s; }},
    {"prefill_tokens_per_s", true, true, [](const Estimate& e) { return e.prefill_tokens_per_s; }},
    {"decode_tokens_per_s", true, true, [](const Estimate& e) { return e.decode_tokens_per_s; }},
    {"kv_cache_tokens", false, false, [](const Estimate& e) { return std::floor(e.serving.kv_tokens); }},
    // vLLM prints the ratio ("Maximum concurrency for N tokens per request: 1.56x"), not whole requests
    {"max_concurrency", false, false, [](const Estimate& e) { return e.serving.kv_budget_bytes / e.serving.kv_per_sequence_bytes; }},
    {"weights_gib", false, false, [](const Estimate& e) { return e.memory.weights; }},
    // the engine's reserved activation peak (vLLM "PyTorch activation peak memory", llama.cpp compute buffer)
    {"activations_gib", false, false, [](const Estimate& e) { return e.memory.activations; }},
    // training (tests/validation/training-*.jsonl)
    {"step_s", true, false, [](const Estimate& e) { return e.step_s; }},
    {"tokens_per_s", true, true, [](const Estimate& e) { return e.tokens_per_s; }},
    {"tokens_per_s_per_gpu", true, true, [](const Estimate& e) { return e.tokens_per_s / e.gpus; }},
    // model TFLOP/s per GPU: the method's FLOPs without recomputation (sources that count the
    // recomputed forward say so in `includes`; their error shows it)
    {"tflops_per_gpu", true, true, [](const Estimate& e) { return e.mfu * e.d.peak_flop_per_s / 1e12; }},
    {"mfu", true, true, [](const Estimate& e) { return e.mfu; }},
    // torch.cuda.max_memory_allocated: all but the overhead (context, workspaces, allocator
    // reserve); max_memory_reserved: all but the context and workspaces; nvidia-smi: all of it
    {"peak_allocated_gib", false, false, [](const Estimate& e) { return e.memory.total - e.memory.overhead; }},
    {"peak_reserved_gib", false, false, [](const Estimate& e) { return e.memory.total - e.d.runtime_bytes; }},
    {"nvidia_smi_gib", false, false, [](const Estimate& e) { return e.memory.total; }},
};

const Quantity* find_quantity(std::string_view q) {
  for (const Quantity& x : kQuantities)
    if (x.name == q) return &x;
  return nullptr;
}

// The factor from `unit` to the base unit of a quantity; 0 when they do not go together.
double unit_factor(const Quantity& q, std::string_view unit) {
  if (q.time && !q.rate) return unit == "s" ? 1.0 : unit == "ms" ? 1e-3 : 0.0;
  if (q.name == "tflops_per_gpu") return unit == "TFLOP/s" ? 1.0 : 0.0;
  if (q.name == "mfu") return unit == "fraction" ? 1.0 : 0.0;
  if (q.rate) return unit == "tokens/s" ? 1.0 : 0.0;
  if (q.name.find("gib") != std::string_view::npos) return unit == "GiB" ? 1024.0 * 1024.0 * 1024.0 : unit == "GB" ? 1e9 : 0.0;
  if (q.name == "kv_cache_tokens") return unit == "tokens" ? 1.0 : 0.0;
  return unit == "requests" ? 1.0 : 0.0;
}

double quantile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = p * double(v.size() - 1);
  const size_t i = size_t(pos);
  const double f = pos - double(i);
  return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}
}  // namespace

Result<std::vector<Record>> parse_records(std::string_view text, std::string_view file) {
  std::vector<Record> out;
  size_t line_no = 0, pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const std::string where = std::string(file) + ":" + std::to_string(line_no);
    const json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return make_error(ErrorCode::bad_value, where + ": not a JSON object");
    Record r;
    auto text_field = [&](const char* key, std::string& dst, bool required) -> bool {
      const auto it = j.find(key);
      if (it == j.end() || !it->is_string()) return !required;
      dst = it->get<std::string>();
      return true;
    };
    for (auto [key, dst] : {std::pair{"id", &r.id}, {"source", &r.source}, {"url", &r.url}, {"where", &r.where},
                            {"scenario", &r.scenario}, {"quantity", &r.quantity}, {"unit", &r.unit},
                            {"includes", &r.includes}})
      if (!text_field(key, *dst, true) || dst->empty())
        return make_error(ErrorCode::missing_value, where + ": '" + key + "' must be a non-empty string");
    text_field("conditions", r.conditions, false);
    const auto m = j.find("measured");
    if (m == j.end() || !m->is_number() || !(m->get<double>() > 0) || !std::isfinite(m->get<double>()))
      return make_error(ErrorCode::bad_value, where + ": 'measured' must be a positive number");
    r.measured = m->get<double>();
    const Quantity* q = find_quantity(r.quantity);
    if (!q) return make_error(ErrorCode::bad_value, where + ": unknown quantity '" + r.quantity + "'");
    if (unit_factor(*q, r.unit) == 0)
      return make_error(ErrorCode::bad_value, where + ": unit '" + r.unit + "' does not fit quantity " + r.quantity);
    out.push_back(std::move(r));
  }
  return out;
}

Outcome evaluate(const Record& rec, const FitParams& fit) {
  Outcome o;
  const Quantity* q = find_quantity(rec.quantity);
  if (!q) {
    o.problem = "unknown quantity";
    return o;
  }
  o.time = q->time;
  o.measured = rec.measured * unit_factor(*q, rec.unit);
  Result<DecodedScenario> d = decode_scenario(rec.scenario);
  if (!d) {
    o.problem = d.error().message;
    return o;
  }
  Scenario s = d->scenario;
  auto run = [&](const Scenario& sc, Estimate* e) -> bool {
    Result<Resolved> r = resolve(sc);
    if (!r) {
      o.problem = r.error().message;
      return false;
    }
    r.value().fit = fit;
    *e = compute(sc, r.value());
    return true;
  };
  Estimate e;
  if (!run(s, &e)) return o;
  // a server at saturation runs only the requests its KV cache holds; the rest queue
  if (q->name == "output_tokens_per_s" || q->name == "total_tokens_per_s") {
    const double cap = e.serving.max_concurrency;
    if (cap >= 1 && s.batch > cap) {
      s.batch = int(cap);
      o.note = "batch capped at the engine's max concurrency " + std::to_string(s.batch);
      if (!run(s, &e)) return o;
    }
  }
  o.predicted = q->pick(e);
  if (!(o.predicted > 0) || !std::isfinite(o.predicted)) {
    o.problem = "no prediction (" + std::to_string(o.predicted) + ")";
    return o;
  }
  o.error = q->rate ? o.measured / o.predicted - 1.0 : o.predicted / o.measured - 1.0;
  return o;
}

std::vector<Aggregate> aggregate(const std::vector<Record>& records, const std::vector<Outcome>& outcomes) {
  std::vector<Aggregate> out;
  auto add = [&](const std::string& group, auto&& member) {
    std::vector<double> abs, sgn;
    for (size_t i = 0; i < records.size() && i < outcomes.size(); ++i)
      if (outcomes[i].problem.empty() && member(records[i], outcomes[i])) {
        abs.push_back(std::fabs(outcomes[i].error));
        sgn.push_back(outcomes[i].error);
      }
    if (abs.empty()) return;
    out.push_back({group, int(abs.size()), quantile(abs, 0.5), quantile(abs, 0.9), quantile(sgn, 0.5)});
  };
  add("time", [](const Record&, const Outcome& o) { return o.time; });
  add("memory", [](const Record&, const Outcome& o) { return !o.time; });
  auto train = [](const Record& r) { return r.scenario.find("mode=train") != std::string::npos; };
  add("infer time", [&](const Record& r, const Outcome& o) { return !train(r) && o.time; });
  add("infer memory", [&](const Record& r, const Outcome& o) { return !train(r) && !o.time; });
  add("train time", [&](const Record& r, const Outcome& o) { return train(r) && o.time; });
  add("train memory", [&](const Record& r, const Outcome& o) { return train(r) && !o.time; });
  for (const Quantity& q : kQuantities) add(std::string(q.name), [&](const Record& r, const Outcome&) { return r.quantity == q.name; });
  return out;
}

std::string validation_json(const std::vector<Record>& records, const std::vector<Outcome>& outcomes, int indent) {
  json j;
  json agg = json::array();
  for (const Aggregate& a : aggregate(records, outcomes))
    agg.push_back({{"group", a.group}, {"n", a.n}, {"median_abs", a.median_abs}, {"p90_abs", a.p90_abs},
                   {"signed_median", a.signed_median}});
  j["aggregates"] = agg;
  json rs = json::array();
  for (size_t i = 0; i < records.size() && i < outcomes.size(); ++i) {
    const Record& r = records[i];
    const Outcome& o = outcomes[i];
    json x = {{"id", r.id},           {"source", r.source},     {"url", r.url},          {"where", r.where},
              {"scenario", r.scenario}, {"quantity", r.quantity}, {"measured", o.measured}, {"predicted", o.predicted},
              {"error", o.error},     {"includes", r.includes}};
    if (!o.note.empty()) x["note"] = o.note;
    if (!o.problem.empty()) x["problem"] = o.problem;
    rs.push_back(std::move(x));
  }
  j["records"] = rs;
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace llmcalc
