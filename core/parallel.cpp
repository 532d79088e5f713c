// core/parallel.cpp — GPUs and parallel degrees (see parallel.hpp).
#include "parallel.hpp"

#include <algorithm>

namespace llmcalc {

namespace {
long long group(const Scenario& s) { return 1LL * s.tp * s.pp * s.cp; }
int clamp_gpus(long long g) { return int(std::clamp<long long>(g, 1, kMaxGpus)); }
// The smallest multiple of the group that is ≥ gpus (and ≥ one group).
void round_up(Scenario& s) {
  const long long g = group(s);
  s.gpus = clamp_gpus(std::max(1LL, (s.gpus + g - 1) / g) * g);
}
}  // namespace

std::string gpu_split_problem(int gpus, int tp, int pp, int cp) {
  const long long g = 1LL * tp * pp * cp;
  if (g > 0 && gpus % g == 0) return {};
  return "gpus: " + std::to_string(gpus) + " GPUs cannot be split into " +
         (cp > 1 ? "tp\xC2\xB7pp\xC2\xB7" "cp = " : "tp\xC2\xB7pp = ") + std::to_string(g) + " groups";
}

void edit_gpus(Scenario& s, int wanted) {
  const long long g = group(s);
  wanted = std::clamp(wanted, 1, kMaxGpus);
  s.gpus = wanted > s.gpus ? clamp_gpus((wanted + g - 1) / g * g) : clamp_gpus(std::max(g, wanted / g * g));
}

void edit_tp(Scenario& s, int tp) {
  s.tp = std::clamp(tp, 1, kMaxParallelDegree);
  if (!gpu_split_problem(s.gpus, s.tp, s.pp, s.cp).empty() || s.gpus < group(s)) round_up(s);
}

void edit_pp(Scenario& s, int pp) {
  s.pp = std::clamp(pp, 1, kMaxParallelDegree);
  if (!gpu_split_problem(s.gpus, s.tp, s.pp, s.cp).empty() || s.gpus < group(s)) round_up(s);
}

void edit_cp(Scenario& s, int cp) {
  s.cp = std::clamp(cp, 1, kMaxParallelDegree);
  if (!gpu_split_problem(s.gpus, s.tp, s.pp, s.cp).empty() || s.gpus < group(s)) round_up(s);
}

}  // namespace llmcalc
