// core/rates.cpp — speeds under each timing model (see rates.hpp).
#include "rates.hpp"

#include <cstdio>

namespace llmcalc {

Rates make_rates(const Scenario& s, const Resolved& r, std::vector<std::string>& warnings) {
  Rates x;
  x.timing = s.timing;
  x.profile = r.calibration.get();
  DType cd = DType::bf16;
  if (s.mode == Mode::infer) cd = info(r.weights).compute;  // int4 (weight-only): bf16 in matmul_peak
  else cd = s.precision == Precision::fp32 ? DType::fp32 : DType::bf16;
  bool fell_back = false;
  DType used = cd;
  x.peak_flop_per_s = matmul_peak(r.gpu, cd, &fell_back, &used);
  if (fell_back)
    warnings.push_back(std::string(r.gpu_name) + " has no " + std::string(dtype_name(cd)) + " tensor cores: " +
                       (cd == DType::bf16 || cd == DType::fp32 ? "multiplied in " : "weights are dequantised and multiplied in ") +
                       std::string(dtype_name(used)));
  x.compute_dtype = used;
  x.bandwidth_bytes_per_s = r.gpu.bandwidth_bytes_per_s;
  x.link_bytes_per_s = r.gpu.interconnect_bytes_per_s;
  return x;
}

namespace {
template <class N>
N default_gemm_efficiency() {
  return in<N>(kDefaultGemmEfficiency, "default GEMM efficiency", Unit::number);
}
std::string profile_tag(const Calibration& c) { return "measured on " + c.device + ", " + c.date; }
}  // namespace

template <class N>
RateTerms<N> rate_terms(const Rates& r) {
  RateTerms<N> t;
  t.peak = in<N>(r.peak_flop_per_s, "peak", Unit::flop_per_s, dtype_label(r.compute_dtype));
  const N datasheet = in<N>(r.bandwidth_bytes_per_s, "datasheet bandwidth", Unit::bytes_per_s);
  if (!r.calibrated()) {
    t.bandwidth = datasheet;
  } else if (r.profile && r.profile->bandwidth_bytes_per_s > 0) {
    t.bandwidth = in_f<N>(r.profile->bandwidth_bytes_per_s, Unit::bytes_per_s,
                          [&] { return "bandwidth " + profile_tag(*r.profile); });
  } else {
    t.bandwidth = let(datasheet * in<N>(kDefaultBandwidthEfficiency, "default efficiency", Unit::number),
                      "bandwidth", Unit::bytes_per_s);
  }
  t.link = in<N>(r.link_bytes_per_s, "interconnect", Unit::bytes_per_s);
  return t;
}

namespace {
// FLOP/s for a GEMM-like operation of shape m × n × k.
template <class N>
N shape_rate(const Rates& r, const RateTerms<N>& t, double m, double n, double k) {
  if (!r.calibrated()) return t.peak;
  const double measured = measured_gemm_rate(r.profile, r.compute_dtype, m, n, k);
  if (measured > 0)
    return in_f<N>(measured, Unit::flop_per_s, [&] {
      char buf[96];
      std::snprintf(buf, sizeof buf, "%s rate at %.0f×%.0f×%.0f, ", std::string(dtype_name(r.compute_dtype)).c_str(), m, n, k);
      return buf + profile_tag(*r.profile);
    });
  return t.peak * default_gemm_efficiency<N>();
}
}  // namespace

template <class N>
N gemm_s(const Rates& r, const RateTerms<N>& t, const Gemm<N>& g) {
  const N rate = shape_rate(r, t, value_of(g.m), value_of(g.n), value_of(g.k));
  return let(g.flop() / rate, g.name, Unit::seconds);
}

template <class N>
N attention_s(const Rates& r, const RateTerms<N>& t, N flop, N rows, N context, double head_dim) {
  return flop / shape_rate(r, t, value_of(rows), value_of(context), head_dim);
}

template <class N>
N launches_s(const Rates& r, N kernels, bool graph) {
  if (!r.calibrated() || !r.profile) return in<N>(0.0, "launches: counted with a GPU profile only", Unit::seconds);
  const double per = launch_s(r.profile, graph);
  return kernels * in_f<N>(per, Unit::seconds, [&] {
           return std::string(graph ? "per kernel in a CUDA graph, " : "per kernel launch, ") + profile_tag(*r.profile);
         });
}

template <class N>
N elementwise_s(const Rates& r, const RateTerms<N>& t, N elements, N tokens, N elem_bytes, N passes) {
  if (!r.calibrated()) return in<N>(0.0, "elementwise kernels: counted by timing=calibrated only", Unit::seconds);
  return let(tokens * elements * elem_bytes * passes / t.bandwidth, "elementwise kernels", Unit::seconds);
}

template <class N>
N combine(TimingModel timing, N compute, N memory) {
  return timing == TimingModel::additive ? compute + memory : max_of(compute, memory);
}

const char* timing_rule(TimingModel timing) {
  switch (timing) {
    case TimingModel::additive: return "timing=additive: compute + memory + comm (the seed's model)";
    case TimingModel::roofline: return "timing=roofline: max(compute, memory) + comm, at datasheet peaks";
    case TimingModel::calibrated: break;
  }
  return "timing=calibrated: max(compute, memory) + comm + launches + elementwise kernels, at measured or default efficiencies";
}

std::string timing_note(const Scenario& s, const Calibration* profile) {
  std::string o = "Timing: " + std::string(timing_name(s.timing));
  if (s.timing != TimingModel::calibrated) return o;
  if (profile) return o + " (measured speeds from the GPU profile)";
  char buf[128];
  std::snprintf(buf, sizeof buf, " (default efficiencies: %.0f%% GEMM, %.0f%% bandwidth \xE2\x80\x94 not measured)",
                kDefaultGemmEfficiency * 100, kDefaultBandwidthEfficiency * 100);
  return o + buf;
}

#define LLMCALC_RATES(N)                                                                                  \
  template RateTerms<N> rate_terms(const Rates&);                                                        \
  template N gemm_s(const Rates&, const RateTerms<N>&, const Gemm<N>&);                                  \
  template N attention_s(const Rates&, const RateTerms<N>&, N, N, N, double);                            \
  template N launches_s(const Rates&, N, bool);                                                          \
  template N elementwise_s(const Rates&, const RateTerms<N>&, N, N, N, N);                               \
  template N combine(TimingModel, N, N);
LLMCALC_RATES(double)
LLMCALC_RATES(Traced)
#undef LLMCALC_RATES

}  // namespace llmcalc
