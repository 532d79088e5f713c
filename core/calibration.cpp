// core/calibration.cpp — rates from a calibration, and its compact text form.
#include "calibration.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "text.hpp"

namespace llmcalc {

// ---- rates --------------------------------------------------------------------------------------

namespace {
// Rate of one (N, K) column at M: linear in (log M, log rate) between measured points, the
// nearest measured value outside them; 0 when the column has no measurement.
double column_rate(const GemmGrid& g, size_t col, double m) {
  const size_t nm = g.m.size();
  const double* r = &g.rate[col * nm];
  size_t lo = nm, hi = nm;
  for (size_t j = 0; j < nm; ++j) {
    if (r[j] <= 0) continue;
    if (g.m[j] <= m) lo = j;
    if (g.m[j] >= m && hi == nm) hi = j;
  }
  if (lo == nm && hi == nm) return 0;
  if (lo == nm) return r[hi];
  if (hi == nm || lo == hi) return r[lo];
  const double t = (std::log(m) - std::log(g.m[lo])) / (std::log(g.m[hi]) - std::log(g.m[lo]));
  return std::exp(std::log(r[lo]) + t * (std::log(r[hi]) - std::log(r[lo])));
}

// Inverse-squared-distance blend in log space of values measured at points; a measured point exactly.
// `dist2(i)` is the squared log distance of point i from the query, `value(i)` its value (> 0).
template <class D, class V>
double blend(size_t n, D&& dist2, V&& value) {
  double wsum = 0, lsum = 0;
  for (size_t i = 0; i < n; ++i) {
    const double v = value(i);
    if (v <= 0) continue;
    const double d2 = dist2(i);
    if (d2 < 1e-12) return v;
    wsum += 1.0 / d2;
    lsum += std::log(v) / d2;
  }
  return wsum > 0 ? std::exp(lsum / wsum) : 0;
}

double sq_log(double a, double b) {
  const double d = std::log(a) - std::log(b);
  return d * d;
}

double grid_rate(const GemmGrid& g, double m, double n, double k) {
  if (g.empty() || g.rate.size() != g.m.size() * g.n.size()) return 0;
  return blend(
      g.n.size(), [&](size_t i) { return sq_log(n, g.n[i]) + sq_log(k, g.k[i]); },
      [&](size_t i) { return column_rate(g, i, m); });
}

// Log-log between the points around x; y[0] below the first; beyond the last, `tail` decides:
// proportional to x (times of work that grows with x) or the last value.
double log_log(const Curve& c, double x, bool proportional_tail) {
  const size_t n = c.x.size();
  if (n == 0 || c.y.size() != n || !(x > 0)) return 0;
  if (x <= c.x[0]) return c.y[0];
  if (x >= c.x[n - 1]) return proportional_tail ? c.y[n - 1] * (x / c.x[n - 1]) : c.y[n - 1];
  size_t i = 1;
  while (c.x[i] < x) ++i;
  const double t = (std::log(x) - std::log(c.x[i - 1])) / (std::log(c.x[i]) - std::log(c.x[i - 1]));
  return std::exp(std::log(c.y[i - 1]) + t * (std::log(c.y[i]) - std::log(c.y[i - 1])));
}
}  // namespace

double measured_gemm_rate(const Calibration* c, DType t, double m, double n, double k) {
  return c ? grid_rate(c->gemm[static_cast<int>(t)], m, n, k) : 0;
}

double launch_s(const Calibration* c, bool in_graph) {
  if (!c) return 0.0;
  return in_graph ? c->launch_graph_s : c->launch_stream_s;
}

const char* small_kernel_name(SmallKernel k) {
  constexpr const char* kNames[kSmallKernelCount] = {"rmsnorm", "silu_mul", "rope", "residual_add", "embedding", "sampling"};
  return kNames[static_cast<int>(k)];
}

const char* collective_name(Collective c) {
  constexpr const char* kNames[kCollectiveCount] = {"all_reduce", "all_gather", "reduce_scatter", "all_to_all"};
  return kNames[static_cast<int>(c)];
}

double curve_at(const Curve& c, double x) { return log_log(c, x, true); }

double measured_weight_only_rate(const Calibration* c, int bits, double m, double n, double k) {
  if (!c || (bits != 4 && bits != 8)) return 0;
  const GemmGrid& g = c->weight_only[bits == 4 ? 0 : 1];
  if (g.empty() || m > g.m.back()) return 0;
  return grid_rate(g, m, n, k);
}

double weight_only_bandwidth(const Calibration* c, int bits) {
  if (!c || (bits != 4 && bits != 8)) return 0;
  const GemmGrid& g = c->weight_only[bits == 4 ? 0 : 1];
  if (g.empty() || g.rate.size() != g.m.size() * g.n.size()) return 0;
  // the weights dominate what a small-M kernel reads: n·k·bytes per weight in 2·m·n·k / rate seconds
  const double per_weight = bits == 4 ? kW4A16BytesPerWeight : kW8A16BytesPerWeight;
  double best = 0;
  for (size_t i = 0; i < g.n.size(); ++i) best = std::max(best, g.rate[i * g.m.size()] * per_weight / (2 * g.m[0]));
  return best;
}

double measured_grouped_rate(const Calibration* c, DType t, double rows, double n, double k) {
  return c ? grid_rate(c->grouped[static_cast<int>(t)], rows, n, k) : 0;
}

double measured_decode_attention_bandwidth(const Calibration* c, double context, double batch, double head_dim, double gqa) {
  if (!c || !(context > 0 && batch > 0 && head_dim > 0 && gqa > 0)) return 0;
  const auto& p = c->attn_decode;
  return blend(
      p.size(),
      [&](size_t i) {
        return sq_log(context, p[i].context) + sq_log(batch, p[i].batch) + sq_log(head_dim, p[i].head_dim) + sq_log(gqa, p[i].gqa);
      },
      [&](size_t i) { return p[i].bytes_per_s; });
}

double measured_prefill_attention_rate(const Calibration* c, double seq, double head_dim) {
  if (!c || c->attn_prefill.empty() || !(seq > 0 && head_dim > 0)) return 0;
  double nearest = c->attn_prefill[0].head_dim;
  for (const auto& p : c->attn_prefill)
    if (sq_log(head_dim, p.head_dim) < sq_log(head_dim, nearest)) nearest = p.head_dim;
  Curve rate;  // the nearest head_dim's points, in order of seq (decode keeps them sorted)
  for (const auto& p : c->attn_prefill)
    if (p.head_dim == nearest && (rate.x.empty() || p.seq > rate.x.back())) {
      rate.x.push_back(p.seq);
      rate.y.push_back(p.flop_per_s);
    }
  return log_log(rate, seq, false);
}

double measured_small_kernel_s(const Calibration* c, SmallKernel k, double bytes) {
  return c ? curve_at(c->small[static_cast<int>(k)], bytes) : 0;
}

double measured_collective_s(const Calibration* c, Collective op, int ranks, double bytes) {
  if (!c) return 0;
  for (const auto& cc : c->collectives)
    if (cc.op == op && cc.ranks == ranks) return curve_at(cc.time, bytes);
  return 0;
}

// ---- compact text ---------------------------------------------------------------------------------
// 1~DEVICE~DATE~BW~LAUNCH_STREAM~LAUNCH_GRAPH~DTYPE.M_M_….NxK_NxK_….R_R_…~DTYPE…~SECTION…
// Numbers: 3 significant digits, no '+'; rates in TFLOP/s; device name with '_' for spaces.
// Only unreserved URL characters (letters, digits, - . _ ~) appear. A section is its name, the
// whole-number fields it has (each after a '.'), then '.' and a '_'-separated list of values that
// may contain '.'. The schema-1.1 sections (after the GEMM grids, in this order, each optional):
//   w4 / w8 .M_….NxK_….R_…            weight-only reference kernel (W4A16 / W8A16), TFLOP/s
//   gDTYPE .M_….NxK_….R_…              grouped MoE GEMMs, M = rows per expert, TFLOP/s
//   ad .CxBxDxG_… .TB/s_…              decode attention: context × batch × head_dim × GQA → TB/s
//   ap .SxD_… .TFLOP/s_…               prefill attention: seq × head_dim → TFLOP/s
//   kn ka kr kd ke ks .BYTES_… .S_…    small kernels (rmsnorm, silu·mul, rope, residual add,
//                                      embedding, sampling): bytes moved → seconds per kernel
//   mem .TOTAL_CONTEXT                 device memory, and what the context + cuBLASLt take (bytes)
//   cr cg cs ca + RANKS .BYTES_… .S_…  all-reduce, all-gather, reduce-scatter, all-to-all (nccl-tests)
//   p2p .BYTES/S_LATENCY               GPU-to-GPU copies

namespace {
std::string num3(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  std::string s;
  for (const char* p = buf; *p; ++p) {
    if (*p == '+') continue;
    if (*p == 'e' && (p[1] == '-' || p[1] == '+') && p[2] == '0') {  // e-06 → e-6, e+06 → e6
      s += 'e';
      if (p[1] == '-') s += '-';
      p += 2;
      while (*p == '0' && p[1]) ++p;
      s += *p;
      continue;
    }
    s += *p;
  }
  return s;
}

std::string whole(double v) {  // shapes are whole numbers: written exactly
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t p = s.find(sep, start);
    out.push_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return out;
}

bool read_num(std::string_view s, double& v) {
  if (s.empty() || s.size() > 30) return false;
  for (char ch : s)
    if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == 'e' || ch == '-')) return false;
  const std::string t(s);
  char* end = nullptr;
  v = std::strtod(t.c_str(), &end);
  return end == t.c_str() + t.size() && std::isfinite(v) && v >= 0;
}

Error bad(const std::string& what) {
  return make_error(ErrorCode::bad_value, "prof: the link's GPU profile is damaged (" + what + ")");
}
}  // namespace

namespace {
constexpr char kSmallCodes[kSmallKernelCount + 1] = "nardes";  // by SmallKernel
constexpr char kCollectiveCodes[kCollectiveCount + 1] = "rgsa";  // by Collective

template <class F>
void put_list(std::string& o, size_t n, F&& item) {
  for (size_t i = 0; i < n; ++i) {
    if (i) o += '_';
    o += item(i);
  }
}

void put_grid(std::string& o, const std::string& name, const GemmGrid& g) {
  if (g.empty() || g.rate.size() != g.m.size() * g.n.size()) return;
  o += '~' + name + '.';
  put_list(o, g.m.size(), [&](size_t j) { return whole(g.m[j]); });
  o += '.';
  put_list(o, g.n.size(), [&](size_t i) { return whole(g.n[i]) + 'x' + whole(g.k[i]); });
  o += '.';
  put_list(o, g.rate.size(), [&](size_t i) { return num3(g.rate[i] / 1e12); });
}

// A curve with whole-number x (bytes) and 3-digit y (seconds).
void put_curve(std::string& o, const std::string& name, const Curve& c) {
  if (c.empty() || c.y.size() != c.x.size()) return;
  o += '~' + name + '.';
  put_list(o, c.x.size(), [&](size_t i) { return whole(c.x[i]); });
  o += '.';
  put_list(o, c.y.size(), [&](size_t i) { return num3(c.y[i]); });
}
}  // namespace

std::string encode_calibration(const Calibration& c) {
  std::string o = "1~";
  for (char ch : c.device) {
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.') o += ch;
    else if (ch == ' ' || ch == '_') o += '_';
  }
  o += '~';
  size_t date_chars = 0;
  for (char ch : c.date)
    if (((ch >= '0' && ch <= '9') || ch == '-') && date_chars < 10) {
      o += ch;
      ++date_chars;
    }
  for (double v : {c.bandwidth_bytes_per_s, c.launch_stream_s, c.launch_graph_s}) {
    o += '~';
    o += num3(v);
  }
  for (DType t : kAllDTypes) put_grid(o, std::string(dtype_name(t)), c.gemm[static_cast<int>(t)]);
  put_grid(o, "w4", c.weight_only[0]);
  put_grid(o, "w8", c.weight_only[1]);
  for (DType t : kAllDTypes) put_grid(o, "g" + std::string(dtype_name(t)), c.grouped[static_cast<int>(t)]);
  if (!c.attn_decode.empty()) {
    const auto& p = c.attn_decode;
    o += "~ad.";
    put_list(o, p.size(), [&](size_t i) {
      return whole(p[i].context) + 'x' + whole(p[i].batch) + 'x' + whole(p[i].head_dim) + 'x' + whole(p[i].gqa);
    });
    o += '.';
    put_list(o, p.size(), [&](size_t i) { return num3(p[i].bytes_per_s / 1e12); });
  }
  if (!c.attn_prefill.empty()) {
    const auto& p = c.attn_prefill;
    o += "~ap.";
    put_list(o, p.size(), [&](size_t i) { return whole(p[i].seq) + 'x' + whole(p[i].head_dim); });
    o += '.';
    put_list(o, p.size(), [&](size_t i) { return num3(p[i].flop_per_s / 1e12); });
  }
  for (int k = 0; k < kSmallKernelCount; ++k) put_curve(o, std::string("k") + kSmallCodes[k], c.small[k]);
  if (c.memory_bytes > 0) o += "~mem." + whole(c.memory_bytes) + '_' + whole(c.context_bytes);
  for (const auto& cc : c.collectives)
    put_curve(o, std::string("c") + kCollectiveCodes[static_cast<int>(cc.op)] + std::to_string(cc.ranks), cc.time);
  if (c.p2p_bytes_per_s > 0) o += "~p2p." + num3(c.p2p_bytes_per_s) + '_' + num3(c.p2p_latency_s);
  return o;
}

namespace {
// A section split into its name, `n` whole-number fields and the remaining value list; false when
// it has fewer parts.
bool split_section(std::string_view sec, size_t n, std::vector<std::string_view>& fields, std::string_view& rest) {
  fields.clear();
  size_t at = sec.find('.');
  if (at == std::string_view::npos) return false;
  for (size_t i = 0; i < n; ++i) {
    const size_t next = sec.find('.', at + 1);
    if (next == std::string_view::npos) return false;
    fields.push_back(sec.substr(at + 1, next - at - 1));
    at = next;
  }
  rest = sec.substr(at + 1);
  return true;
}

bool read_whole(std::string_view s, double lo, double hi, double& v) {
  return read_num(s, v) && v >= lo && v <= hi && v == std::floor(v);
}

// Reads a list of values into `out` (each checked by `ok`), at most `max` of them.
template <class F>
bool read_list(std::string_view s, size_t max, std::vector<double>& out, F&& ok) {
  out.clear();
  for (auto item : split(s, '_')) {
    double v;
    if (out.size() >= max || !read_num(item, v) || !ok(v)) return false;
    out.push_back(v);
  }
  return true;
}

// DTYPE . M_M_… . NxK_NxK_… . RATES into g (empty before).
std::optional<Error> read_grid(std::string_view sec, const std::string& what, GemmGrid& g) {
  std::vector<std::string_view> f;
  std::string_view rates;
  if (!split_section(sec, 2, f, rates)) return bad(what + " section");
  if (!g.empty()) return bad(what + " given twice");
  for (auto s : split(f[0], '_')) {
    double v;
    if (!read_whole(s, 1, kMaxGemmDim, v)) return bad("GEMM M must be a whole number from 1 to 1e7");
    if (!g.m.empty() && v <= g.m.back()) return bad("GEMM M values must increase");
    g.m.push_back(v);
  }
  for (auto s : split(f[1], '_')) {
    const size_t xi = s.find('x');
    double n, k;
    if (xi == std::string_view::npos || !read_whole(s.substr(0, xi), 1, kMaxGemmDim, n) ||
        !read_whole(s.substr(xi + 1), 1, kMaxGemmDim, k))
      return bad("GEMM N\xC3\x97K must be whole numbers from 1 to 1e7");
    for (size_t i = 0; i < g.n.size(); ++i)
      if (g.n[i] == n && g.k[i] == k) return bad("GEMM N\xC3\x97K given twice");
    g.n.push_back(n);
    g.k.push_back(k);
  }
  if (g.m.size() > kMaxGridM || g.n.size() > kMaxGridNK) return bad("GEMM grid larger than 64 M \xC3\x97 512 N\xC3\x97K");
  bool any = false;
  if (!read_list(rates, g.m.size() * g.n.size(), g.rate, [&](double v) {
        any = any || v > 0;
        return v * 1e12 <= kMaxFlops;
      }))
    return bad("GEMM rate must be 0 to 1e5 TFLOP/s");
  for (double& r : g.rate) r *= 1e12;
  if (g.rate.size() != g.m.size() * g.n.size()) return bad("GEMM grid size");
  if (!any) return bad(what + " has no measured rate");
  return std::nullopt;
}

// 'x'-separated whole-number tuples of `arity`, each within [1, hi[i]].
bool read_tuples(std::string_view s, size_t arity, const double* hi, std::vector<std::vector<double>>& out) {
  out.clear();
  for (auto item : split(s, '_')) {
    if (out.size() >= kMaxPoints) return false;
    const auto parts = split(item, 'x');
    if (parts.size() != arity) return false;
    std::vector<double> t(arity);
    for (size_t i = 0; i < arity; ++i)
      if (!read_whole(parts[i], 1, hi[i], t[i])) return false;
    out.push_back(t);
  }
  return true;
}

// NAME . X_X_… (whole, increasing, 1…xmax) . Y_Y_… (within [ylo, yhi], x/y ≤ rate_max).
std::optional<Error> read_curve(std::string_view sec, const std::string& what, double xmax, double ylo, double yhi, Curve& c) {
  std::vector<std::string_view> f;
  std::string_view ys;
  if (!split_section(sec, 1, f, ys)) return bad(what);
  if (!c.empty()) return bad(what + " given twice");
  if (!read_list(f[0], kMaxPoints, c.x, [&](double v) { return v >= 1 && v <= xmax && v == std::floor(v); }) ||
      !read_list(ys, kMaxPoints, c.y, [&](double v) { return v >= ylo && v <= yhi; }) || c.x.size() != c.y.size() || c.x.empty())
    return bad(what + ": sizes 1 to 1e15 bytes, times within range, as many of each");
  for (size_t i = 0; i < c.x.size(); ++i)
    if ((i && c.x[i] <= c.x[i - 1]) || c.x[i] / c.y[i] > kMaxBandwidth) return bad(what + ": sizes must increase, at most 100 TB/s");
  return std::nullopt;
}
}  // namespace

Result<Calibration> decode_calibration(std::string_view text) {
  if (text.size() > kMaxCalibrationText)
    return make_error(ErrorCode::too_large, "prof: the link's GPU profile is longer than 16 KiB");
  const auto parts = split(text, '~');
  if (parts.size() < 6) return bad("too few fields");
  if (parts[0] != "1")
    return make_error(ErrorCode::unsupported_version, "prof: unknown GPU-profile link version '" + safe_text(parts[0], 20) + "'");
  Calibration c;
  if (parts[1].size() > 100) return bad("device name longer than 100 characters");
  for (char ch : parts[1]) {
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_'))
      return bad("device name: letters, digits, '-', '.', '_' only");
    c.device += ch == '_' ? ' ' : ch;
  }
  if (parts[2].size() > 32) return bad("date");
  for (char ch : parts[2])  // as encode writes it: digits and '-'
    if (((ch >= '0' && ch <= '9') || ch == '-') && c.date.size() < 10) c.date += ch;
  // Values a measurement can have: a kernel launch takes microseconds, memory moves between
  // 1 GB/s and 100 TB/s, a GEMM runs below 100 PFLOP/s on one GPU.
  if (!read_num(parts[3], c.bandwidth_bytes_per_s) || c.bandwidth_bytes_per_s < kMinBandwidth ||
      c.bandwidth_bytes_per_s > kMaxBandwidth)
    return bad("bandwidth must be between 1e9 and 1e14 B/s");
  if (!read_num(parts[4], c.launch_stream_s) || c.launch_stream_s > kMaxLaunch) return bad("launch time must be 0 to 1e-3 s");
  if (!read_num(parts[5], c.launch_graph_s) || c.launch_graph_s > kMaxLaunch) return bad("graph launch time must be 0 to 1e-3 s");
  bool seen_ad = false, seen_ap = false, seen_mem = false, seen_p2p = false;
  for (size_t p = 6; p < parts.size(); ++p) {
    const std::string_view sec = parts[p];
    const std::string_view name = sec.substr(0, sec.find('.'));
    std::vector<std::string_view> f;
    std::string_view rest;
    if (const auto t = parse_dtype(name)) {  // a GEMM grid
      if (*t == DType::int4) return bad("data type 'int4'");
      if (auto e = read_grid(sec, std::string(dtype_name(*t)), c.gemm[static_cast<int>(*t)])) return *e;
    } else if (name == "w4" || name == "w8") {
      if (auto e = read_grid(sec, std::string(name), c.weight_only[name == "w4" ? 0 : 1])) return *e;
    } else if (name.size() > 1 && name[0] == 'g' && parse_dtype(name.substr(1)) && parse_dtype(name.substr(1)) != DType::int4) {
      if (auto e = read_grid(sec, std::string(name), c.grouped[static_cast<int>(*parse_dtype(name.substr(1)))])) return *e;
    } else if (name == "ad") {
      std::vector<std::vector<double>> shapes;
      std::vector<double> tbs;
      const double hi[] = {kMaxGemmDim, 1e5, 4096, 1024};
      if (seen_ad || !split_section(sec, 1, f, rest) || !read_tuples(f[0], 4, hi, shapes) ||
          !read_list(rest, kMaxPoints, tbs, [](double v) { return v * 1e12 >= kMinBandwidth && v * 1e12 <= kMaxBandwidth; }) ||
          tbs.size() != shapes.size())
        return bad("decode attention: context\xC3\x97" "batch\xC3\x97head_dim\xC3\x97GQA and 1e-3 to 100 TB/s each");
      seen_ad = true;
      for (size_t i = 0; i < shapes.size(); ++i)
        c.attn_decode.push_back({shapes[i][0], shapes[i][1], shapes[i][2], shapes[i][3], tbs[i] * 1e12});
    } else if (name == "ap") {
      std::vector<std::vector<double>> shapes;
      std::vector<double> tf;
      const double hi[] = {kMaxGemmDim, 4096};
      if (seen_ap || !split_section(sec, 1, f, rest) || !read_tuples(f[0], 2, hi, shapes) ||
          !read_list(rest, kMaxPoints, tf, [](double v) { return v > 0 && v * 1e12 <= kMaxFlops; }) || tf.size() != shapes.size())
        return bad("prefill attention: seq\xC3\x97head_dim and 0 to 1e5 TFLOP/s each");
      seen_ap = true;
      for (size_t i = 0; i < shapes.size(); ++i) {
        if (i && (shapes[i][1] < shapes[i - 1][1] || (shapes[i][1] == shapes[i - 1][1] && shapes[i][0] <= shapes[i - 1][0])))
          return bad("prefill attention shapes must be in order of head_dim, then seq");
        c.attn_prefill.push_back({shapes[i][0], shapes[i][1], tf[i] * 1e12});
      }
    } else if (name.size() == 2 && name[0] == 'k' && std::string_view(kSmallCodes).find(name[1]) != std::string_view::npos) {
      const size_t k = std::string_view(kSmallCodes).find(name[1]);
      if (auto e = read_curve(sec, "small kernel " + std::string(small_kernel_name(SmallKernel(k))), kMaxMemoryBytes, 1e-7, 1.0, c.small[k]))
        return *e;
    } else if (name == "mem") {
      double v[2];
      const auto vs = split_section(sec, 0, f, rest) ? split(rest, '_') : std::vector<std::string_view>{};
      if (seen_mem || vs.size() != 2 || !read_whole(vs[0], 1, kMaxMemoryBytes, v[0]) || !read_whole(vs[1], 0, v[0], v[1]))
        return bad("memory: total 1 to 1e15 bytes and the context's share of it");
      seen_mem = true;
      c.memory_bytes = v[0];
      c.context_bytes = v[1];
    } else if (name.size() >= 3 && name[0] == 'c' && std::string_view(kCollectiveCodes).find(name[1]) != std::string_view::npos) {
      double ranks;
      if (!read_whole(name.substr(2), 2, 1e6, ranks) || c.collectives.size() >= kMaxCollectiveCurves)
        return bad("collective: 2 to 1e6 GPUs, at most 16 curves");
      CollectiveCurve cc{Collective(std::string_view(kCollectiveCodes).find(name[1])), int(ranks), {}};
      for (const auto& o : c.collectives)
        if (o.op == cc.op && o.ranks == cc.ranks) return bad("collective given twice");
      if (auto e = read_curve(sec, std::string(collective_name(cc.op)), kMaxMemoryBytes, 1e-7, 1e4, cc.time)) return *e;
      c.collectives.push_back(std::move(cc));
    } else if (name == "p2p") {
      std::vector<double> v;
      if (seen_p2p || !split_section(sec, 0, f, rest) || !read_list(rest, 2, v, [](double x) { return x <= kMaxBandwidth; }) ||
          v.size() != 2 || v[0] < 1e6 || v[1] > 1e-2)
        return bad("p2p: 1e6 to 1e14 B/s and a latency up to 10 ms");
      seen_p2p = true;
      c.p2p_bytes_per_s = v[0];
      c.p2p_latency_s = v[1];
    } else {
      return bad("unknown section '" + safe_text(name, 20) + "'");
    }
  }
  return c;
}

}  // namespace llmcalc
