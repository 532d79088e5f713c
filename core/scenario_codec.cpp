// core/scenario_codec.cpp — the v1 scenario string codec (DESIGN.md §1; keys: docs/scenario.md).
//
// One table (kKeys) says, for every key, how to read it into a Scenario and how to write it
// back; the canonical order of the string is the table's order. Decoding is lenient (every bad
// value becomes an error naming its key and the rest is still read) so the page can keep what a
// malformed link got right; the CLI uses the strict wrapper.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "calibration.hpp"
#include "frameworks.hpp"
#include "gpu.hpp"
#include "model.hpp"
#include "parallel.hpp"
#include "scenario.hpp"
#include "text.hpp"
#include "units.hpp"

namespace llmcalc {

namespace {

// ---- value readers -------------------------------------------------------------------------

struct Ctx {
  DecodedScenario* out;
  std::string_view key;
  std::string_view value;
  bool bad(std::string why) {
    out->errors.push_back(make_error(ErrorCode::bad_value,
        std::string(key) + ": " + why + ", got '" + safe_text(value, 60) + "'"));
    return false;
  }
};

bool read_int(Ctx& c, int lo, int hi, int& dst) {
  long long v = 0;
  const char* b = c.value.data();
  const char* e = b + c.value.size();
  auto [p, ec] = std::from_chars(b, e, v);
  // also as people type counts: 8k, 128K, 1.5M (binary, as context lengths are named)
  if ((c.value.empty() || ec != std::errc() || p != e) && !parse_count(c.value, &v))
    return c.bad("must be a whole number (8192, 8k, 1.5M)");
  if (v < lo || v > hi)
    return c.bad("must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  dst = int(v);
  return true;
}

// A decimal number in [lo, hi] (figures of a custom GPU).
bool read_double(Ctx& c, double lo, double hi, double& dst) {
  const std::string t(c.value);
  char* end = nullptr;
  const double v = t.empty() || t.size() > 24 ? NAN : std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size() || !std::isfinite(v)) return c.bad("must be a number");
  if (v < lo || v > hi) return c.bad("must be between " + format_number(lo) + " and " + format_number(hi));
  dst = v;
  return true;
}

// Free text shown as is (a model's name): printable, at most 100 bytes.
bool read_name(Ctx& c, std::string& dst) {
  if (c.value.size() > kMaxNameBytes) return c.bad("must be at most " + std::to_string(kMaxNameBytes) + " bytes");
  if (!printable_utf8(c.value)) return c.bad("must be UTF-8 text without control characters");
  dst = std::string(c.value);
  return true;
}

template <class T>
bool read_format(Ctx& c, std::optional<T> (*find)(std::string_view), std::string_view (*key)(T), int count,
                 std::optional<T>& dst) {
  if (auto f = find(c.value)) {
    dst = *f;
    return true;
  }
  std::string allowed;
  for (int i = 0; i < count; ++i) allowed += (i ? " | " : "") + std::string(key(T(i)));
  return c.bad("must be one of " + allowed);
}

bool read_bool(Ctx& c, bool& dst) {
  if (c.value == "1" || c.value == "true") { dst = true; return true; }
  if (c.value == "0" || c.value == "false") { dst = false; return true; }
  return c.bad("must be 0 or 1");
}

template <class E, size_t N>
bool read_enum(Ctx& c, const E (&all)[N], std::string_view (*name)(E), E& dst) {
  std::string allowed;
  for (E e : all) {
    if (name(e) == c.value) { dst = e; return true; }
    if (!allowed.empty()) allowed += " | ";
    allowed += name(e);
  }
  return c.bad("must be one of " + allowed);
}

// A preset id as people type it (any case, a Hub id, a short GPU name): the canonical id when a
// preset matches, else the text as typed (resolve then says "unknown … did you mean").
bool read_id(Ctx& c, std::string& dst, bool model) {
  if (c.value.empty() || c.value.size() > 96 || !printable_utf8(c.value)) return c.bad("must be a preset id");
  if (model) {
    const ModelPreset* p = lookup_model_preset(c.value);
    dst = p ? std::string(p->id) : std::string(c.value);
  } else {
    const GpuPreset* p = lookup_gpu_preset(c.value);
    dst = p ? std::string(p->id) : std::string(c.value);
  }
  return true;
}

constexpr Mode kModes[] = {Mode::infer, Mode::train};
constexpr Precision kPrecisions[] = {Precision::mixed, Precision::fp32, Precision::bf16, Precision::fp8};
constexpr Optimizer kOptimizers[] = {Optimizer::adamw, Optimizer::adamw8bit, Optimizer::sgd,
                                     Optimizer::sgdm, Optimizer::adafactor};
constexpr Method kMethods[] = {Method::full, Method::lora, Method::qlora};
constexpr Recompute kRecomputes[] = {Recompute::automatic, Recompute::none, Recompute::selective, Recompute::full};
constexpr Framework kFrameworks[] = {Framework::megatron, Framework::fsdp, Framework::deepspeed, Framework::hf,
                                     Framework::torchtune, Framework::none};
constexpr TimingModel kTimings[] = {TimingModel::additive, TimingModel::roofline, TimingModel::fitted};
constexpr Engine kEngines[] = {Engine::vllm, Engine::vllm0, Engine::sglang, Engine::trtllm, Engine::llamacpp, Engine::hf, Engine::gptfast, Engine::none};

// Raw values of the parallel keys as given, resolved after all keys are read.
struct Parallel {
  int gpus = 0, dp = 0;  // 0 = not given
};

// ---- the key table --------------------------------------------------------------------------

struct KeyDef {
  std::string_view name;
  bool (*read)(Ctx&, Scenario&, Parallel&);
  // Appends the value when it differs from the default; returns false when omitted.
  bool (*write)(const Scenario&, std::string&);
};

#define INT_KEY(field, lo, hi, def)                                                              \
  [](Ctx& c, Scenario& s, Parallel&) { return read_int(c, lo, hi, s.field); },                   \
  [](const Scenario& s, std::string& o) { if (s.field == (def)) return false; o += std::to_string(s.field); return true; }
#define ARCH_KEY(field, lo, hi)                                                                  \
  [](Ctx& c, Scenario& s, Parallel&) { return read_int(c, lo, hi, s.arch.field); },              \
  [](const Scenario& s, std::string& o) { if (s.arch.field == 0) return false; o += std::to_string(s.arch.field); return true; }
#define ARCH_FLAG(field)                                                                         \
  [](Ctx& c, Scenario& s, Parallel&) { bool b; if (!read_bool(c, b)) return false; s.arch.field = b; return true; }, \
  [](const Scenario& s, std::string& o) { if (s.arch.field < 0) return false; o += s.arch.field ? "1" : "0"; return true; }
#define GPU_KEY(field, hi)                                                                       \
  [](Ctx& c, Scenario& s, Parallel&) { return read_double(c, 0.001, hi, s.gpu_spec.field); },       \
  [](const Scenario& s, std::string& o) { if (s.gpu_spec.field == 0) return false; o += format_decimal(s.gpu_spec.field); return true; }
#define ENUM_KEY(field, all, namefn, def)                                                        \
  [](Ctx& c, Scenario& s, Parallel&) { return read_enum(c, all, namefn, s.field); },             \
  [](const Scenario& s, std::string& o) { if (s.field == (def)) return false; o += namefn(s.field); return true; }

const KeyDef kKeys[] = {
  {"v", [](Ctx& c, Scenario&, Parallel&) {
     if (c.value == "1") return true;
     c.out->errors.push_back(make_error(ErrorCode::unsupported_version,
         "v: this page reads scenario format version 1, the link has version '" + safe_text(c.value, 20) + "'"));
     return false; },
   [](const Scenario&, std::string& o) { o += "1"; return true; }},
  {"mode", ENUM_KEY(mode, kModes, mode_name, Mode::infer)},
  {"model", [](Ctx& c, Scenario& s, Parallel&) { return read_id(c, s.model, true); },
   [](const Scenario& s, std::string& o) { if (s.model == Scenario{}.model) return false; percent_encode(s.model, o); return true; }},
  {"name", [](Ctx& c, Scenario& s, Parallel&) { return read_name(c, s.name); },
   [](const Scenario& s, std::string& o) { if (s.name.empty()) return false; percent_encode(s.name, o); return true; }},
  {"layers", ARCH_KEY(layers, 1, kMaxLayers)},
  {"hidden", ARCH_KEY(hidden, 1, kMaxHidden)},
  {"heads", ARCH_KEY(heads, 1, kMaxHeads)},
  {"kv_heads", ARCH_KEY(kv_heads, 1, kMaxHeads)},
  {"head_dim", ARCH_KEY(head_dim, 1, kMaxHeads)},
  {"ffn", ARCH_KEY(ffn, 1, kMaxFfn)},
  {"vocab", ARCH_KEY(vocab, 1, kMaxVocab)},
  {"experts", ARCH_KEY(experts, 1, kMaxExperts)},
  {"experts_active", ARCH_KEY(experts_active, 1, kMaxExperts)},
  {"gated", ARCH_FLAG(gated)},
  {"tied", ARCH_FLAG(tied)},
  {"kv_lora", ARCH_KEY(kv_lora, 1, kMaxHidden)},
  {"q_lora", ARCH_KEY(q_lora, 1, kMaxHidden)},
  {"rope_dim", ARCH_KEY(rope_dim, 1, kMaxHeads)},
  {"v_dim", ARCH_KEY(v_dim, 1, kMaxHeads)},
  {"window", ARCH_KEY(window, 1, kMaxTokens)},
  {"local", ARCH_KEY(local, 1, kMaxLayers)},
  {"period", ARCH_KEY(period, 1, kMaxLayers)},
  {"expert_ffn", ARCH_KEY(expert_ffn, 1, kMaxFfn)},
  {"shared_experts", ARCH_KEY(shared_experts, 1, kMaxExperts)},
  {"shared_ffn", ARCH_KEY(shared_ffn, 1, kMaxFfn)},
  {"dense_layers", ARCH_KEY(dense_layers, 1, kMaxLayers)},
  {"moe_every", ARCH_KEY(moe_every, 1, kMaxLayers)},
  {"mtp_layers", ARCH_KEY(mtp_layers, 1, kMaxLayers)},
  {"gpu", [](Ctx& c, Scenario& s, Parallel&) { return read_id(c, s.gpu, false); },
   [](const Scenario& s, std::string& o) { if (s.gpu == Scenario{}.gpu) return false; percent_encode(s.gpu, o); return true; }},
  {"gpu_mem", GPU_KEY(mem_gb, 1e6)},
  {"gpu_bw", GPU_KEY(bw_gbs, 1e7)},
  {"gpu_fp32", GPU_KEY(fp32_tflops, 1e6)},
  {"gpu_bf16", GPU_KEY(bf16_tflops, 1e6)},
  {"gpu_fp8", GPU_KEY(fp8_tflops, 1e6)},
  {"gpu_int8", GPU_KEY(int8_tflops, 1e6)},
  {"gpu_fp4", GPU_KEY(fp4_tflops, 1e6)},
  {"gpu_link", GPU_KEY(link_gbs, 1e6)},
  {"price", [](Ctx& c, Scenario& s, Parallel&) { return read_double(c, 0.001, 1000, s.price); },
   [](const Scenario& s, std::string& o) { if (s.price == 0) return false; o += format_decimal(s.price); return true; }},
  {"gpus", [](Ctx& c, Scenario&, Parallel& p) { return read_int(c, 1, kMaxGpus, p.gpus); },
   [](const Scenario& s, std::string& o) { if (s.gpus == 1) return false; o += std::to_string(s.gpus); return true; }},
  {"tp", INT_KEY(tp, 1, kMaxParallelDegree, 1)},
  {"pp", INT_KEY(pp, 1, kMaxParallelDegree, 1)},
  {"cp", INT_KEY(cp, 1, kMaxParallelDegree, 1)},
  {"vp", INT_KEY(vp, 1, kMaxParallelDegree, 1)},
  {"dp", [](Ctx& c, Scenario&, Parallel& p) { return read_int(c, 1, kMaxGpus, p.dp); },
   [](const Scenario&, std::string&) { return false; }},  // derived: gpus / (tp·pp)
  {"sp", [](Ctx& c, Scenario& s, Parallel&) { return read_bool(c, s.seq_parallel); },
   [](const Scenario& s, std::string& o) { if (!s.seq_parallel) return false; o += "1"; return true; }},
  {"batch", INT_KEY(batch, 1, kMaxBatch, 1)},
  {"prompt", INT_KEY(prompt, 1, kMaxTokens, 1024)},
  {"gen", INT_KEY(gen, 1, kMaxTokens, 256)},
  {"seq", INT_KEY(seq, 1, kMaxTokens, 2048)},
  {"accum", INT_KEY(accum, 1, kMaxAccum, 1)},
  {"dtype", [](Ctx& c, Scenario& s, Parallel&) { return read_format(c, find_weight_format, weight_format_key, kWeightFormatCount, s.dtype); },
   [](const Scenario& s, std::string& o) { if (!s.dtype || *s.dtype == native_weights(s.model)) return false; o += weight_format_key(*s.dtype); return true; }},
  {"group", [](Ctx& c, Scenario& s, Parallel&) {
     if (!read_int(c, 16, 4096, s.group)) return false;
     if (s.group % 16 == 0) return true;
     s.group = 128;
     return c.bad("must be a multiple of 16 (32, 64, 128)"); },
   [](const Scenario& s, std::string& o) { if (s.group == 128) return false; o += std::to_string(s.group); return true; }},
  {"kv", [](Ctx& c, Scenario& s, Parallel&) { return read_format(c, find_kv_format, kv_format_key, kKvFormatCount, s.kv); },
   [](const Scenario& s, std::string& o) { if (!s.kv || *s.kv == s.default_kv()) return false; o += kv_format_key(*s.kv); return true; }},
  {"ep", INT_KEY(ep, 1, kMaxGpus, 1)},
  {"mtp", [](Ctx& c, Scenario& s, Parallel&) { return read_bool(c, s.mtp); },
   [](const Scenario& s, std::string& o) { if (!s.mtp) return false; o += "1"; return true; }},
  {"precision", ENUM_KEY(precision, kPrecisions, precision_name, Precision::mixed)},
  {"optimizer", ENUM_KEY(optimizer, kOptimizers, optimizer_name, Optimizer::adamw)},
  {"method", ENUM_KEY(method, kMethods, method_name, Method::full)},
  {"rank", INT_KEY(rank, 1, kMaxRank, 16)},
  {"recompute", ENUM_KEY(recompute, kRecomputes, recompute_name, Recompute::automatic)},
  {"framework", ENUM_KEY(framework, kFrameworks, framework_key, Framework::none)},
  {"offload", [](Ctx& c, Scenario& s, Parallel&) { return read_bool(c, s.offload); },
   [](const Scenario& s, std::string& o) { if (!s.offload) return false; o += "1"; return true; }},
  {"compile", [](Ctx& c, Scenario& s, Parallel&) { return read_bool(c, s.compile); },
   [](const Scenario& s, std::string& o) { if (!s.compile) return false; o += "1"; return true; }},
  {"ce_chunks", INT_KEY(ce_chunks, 1, 4096, 0)},
  {"train_tokens", [](Ctx& c, Scenario& s, Parallel&) { return read_double(c, 1.0, 1e16, s.train_tokens); },
   [](const Scenario& s, std::string& o) { if (s.train_tokens == 0) return false; o += format_decimal(s.train_tokens); return true; }},
  {"flash", [](Ctx& c, Scenario& s, Parallel&) { return read_bool(c, s.flash); },
   [](const Scenario& s, std::string& o) { if (s.flash) return false; o += "0"; return true; }},
  {"kv_per_head", [](Ctx& c, Scenario& s, Parallel&) { return read_bool(c, s.kv_per_head); },
   [](const Scenario& s, std::string& o) { if (!s.kv_per_head) return false; o += "1"; return true; }},
  {"zero", INT_KEY(zero, 0, 3, 0)},
  {"shard", INT_KEY(shard, 1, kMaxGpus, 0)},
  {"engine", ENUM_KEY(engine, kEngines, engine_key, Engine::vllm)},
  {"util", [](Ctx& c, Scenario& s, Parallel&) { return read_double(c, 0.05, 1.0, s.util); },
   [](const Scenario& s, std::string& o) { if (s.util == 0) return false; o += format_decimal(s.util); return true; }},
  {"chunk", INT_KEY(chunk, 16, kMaxTokens, 0)},
  {"max_len", INT_KEY(max_len, 1, kMaxTokens, 0)},
  {"timing", [](Ctx& c, Scenario& s, Parallel&) {
     if (c.value == kTimingAliasCalibrated) { s.timing = TimingModel::fitted; return true; }  // links before engines
     return read_enum(c, kTimings, timing_name, s.timing); },
   [](const Scenario& s, std::string& o) { if (s.timing == TimingModel::fitted) return false; o += timing_name(s.timing); return true; }},
  {"prof", [](Ctx& c, Scenario& s, Parallel&) {
     Result<Calibration> cal = decode_calibration(c.value);
     if (!cal) { c.out->errors.push_back(cal.error()); return false; }
     s.prof = encode_calibration(cal.value());  // canonical: only URL-safe characters, stable
     return true; },
   [](const Scenario& s, std::string& o) { if (s.prof.empty()) return false; o += s.prof; return true; }},
};
#undef INT_KEY
#undef ARCH_KEY
#undef ARCH_FLAG
#undef ENUM_KEY
#undef GPU_KEY

constexpr int kKeyCount = int(sizeof kKeys / sizeof kKeys[0]);

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string o;
  o.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      o += char(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else {
      o += s[i];
    }
  }
  return o;
}

// The scenario part of a URL: after '#'; or after '?' when there is no '#'; else the whole text.
// `none` is set for a web address that has neither (nothing of it is a scenario).
std::string_view scenario_part(std::string_view t, bool* none) {
  *none = false;
  while (!t.empty() && (t.front() == ' ' || t.front() == '\n' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\t' || t.back() == '\r')) t.remove_suffix(1);
  if (auto h = t.find('#'); h != std::string_view::npos) return t.substr(h + 1);
  if (t.find("://") != std::string_view::npos) {
    auto q = t.find('?');
    *none = q == std::string_view::npos;
    return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
  }
  return t;
}

// The parallel layout (gpus = tp·pp·cp·dp). Returns false, with an error, when the link's values
// cannot be a layout: the caller then keeps the layout it had.
bool check_layout(DecodedScenario& d, const Parallel& p) {
  Scenario& s = d.scenario;
  const long long tpp = 1LL * s.tp * s.pp * s.cp;
  const std::string group = s.cp > 1 ? "tp\xC2\xB7pp\xC2\xB7" "cp" : "tp\xC2\xB7pp";
  auto inconsistent = [&](std::string msg) {
    d.errors.push_back(make_error(ErrorCode::inconsistent, std::move(msg)));
    return false;
  };
  if (tpp > kMaxGpus)
    return inconsistent(group + " = " + std::to_string(tpp) + " GPUs is more than the " + std::to_string(kMaxGpus) +
                        " a scenario may have");
  if (p.dp > 0) {
    const long long world = tpp * p.dp;
    if (world > kMaxGpus)
      return inconsistent("dp: " + group + "\xC2\xB7" "dp = " + std::to_string(world) + " GPUs is more than the " +
                          std::to_string(kMaxGpus) + " a scenario may have");
    if (p.gpus > 0 && p.gpus != world)
      return inconsistent("dp: gpus=" + std::to_string(p.gpus) + " but " + group + "\xC2\xB7" "dp = " + std::to_string(world));
    s.gpus = int(world);
    return true;
  }
  if (p.gpus > 0) {
    if (p.gpus < tpp)
      return inconsistent("gpus: " + std::to_string(p.gpus) + " GPUs are fewer than " + group + " = " + std::to_string(tpp));
    if (std::string why = gpu_split_problem(p.gpus, s.tp, s.pp, s.cp); !why.empty()) return inconsistent(std::move(why));
    s.gpus = p.gpus;
    return true;
  }
  s.gpus = int(tpp);
  return true;
}

void check_cross_keys(DecodedScenario& d, const Scenario& base) {
  Scenario& s = d.scenario;
  auto inconsistent = [&](std::string msg, const char* key) {
    d.errors.push_back(make_error(ErrorCode::inconsistent, std::move(msg)));
    d.refused.push_back(key);
  };
  ArchOverrides& a = s.arch;
  if (a.experts_active > 0 && a.experts > 0 && a.experts_active > a.experts) {
    inconsistent("experts_active: " + std::to_string(a.experts_active) + " is more than experts=" + std::to_string(a.experts),
                 "experts_active");
    a.experts_active = base.arch.experts_active <= a.experts ? base.arch.experts_active : 0;
  }
  if (a.kv_heads > 0 && a.heads > 0 && a.heads % a.kv_heads != 0) {
    inconsistent("kv_heads: heads=" + std::to_string(a.heads) + " is not a multiple of kv_heads=" + std::to_string(a.kv_heads),
                 "kv_heads");
    a.kv_heads = base.arch.kv_heads > 0 && a.heads % base.arch.kv_heads == 0 ? base.arch.kv_heads : 0;
  }
  // A format given as its default reads as not given, so the canonical text (which omits
  // defaults) decodes to the same scenario.
  if (s.dtype && *s.dtype == native_weights(s.model)) s.dtype.reset();
  if (s.kv && *s.kv == s.default_kv()) s.kv.reset();
}

int key_index(std::string_view name) {
  for (int i = 0; i < kKeyCount; ++i)
    if (kKeys[i].name == name) return i;
  return -1;
}

// Puts `base`'s value of key i back into `s` (a refused value keeps what the user had). When the
// base has the key's default, `s` has it too: a refused value never changes the field.
void keep_base_value(int i, const Scenario& base, Scenario& s) {
  std::string text;
  if (!kKeys[i].write(base, text)) return;
  DecodedScenario scratch;
  Parallel par;
  Ctx c{&scratch, kKeys[i].name, text};
  kKeys[i].read(c, s, par);
}

}  // namespace

int scenario_key_count() { return kKeyCount; }
std::string_view scenario_key(int i) { return i >= 0 && i < kKeyCount ? kKeys[i].name : std::string_view{}; }

DecodedScenario decode_scenario_lenient(std::string_view text, const Scenario& base) {
  DecodedScenario d;
  Parallel par;
  bool no_fragment = false;
  std::string_view body = scenario_part(text, &no_fragment);
  if (no_fragment) d.warnings.push_back("the address has no '#\xE2\x80\xA6' part: it holds no scenario, defaults are shown");
  bool seen[kKeyCount] = {}, refused[kKeyCount] = {};
  while (!body.empty()) {
    size_t amp = body.find('&');
    std::string_view item = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    std::string key = percent_decode(item.substr(0, eq));
    std::string value = eq == std::string_view::npos ? std::string() : percent_decode(item.substr(eq + 1));
    if (key == "vs") {  // the scenario to compare with: link text of its own, read by the caller
      if (value.size() > kMaxCompareBytes) d.warnings.push_back("vs: longer than " + std::to_string(kMaxCompareBytes) + " bytes; ignored");
      else if (!printable_utf8(value)) d.warnings.push_back("vs: not readable text; ignored");
      else d.compare = value;
      continue;
    }
    const int idx = key_index(key);
    if (idx < 0) {
      d.warnings.push_back("unknown key '" + safe_text(key, 40) + "' ignored");
      continue;
    }
    if (eq == std::string_view::npos) {
      d.errors.push_back(make_error(ErrorCode::missing_value, key + ": has no value (expected " + key + "=…)"));
      refused[idx] = true;
      continue;
    }
    if (seen[idx]) d.warnings.push_back("key '" + key + "' given more than once; the last one counts");
    seen[idx] = true;
    Ctx c{&d, kKeys[idx].name, value};
    refused[idx] = !kKeys[idx].read(c, d.scenario, par);
  }
  // Refused values keep the base's (the user's scenario; defaults for a fresh page or the CLI).
  static const int layout_keys[] = {key_index("gpus"), key_index("dp"), key_index("tp"), key_index("pp"), key_index("cp")};
  bool layout_refused = false;
  for (int i : layout_keys) layout_refused = layout_refused || refused[i];
  for (int i = 0; i < kKeyCount; ++i) {
    if (!refused[i]) continue;
    d.refused.push_back(std::string(kKeys[i].name));
    if (std::find(std::begin(layout_keys), std::end(layout_keys), i) == std::end(layout_keys))
      keep_base_value(i, base, d.scenario);
  }
  if (layout_refused || !check_layout(d, par)) {
    Scenario& s = d.scenario;
    s.gpus = base.gpus;
    s.tp = base.tp;
    s.pp = base.pp;
    s.cp = base.cp;
    if (!layout_refused) d.refused.push_back("gpus");
  }
  check_cross_keys(d, base);
  return d;
}

Result<DecodedScenario> decode_scenario(std::string_view text) {
  DecodedScenario d = decode_scenario_lenient(text);
  if (!d.errors.empty()) return d.errors.front();
  return d;
}

std::string encode_scenario(const Scenario& s) {
  std::string out;
  out.reserve(96);
  for (const KeyDef& k : kKeys) {
    const size_t mark = out.size();
    if (!out.empty()) out += '&';
    out += k.name;
    out += '=';
    if (!k.write(s, out)) out.resize(mark);
  }
  return out;
}

}  // namespace llmcalc
