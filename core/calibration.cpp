// core/calibration.cpp — rates from a calibration, and its compact text form.
#include "calibration.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

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
}  // namespace

double measured_gemm_rate(const Calibration* c, DType t, double m, double n, double k) {
  if (!c) return 0;
  const GemmGrid& g = c->gemm[static_cast<int>(t)];
  if (g.empty() || g.rate.size() != g.m.size() * g.n.size()) return 0;
  double wsum = 0, lsum = 0;
  for (size_t i = 0; i < g.n.size(); ++i) {
    const double r = column_rate(g, i, m);
    if (r <= 0) continue;
    const double dn = std::log(n) - std::log(g.n[i]), dk = std::log(k) - std::log(g.k[i]);
    const double d2 = dn * dn + dk * dk;
    if (d2 < 1e-12) return r;  // a measured column
    wsum += 1.0 / d2;
    lsum += std::log(r) / d2;
  }
  return wsum > 0 ? std::exp(lsum / wsum) : 0;
}

double launch_s(const Calibration* c, bool in_graph) {
  if (!c) return 0.0;
  return in_graph ? c->launch_graph_s : c->launch_stream_s;
}

// ---- compact text ---------------------------------------------------------------------------------
// 1~DEVICE~DATE~BW~LAUNCH_STREAM~LAUNCH_GRAPH~DTYPE.M_M_….NxK_NxK_….R_R_…~DTYPE…
// Numbers: 3 significant digits, no '+'; rates in TFLOP/s; device name with '_' for spaces.
// Only unreserved URL characters (letters, digits, - . _ ~) appear.

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
  for (DType t : kAllDTypes) {
    const GemmGrid& g = c.gemm[static_cast<int>(t)];
    if (g.empty() || g.rate.size() != g.m.size() * g.n.size()) continue;
    o += '~';
    o += dtype_name(t);
    o += '.';
    for (size_t j = 0; j < g.m.size(); ++j) {
      if (j) o += '_';
      o += whole(g.m[j]);
    }
    o += '.';
    for (size_t i = 0; i < g.n.size(); ++i) {
      if (i) o += '_';
      o += whole(g.n[i]);
      o += 'x';
      o += whole(g.k[i]);
    }
    o += '.';
    for (size_t i = 0; i < g.rate.size(); ++i) {
      if (i) o += '_';
      o += num3(g.rate[i] / 1e12);
    }
  }
  return o;
}

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
  for (size_t p = 6; p < parts.size(); ++p) {
    // DTYPE . M_M_… . NxK_NxK_… . RATES (rates may contain '.', so they are the remainder)
    const std::string_view sec = parts[p];
    const size_t d1 = sec.find('.');
    const size_t d2 = d1 == std::string_view::npos ? d1 : sec.find('.', d1 + 1);
    const size_t d3 = d2 == std::string_view::npos ? d2 : sec.find('.', d2 + 1);
    if (d3 == std::string_view::npos) return bad("GEMM section");
    const auto t = parse_dtype(sec.substr(0, d1));
    if (!t || *t == DType::int4) return bad("data type '" + safe_text(sec.substr(0, d1), 20) + "'");
    const std::string_view ms = sec.substr(d1 + 1, d2 - d1 - 1), nks = sec.substr(d2 + 1, d3 - d2 - 1),
                           rates = sec.substr(d3 + 1);
    GemmGrid& g = c.gemm[static_cast<int>(*t)];
    if (!g.empty()) return bad("data type given twice");
    for (auto s : split(ms, '_')) {
      double v;
      if (!read_num(s, v) || v < 1 || v > kMaxGemmDim || v != std::floor(v)) return bad("GEMM M must be a whole number from 1 to 1e7");
      if (!g.m.empty() && v <= g.m.back()) return bad("GEMM M values must increase");
      g.m.push_back(v);
    }
    for (auto s : split(nks, '_')) {
      const size_t xi = s.find('x');
      double n, k;
      if (xi == std::string_view::npos || !read_num(s.substr(0, xi), n) || !read_num(s.substr(xi + 1), k) || n < 1 || k < 1 ||
          n > kMaxGemmDim || k > kMaxGemmDim || n != std::floor(n) || k != std::floor(k))
        return bad("GEMM N\xC3\x97K must be whole numbers from 1 to 1e7");
      for (size_t i = 0; i < g.n.size(); ++i)
        if (g.n[i] == n && g.k[i] == k) return bad("GEMM N\xC3\x97K given twice");
      g.n.push_back(n);
      g.k.push_back(k);
    }
    if (g.m.size() > kMaxGridM || g.n.size() > kMaxGridNK) return bad("GEMM grid larger than 64 M \xC3\x97 512 N\xC3\x97K");
    bool any = false;
    for (auto s : split(rates, '_')) {
      double v;
      if (!read_num(s, v) || v * 1e12 > kMaxFlops) return bad("GEMM rate must be 0 to 1e5 TFLOP/s");
      any = any || v > 0;
      g.rate.push_back(v * 1e12);
    }
    if (g.rate.size() != g.m.size() * g.n.size()) return bad("GEMM grid size");
    if (!any) return bad(std::string(dtype_name(*t)) + " has no measured rate");
  }
  return c;
}

}  // namespace llmcalc
