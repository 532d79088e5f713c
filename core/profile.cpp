// core/profile.cpp — reading, writing and deriving rates from a GPU profile. Untrusted JSON is
// parsed here and only here (CONVENTIONS.md §6): parse without exceptions, check every type
// before reading, cap the size.
#include "profile.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <cstdlib>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "text.hpp"
#include "units.hpp"

namespace llmcalc {

namespace {
using json = nlohmann::json;

Error field_error(const std::string& path, const char* want) {
  return make_error(ErrorCode::bad_value, "profile: " + path + " must be " + want);
}

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
};

constexpr const char* kGemmTypes[] = {"fp32", "tf32", "fp16", "bf16", "fp8", "int8"};
}  // namespace

std::optional<Error> profile_size_error(size_t bytes) {
  if (bytes <= kMaxProfileBytes) return std::nullopt;
  return make_error(ErrorCode::too_large, "profile: the file is " + format_bytes(double(bytes)) +
                                              "; a GPU profile is at most " + format_bytes(double(kMaxProfileBytes)));
}

Result<Profile> parse_profile(std::string_view text) {
  if (auto e = profile_size_error(text.size())) return *e;
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
      !r.integer(*dev, "memory_bus_bits", "device.", d.memory_bus_bits, false, 100000))
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
        !r.num(e, "bytes_moved", path, s.bytes_moved, true, 1e15) || !r.num(e, "seconds", path, s.seconds, true, 1e4))
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
        !r.integer(e, "algorithms_tried", path, s.algorithms_tried, false, 1000000) || !r.boolean(e, "verified", path, s.verified))
      return fail();
    if (std::find(std::begin(kGemmTypes), std::end(kGemmTypes), s.dtype) == std::end(kGemmTypes))
      return field_error(path + "dtype", "one of fp32 tf32 fp16 bf16 fp8 int8");
    if (s.m < 1 || s.n < 1 || s.k < 1 || s.m != std::floor(s.m) || s.n != std::floor(s.n) || s.k != std::floor(s.k))
      return field_error(path + "m/n/k", "whole numbers of at least 1");
    if (s.seconds <= 0) return field_error(path + "seconds", "greater than 0");
    if (2 * s.m * s.n * s.k / s.seconds > kMaxFlops) return field_error(path + "seconds", "long enough for at most 1e17 FLOP/s (100 PFLOP/s)");
    p.gemm.push_back(s);
  }
  if (p.gemm.empty()) return make_error(ErrorCode::missing_value, "profile: gemm has no measurements");
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
  if (Result<Calibration> back = decode_calibration(link); !back)  // never expected: the checks above cover it
    return make_error(ErrorCode::bad_value, "profile: its measurements cannot travel in a link: " + back.error().message);
  return p;
}

std::string write_profile(const Profile& p) {
  nlohmann::ordered_json j;
  j["schema"] = kProfileSchema;
  j["schema_version"] = p.schema_version;
  j["created"] = p.created;
  j["tool"] = {{"name", p.tool}, {"version", p.tool_version}, {"mode", p.run_mode}, {"run_seconds", p.run_seconds}};
  const ProfileDevice& d = p.device;
  j["device"] = {{"name", d.name}, {"compute_capability", d.compute_capability}, {"sm_count", d.sm_count},
                 {"memory_bytes", d.memory_bytes}, {"l2_bytes", d.l2_bytes}, {"sm_clock_khz", d.sm_clock_khz},
                 {"memory_clock_khz", d.memory_clock_khz}, {"memory_bus_bits", d.memory_bus_bits}};
  j["software"] = {{"driver", p.driver}, {"runtime", p.runtime}, {"cublas", p.cublas}};
  j["method"] = {{"timer", p.timer}, {"statistic", p.statistic}, {"warmup", p.warmup},
                 {"repetitions", p.repetitions}, {"l2_flushed", p.l2_flushed}};
  j["launch"] = {{"empty_kernel_s", p.launch_empty_s}, {"back_to_back_s", p.launch_back_to_back_s},
                 {"graph_per_kernel_s", p.launch_graph_s}};
  auto& bw = j["bandwidth"] = nlohmann::ordered_json::array();
  for (const auto& s : p.bandwidth)
    bw.push_back({{"pattern", s.pattern}, {"working_set_bytes", s.working_set_bytes}, {"bytes_moved", s.bytes_moved},
                  {"seconds", s.seconds}});
  auto& hc = j["host_copies"] = nlohmann::ordered_json::array();
  for (const auto& s : p.host_copies) hc.push_back({{"direction", s.direction}, {"bytes", s.bytes}, {"seconds", s.seconds}});
  auto& gm = j["gemm"] = nlohmann::ordered_json::array();
  for (const auto& s : p.gemm)
    gm.push_back({{"dtype", s.dtype}, {"m", s.m}, {"n", s.n}, {"k", s.k}, {"seconds", s.seconds},
                  {"best_seconds", s.best_seconds}, {"algorithms_tried", s.algorithms_tried}, {"verified", s.verified}});
  j["notes"] = p.notes;
  return j.dump(1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

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
}  // namespace

Calibration calibration_from_profile(const Profile& p) {
  Calibration c;
  c.device = p.device.name;
  c.date = date_of(p.created);
  c.bandwidth_bytes_per_s = measured_bandwidth(p, "read");
  c.launch_stream_s = p.launch_back_to_back_s;
  c.launch_graph_s = p.launch_graph_s;
  // per data type: M values sorted, (N, K) pairs in the order first measured; O(n log n) in the
  // number of entries
  for (DType t : kAllDTypes) {
    if (t == DType::int4) continue;
    const std::string name(dtype_name(t));
    GemmGrid& g = c.gemm[static_cast<int>(t)];
    std::map<double, size_t> m_index;
    std::map<std::pair<double, double>, size_t> nk_index;
    for (const auto& s : p.gemm) {
      if (s.dtype != name) continue;
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
    for (const auto& s : p.gemm) {
      if (s.dtype != name || !s.verified) continue;  // an unverified GEMM never yields a rate
      g.rate[nk_index[{s.n, s.k}] * g.m.size() + m_index[s.m]] = 2 * s.m * s.n * s.k / s.seconds;
    }
    if (std::all_of(g.rate.begin(), g.rate.end(), [](double r) { return r <= 0; })) g = GemmGrid{};
  }
  return c;
}

std::vector<std::string> apply_profile(Scenario& s, const Profile& p, bool keep_gpu) {
  std::vector<std::string> notes;
  // Through the text form, so this estimate uses exactly what a shared link carries.
  s.prof = encode_calibration(calibration_from_profile(p));
  notes.push_back("GPU profile: " + p.device.name + ", measured " + date_of(p.created));
  const GpuPreset* g = match_gpu_preset(p.device.name, p.device.memory_bytes);
  if (!keep_gpu && g && g->id != s.gpu) {
    s.gpu = std::string(g->id);
    notes.push_back("GPU set to " + std::string(g->id) + ", the profile's device");
  }
  if (!g) notes.push_back("no GPU preset matches " + p.device.name + "; memory capacity comes from " + s.gpu);
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

std::string profile_summary(const Profile& p) {
  std::string o;
  char line[512];
  const ProfileDevice& d = p.device;
  const GpuPreset* g = match_gpu_preset(d.name, d.memory_bytes);
  std::snprintf(line, sizeof line, "device    %s (compute %s, %d SMs, %s, L2 %s)\n", d.name.c_str(),
                d.compute_capability.c_str(), d.sm_count, format_bytes(d.memory_bytes).c_str(), format_bytes(d.l2_bytes).c_str());
  o += line;
  std::snprintf(line, sizeof line, "measured  %s by %s %s (%s run, %.0f s); driver %s, runtime %s, cuBLAS %s\n",
                p.created.c_str(), p.tool.c_str(), p.tool_version.c_str(), p.run_mode.c_str(), p.run_seconds,
                p.driver.c_str(), p.runtime.c_str(), p.cublas.c_str());
  o += line;
  std::snprintf(line, sizeof line, "method    %s, %d warm-up, %d repetitions, %s%s\n", p.timer.c_str(), p.warmup,
                p.repetitions, p.statistic.c_str(), p.l2_flushed ? ", L2 flushed between samples" : "");
  o += line;
  o += g ? "preset    " + std::string(g->id) + " (" + std::string(g->name) + ")\n" : "preset    none matches: compared with no datasheet\n";
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
    std::snprintf(line, sizeof line, "          %-5s  %-17s  %-18s  %-9s  %-12s  %s\n", t, format_flops(peak).c_str(),
                  sheet > 0 ? format_flops(sheet).c_str() : "-", frac, r1 > 0 ? format_flops(r1).c_str() : "-",
                  r16 > 0 ? format_flops(r16).c_str() : "-");
    o += line;
  }
  for (const char* pat : {"read", "write", "copy"}) {
    const double b = measured_bandwidth(p, pat);
    if (b <= 0) continue;
    char frac[32] = "";
    if (g) std::snprintf(frac, sizeof frac, " = %.0f%% of %s", b / g->spec.bandwidth_bytes_per_s * 100, format_bandwidth(g->spec.bandwidth_bytes_per_s).c_str());
    std::snprintf(line, sizeof line, "memory    %-5s %s%s\n", pat, format_bandwidth(b).c_str(), frac);
    o += line;
  }
  for (const auto& h : p.host_copies) {
    std::snprintf(line, sizeof line, "host      %s %s at %s\n", h.direction.c_str(), format_bytes(h.bytes).c_str(),
                  format_bandwidth(h.bytes / h.seconds).c_str());
    o += line;
  }
  std::snprintf(line, sizeof line, "launch    empty kernel %s, back-to-back %s, in a CUDA graph %s per kernel\n",
                format_seconds(p.launch_empty_s).c_str(), format_seconds(p.launch_back_to_back_s).c_str(),
                format_seconds(p.launch_graph_s).c_str());
  o += line;
  for (const auto& n : p.notes) o += "note      " + n + "\n";
  return o;
}

}  // namespace llmcalc
