// calibrate/plan.hpp — what the GEMM phase measures and in which order, and how its time budget is
// shared. Pure C++ (no CUDA), tested without a GPU (tests/calibrate/plan_test.cpp).
//
// Order (issue #11, 5): the serving types (bf16, fp16, fp8, int8) before the training-only ones
// (tf32, fp32); within each tier small M first, across the types (every serving type's decode
// shapes before any prefill shape). Budget: each type has its own share of the phase's time (the
// serving types together `serving_share` of it); what a type leaves unused when its shapes are
// done goes to a pool the others may draw on, so a slow fp32 can never starve fp8 or int8.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace calib {

// One cuBLASLt GEMM to time: C[m×n] = A[m×k]·B[k×n] in the type's layout (m = tokens).
struct GemmJob {
  std::string dtype;
  int m = 0, n = 0, k = 0;
  bool lm_head = false;  // an output-head shape (N = vocabulary ÷ TP): measured at decode M only
};

// M: dense from 1 to 256 (decode batches), then up to 16,384 (prefill). Quick: a subset.
std::vector<int> m_values(bool quick);
// (N, K) of the layers models run, with the tensor-parallel split widths (down to ~1k) for the
// serving types; `lm_head` adds the output heads (N up to ~152k); fp32/tf32 get the few square-ish
// shapes only (they exist for training and take long).
std::vector<std::pair<int, int>> nk_values(bool quick, bool serving_type);
std::vector<std::pair<int, int>> lm_head_values(bool quick);
inline constexpr int kLmHeadMaxM = 256;

// Whether a type is one of the serving tier.
bool is_serving_type(const std::string& dtype);
// The jobs for the types the device has (`types`, any order), in measurement order.
std::vector<GemmJob> plan_gemm(const std::vector<std::string>& types, bool quick);

// Per-type time budgets over a plan (seconds of measurement, as recorded).
class Budget {
 public:
  Budget(const std::vector<GemmJob>& plan, double total_s, double serving_share = 0.75);
  // Whether job i may start: its type has budget left (own share + the pool), and the phase has.
  bool may_start(size_t i) const;
  // Job i ran for `seconds` (or was skipped: 0 seconds, done either way).
  void done(size_t i, double seconds);
  double allowance(const std::string& dtype) const;  // the type's own share
  double spent(const std::string& dtype) const;
  double pool() const;  // what finished types left unused
  // Types that had jobs skipped for want of budget, and how many.
  std::vector<std::pair<std::string, int>> skipped() const;
  void skip(size_t i);  // job i not run (budget): counted for skipped()

 private:
  struct TypeBudget {
    std::string dtype;
    double allowance = 0, spent = 0;
    int left = 0, skipped = 0;  // jobs not yet done; jobs skipped
  };
  TypeBudget& of(const std::string& dtype);
  const TypeBudget& of(const std::string& dtype) const;
  std::vector<GemmJob> plan_;
  std::vector<TypeBudget> types_;
  double total_ = 0, spent_ = 0;
};

}  // namespace calib
