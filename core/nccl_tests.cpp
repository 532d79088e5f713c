// core/nccl_tests.cpp — nccl-tests output → collectives (see nccl_tests.hpp).
#include "nccl_tests.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "text.hpp"
#include "units.hpp"

namespace llmcalc {

namespace {
std::vector<std::string_view> tokens(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

bool number(std::string_view s, double& v) {
  if (s.empty() || s.size() > 30) return false;
  const std::string t(s);
  char* end = nullptr;
  v = std::strtod(t.c_str(), &end);
  return end == t.c_str() + t.size() && std::isfinite(v);
}

// "all_reduce_perf" (or a file named after it) → the collective; false when none of the four.
bool collective_of(std::string_view name, std::string& op) {
  const std::pair<const char*, const char*> known[] = {
      {"all_reduce", "all_reduce"}, {"allreduce", "all_reduce"}, {"all_gather", "all_gather"}, {"allgather", "all_gather"},
      {"reduce_scatter", "reduce_scatter"}, {"reducescatter", "reduce_scatter"}, {"alltoall", "all_to_all"}, {"all_to_all", "all_to_all"}};
  for (const auto& [pat, id] : known)
    if (name.find(pat) != std::string_view::npos) {
      op = id;
      return true;
    }
  return false;
}

Error fail(std::string_view file, const std::string& what) {
  return make_error(ErrorCode::bad_value, "nccl-tests: " + safe_text(file, 80) + ": " + what);
}
}  // namespace

Result<std::vector<CollectiveSample>> parse_nccl_tests(std::string_view text, std::string_view file_name) {
  if (text.size() > kMaxNcclTestsBytes)
    return make_error(ErrorCode::too_large, "nccl-tests: " + safe_text(file_name, 80) + " is " + format_bytes(double(text.size())) +
                                                "; an nccl-tests output is at most " + format_bytes(double(kMaxNcclTestsBytes)));
  std::string op, test_name, device;
  std::set<long> ranks;
  std::vector<std::string_view> header;
  int col_size = -1, col_time = -1, col_busbw = -1, col_algbw = -1, col_redop = -1, col_wrong = -1;
  std::vector<std::vector<std::string_view>> rows;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    const auto t = tokens(line);
    if (t.empty()) continue;
    if (t[0] == "#" || t[0].front() == '#') {
      if (line.find("Collective test starting:") != std::string_view::npos && t.size() >= 5) test_name = std::string(t[4]);
      if (t.size() >= 3 && (t[1] == "Rank" || t[0] == "#Rank")) {
        double r;
        if (number(t[t[0] == "#Rank" ? 1 : 2], r) && r >= 0 && r < 1e6) ranks.insert(long(r));
        const size_t close = line.find(']');  // "device  0 [0x1b] NVIDIA H100 80GB HBM3": the name after the bus id
        if (close != std::string_view::npos && device.empty()) {
          std::string_view name = line.substr(close + 1);
          while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
          device = safe_text(name, 80);
        }
      }
      // the column names: the row that names size, time and busbw
      const auto has = [&](std::string_view w) { return std::find(t.begin(), t.end(), w) != t.end(); };
      if (header.empty() && has("size") && has("time") && has("busbw")) {
        header.assign(t.begin() + (t[0] == "#" ? 1 : 0), t.end());
        if (t[0] != "#") header[0] = header[0].substr(1);
        for (int i = 0; i < int(header.size()); ++i) {
          const std::string_view h = header[size_t(i)];
          if (h == "size" && col_size < 0) col_size = i;
          if (h == "time" && col_time < 0) col_time = i;
          if (h == "busbw" && col_busbw < 0) col_busbw = i;
          if (h == "algbw" && col_algbw < 0) col_algbw = i;
          if (h == "redop" && col_redop < 0) col_redop = i;
          if ((h == "#wrong" || h == "error") && col_wrong < 0) col_wrong = i;
        }
      }
      continue;
    }
    // a result row: numbers where the header names size, time and busbw (launcher noise is skipped)
    double v;
    if (!header.empty() && col_size >= 0 && col_time >= 0 && col_busbw >= 0 &&
        t.size() > size_t(std::max({col_size, col_time, col_busbw})) && number(t[size_t(col_size)], v) &&
        number(t[size_t(col_time)], v) && number(t[size_t(col_busbw)], v))
      rows.push_back(t);
  }
  if (header.empty() || col_size < 0 || col_time < 0 || col_busbw < 0)
    return fail(file_name, "no column header naming size, time and busbw: not nccl-tests output?");
  if (rows.empty()) return fail(file_name, "no result rows under the column header");
  if (rows.size() > kMaxNcclTestsRows) return fail(file_name, "more than 256 result rows");
  if (ranks.size() < 2) return fail(file_name, "fewer than two '#  Rank' lines: cannot tell how many GPUs ran it");
  // which collective: the test's own line, else the file's name, else its columns (only an
  // all-reduce has busbw = algbw · 2(n − 1)/n)
  if (!test_name.empty() && !collective_of(test_name, op))
    return fail(file_name, "'" + safe_text(test_name, 40) + "': llmcalc reads all_reduce, all_gather, reduce_scatter and alltoall results");
  if (op.empty()) collective_of(file_name, op);
  const int n = int(ranks.size());
  if (op.empty() && col_algbw >= 0) {
    double alg = 0, bus = 0;
    for (const auto& r : rows)
      if (number(r[size_t(col_algbw)], alg) && number(r[size_t(col_busbw)], bus) && alg > 1) break;
    if (alg > 1 && std::abs(bus / alg - 2.0 * (n - 1) / n) < 0.02) op = "all_reduce";
  }
  if (op.empty())
    return fail(file_name, "cannot tell which collective it ran: keep the '# Collective test starting' line or name the file after the test (all_gather_perf.txt …)");
  std::vector<CollectiveSample> out;
  for (const auto& r : rows) {
    double size = 0, us = 0, busbw = 0, bad = 0;
    number(r[size_t(col_size)], size);
    number(r[size_t(col_time)], us);
    number(r[size_t(col_busbw)], busbw);
    if (col_wrong >= 0 && size_t(col_wrong) < r.size() && number(r[size_t(col_wrong)], bad) && bad > 0) continue;
    if (!(size >= 1 && size <= kMaxMemoryBytes && size == std::floor(size) && us > 0 && us <= 1e10 && busbw >= 0 && busbw <= 1e5))
      return fail(file_name, "a result row is out of range (size 1 byte to 1 PB, time above 0 µs, busbw at most 100 TB/s)");
    CollectiveSample c;
    c.op = op;
    c.ranks = n;
    c.bytes = size;
    c.seconds = std::max(us * 1e-6, 1e-7);
    c.bus_bandwidth = busbw * 1e9;
    c.source = safe_text(file_name, 80) + " (nccl-tests, " + std::to_string(n) + " \xC3\x97 " + (device.empty() ? "GPU" : device) + ")";
    if (c.bytes / c.seconds > kMaxBandwidth) return fail(file_name, "a result row moves more than 100 TB/s");
    out.push_back(std::move(c));
  }
  if (out.empty()) return fail(file_name, "every row had wrong results (#wrong > 0)");
  return out;
}

std::string import_collectives(Profile& p, const std::vector<CollectiveSample>& rows) {
  if (rows.empty()) return "nothing imported";
  const std::string op = rows.front().op;
  const int ranks = rows.front().ranks;
  p.collectives.erase(std::remove_if(p.collectives.begin(), p.collectives.end(),
                                     [&](const CollectiveSample& c) { return c.op == op && c.ranks == ranks; }),
                      p.collectives.end());
  p.collectives.insert(p.collectives.end(), rows.begin(), rows.end());
  const size_t dot = p.schema_version.find('.');
  if (dot == std::string::npos || std::atoi(p.schema_version.c_str() + dot + 1) < 1) p.schema_version = "1.1";
  return op + " over " + std::to_string(ranks) + " GPUs: " + std::to_string(rows.size()) + " sizes from " + rows.front().source;
}

}  // namespace llmcalc
