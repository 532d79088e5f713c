// calibrate/plan.cpp — the GEMM grid, its order and the per-type budgets (see plan.hpp).
#include "plan.hpp"

#include <algorithm>
#include <stdexcept>

namespace calib {

std::vector<int> m_values(bool quick) {
  if (quick) return {1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096, 16384};
  return {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192, 16384};
}

std::vector<std::pair<int, int>> nk_values(bool quick, bool serving_type) {
  if (!serving_type) return quick ? std::vector<std::pair<int, int>>{{4096, 4096}, {8192, 8192}}
                                  : std::vector<std::pair<int, int>>{{4096, 4096}, {14336, 4096}, {8192, 8192}, {16384, 16384}};
  if (quick) return {{1024, 4096}, {4096, 1024}, {4096, 4096}, {6144, 4096}, {14336, 4096}, {4096, 14336}, {8192, 8192}, {16384, 16384}};
  // Llama-3-8B/70B/405B layers whole and split over TP 2…8: fused QKV (6144×4096, 10240×8192), O,
  // gate+up (28672×4096, 57344×8192 ÷ TP), down; N and K down to ~1k
  return {{1024, 4096},  {4096, 1024},  {1280, 8192}, {8192, 1024},  {2048, 2048},  {3072, 4096},   {4096, 2048},
          {4096, 4096},  {6144, 4096},  {7168, 4096}, {4096, 7168},  {14336, 4096}, {4096, 14336},  {28672, 4096},
          {3584, 8192},  {8192, 3584},  {7168, 8192}, {8192, 7168},  {8192, 8192},  {10240, 8192},  {16384, 16384}};
}

std::vector<std::pair<int, int>> lm_head_values(bool quick) {
  // vocabulary ÷ TP × hidden: Llama 3 (128,256) at TP 1 and 8, Qwen 2.5 (151,936)
  if (quick) return {{128256, 4096}};
  return {{128256, 4096}, {16032, 8192}, {151936, 8192}, {32064, 16384}};
}

bool is_serving_type(const std::string& t) { return t == "bf16" || t == "fp16" || t == "fp8" || t == "int8"; }

std::vector<GemmJob> plan_gemm(const std::vector<std::string>& types, bool quick) {
  const char* order[] = {"bf16", "fp16", "fp8", "int8", "tf32", "fp32"};
  std::vector<GemmJob> jobs;
  for (const bool serving : {true, false}) {
    for (int m : m_values(quick)) {
      for (const char* t : order) {
        if (is_serving_type(t) != serving || std::find(types.begin(), types.end(), t) == types.end()) continue;
        if (!serving && m > (std::string(t) == "fp32" ? 4096 : 16384)) continue;  // fp32 is slow: keep it to its share
        for (auto [n, k] : nk_values(quick, serving)) jobs.push_back({t, m, n, k, false});
        if (serving && m <= kLmHeadMaxM)
          for (auto [n, k] : lm_head_values(quick)) jobs.push_back({t, m, n, k, true});
      }
    }
  }
  return jobs;
}

Budget::Budget(const std::vector<GemmJob>& plan, double total_s, double serving_share) : plan_(plan), total_(total_s) {
  for (const GemmJob& j : plan_) {
    auto it = std::find_if(types_.begin(), types_.end(), [&](const TypeBudget& t) { return t.dtype == j.dtype; });
    if (it == types_.end()) types_.push_back({j.dtype, 0, 0, 0, 0}), it = types_.end() - 1;
    ++it->left;
  }
  int serving = 0, other = 0;
  for (const auto& t : types_) (is_serving_type(t.dtype) ? serving : other)++;
  const double share = other == 0 ? 1.0 : serving == 0 ? 0.0 : serving_share;
  for (auto& t : types_)
    t.allowance = is_serving_type(t.dtype) ? total_s * share / serving : total_s * (1 - share) / other;
}

Budget::TypeBudget& Budget::of(const std::string& dtype) {
  for (auto& t : types_)
    if (t.dtype == dtype) return t;
  throw std::logic_error("calib::Budget: no type " + dtype);
}
const Budget::TypeBudget& Budget::of(const std::string& dtype) const { return const_cast<Budget*>(this)->of(dtype); }

namespace {
// What finished types left, less what the running ones (but `except`) already drew beyond their share.
template <class Types>
double pool_of(const Types& types, const std::string& except) {
  double p = 0;
  for (const auto& t : types) {
    if (t.dtype == except) continue;
    p += t.left == 0 ? std::max(0.0, t.allowance - t.spent) : -std::max(0.0, t.spent - t.allowance);
  }
  return std::max(0.0, p);
}
}  // namespace

double Budget::pool() const { return pool_of(types_, ""); }

bool Budget::may_start(size_t i) const {
  const TypeBudget& t = of(plan_.at(i).dtype);
  return spent_ < total_ && t.spent < t.allowance + pool_of(types_, t.dtype);
}

void Budget::done(size_t i, double seconds) {
  TypeBudget& t = of(plan_.at(i).dtype);
  t.spent += seconds;
  spent_ += seconds;
  --t.left;
}

void Budget::skip(size_t i) {
  ++of(plan_.at(i).dtype).skipped;
  done(i, 0);
}

double Budget::allowance(const std::string& dtype) const { return of(dtype).allowance; }
double Budget::spent(const std::string& dtype) const { return of(dtype).spent; }

std::vector<std::pair<std::string, int>> Budget::skipped() const {
  std::vector<std::pair<std::string, int>> out;
  for (const auto& t : types_)
    if (t.skipped > 0) out.emplace_back(t.dtype, t.skipped);
  return out;
}

}  // namespace calib
