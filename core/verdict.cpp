// core/verdict.cpp — the memory verdict and the changes that make a scenario fit (see verdict.hpp).
#include "verdict.hpp"

#include <algorithm>
#include <cstdio>

#include "estimate.hpp"
#include "frameworks.hpp"
#include "parallel.hpp"
#include "units.hpp"

namespace llmcalc {

std::string_view verdict_key(Verdict v) {
  switch (v) {
    case Verdict::fits: return "fits";
    case Verdict::tight: return "tight";
    case Verdict::over: return "does not fit";
  }
  return "?";
}

double memory_share(const Estimate& e) { return e.room_bytes > 0 ? e.memory.total / e.room_bytes : 0; }

Verdict verdict_of(const Estimate& e) {
  if (!e.fits) return Verdict::over;
  return memory_share(e) > kTightShare ? Verdict::tight : Verdict::fits;
}

std::string replication_note(const Scenario& s, const Estimate& e) {
  if (s.mode != Mode::infer || e.dp <= 1 || e.tp * e.pp > 1) return {};
  const std::string n = std::to_string(e.gpus);
  return "each of the " + n + " GPUs holds the whole model (" + std::to_string(e.dp) +
         " data-parallel replicas); tensor parallel " + n + " would split it";
}

std::string verdict_text(const Scenario& s, const Estimate& e) {
  const double room = e.room_bytes, total = e.memory.total;
  // inference: against what the engine may use (vLLM: 90% of the memory), else the device memory
  const std::string of = format_bytes(room) + (e.mode == Mode::infer && room < e.capacity_bytes
                                                   ? " usable by " + std::string(engine_spec(s.engine).name)
                                                   : std::string());
  const Verdict v = verdict_of(e);
  char buf[320];
  if (v == Verdict::over)
    std::snprintf(buf, sizeof buf, "Does not fit: %s of %s per GPU (%.0f%%), %s over", format_bytes(total).c_str(), of.c_str(),
                  memory_share(e) * 100, format_bytes(total - room).c_str());
  else
    std::snprintf(buf, sizeof buf, "%s: %s of %s per GPU (%.0f%%), %s%s free", v == Verdict::tight ? "Tight" : "Fits",
                  format_bytes(total).c_str(), of.c_str(), memory_share(e) * 100, v == Verdict::tight ? "only " : "",
                  format_bytes(room - total).c_str());
  std::string t = buf;
  // training: the caching allocator's reserve was held to what the device has left (memory_train.cpp)
  if (e.d.reserve_held && v != Verdict::over)
    t += "; the allocator's cache takes the last " + format_bytes(e.memory.overhead - e.d.runtime_bytes) +
         " (PyTorch frees cached blocks when an allocation needs them)";
  if (const std::string note = replication_note(s, e); !note.empty()) t += " (" + note + ")";
  return t;
}

namespace {
// The share of the usable memory a scenario takes (> 1: does not fit), or -1 when it does not resolve.
double share_of(const Scenario& s) {
  Result<Resolved> r = resolve(s);
  if (!r) return -1;
  const Estimate e = compute(s, r.value(), Figures::charts);
  return e.room_bytes > 0 ? memory_share(e) : -1;
}

// The largest value in [lo, hi] for which `set` gets the scenario under `target` (memory grows
// with the value), or 0 when even `lo` does not.
template <class Set>
int largest_under(const Scenario& s, int lo, int hi, double target, Set set) {
  auto under = [&](int v) {
    Scenario t = s;
    set(t, v);
    const double sh = share_of(t);
    return sh >= 0 && within(sh, target);
  };
  if (hi < lo || !under(lo)) return 0;
  while (lo < hi) {
    const int mid = lo + (hi - lo + 1) / 2;
    if (under(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
}  // namespace

std::vector<Fix> fixes(const Scenario& s, double target, size_t max) {
  std::vector<Fix> out;
  // Adds the candidate when it gets under the target; true when it did.
  auto add = [&](std::string change, const Scenario& t) {
    if (out.size() >= max || t == s) return false;
    const double sh = share_of(t);
    if (sh < 0 || sh > target) return false;
    out.push_back({std::move(change), t, sh});
    return true;
  };
  if (const double now = share_of(s); now < 0 || now <= target) return out;
  if (s.mode == Mode::infer) {
    const KvFormat kv = s.kv_format();
    if (kv == KvFormat::bf16 || kv == KvFormat::fp16 || kv == KvFormat::fp32) {
      Scenario t = s;
      t.kv = KvFormat::fp8;
      add("fp8 KV cache", t);
    }
    if (is_float(s.weights()) && s.weights() != WeightFormat::fp8 && s.weights() != WeightFormat::fp8_block) {
      Scenario t = s;
      t.dtype = WeightFormat::fp8;
      add("fp8 weights", t);
    }
    if (const int b = largest_under(s, 1, s.batch - 1, target, [](Scenario& t, int v) { t.batch = v; }); b > 0) {
      Scenario t = s;
      t.batch = b;
      add("at most " + format_grouped(b) + (b == 1 ? " user" : " users"), t);
    }
    if (const int p = largest_under(s, 1, s.prompt - 1, target, [](Scenario& t, int v) { t.prompt = v; }); p > 0) {
      Scenario t = s;
      t.prompt = p;
      add("prompts of at most " + format_grouped(p) + " tokens", t);
    }
  } else {
    if (recompute_of(s) != Recompute::full) {
      Scenario t = s;
      t.recompute = Recompute::full;
      add("full recomputation", t);
    }
    if (s.dp() * s.cp > 1 && s.zero < 3) {
      Scenario t = s;
      t.zero = 3;
      add("ZeRO-3 (weights, gradients and optimizer states sharded)", t);
    }
    if (s.batch > 1) {
      Scenario t = s;
      t.accum = std::min(kMaxAccum, s.accum * s.batch);
      t.batch = 1;
      add("micro-batch 1 with " + std::to_string(t.accum) + " accumulation steps", t);
    }
    if (s.optimizer == Optimizer::adamw) {
      Scenario t = s;
      t.optimizer = Optimizer::adamw8bit;
      add("8-bit AdamW", t);
    }
  }
  // More tensor parallelism, within a node (8 GPUs): the GPU count grows with it; beyond, stages.
  bool split = false;
  for (int tp = s.tp * 2; tp <= 8 && !split; tp *= 2) {
    Scenario t = s;
    edit_tp(t, tp);
    split = add("tensor parallel " + std::to_string(tp) + " (" + format_grouped(t.gpus) + " GPUs)", t);
  }
  for (int pp = s.pp * 2; pp <= 16 && !split; pp *= 2) {
    Scenario t = s;
    edit_tp(t, std::max(s.tp, 8));
    edit_pp(t, pp);
    split = add("tensor parallel " + std::to_string(t.tp) + " × pipeline " + std::to_string(pp) + " (" +
                    format_grouped(t.gpus) + " GPUs)",
                t);
  }
  // Training: more data-parallel GPUs to shard weights, gradients and optimizer states over.
  if (s.mode == Mode::train)
    for (int k = 2; k <= 64; k *= 2) {
      Scenario t = s;
      t.zero = 3;
      edit_gpus(t, s.gpus * k);
      if (add(format_grouped(t.gpus) + " GPUs with ZeRO-3", t)) break;
    }
  // The smallest GPU with more memory that fits.
  if (const GpuPreset* mine = find_gpu_preset(s.gpu)) {
    std::vector<const GpuPreset*> bigger;
    for (const GpuPreset& g : gpu_presets())
      if (g.spec.memory_bytes > mine->spec.memory_bytes) bigger.push_back(&g);
    std::stable_sort(bigger.begin(), bigger.end(),
                     [](const GpuPreset* a, const GpuPreset* b) { return a->spec.memory_bytes < b->spec.memory_bytes; });
    for (const GpuPreset* g : bigger) {
      Scenario t = s;
      t.gpu = std::string(g->id);
      if (add(std::string(g->name), t)) break;
    }
  }
  return out;
}

std::vector<Fix> fixes_for(const Scenario& s, const Estimate& e) {
  switch (verdict_of(e)) {
    case Verdict::fits: return {};
    case Verdict::tight: return fixes(s, kTightShare);
    case Verdict::over: return fixes(s, 1.0);
  }
  return {};
}

}  // namespace llmcalc
