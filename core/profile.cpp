// core/profile.cpp — reading, writing and deriving rates from a GPU profile. Untrusted JSON is
// parsed here and only here (CONVENTIONS.md §6): parse without exceptions, check every type
// before reading, cap the size, range-check every number where it enters.
//
// [SECTION] the defensive reader's helpers
// [SECTION] parse_profile (1.0 fields, then the 1.1 sections)
// [SECTION] write_profile
// [SECTION] derived rates: calibration_from_profile and friends
// [SECTION] apply_profile
// [SECTION] profile_summary (`llmcalc profile check`)
#include "profile.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "text.hpp"
#include "units.hpp"

namespace llmcalc {

// ============================================================================================
// [SECTION] the defensive reader's helpers
// ============================================================================================
namespace {
using json = nlohmann::json;

Error field_error(const std::string& path, const char* want) {
  return make_error(ErrorCode::bad_value, "profile: " + path + " must be " + want);
}

// A numeric field of an entry: where it goes and what it may be.
struct Num {
  const char* key;
  double* out;
  double hi;
  double lo = 0;
  bool required = true;
  bool whole = false;
};

// Typed getters: false (with *err set) when the field is absent or of another type, or a number
// outside what the field can be (so nothing out of range reaches the arithmetic). Strings are
// made safe to show (valid UTF-8, no control characters, length-capped).
struct Reader {
  std::string err;
  bool str(const json& o, const char* key, const std::string& path, std::string& out, bool required = true) {
    auto it = o.find(key);
    if (it == o.end()) { if (required) err = "profile: " + path + key + " is missing"; return !required; }
    if (!it->is_string()) { err = "profile: " + path + key + " must be a string"; return false; }
    out = safe_text(it->get_ref<const std::string&>(), 200);
    return true;
  }
  // A string that must be one of `allowed` (when present).
  bool one_of(const json& o, const char* key, const std::string& path, std::string& out,
              std::initializer_list<const char*> allowed, bool required = true) {
    if (!str(o, key, path, out, required)) return false;
    if (!required && out.empty()) return true;
    for (const char* a : allowed)
      if (out == a) return true;
    err = "profile: " + path + key + " must be one of";
    for (const char* a : allowed) err += std::string(" ") + a;
    return false;
  }
  bool num(const json& o, const char* key, const std::string& path, double& out, bool required = true,
           double hi = 1e30, double lo = 0) {
    auto it = o.find(key);
    if (it == o.end()) { if (required) err = "profile: " + path + key + " is missing"; return !required; }
    if (!it->is_number()) { err = "profile: " + path + key + " must be a number"; return false; }
    const double v = it->get<double>();
    if (!(v >= lo && v <= hi)) {
      err = "profile: " + path + key + " must be between " + format_decimal(lo) + " and " + format_decimal(hi) +
            ", got " + format_decimal(v);
      return false;
    }
    out = v;
    return true;
  }
  bool nums(const json& o, const std::string& path, std::initializer_list<Num> fields) {
    for (const Num& f : fields) {
      if (!num(o, f.key, path, *f.out, f.required, f.hi, f.lo)) return false;
      if (f.whole && *f.out != std::floor(*f.out)) { err = "profile: " + path + f.key + " must be a whole number"; return false; }
    }
    return true;
  }
  bool integer(const json& o, const char* key, const std::string& path, int& out, bool required = true, int hi = 1'000'000'000) {
    double v = out;
    if (!num(o, key, path, v, required, hi)) return false;
    if (v != std::floor(v)) { err = "profile: " + path + key + " must be a whole number"; return false; }
    out = int(v);
    return true;
  }
  bool boolean(const json& o, const char* key, const std::string& path, bool& out) {
    auto it = o.find(key);
    if (it == o.end()) return true;
    if (!it->is_boolean()) { err = "profile: " + path + key + " must be true or false"; return false; }
    out = it->get<bool>();
    return true;
  }
  const json* obj(const json& o, const char* key, const std::string& path) {
    auto it = o.find(key);
    if (it == o.end() || !it->is_object()) { err = "profile: " + path + key + " must be an object"; return nullptr; }
    return &*it;
  }
  // An array of at most `max` entries.
  const json* arr(const json& o, const char* key, const std::string& path, size_t max, bool required = true) {
    static const json empty = json::array();
    auto it = o.find(key);
    if (it == o.end()) { if (required) err = "profile: " + path + key + " is missing"; return required ? nullptr : &empty; }
    if (!it->is_array()) { err = "profile: " + path + key + " must be an array"; return nullptr; }
    if (it->size() > max) {
      err = "profile: " + path + key + " has " + std::to_string(it->size()) + " entries; a GPU profile has at most " +
            std::to_string(max);
      return nullptr;
    }
    return &*it;
  }
  // An optional array of objects, each read by `one(entry, "key[i].", item)`; a rule broken sets err.
  template <class T, class F>
  bool list(const json& o, const char* key, const std::string& path, size_t max, std::vector<T>& out, F&& one) {
    const json* a = arr(o, key, path, max, false);
    if (!a) return false;
    for (size_t i = 0; i < a->size(); ++i) {
      const std::string at = path + key + "[" + std::to_string(i) + "]";
      if (!(*a)[i].is_object()) { err = "profile: " + at + " must be an object"; return false; }
      T t;
      if (!one((*a)[i], at + ".", t)) return false;
      out.push_back(std::move(t));
    }
    return true;
  }
  // A rule an entry's fields must keep together (rates within what a GPU can do…).
  bool rule(bool ok, const std::string& path, const char* what) {
    if (!ok) err = "profile: " + path + what;
    return ok;
  }
};

constexpr const char* kGemmTypes[] = {"fp32", "tf32", "fp16", "bf16", "fp8", "int8"};
constexpr double kMaxSeconds = 1e4;
constexpr double kMinKernelSeconds = 1e-7;  // no kernel runs faster than 100 ns
constexpr double kMaxSpread = 1e3;
constexpr double kMaxFlopCount = 1e22;

bool is_gemm_type(const std::string& t) {
  return std::find_if(std::begin(kGemmTypes), std::end(kGemmTypes), [&](const char* x) { return t == x; }) != std::end(kGemmTypes);
}
}  // namespace

std::optional<Error> profile_size_error(size_t bytes) {
  if (bytes <= kMaxProfileBytes) return std::nullopt;
  return make_error(ErrorCode::too_large, "profile: the file is " + format_bytes(double(bytes)) +
                                              "; a GPU profile is at most " + format_bytes(double(kMaxProfileBytes)));
}

// ============================================================================================
// [SECTION] parse_profile
// ============================================================================================
namespace {
// The schema-1.1 sections; false with r.err set on the first field out of place.
bool read_sections(const json& j, Reader& r, Profile& p) {
  if (const auto it = j.find("methods"); it != j.end()) {
    if (!it->is_object()) return r.rule(false, "", "methods must be an object");
    if (it->size() > 32) return r.rule(false, "", "methods has more than 32 sections");
    for (const auto& [section, m] : it->items()) {
      const std::string path = "methods." + safe_text(section, 40) + ".";
      if (!m.is_object()) return r.rule(false, path, "must be an object");
      SectionMethod x;
      x.section = safe_text(section, 40);
      if (!r.str(m, "timer", path, x.timer, false) || !r.str(m, "statistic", path, x.statistic, false) ||
          !r.integer(m, "warmup", path, x.warmup, false) || !r.integer(m, "repetitions", path, x.repetitions, false) ||
          !r.one_of(m, "flush", path, x.flush, {"none", "read", "write", "rotate"}, false) ||
          !r.str(m, "details", path, x.details, false))
        return false;
      p.methods.push_back(std::move(x));
    }
  }
  auto clocks = [&](const json& e, const std::string& path, PhaseClocks& c) {
    return r.str(e, "phase", path, c.phase) && r.integer(e, "samples", path, c.samples, false) &&
           r.nums(e, path, {{"sm_clock_mhz_min", &c.sm_clock_mhz_min, 1e5, 0, false}, {"sm_clock_mhz_median", &c.sm_clock_mhz_median, 1e5, 0, false},
                            {"sm_clock_mhz_max", &c.sm_clock_mhz_max, 1e5, 0, false}, {"power_w_median", &c.power_w_median, 1e5, 0, false},
                            {"power_w_max", &c.power_w_max, 1e5, 0, false}, {"temperature_c_max", &c.temperature_c_max, 1000, 0, false}});
  };
  auto flush = [&](const json& e, const std::string& path, FlushComparison& f) {
    return r.one_of(e, "dtype", path, f.dtype, {"fp32", "tf32", "fp16", "bf16", "fp8", "int8"}) &&
           r.nums(e, path, {{"m", &f.m, kMaxGemmDim, 1, true, true}, {"n", &f.n, kMaxGemmDim, 1, true, true}, {"k", &f.k, kMaxGemmDim, 1, true, true},
                            {"write_flush_s", &f.write_flush_s, kMaxSeconds, 0, false}, {"read_flush_s", &f.read_flush_s, kMaxSeconds, 0, false},
                            {"rotate_s", &f.rotate_s, kMaxSeconds, 0, false}});
  };
  auto sustained = [&](const json& e, const std::string& path, SustainedSample& s) {
    return r.one_of(e, "dtype", path, s.dtype, {"fp32", "tf32", "fp16", "bf16", "fp8", "int8"}) &&
           r.nums(e, path, {{"m", &s.m, kMaxGemmDim, 1, true, true}, {"n", &s.n, kMaxGemmDim, 1, true, true}, {"k", &s.k, kMaxGemmDim, 1, true, true},
                            {"duration_s", &s.duration_s, kMaxSeconds}, {"first_seconds", &s.first_seconds, kMaxSeconds},
                            {"last_seconds", &s.last_seconds, kMaxSeconds}, {"sm_clock_mhz_first", &s.sm_clock_mhz_first, 1e5, 0, false},
                            {"sm_clock_mhz_last", &s.sm_clock_mhz_last, 1e5, 0, false}, {"power_w_last", &s.power_w_last, 1e5, 0, false},
                            {"temperature_c_last", &s.temperature_c_last, 1000, 0, false}});
  };
  auto decode = [&](const json& e, const std::string& path, AttentionDecodeSample& a) {
    return r.nums(e, path, {{"context", &a.context, kMaxGemmDim, 1, true, true}, {"batch", &a.batch, 1e5, 1, true, true},
                            {"head_dim", &a.head_dim, 4096, 1, true, true}, {"q_heads", &a.q_heads, 1e5, 1, true, true},
                            {"kv_heads", &a.kv_heads, 1e5, 1, true, true}, {"bytes_moved", &a.bytes_moved, kMaxMemoryBytes, 1},
                            {"seconds", &a.seconds, kMaxSeconds, kMinKernelSeconds}, {"spread", &a.spread, kMaxSpread, 0, false}}) &&
           r.boolean(e, "verified", path, a.verified) &&
           r.rule(std::fmod(a.q_heads, a.kv_heads) == 0 && a.q_heads / a.kv_heads <= 1024, path, "q_heads must be a multiple of kv_heads, at most 1024 times") &&
           r.rule(a.bytes_moved / a.seconds <= kMaxBandwidth, path, "bytes_moved/seconds must be at most 1e14 B/s (100 TB/s)");
  };
  auto prefill = [&](const json& e, const std::string& path, AttentionPrefillSample& a) {
    return r.nums(e, path, {{"seq", &a.seq, kMaxGemmDim, 1, true, true}, {"batch", &a.batch, 1e5, 1, true, true},
                            {"heads", &a.heads, 1e5, 1, true, true}, {"head_dim", &a.head_dim, 4096, 1, true, true},
                            {"flop", &a.flop, kMaxFlopCount, 1}, {"seconds", &a.seconds, kMaxSeconds, kMinKernelSeconds},
                            {"spread", &a.spread, kMaxSpread, 0, false}}) &&
           r.boolean(e, "verified", path, a.verified) && r.str(e, "kernel", path, a.kernel, false) &&
           r.rule(a.flop / a.seconds <= kMaxFlops, path, "flop/seconds must be at most 1e17 FLOP/s (100 PFLOP/s)");
  };
  auto weight_only = [&](const json& e, const std::string& path, WeightOnlySample& w) {
    return r.one_of(e, "format", path, w.format, {"w4a16_g128", "w8a16_g128"}) &&
           r.nums(e, path, {{"m", &w.m, kMaxGemmDim, 1, true, true}, {"n", &w.n, kMaxGemmDim, 1, true, true}, {"k", &w.k, kMaxGemmDim, 1, true, true},
                            {"weight_bytes", &w.weight_bytes, kMaxMemoryBytes, 1}, {"seconds", &w.seconds, kMaxSeconds, kMinKernelSeconds},
                            {"spread", &w.spread, kMaxSpread, 0, false}}) &&
           r.boolean(e, "verified", path, w.verified) && r.str(e, "kernel", path, w.kernel, false) &&
           r.rule(2 * w.m * w.n * w.k / w.seconds <= kMaxFlops, path, "seconds must be long enough for at most 1e17 FLOP/s (100 PFLOP/s)") &&
           r.rule(w.weight_bytes / w.seconds <= kMaxBandwidth, path, "weight_bytes/seconds must be at most 1e14 B/s (100 TB/s)");
  };
  auto grouped = [&](const json& e, const std::string& path, GroupedGemmSample& g) {
    return r.one_of(e, "dtype", path, g.dtype, {"fp32", "tf32", "fp16", "bf16", "fp8", "int8"}) &&
           r.nums(e, path, {{"experts", &g.experts, 1e5, 1, true, true}, {"rows_per_expert", &g.rows_per_expert, kMaxGemmDim, 1, true, true},
                            {"n", &g.n, kMaxGemmDim, 1, true, true}, {"k", &g.k, kMaxGemmDim, 1, true, true},
                            {"seconds", &g.seconds, kMaxSeconds, kMinKernelSeconds}, {"spread", &g.spread, kMaxSpread, 0, false}}) &&
           r.boolean(e, "verified", path, g.verified) &&
           r.rule(2 * g.experts * g.rows_per_expert * g.n * g.k / g.seconds <= kMaxFlops, path,
                  "seconds must be long enough for at most 1e17 FLOP/s (100 PFLOP/s)");
  };
  auto small = [&](const json& e, const std::string& path, SmallKernelSample& k) {
    return r.one_of(e, "kernel", path, k.kernel, {"rmsnorm", "silu_mul", "rope", "residual_add", "embedding", "sampling"}) &&
           r.nums(e, path, {{"tokens", &k.tokens, kMaxGemmDim, 1, true, true}, {"width", &k.width, kMaxGemmDim, 1, true, true},
                            {"bytes_moved", &k.bytes_moved, kMaxMemoryBytes, 1, true, true}, {"seconds", &k.seconds, 1.0, kMinKernelSeconds},
                            {"spread", &k.spread, kMaxSpread, 0, false}}) &&
           r.rule(k.bytes_moved / k.seconds <= kMaxBandwidth, path, "bytes_moved/seconds must be at most 1e14 B/s (100 TB/s)");
  };
  auto p2p = [&](const json& e, const std::string& path, P2PSample& x) {
    return r.integer(e, "src", path, x.src, true, 1023) && r.integer(e, "dst", path, x.dst, true, 1023) &&
           r.nums(e, path, {{"bytes", &x.bytes, kMaxMemoryBytes, 1, true, true}, {"seconds", &x.seconds, kMaxSeconds, kMinKernelSeconds}}) &&
           r.boolean(e, "peer_access", path, x.peer_access) &&
           r.rule(x.bytes / x.seconds <= kMaxBandwidth, path, "bytes/seconds must be at most 1e14 B/s (100 TB/s)");
  };
  auto collective = [&](const json& e, const std::string& path, CollectiveSample& c) {
    return r.one_of(e, "op", path, c.op, {"all_reduce", "all_gather", "reduce_scatter", "all_to_all"}) &&
           r.integer(e, "ranks", path, c.ranks, true, 1000000) && r.rule(c.ranks >= 2, path, "ranks must be at least 2") &&
           r.nums(e, path, {{"bytes", &c.bytes, kMaxMemoryBytes, 1, true, true}, {"seconds", &c.seconds, kMaxSeconds, kMinKernelSeconds},
                            {"bus_bandwidth", &c.bus_bandwidth, kMaxBandwidth, 0, false}}) &&
           r.str(e, "source", path, c.source, false) &&
           r.rule(c.bytes / c.seconds <= kMaxBandwidth, path, "bytes/seconds must be at most 1e14 B/s (100 TB/s)");
  };
  if (!r.list(j, "clocks", "", 64, p.clocks, clocks) || !r.list(j, "gemm_flush", "", 64, p.gemm_flush, flush) ||
      !r.list(j, "sustained", "", 16, p.sustained, sustained))
    return false;
  if (const auto it = j.find("attention"); it != j.end()) {
    if (!it->is_object()) return r.rule(false, "", "attention must be an object");
    if (!r.list(*it, "decode", "attention.", kMaxProfileSection, p.attention_decode, decode) ||
        !r.list(*it, "prefill", "attention.", kMaxProfileSection, p.attention_prefill, prefill))
      return false;
  }
  if (!r.list(j, "weight_only", "", kMaxProfileSection, p.weight_only, weight_only) ||
      !r.list(j, "grouped_gemm", "", kMaxProfileSection, p.grouped_gemm, grouped) ||
      !r.list(j, "small_kernels", "", kMaxProfileSection, p.small_kernels, small) || !r.list(j, "p2p", "", 256, p.p2p, p2p) ||
      !r.list(j, "collectives", "", kMaxProfileSection, p.collectives, collective))
    return false;
  if (const auto it = j.find("memory"); it != j.end()) {
    if (!it->is_object()) return r.rule(false, "", "memory must be an object");
    UsableMemory& m = p.memory;
    if (!r.num(*it, "total_bytes", "memory.", m.total_bytes, true, kMaxMemoryBytes, 1)) return false;
    const double t = m.total_bytes;
    if (!r.nums(*it, "memory.", {{"free_after_context_bytes", &m.free_after_context_bytes, t, 0, false},
                                 {"free_after_cublas_bytes", &m.free_after_cublas_bytes, t, 0, false},
                                 {"cublas_workspace_bytes", &m.cublas_workspace_bytes, t, 0, false},
                                 {"context_bytes", &m.context_bytes, t, 0, false}, {"others_bytes", &m.others_bytes, t, 0, false},
                                 {"largest_allocation_bytes", &m.largest_allocation_bytes, t, 0, false}}))
      return false;
    m.total_bytes = std::floor(m.total_bytes);
    m.context_bytes = std::floor(m.context_bytes);
  }
  return true;
}

// Before the document is built: every array's length, by a pass that keeps nothing (nlohmann's SAX
// interface), stopped at the first list longer than any a profile may hold. A profile padded with
// tens of thousands of entries is refused after reading its first 4,097 entries, instead of after
// building a tree of all of them (issue #14: 18,000 GEMM shapes took 0.1–0.5 s in the page). The per-list limits are kept by Reader::arr
// on the document; this pass only bounds every list by the largest of them (gemm's).
class LengthCheck final : public nlohmann::json_sax<json> {
 public:
  std::string err;
  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override {
    if (!value()) return false;
    open_.push_back({false, 0, key_});
    return true;
  }
  bool key(string_t& k) override {
    key_ = k;
    return true;
  }
  bool end_object() override {
    key_ = open_.back().name;
    open_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    if (!value()) return false;
    open_.push_back({true, 0, key_});
    return true;
  }
  bool end_array() override {
    open_.pop_back();
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  struct Open {
    bool array;
    size_t count;
    std::string name;  // the key this container is the value of
  };
  std::vector<Open> open_;
  std::string key_;
  // Counts an entry of the enclosing list; past the bound, stops the pass at once (the rest of the
  // file is not even read).
  bool value() {
    if (open_.empty() || !open_.back().array) return true;
    if (++open_.back().count <= kMaxProfileGemm) return true;
    err = "profile: " + path(open_.back().name) + " has more than " + std::to_string(kMaxProfileGemm) +
          " entries, the most any list in a GPU profile may have";
    return false;
  }
  // "attention.decode": the keys of the enclosing objects (as Reader::arr names a list); the list
  // itself is open_.back()
  std::string path(const std::string& name) const {
    std::string out;
    for (size_t i = 1; i + 1 < open_.size(); ++i)
      if (!open_[i].array && !open_[i].name.empty()) out += safe_text(open_[i].name, 40) + ".";
    return out + safe_text(name, 40);
  }
};
}  // namespace

Result<Profile> parse_profile(std::string_view text) {
  if (auto e = profile_size_error(text.size())) return *e;
  {
    LengthCheck lengths;
    if (!json::sax_parse(text.begin(), text.end(), &lengths) && !lengths.err.empty())
      return make_error(ErrorCode::malformed, lengths.err);
  }
  const json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return make_error(ErrorCode::malformed, "profile: not valid JSON");
  if (!j.is_object()) return make_error(ErrorCode::malformed, "profile: the top level must be a JSON object");
  Reader r;
  Profile p;
  std::string schema;
  if (!r.str(j, "schema", "", schema)) return make_error(ErrorCode::malformed, r.err + " (is this an llmcalc GPU profile?)");
  if (schema != kProfileSchema)
    return make_error(ErrorCode::malformed, "profile: schema is '" + schema + "', expected '" + kProfileSchema + "'");
  if (!r.str(j, "schema_version", "", p.schema_version)) return make_error(ErrorCode::malformed, r.err);
  const int major = std::atoi(p.schema_version.c_str());
  if (major != kProfileMajor)
    return make_error(ErrorCode::unsupported_version, "profile: schema_version " + p.schema_version +
                                                          " is not supported (this llmcalc reads 1.x)");
  auto fail = [&]() { return make_error(ErrorCode::bad_value, r.err); };
  if (!r.str(j, "created", "", p.created)) return fail();
  if (!r.one_of(j, "status", "", p.status, {"complete", "partial"}, false) || !r.str(j, "status_reason", "", p.status_reason, false))
    return fail();
  if (p.status.empty()) p.status = "complete";
  if (const json* t = r.obj(j, "tool", "")) {
    if (!r.str(*t, "name", "tool.", p.tool, false) || !r.str(*t, "version", "tool.", p.tool_version, false) ||
        !r.str(*t, "mode", "tool.", p.run_mode, false) || !r.num(*t, "run_seconds", "tool.", p.run_seconds, false, 1e7))
      return fail();
  } else if (j.contains("tool")) {
    return fail();
  }
  const json* dev = r.obj(j, "device", "");
  if (!dev) return fail();
  ProfileDevice& d = p.device;
  if (!r.str(*dev, "name", "device.", d.name) || !r.num(*dev, "memory_bytes", "device.", d.memory_bytes, true, 1e15) ||
      !r.str(*dev, "compute_capability", "device.", d.compute_capability, false) ||
      !r.integer(*dev, "sm_count", "device.", d.sm_count, false, 100000) || !r.num(*dev, "l2_bytes", "device.", d.l2_bytes, false, 1e12) ||
      !r.num(*dev, "sm_clock_khz", "device.", d.sm_clock_khz, false, 1e8) ||
      !r.num(*dev, "memory_clock_khz", "device.", d.memory_clock_khz, false, 1e8) ||
      !r.integer(*dev, "memory_bus_bits", "device.", d.memory_bus_bits, false, 100000) || !r.str(*dev, "mig", "device.", d.mig, false))
    return fail();
  if (d.name.empty() || d.name.size() > 200) return field_error("device.name", "a name of 1 to 200 characters");
  if (const auto it = j.find("software"); it != j.end()) {
    if (!it->is_object()) return field_error("software", "an object");
    if (!r.str(*it, "driver", "software.", p.driver, false) || !r.str(*it, "runtime", "software.", p.runtime, false) ||
        !r.str(*it, "cublas", "software.", p.cublas, false))
      return fail();
  }
  if (const auto it = j.find("method"); it != j.end()) {
    if (!it->is_object()) return field_error("method", "an object");
    if (!r.str(*it, "timer", "method.", p.timer, false) || !r.str(*it, "statistic", "method.", p.statistic, false) ||
        !r.integer(*it, "warmup", "method.", p.warmup, false) || !r.integer(*it, "repetitions", "method.", p.repetitions, false) ||
        !r.boolean(*it, "l2_flushed", "method.", p.l2_flushed))
      return fail();
  }
  const json* launch = r.obj(j, "launch", "");
  if (!launch || !r.num(*launch, "empty_kernel_s", "launch.", p.launch_empty_s, true, kMaxLaunch) ||
      !r.num(*launch, "back_to_back_s", "launch.", p.launch_back_to_back_s, true, kMaxLaunch) ||
      !r.num(*launch, "graph_per_kernel_s", "launch.", p.launch_graph_s, true, kMaxLaunch))
    return fail();
  const json* bw = r.arr(j, "bandwidth", "", kMaxProfileBandwidth);
  if (!bw) return fail();
  for (size_t i = 0; i < bw->size(); ++i) {
    const json& e = (*bw)[i];
    const std::string path = "bandwidth[" + std::to_string(i) + "].";
    if (!e.is_object()) return field_error("bandwidth[" + std::to_string(i) + "]", "an object");
    BandwidthSample s;
    if (!r.str(e, "pattern", path, s.pattern) || !r.num(e, "working_set_bytes", path, s.working_set_bytes, true, 1e15) ||
        !r.num(e, "bytes_moved", path, s.bytes_moved, true, 1e15) || !r.num(e, "seconds", path, s.seconds, true, 1e4) ||
        !r.num(e, "spread", path, s.spread, false, kMaxSpread))
      return fail();
    if (s.pattern != "read" && s.pattern != "write" && s.pattern != "copy")
      return field_error(path + "pattern", "read, write or copy");
    if (s.seconds <= 0) return field_error(path + "seconds", "greater than 0");
    if (s.bytes_moved / s.seconds > kMaxBandwidth) return field_error(path + "bytes_moved/seconds", "at most 1e14 B/s (100 TB/s)");
    p.bandwidth.push_back(s);
  }
  if (measured_bandwidth(p, "read") <= 0)
    return make_error(ErrorCode::missing_value, "profile: bandwidth has no 'read' measurement of device memory");
  if (const double b = measured_bandwidth(p, "read"); b < kMinBandwidth)
    return make_error(ErrorCode::bad_value, "profile: the device-memory read bandwidth " + format_bandwidth(b) +
                                                " is below 1 GB/s: not a measurement of a GPU");
  const json* hc = r.arr(j, "host_copies", "", kMaxProfileBandwidth, false);
  if (!hc) return fail();
  for (size_t i = 0; i < hc->size(); ++i) {
    const json& e = (*hc)[i];
    const std::string path = "host_copies[" + std::to_string(i) + "].";
    if (!e.is_object()) return field_error("host_copies[" + std::to_string(i) + "]", "an object");
    HostCopySample s;
    if (!r.str(e, "direction", path, s.direction) || !r.num(e, "bytes", path, s.bytes, true, 1e15) || !r.num(e, "seconds", path, s.seconds, true, 1e4))
      return fail();
    p.host_copies.push_back(s);
  }
  const json* gm = r.arr(j, "gemm", "", kMaxProfileGemm);
  if (!gm) return fail();
  for (size_t i = 0; i < gm->size(); ++i) {
    const json& e = (*gm)[i];
    const std::string path = "gemm[" + std::to_string(i) + "].";
    if (!e.is_object()) return field_error("gemm[" + std::to_string(i) + "]", "an object");
    GemmSample s;
    if (!r.str(e, "dtype", path, s.dtype) || !r.num(e, "m", path, s.m, true, kMaxGemmDim) || !r.num(e, "n", path, s.n, true, kMaxGemmDim) ||
        !r.num(e, "k", path, s.k, true, kMaxGemmDim) || !r.num(e, "seconds", path, s.seconds, true, 1e4) ||
        !r.num(e, "best_seconds", path, s.best_seconds, false, 1e4) ||
        !r.integer(e, "algorithms_tried", path, s.algorithms_tried, false, 1000000) || !r.boolean(e, "verified", path, s.verified) ||
        !r.num(e, "spread", path, s.spread, false, kMaxSpread) || !r.boolean(e, "fast_accum", path, s.fast_accum) ||
        !r.num(e, "seconds_without_fast_accum", path, s.seconds_without_fast_accum, false, 1e4))
      return fail();
    if (!is_gemm_type(s.dtype)) return field_error(path + "dtype", "one of fp32 tf32 fp16 bf16 fp8 int8");
    if (s.m < 1 || s.n < 1 || s.k < 1 || s.m != std::floor(s.m) || s.n != std::floor(s.n) || s.k != std::floor(s.k))
      return field_error(path + "m/n/k", "whole numbers of at least 1");
    if (s.seconds <= 0) return field_error(path + "seconds", "greater than 0");
    if (2 * s.m * s.n * s.k / s.seconds > kMaxFlops) return field_error(path + "seconds", "long enough for at most 1e17 FLOP/s (100 PFLOP/s)");
    p.gemm.push_back(s);
  }
  if (!read_sections(j, r, p)) return fail();
  if (p.gemm.empty())
    return make_error(ErrorCode::missing_value, p.status == "partial" ? "profile: gemm has no measurements (the run was partial: " +
                                                                            p.status_reason + ")"
                                                                      : std::string("profile: gemm has no measurements"));
  if (const auto it = j.find("notes"); it != j.end() && it->is_array())
    for (const auto& n : *it)
      if (n.is_string() && p.notes.size() < 64) p.notes.push_back(safe_text(n.get_ref<const std::string&>(), 300));
  // The grid each data type becomes must fit a link (core/calibration.hpp)
  const Calibration c = calibration_from_profile(p);
  for (DType t : kAllDTypes) {
    const GemmGrid& g = c.gemm[static_cast<int>(t)];
    if (g.m.size() > kMaxGridM || g.n.size() > kMaxGridNK)
      return make_error(ErrorCode::too_large, "profile: gemm has " + std::to_string(g.m.size()) + " values of M and " +
                                                  std::to_string(g.n.size()) + " N\xC3\x97K pairs of " + std::string(dtype_name(t)) +
                                                  "; a GPU profile has at most " + std::to_string(kMaxGridM) + " and " +
                                                  std::to_string(kMaxGridNK));
  }
  const std::string link = encode_calibration(c);
  if (link.size() > kMaxCalibrationText)
    return make_error(ErrorCode::too_large, "profile: its measurements do not fit a link (more than 16 KiB as prof=)");
  if (Result<Calibration> back = decode_calibration(link); !back)  // e.g. more points than a link carries
    return make_error(ErrorCode::too_large, "profile: its measurements cannot travel in a link: " + back.error().message);
  return p;
}

// ============================================================================================
// [SECTION] write_profile
// ============================================================================================
namespace {
using ojson = nlohmann::ordered_json;

// An array of entries of a section, `fields(x)` being each entry's object (absent when empty).
template <class T, class F>
void put(ojson& j, const char* key, const std::vector<T>& xs, F&& fields) {
  if (xs.empty()) return;
  auto& a = j[key] = ojson::array();
  for (const T& x : xs) a.push_back(fields(x));
}
void put_spread(ojson& o, double spread) {
  if (spread > 0) o["spread"] = spread;
}
}  // namespace

std::string write_profile(const Profile& p) {
  ojson j;
  j["schema"] = kProfileSchema;
  j["schema_version"] = p.schema_version;
  j["created"] = p.created;
  j["status"] = p.status;
  if (!p.status_reason.empty()) j["status_reason"] = p.status_reason;
  j["tool"] = {{"name", p.tool}, {"version", p.tool_version}, {"mode", p.run_mode}, {"run_seconds", p.run_seconds}};
  const ProfileDevice& d = p.device;
  j["device"] = {{"name", d.name}, {"compute_capability", d.compute_capability}, {"sm_count", d.sm_count},
                 {"memory_bytes", d.memory_bytes}, {"l2_bytes", d.l2_bytes}, {"sm_clock_khz", d.sm_clock_khz},
                 {"memory_clock_khz", d.memory_clock_khz}, {"memory_bus_bits", d.memory_bus_bits}};
  if (!d.mig.empty()) j["device"]["mig"] = d.mig;
  j["software"] = {{"driver", p.driver}, {"runtime", p.runtime}, {"cublas", p.cublas}};
  j["method"] = {{"timer", p.timer}, {"statistic", p.statistic}, {"warmup", p.warmup},
                 {"repetitions", p.repetitions}, {"l2_flushed", p.l2_flushed}};
  if (!p.methods.empty()) {
    auto& ms = j["methods"] = ojson::object();
    for (const SectionMethod& m : p.methods) {
      ojson o = {{"timer", m.timer}, {"statistic", m.statistic}, {"warmup", m.warmup}, {"repetitions", m.repetitions}};
      if (!m.flush.empty()) o["flush"] = m.flush;
      if (!m.details.empty()) o["details"] = m.details;
      ms[m.section] = o;
    }
  }
  put(j, "clocks", p.clocks, [](const PhaseClocks& c) {
    return ojson{{"phase", c.phase}, {"samples", c.samples}, {"sm_clock_mhz_min", c.sm_clock_mhz_min},
                 {"sm_clock_mhz_median", c.sm_clock_mhz_median}, {"sm_clock_mhz_max", c.sm_clock_mhz_max},
                 {"power_w_median", c.power_w_median}, {"power_w_max", c.power_w_max}, {"temperature_c_max", c.temperature_c_max}};
  });
  j["launch"] = {{"empty_kernel_s", p.launch_empty_s}, {"back_to_back_s", p.launch_back_to_back_s},
                 {"graph_per_kernel_s", p.launch_graph_s}};
  auto& bw = j["bandwidth"] = ojson::array();
  for (const auto& s : p.bandwidth) {
    ojson o = {{"pattern", s.pattern}, {"working_set_bytes", s.working_set_bytes}, {"bytes_moved", s.bytes_moved}, {"seconds", s.seconds}};
    put_spread(o, s.spread);
    bw.push_back(o);
  }
  auto& hc = j["host_copies"] = ojson::array();
  for (const auto& s : p.host_copies) hc.push_back({{"direction", s.direction}, {"bytes", s.bytes}, {"seconds", s.seconds}});
  auto& gm = j["gemm"] = ojson::array();
  for (const auto& s : p.gemm) {
    ojson o = {{"dtype", s.dtype}, {"m", s.m}, {"n", s.n}, {"k", s.k}, {"seconds", s.seconds},
               {"best_seconds", s.best_seconds}, {"algorithms_tried", s.algorithms_tried}, {"verified", s.verified}};
    put_spread(o, s.spread);
    if (s.fast_accum) o["fast_accum"] = true;
    if (s.seconds_without_fast_accum > 0) o["seconds_without_fast_accum"] = s.seconds_without_fast_accum;
    gm.push_back(o);
  }
  put(j, "gemm_flush", p.gemm_flush, [](const FlushComparison& f) {
    return ojson{{"dtype", f.dtype}, {"m", f.m}, {"n", f.n}, {"k", f.k}, {"write_flush_s", f.write_flush_s},
                 {"read_flush_s", f.read_flush_s}, {"rotate_s", f.rotate_s}};
  });
  put(j, "sustained", p.sustained, [](const SustainedSample& s) {
    return ojson{{"dtype", s.dtype}, {"m", s.m}, {"n", s.n}, {"k", s.k}, {"duration_s", s.duration_s},
                 {"first_seconds", s.first_seconds}, {"last_seconds", s.last_seconds}, {"sm_clock_mhz_first", s.sm_clock_mhz_first},
                 {"sm_clock_mhz_last", s.sm_clock_mhz_last}, {"power_w_last", s.power_w_last}, {"temperature_c_last", s.temperature_c_last}};
  });
  if (!p.attention_decode.empty() || !p.attention_prefill.empty()) {
    ojson& a = j["attention"] = ojson::object();
    put(a, "decode", p.attention_decode, [](const AttentionDecodeSample& s) {
      ojson o = {{"context", s.context}, {"batch", s.batch}, {"head_dim", s.head_dim}, {"q_heads", s.q_heads},
                 {"kv_heads", s.kv_heads}, {"bytes_moved", s.bytes_moved}, {"seconds", s.seconds}, {"verified", s.verified}};
      put_spread(o, s.spread);
      return o;
    });
    put(a, "prefill", p.attention_prefill, [](const AttentionPrefillSample& s) {
      ojson o = {{"seq", s.seq}, {"batch", s.batch}, {"heads", s.heads}, {"head_dim", s.head_dim}, {"flop", s.flop},
                 {"seconds", s.seconds}, {"verified", s.verified}, {"kernel", s.kernel}};
      put_spread(o, s.spread);
      return o;
    });
  }
  put(j, "weight_only", p.weight_only, [](const WeightOnlySample& s) {
    ojson o = {{"format", s.format}, {"m", s.m}, {"n", s.n}, {"k", s.k}, {"weight_bytes", s.weight_bytes},
               {"seconds", s.seconds}, {"verified", s.verified}, {"kernel", s.kernel}};
    put_spread(o, s.spread);
    return o;
  });
  put(j, "grouped_gemm", p.grouped_gemm, [](const GroupedGemmSample& s) {
    ojson o = {{"dtype", s.dtype}, {"experts", s.experts}, {"rows_per_expert", s.rows_per_expert}, {"n", s.n}, {"k", s.k},
               {"seconds", s.seconds}, {"verified", s.verified}};
    put_spread(o, s.spread);
    return o;
  });
  put(j, "small_kernels", p.small_kernels, [](const SmallKernelSample& s) {
    ojson o = {{"kernel", s.kernel}, {"tokens", s.tokens}, {"width", s.width}, {"bytes_moved", s.bytes_moved}, {"seconds", s.seconds}};
    put_spread(o, s.spread);
    return o;
  });
  if (p.memory.total_bytes > 0) {
    const UsableMemory& m = p.memory;
    j["memory"] = {{"total_bytes", m.total_bytes}, {"free_after_context_bytes", m.free_after_context_bytes},
                   {"free_after_cublas_bytes", m.free_after_cublas_bytes}, {"cublas_workspace_bytes", m.cublas_workspace_bytes},
                   {"context_bytes", m.context_bytes}, {"others_bytes", m.others_bytes},
                   {"largest_allocation_bytes", m.largest_allocation_bytes}};
  }
  put(j, "p2p", p.p2p, [](const P2PSample& s) {
    return ojson{{"src", s.src}, {"dst", s.dst}, {"bytes", s.bytes}, {"seconds", s.seconds}, {"peer_access", s.peer_access}};
  });
  put(j, "collectives", p.collectives, [](const CollectiveSample& s) {
    return ojson{{"op", s.op}, {"ranks", s.ranks}, {"bytes", s.bytes}, {"seconds", s.seconds},
                 {"bus_bandwidth", s.bus_bandwidth}, {"source", s.source}};
  });
  j["notes"] = p.notes;
  return j.dump(1, ' ', false, ojson::error_handler_t::replace);
}

// ============================================================================================
// [SECTION] derived rates
// ============================================================================================

double measured_bandwidth(const Profile& p, std::string_view pattern) {
  double largest = 0;
  for (const auto& s : p.bandwidth) largest = std::max(largest, s.working_set_bytes);
  const double floor = p.device.l2_bytes > 0 ? std::min(4 * p.device.l2_bytes, largest) : largest;
  double best = 0;
  for (const auto& s : p.bandwidth)
    if (s.pattern == pattern && s.working_set_bytes >= floor) best = std::max(best, s.bytes_moved / s.seconds);
  return best;
}

double measured_peak(const Profile& p, std::string_view dtype) {
  double best = 0;
  for (const auto& s : p.gemm)
    if (s.dtype == dtype && s.verified) best = std::max(best, 2 * s.m * s.n * s.k / s.seconds);
  return best;
}

namespace {
// The date of a profile's `created` timestamp: its leading digits and dashes, at most 10
// ("2026-11-30"), so a cut never splits a character of a damaged file.
std::string date_of(std::string_view created) {
  std::string d;
  for (char ch : created) {
    if (d.size() == 10 || !((ch >= '0' && ch <= '9') || ch == '-')) break;
    d += ch;
  }
  return d;
}

// One measured shape of a grid: its rate (FLOP/s), usable only when verified.
struct GridPoint {
  double m, n, k, rate;
  bool verified;
};

// M values sorted, (N, K) pairs in the order first measured, 0 where unmeasured or unverified (an
// unverified GEMM never yields a rate); empty when nothing is left. O(n log n) in the points.
GemmGrid make_grid(const std::vector<GridPoint>& pts) {
  GemmGrid g;
  std::map<double, size_t> m_index;
  std::map<std::pair<double, double>, size_t> nk_index;
  for (const auto& s : pts) {
    m_index.emplace(s.m, 0);
    if (nk_index.emplace(std::make_pair(s.n, s.k), g.n.size()).second) {
      g.n.push_back(s.n);
      g.k.push_back(s.k);
    }
  }
  for (auto& [m, j] : m_index) {
    j = g.m.size();
    g.m.push_back(m);
  }
  g.rate.assign(g.m.size() * g.n.size(), 0.0);
  for (const auto& s : pts)
    if (s.verified) g.rate[nk_index[{s.n, s.k}] * g.m.size() + m_index[s.m]] = s.rate;
  if (std::all_of(g.rate.begin(), g.rate.end(), [](double r) { return r <= 0; })) g = GemmGrid{};
  return g;
}

// A curve of (x, y) points: sorted by x, the smallest y of points at the same x.
Curve make_curve(std::vector<std::pair<double, double>> pts) {
  std::sort(pts.begin(), pts.end());
  Curve c;
  for (const auto& [x, y] : pts) {
    if (!c.x.empty() && c.x.back() == x) continue;  // sorted: the first of equal x has the smallest y
    c.x.push_back(x);
    c.y.push_back(y);
  }
  return c;
}
}  // namespace

Calibration calibration_from_profile(const Profile& p) {
  Calibration c;
  c.device = p.device.name;
  c.date = date_of(p.created);
  c.bandwidth_bytes_per_s = measured_bandwidth(p, "read");
  c.launch_stream_s = p.launch_back_to_back_s;
  c.launch_graph_s = p.launch_graph_s;
  for (DType t : kAllDTypes) {
    if (t == DType::int4) continue;
    const std::string name(dtype_name(t));
    std::vector<GridPoint> gemm, grouped;
    for (const auto& s : p.gemm)
      if (s.dtype == name) gemm.push_back({s.m, s.n, s.k, 2 * s.m * s.n * s.k / s.seconds, s.verified});
    for (const auto& s : p.grouped_gemm)
      if (s.dtype == name)
        grouped.push_back({s.rows_per_expert, s.n, s.k, 2 * s.experts * s.rows_per_expert * s.n * s.k / s.seconds, s.verified});
    c.gemm[static_cast<int>(t)] = make_grid(gemm);
    c.grouped[static_cast<int>(t)] = make_grid(grouped);
  }
  for (int bits : {4, 8}) {
    std::vector<GridPoint> pts;
    for (const auto& s : p.weight_only)
      if (s.format == (bits == 4 ? "w4a16_g128" : "w8a16_g128")) pts.push_back({s.m, s.n, s.k, 2 * s.m * s.n * s.k / s.seconds, s.verified});
    c.weight_only[bits == 4 ? 0 : 1] = make_grid(pts);
  }
  for (const auto& s : p.attention_decode)
    if (s.verified) c.attn_decode.push_back({s.context, s.batch, s.head_dim, s.q_heads / s.kv_heads, s.bytes_moved / s.seconds});
  std::vector<PrefillAttentionPoint> pre;
  for (const auto& s : p.attention_prefill)
    if (s.verified) pre.push_back({s.seq, s.head_dim, s.flop / s.seconds});
  std::sort(pre.begin(), pre.end(), [](const auto& a, const auto& b) {
    return a.head_dim != b.head_dim ? a.head_dim < b.head_dim : a.seq != b.seq ? a.seq < b.seq : a.flop_per_s > b.flop_per_s;
  });
  for (const auto& x : pre)
    if (c.attn_prefill.empty() || c.attn_prefill.back().seq != x.seq || c.attn_prefill.back().head_dim != x.head_dim)
      c.attn_prefill.push_back(x);
  for (int k = 0; k < kSmallKernelCount; ++k) {
    std::vector<std::pair<double, double>> pts;
    for (const auto& s : p.small_kernels)
      if (s.kernel == small_kernel_name(SmallKernel(k))) pts.emplace_back(s.bytes_moved, s.seconds);
    c.small[k] = make_curve(std::move(pts));
  }
  c.memory_bytes = std::floor(p.memory.total_bytes > 0 ? p.memory.total_bytes : p.device.memory_bytes);
  c.context_bytes = p.memory.total_bytes > 0 ? std::min(p.memory.context_bytes, c.memory_bytes) : 0;
  std::map<std::pair<int, int>, std::vector<std::pair<double, double>>> coll;  // (op, ranks) → (bytes, seconds)
  for (const auto& s : p.collectives)
    for (int o = 0; o < kCollectiveCount; ++o)
      if (s.op == collective_name(Collective(o))) coll[{o, s.ranks}].emplace_back(s.bytes, s.seconds);
  for (auto& [key, pts] : coll) c.collectives.push_back({Collective(key.first), key.second, make_curve(std::move(pts))});
  double largest = 0, smallest = 1e300;
  for (const auto& s : p.p2p) {
    largest = std::max(largest, s.bytes);
    smallest = std::min(smallest, s.bytes);
  }
  for (const auto& s : p.p2p) {
    if (s.bytes == largest) c.p2p_bytes_per_s = std::max(c.p2p_bytes_per_s, s.bytes / s.seconds);
    if (s.bytes == smallest) c.p2p_latency_s = c.p2p_latency_s > 0 ? std::min(c.p2p_latency_s, s.seconds) : s.seconds;
  }
  if (c.p2p_bytes_per_s < 1e6 || c.p2p_latency_s > 1e-2) c.p2p_bytes_per_s = c.p2p_latency_s = 0;  // not a link's figures
  return c;
}

// ============================================================================================
// [SECTION] apply_profile
// ============================================================================================

std::vector<std::string> apply_profile(Scenario& s, const Profile& p, bool keep_gpu) {
  std::vector<std::string> notes;
  // Through the text form, so this estimate uses exactly what a shared link carries.
  s.prof = encode_calibration(calibration_from_profile(p));
  notes.push_back("GPU profile: " + p.device.name + ", measured " + date_of(p.created) +
                  (p.status == "partial" ? " (a partial run: " + p.status_reason + ")" : ""));
  const DeviceMatch id = identify_device(p.device.name, p.device.sm_count, p.device.memory_bytes, p.device.mig);
  // a MIG slice is its parent GPU with the measured speeds and memory (no preset is the slice)
  const bool usable = id.preset && (id.kind == DeviceMatch::Kind::exact || id.kind == DeviceMatch::Kind::mig);
  if (!keep_gpu && usable && id.preset->id != s.gpu) {
    s.gpu = std::string(id.preset->id);
    notes.push_back("GPU set to " + s.gpu + ", the profile's device" +
                    (id.kind == DeviceMatch::Kind::mig ? std::string(" (the GPU the MIG slice is cut from)") : ""));
  }
  if (!id.note.empty()) notes.push_back(id.note);
  if (!usable) notes.push_back("memory capacity and datasheet figures come from " + s.gpu);
  const Calibration c = calibration_from_profile(p);
  for (const char* t : kGemmTypes) {
    const auto dt = parse_dtype(t);
    const bool listed = std::any_of(p.gemm.begin(), p.gemm.end(), [&](const GemmSample& x) { return x.dtype == t; });
    if (listed && dt && c.gemm[static_cast<int>(*dt)].empty())
      notes.push_back(std::string("no verified ") + t + " GEMM in the profile: " + t + " uses fitted efficiencies");
  }
  if (s.timing != TimingModel::fitted) notes.push_back("measured speeds apply with timing=calibrated");
  return notes;
}

// ============================================================================================
// [SECTION] profile_summary
// ============================================================================================
namespace {
std::string line_of(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string line_of(const char* fmt, ...) {
  char buf[640];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return buf;
}

// The schema-1.1 sections, one or two lines each: what was measured and the headline figure.
std::string sections_summary(const Profile& p, const GpuPreset* g) {
  std::string o;
  for (const SectionMethod& m : p.methods)
    o += line_of("method    %-18s %s, %d warm-up, %d repetitions, %s%s%s%s\n", m.section.c_str(), m.timer.c_str(), m.warmup,
                 m.repetitions, m.statistic.c_str(), m.flush.empty() ? "" : (", flush: " + m.flush).c_str(),
                 m.details.empty() ? "" : "; ", m.details.c_str());
  for (const PhaseClocks& c : p.clocks)
    o += line_of("clocks    %-18s SM %.0f–%.0f MHz (median %.0f), power up to %.0f W, up to %.0f °C (%d samples)\n",
                 c.phase.c_str(), c.sm_clock_mhz_min, c.sm_clock_mhz_max, c.sm_clock_mhz_median, c.power_w_max,
                 c.temperature_c_max, c.samples);
  for (const auto& s : p.gemm)
    if (s.dtype == "fp8" && s.seconds_without_fast_accum > 0 && s.m >= 1024) {
      o += line_of("fp8       fast accumulation %s at %.0f×%.0f×%.0f; without it %s (stored apart, labelled)\n",
                   format_flops(2 * s.m * s.n * s.k / s.seconds).c_str(), s.m, s.n, s.k,
                   format_flops(2 * s.m * s.n * s.k / s.seconds_without_fast_accum).c_str());
      break;
    }
  for (const auto& f : p.gemm_flush)
    o += line_of("flush     %s %.0f×%.0f×%.0f: write-flush %s, read-flush %s, rotating weights %s\n", f.dtype.c_str(), f.m, f.n,
                 f.k, format_seconds(f.write_flush_s).c_str(), format_seconds(f.read_flush_s).c_str(),
                 format_seconds(f.rotate_s).c_str());
  for (const auto& s : p.sustained)
    o += line_of("sustained %s %.0f×%.0f×%.0f for %.0f s: %s → %s per GEMM (SM %.0f → %.0f MHz, %.0f W, %.0f °C)\n",
                 s.dtype.c_str(), s.m, s.n, s.k, s.duration_s, format_seconds(s.first_seconds).c_str(),
                 format_seconds(s.last_seconds).c_str(), s.sm_clock_mhz_first, s.sm_clock_mhz_last, s.power_w_last,
                 s.temperature_c_last);
  const double sheet_bw = g ? g->spec.bandwidth_bytes_per_s : 0;
  auto vs_sheet = [&](double bw) { return sheet_bw > 0 ? line_of(" (%.0f%% of the datasheet)", bw / sheet_bw * 100) : std::string(); };
  if (!p.attention_decode.empty()) {
    double best = 0, worst = 1e300;
    for (const auto& a : p.attention_decode)
      if (a.verified) {
        best = std::max(best, a.bytes_moved / a.seconds);
        worst = std::min(worst, a.bytes_moved / a.seconds);
      }
    if (best > 0)
      o += line_of("attention decode (llmcalc kernel): KV read at %s to %s%s over %zu shapes\n", format_bandwidth(worst).c_str(),
                   format_bandwidth(best).c_str(), vs_sheet(best).c_str(), p.attention_decode.size());
  }
  for (const auto& a : p.attention_prefill)
    if (a.verified && a.seq >= 4096) {
      o += line_of("attention prefill (%s): %s at seq %.0f, head_dim %.0f\n", a.kernel.c_str(), format_flops(a.flop / a.seconds).c_str(),
                   a.seq, a.head_dim);
      break;
    }
  for (const char* f : {"w4a16_g128", "w8a16_g128"}) {
    double bw = 0;
    for (const auto& w : p.weight_only)
      if (w.format == f && w.verified && w.m == 1) bw = std::max(bw, w.weight_bytes / w.seconds);
    if (bw > 0) o += line_of("weight-only %s (llmcalc reference kernel): weights streamed at %s%s at M = 1\n", f,
                             format_bandwidth(bw).c_str(), vs_sheet(bw).c_str());
  }
  if (!p.grouped_gemm.empty()) o += line_of("grouped   %zu MoE grouped-GEMM shapes (rows per expert × experts)\n", p.grouped_gemm.size());
  for (int k = 0; k < kSmallKernelCount; ++k) {
    double lo = 1e300, hi = 0;
    for (const auto& s : p.small_kernels)
      if (s.kernel == small_kernel_name(SmallKernel(k))) {
        lo = std::min(lo, s.seconds);
        hi = std::max(hi, s.seconds);
      }
    if (hi > 0) o += line_of("kernel    %-13s %s to %s per kernel\n", small_kernel_name(SmallKernel(k)), format_seconds(lo).c_str(),
                             format_seconds(hi).c_str());
  }
  if (p.memory.total_bytes > 0)
    o += line_of("memory    %s on the device; the context + cuBLASLt take %s; largest allocation %s\n",
                 format_bytes(p.memory.total_bytes).c_str(), format_bytes(p.memory.context_bytes).c_str(),
                 format_bytes(p.memory.largest_allocation_bytes).c_str());
  for (const auto& x : p.p2p)
    if (x.bytes >= 64e6)
      o += line_of("p2p       GPU %d → %d: %s%s\n", x.src, x.dst, format_bandwidth(x.bytes / x.seconds).c_str(),
                   x.peer_access ? "" : " (no peer access: through the host)");
  std::map<std::pair<std::string, int>, std::pair<double, double>> coll;  // (op, ranks) → (smallest time, best busbw)
  for (const auto& c : p.collectives) {
    auto& [lat, bus] = coll.try_emplace({c.op, c.ranks}, 1e300, 0.0).first->second;
    lat = std::min(lat, c.seconds);
    bus = std::max(bus, c.bus_bandwidth);
  }
  for (const auto& [key, v] : coll)
    o += line_of("nccl      %s over %d GPUs: %s at small sizes, bus bandwidth up to %s (imported from nccl-tests)\n",
                 key.first.c_str(), key.second, format_seconds(v.first).c_str(), format_bandwidth(v.second).c_str());
  return o;
}
}  // namespace

std::string profile_summary(const Profile& p) {
  std::string o;
  const ProfileDevice& d = p.device;
  const DeviceMatch id = identify_device(d.name, d.sm_count, d.memory_bytes, d.mig);
  const GpuPreset* g = id.kind == DeviceMatch::Kind::exact ? id.preset : nullptr;  // compared with its datasheet
  o += line_of("device    %s (compute %s, %d SMs, %s, L2 %s)\n", d.name.c_str(), d.compute_capability.c_str(), d.sm_count,
               format_bytes(d.memory_bytes).c_str(), format_bytes(d.l2_bytes).c_str());
  o += line_of("measured  %s by %s %s (%s run, %.0f s); driver %s, runtime %s, cuBLAS %s\n", p.created.c_str(), p.tool.c_str(),
               p.tool_version.c_str(), p.run_mode.c_str(), p.run_seconds, p.driver.c_str(), p.runtime.c_str(), p.cublas.c_str());
  if (p.status != "complete") o += "status    " + p.status + (p.status_reason.empty() ? "" : ": " + p.status_reason) + "\n";
  o += line_of("method    %s, %d warm-up, %d repetitions, %s%s\n", p.timer.c_str(), p.warmup, p.repetitions, p.statistic.c_str(),
               p.l2_flushed ? ", L2 flushed between samples" : "");
  if (g) o += "preset    " + std::string(g->id) + " (" + std::string(g->name) + ")\n";
  else o += "preset    none: compared with no datasheet\n";
  if (!id.note.empty()) o += "identity  " + id.note + "\n";
  o += "GEMM      type   measured peak      datasheet (dense)   fraction   M=1 rate      M=16 rate\n";
  for (const char* t : kGemmTypes) {
    const double peak = measured_peak(p, t);
    if (peak <= 0) continue;
    double sheet = 0;
    if (g) {
      const PeakFlops& pf = g->spec.peak;
      const std::string_view s = t;
      sheet = s == "fp32" ? pf.fp32 : s == "tf32" ? pf.tf32 : s == "fp16" ? pf.fp16 : s == "bf16" ? pf.bf16 : s == "fp8" ? pf.fp8 : pf.int8;
    }
    double r1 = 0, r16 = 0;  // decode shapes: best over N×K at M = 1 and M = 16
    for (const auto& s : p.gemm) {
      if (s.dtype != t || !s.verified) continue;
      if (s.m == 1) r1 = std::max(r1, 2 * s.m * s.n * s.k / s.seconds);
      if (s.m == 16) r16 = std::max(r16, 2 * s.m * s.n * s.k / s.seconds);
    }
    char frac[16] = "-";
    if (sheet > 0) std::snprintf(frac, sizeof frac, "%.0f%%", peak / sheet * 100);
    o += line_of("          %-5s  %-17s  %-18s  %-9s  %-12s  %s\n", t, format_flops(peak).c_str(),
                 sheet > 0 ? format_flops(sheet).c_str() : "-", frac, r1 > 0 ? format_flops(r1).c_str() : "-",
                 r16 > 0 ? format_flops(r16).c_str() : "-");
  }
  for (const char* pat : {"read", "write", "copy"}) {
    const double b = measured_bandwidth(p, pat);
    if (b <= 0) continue;
    std::string frac;
    if (g) frac = line_of(" = %.0f%% of %s", b / g->spec.bandwidth_bytes_per_s * 100, format_bandwidth(g->spec.bandwidth_bytes_per_s).c_str());
    o += line_of("memory    %-5s %s%s\n", pat, format_bandwidth(b).c_str(), frac.c_str());
  }
  for (const auto& h : p.host_copies)
    o += line_of("host      %s %s at %s\n", h.direction.c_str(), format_bytes(h.bytes).c_str(), format_bandwidth(h.bytes / h.seconds).c_str());
  o += line_of("launch    empty kernel %s, back-to-back %s, in a CUDA graph %s per kernel\n", format_seconds(p.launch_empty_s).c_str(),
               format_seconds(p.launch_back_to_back_s).c_str(), format_seconds(p.launch_graph_s).c_str());
  o += sections_summary(p, g);
  for (const auto& n : p.notes) o += "note      " + n + "\n";
  return o;
}

}  // namespace llmcalc
