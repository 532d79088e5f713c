// core/estimate.cpp — orchestration: resolve, lay out, run the formulas of the scenario's mode,
// total the memory, collect warnings. No formula lives here (see estimate.hpp for where they do).
#include "estimate.hpp"

#include <string>

#include "comm.hpp"
#include "cost.hpp"
#include "units.hpp"
#include "memory_infer.hpp"
#include "memory_train.hpp"
#include "setup.hpp"
#include "time_infer.hpp"
#include "time_train.hpp"

namespace llmcalc {

namespace {

std::string str(std::string_view v) { return std::string(v); }
std::string num(long long v) { return std::to_string(v); }

// A category a mode does not have: 0, and a line saying why.
template <class N>
N not_kept(const char* id, const char* label, const char* why) {
  return fig(in<N>(0.0, why, Unit::bytes), id, label, Unit::bytes, "definition");
}

template <class N>
void set_cost(const Setup<N>& x, const CostOf<N>& c, Estimate& e) {
  Cost& o = e.cost;
  o.priced = c.priced;
  if (!c.priced) {
    o.source = "no default price for " + str(x.r.gpu_name) + ": give price= (USD per GPU-hour)";
    return;
  }
  const GpuPrice* p = x.s.price > 0 ? nullptr : default_price(x.r.gpu_id);
  o.source = p ? str(p->source) + ", " + str(p->date) : "yours (price=)";
  o.usd_per_gpu_hour = value_of(c.usd_per_gpu_hour);
  o.usd_per_hour = value_of(c.usd_per_hour);
  o.usd_per_million_output_tokens = value_of(c.usd_per_million_output);
  o.usd_per_million_total_tokens = value_of(c.usd_per_million_total);
  o.usd_per_million_tokens = value_of(c.usd_per_million_tokens);
  o.usd_to_train = value_of(c.usd_to_train);
}

template <class N>
void run_infer(const Setup<N>& x, Estimate& e) {
  const InferMemory<N> mem = infer_memory(x);
  const InferTime<N> t = infer_time(x, mem);
  const N gradients = not_kept<N>("memory.gradients", "gradients", "inference keeps no gradients");
  const N optimizer = not_kept<N>("memory.optimizer", "optimizer states", "inference keeps no optimizer states");
  const N total = fig(mem.weights + mem.activations + mem.kv_cache + mem.overhead, "memory.total", "total",
                      Unit::bytes, "sum");
  e.memory = {value_of(mem.weights), value_of(gradients), value_of(optimizer), value_of(mem.activations),
              value_of(mem.kv_cache), value_of(mem.overhead), value_of(total)};
  e.prefill = values(t.prefill);
  e.decode = values(t.decode);
  e.ttft_s = value_of(t.ttft_s);
  e.tpot_s = value_of(t.tpot_s);
  e.e2e_s = value_of(t.e2e_s);
  e.tokens_per_s = value_of(t.tokens_per_s);
  e.decode_tokens_per_s = value_of(t.decode_tokens_per_s);
  e.prefill_tokens_per_s = value_of(t.prefill_tokens_per_s);
  Serving& sv = e.serving;
  sv.usable_bytes = value_of(mem.usable);
  sv.kv_budget_bytes = value_of(mem.kv_budget);
  sv.kv_tokens = value_of(mem.kv_capacity_tokens);
  sv.max_concurrency = value_of(mem.max_concurrency);
  sv.kv_per_sequence_bytes = value_of(mem.kv_per_sequence);
  sv.prefill_chunks = value_of(t.serving.chunks);
  sv.prefill_steps_s = value_of(t.serving.prefill_steps_s);
  sv.step_s = value_of(t.serving.step_s);
  sv.prefill = values(t.serving.prefill);
  sv.ttft_s = value_of(t.serving.ttft_s);
  sv.tpot_s = value_of(t.serving.tpot_s);
  sv.e2e_s = value_of(t.serving.e2e_s);
  sv.output_tokens_per_s = value_of(t.serving.output_tokens_per_s);
  sv.total_tokens_per_s = value_of(t.serving.total_tokens_per_s);
  if (x.offline) set_cost(x, infer_cost(x, t.serving.output_tokens_per_s, t.serving.total_tokens_per_s), e);
  e.d.kv_heads_per_gpu = mem.kv_heads_per_gpu;
  e.d.kv_bytes_per_token = value_of(mem.kv_bytes_per_token);
  e.d.act_logits_bytes = value_of(mem.logits);
  e.d.context_lo = t.context_lo;
  e.d.context_hi = t.context_hi;
  if (!x.offline) return;  // the charts show no warnings: sweeps build no text
  const ModelSpec& m = x.r.model;
  const long long context = 1LL * x.s.prompt + x.s.gen;
  if (m.context > 0 && context > m.context)
    e.warnings.push_back("prompt+gen = " + num(context) + " tokens is longer than " + str(x.r.model_name) +
                         "'s context of " + num(m.context) + " tokens");
  const Scenario& s = x.s;
  const std::string engine = str(x.r.engine.name);
  if (sv.max_concurrency < 1)
    e.warnings.push_back(engine + " has no room for the KV cache of one " + num(context) + "-token request: " +
                         "weights, activations and overhead fill its " + format_bytes(sv.usable_bytes) + " per GPU");
  else if (s.batch > sv.max_concurrency)
    e.warnings.push_back(num(s.batch) + " requests of " + num(context) + " tokens need more KV cache than " + engine +
                         " holds: at most " + num((long long)sv.max_concurrency) + " run at once, the rest wait in its queue");
  if (s.max_len > 0 && s.max_len < context)
    e.warnings.push_back("max_len = " + num(s.max_len) + " is shorter than prompt+gen = " + num(context) + ": " + engine +
                         " would reject these requests");
  if (s.max_len > 0 && x.r.engine.budget != KvBudget::exact && sv.kv_tokens < s.max_len)
    e.warnings.push_back(engine + " would refuse to start: its KV cache holds " + num((long long)sv.kv_tokens) +
                         " tokens, less than max_len = " + num(s.max_len));
}

template <class N>
void run_train(const Setup<N>& x, Estimate& e) {
  const TrainMemory<N> mem = train_memory(x);
  const TrainTime<N> t = train_time(x, mem);
  const N kv = not_kept<N>("memory.kv_cache", "KV cache", "training keeps no KV cache");
  const N total = fig(mem.weights + mem.gradients + mem.optimizer + mem.activations + mem.overhead, "memory.total",
                      "total", Unit::bytes, "sum");
  e.memory = {value_of(mem.weights), value_of(mem.gradients), value_of(mem.optimizer), value_of(mem.activations),
              value_of(kv), value_of(mem.overhead), value_of(total)};
  e.step = values(t.step);
  e.step_s = value_of(t.step_s);
  e.tokens_per_s = value_of(t.tokens_per_s);
  e.mfu = value_of(t.mfu);
  e.global_batch = value_of(t.global_batch);
  e.tokens_per_step = value_of(t.tokens_per_step);
  e.train_s = value_of(t.train_s);
  e.gpu_hours = value_of(t.gpu_hours);
  if (x.offline) set_cost(x, train_cost(x, t.tokens_per_s, t.gpu_hours), e);
  e.d.trainable_per_gpu = value_of(mem.trainable_gpu);
  e.d.adapter_params = mem.adapter_params;
  e.d.act_per_layer_bytes = mem.act_per_layer;
  e.d.act_logits_bytes = mem.act_logits;
  e.d.inflight = mem.inflight;
  e.d.bubble = t.bubble;
  e.d.dp_comm_s = t.dp_comm_s;
  e.d.runtime_bytes = mem.runtime;
  e.d.reserve_held = mem.reserve_held;
  if (!x.offline) return;  // (no warnings on the charts)
  const Scenario& s = x.s;
  const ModelSpec& m = x.r.model;
  if (m.context > 0 && s.seq > m.context)
    e.warnings.push_back("seq = " + num(s.seq) + " tokens is longer than " + str(x.r.model_name) + "'s context of " +
                         num(m.context) + " tokens");
  if (s.method == Method::qlora && s.zero >= 3 && x.dp > 1)
    e.warnings.push_back("QLoRA with ZeRO-3/FSDP needs a quantised-storage-aware FSDP (e.g. FSDP-QLoRA)");
}

// Keys that have no effect in this scenario: each one named, never silently ignored.
void ignored_key_warnings(const Scenario& s, const Resolved& r, Estimate& e) {
  const Scenario d;
  std::string unused;
  auto check = [&](bool differs, const char* key) {
    if (differs) unused += (unused.empty() ? "" : ", ") + std::string(key);
  };
  if (s.mode == Mode::train) {
    check(s.prompt != d.prompt, "prompt");
    check(s.gen != d.gen, "gen");
    check(s.dtype.has_value(), "dtype");
    check(s.kv.has_value(), "kv");
    check(s.group != d.group, "group");
    check(s.mtp != d.mtp, "mtp");
    check(s.engine != d.engine, "engine");
    check(s.util != d.util, "util");
    check(s.chunk != d.chunk, "chunk");
    check(s.max_len != d.max_len, "max_len");
    check(s.kv_per_head != d.kv_per_head, "kv_per_head");
    if (!unused.empty()) e.warnings.push_back(unused + (unused.find(',') == std::string::npos ? " applies" : " apply") +
                                             " to inference only (mode=infer): ignored");
  } else {
    check(s.seq != d.seq, "seq");
    check(s.accum != d.accum, "accum");
    check(s.cp != d.cp, "cp");
    check(s.vp != d.vp, "vp");
    check(s.seq_parallel != d.seq_parallel, "sp");
    check(s.precision != d.precision, "precision");
    check(s.optimizer != d.optimizer, "optimizer");
    check(s.method != d.method, "method");
    check(s.rank != d.rank, "rank");
    check(s.recompute != d.recompute, "recompute");
    check(s.framework != d.framework, "framework");
    check(s.offload != d.offload, "offload");
    check(s.compile != d.compile, "compile");
    check(s.ce_chunks != d.ce_chunks, "ce_chunks");
    check(s.train_tokens != d.train_tokens, "train_tokens");
    check(s.zero != d.zero, "zero");
    check(s.shard != d.shard, "shard");
    if (!unused.empty()) e.warnings.push_back(unused + (unused.find(',') == std::string::npos ? " applies" : " apply") +
                                             " to training only (mode=train): ignored");
  }
  const ModelSpec& m = r.model;
  const ModelPreset* preset = s.model == "custom" ? nullptr : find_model_preset(s.model);
  if (s.arch.experts_active > 0 && m.experts <= 1)
    e.warnings.push_back("experts_active = " + num(s.arch.experts_active) + " has no effect: " + str(r.model_name) +
                         " has no experts");
  if (s.arch.experts == 1 && preset && preset->spec.experts > 1)
    e.warnings.push_back("experts = 1 makes " + str(preset->name) + " a dense model (it has " + num(preset->spec.experts) +
                         " experts)");
  if (s.mode == Mode::train) {
    if (s.method == Method::full && s.rank != d.rank)
      e.warnings.push_back("rank = " + num(s.rank) + " has no effect with method=full (LoRA and QLoRA only)");
    if (s.method != Method::full && s.rank > m.hidden)
      e.warnings.push_back("rank = " + num(s.rank) + " is more than hidden = " + num(m.hidden) +
                           ": adapters of that rank are larger than the full-rank update they approximate");
    const int shards = e.dp * s.cp;
    if (s.zero > 0 && shards <= 1)
      e.warnings.push_back("zero = " + num(s.zero) + " has no effect with one data-parallel replica (nothing to shard over)");
  }
}

// Warnings about the layout and the profile, whatever the mode.
void layout_warnings(const Scenario& s, const Resolved& r, Estimate& e) {
  const ModelSpec& m = r.model;
  if (m.kv_heads < s.tp && s.mode == Mode::infer)
    e.warnings.push_back("kv_heads = " + num(m.kv_heads) + " < tp = " + num(s.tp) + ": each KV head is replicated on " +
                         num(s.tp / (m.kv_heads > 1 ? m.kv_heads : 1)) + " GPUs");
  if (m.heads % s.tp != 0)
    e.warnings.push_back("heads = " + num(m.heads) + " is not divisible by tp = " + num(s.tp));
  if (s.tp > kGpusPerNode)
    e.warnings.push_back("tp = " + num(s.tp) + " spans more than one " + num(kGpusPerNode) +
                         "-GPU node: tensor-parallel traffic would cross the network");
  if (s.pp > m.layers)
    e.warnings.push_back("pp = " + num(s.pp) + " is more than the model's " + num(m.layers) + " layers");
  if (r.calibration && s.timing != TimingModel::fitted)
    e.warnings.push_back("a GPU profile is loaded but timing=" + str(timing_name(s.timing)) +
                         ": its measured speeds are used only by timing=fitted");
  ignored_key_warnings(s, r, e);
  if (r.calibration && !gpu_matches(r.calibration->device, r.gpu_id))
    e.warnings.push_back("the GPU profile was measured on " + r.calibration->device + ", not on a " + str(r.gpu_name) +
                         ": times use its measurements, memory the " + str(r.gpu_id) + " preset");
  if (s.ep > 1 && m.experts <= 1)
    e.warnings.push_back("ep = " + num(s.ep) + " has no effect: " + str(r.model_name) + " has no experts");
  if (s.ep > 1 && s.ep > s.gpus)
    e.warnings.push_back("ep = " + num(s.ep) + " is more than the " + num(s.gpus) + " GPUs");
  if (s.ep > 1 && m.experts > 1 && s.ep > m.experts)
    e.warnings.push_back("ep = " + num(s.ep) + " is more than the model's " + num(m.experts) + " experts: taken as ep = " +
                         num(m.experts));
  else if (s.ep > 1 && m.experts > 1 && m.experts % s.ep != 0)
    e.warnings.push_back(num(m.experts) + " experts do not split evenly over ep = " + num(s.ep) + ": some GPUs hold more");
  if (s.mtp && r.params.mtp == 0)
    e.warnings.push_back("mtp=1 has no effect: " + str(r.model_name) + " has no multi-token-prediction modules");
  if (s.mode == Mode::train && s.seq_parallel && s.tp == 1)
    e.warnings.push_back("sp=1 has no effect without tensor parallelism (tp = 1)");
}

template <class N>
Estimate compute_as(const Scenario& s, const Resolved& r, Figures figures = Figures::all) {
  Estimate e;
  e.mode = s.mode;
  e.r = r;
  e.tp = s.tp;
  e.pp = s.pp;
  e.gpus = s.gpus;
  e.dp = s.dp() > 1 ? s.dp() : 1;
  const Rates rates = make_rates(s, r, e.warnings);
  Setup<N> x = make_setup<N>(s, r, rates);
  x.offline = figures == Figures::all;
  e.d.gemm_share = rates.fitted() ? fitted_gemm_share(rates) : 0;
  e.d.layers_per_gpu = x.layers_per_gpu;
  e.d.params_per_gpu = value_of(x.params_per_gpu);
  e.d.compute_dtype = rates.compute_dtype;
  e.d.peak_flop_per_s = rates.peak_flop_per_s;
  e.d.bandwidth_bytes_per_s = value_of(x.rt.bandwidth);
  if (s.mode == Mode::infer) run_infer(x, e);
  else run_train(x, e);
  e.capacity_bytes = value_of(fig(in<N>(r.gpu.memory_bytes, "device memory", Unit::bytes, device_memory_tag(r)), "memory.capacity",
                                  "capacity", Unit::bytes,
                                  r.capacity_measured ? "the GPU profile (measured)" : "the GPU preset's datasheet"));
  // inference: the requests' KV cache must fit the engine's budget too (util × memory for vLLM)
  e.room_bytes = s.mode == Mode::infer ? e.serving.usable_bytes : e.capacity_bytes;
  e.fits = within(e.memory.total, e.room_bytes);
  if (x.offline) layout_warnings(s, r, e);  // (the charts show no warnings: sweeps build no text)
  return e;
}

}  // namespace

Estimate compute(const Scenario& s, const Resolved& r, Figures figures) { return compute_as<double>(s, r, figures); }

Estimate compute_explained(const Scenario& s, const Resolved& r) {
  Trace trace;
  Estimate e;
  {
    TraceScope scope(trace);
    e = compute_as<Traced>(s, r);
  }
  e.explain = explanations(trace);
  return e;
}

Result<Estimate> estimate(const Scenario& s, Explain explain) {
  Result<Resolved> r = resolve(s);
  if (!r) return r.error();
  return explain == Explain::yes ? compute_explained(s, r.value()) : compute(s, r.value());
}

const Explanation* find_explanation(const Estimate& e, std::string_view id) {
  return find_explanation(e.explain, id);
}

}  // namespace llmcalc
