// core/phase.hpp — one phase of work on one GPU (a prefill, one decode step, one training step):
// its FLOP and memory traffic, and the time parts the timing model combines.
#pragma once
#include "trace.hpp"

namespace llmcalc {

template <class N>
struct PhaseOf {
  N flop = 0;           // FLOP per GPU
  N bytes = 0;          // device-memory traffic per GPU, bytes
  N compute_s = 0;      // Σ GEMM FLOP / rate (+ attention)
  N memory_s = 0;       // bytes / bandwidth
  N comm_s = 0;         // collectives not overlapped with compute
  N overhead_s = 0;     // kernel launches (calibrated with a profile only)
  N elementwise_s = 0;  // non-GEMM kernels (norms, residuals, rotary, activation); calibrated only
  N time_s = 0;         // combined according to the timing model
  // Roofline classification at datasheet peaks (FLOP / peak ≥ bytes / bandwidth), whatever the
  // timing model: measured GEMM times of small M already include their own memory traffic.
  bool compute_bound = false;
};
using Phase = PhaseOf<double>;

inline Phase values(const PhaseOf<double>& p) { return p; }
inline Phase values(const PhaseOf<Traced>& p) {
  return Phase{p.flop.v,     p.bytes.v,         p.compute_s.v, p.memory_s.v, p.comm_s.v,
               p.overhead_s.v, p.elementwise_s.v, p.time_s.v,    p.compute_bound};
}

}  // namespace llmcalc
