// core/setup.cpp — the shared terms of one estimate (see setup.hpp).
#include "setup.hpp"

#include <algorithm>

namespace llmcalc {

namespace {
// The pipeline stage whose blocks hold the most parameters (the first one of the largest).
LayerMix heaviest_stage(const ModelSpec& m, const ParamCounts& P, int pp, int per_stage) {
  LayerMix best = layer_mix(m, 0, per_stage);
  const LayerMix all = layer_mix(m, 0, m.layers);
  const bool alike = (all.dense() == 0 || all.moe() == 0) && all.local() == 0;
  if (pp <= 1 || alike) return best;
  double most = best.dense() * P.dense.total + best.moe() * P.moe.total;
  for (int first = per_stage; first < m.layers; first += per_stage) {
    const LayerMix mix = layer_mix(m, first, per_stage);
    const double p = mix.dense() * P.dense.total + mix.moe() * P.moe.total;
    if (mix.total() == per_stage && (p > most || (p == most && mix.global() > best.global()))) {
      best = mix;
      most = p;
    }
  }
  return best;
}
}  // namespace

template <class N>
N blocks_of(const Setup<N>& x, bool stage, bool moe) {
  const LayerMix& mix = stage ? x.stage : x.all;
  const int n = moe ? mix.moe() : mix.dense();
  if (n == mix.total()) return stage ? x.layers_gpu : x.layers;
  return in<N>(n, moe ? "MoE blocks" : "dense blocks", Unit::count);
}

template <class N>
N per_block(const Setup<N>& x, bool stage, N dense, N moe) {
  const LayerMix& mix = stage ? x.stage : x.all;
  if (mix.moe() == 0) return blocks_of(x, stage, false) * dense;
  if (mix.dense() == 0) return blocks_of(x, stage, true) * moe;
  return blocks_of(x, stage, false) * dense + blocks_of(x, stage, true) * moe;
}

template <class N>
N per_block(const Setup<N>& x, bool stage, double dense, double moe, Label what) {
  const LayerMix& mix = stage ? x.stage : x.all;
  if (mix.moe() == 0) return per_block(x, stage, in<N>(dense, what, Unit::count), N(0.0));
  if (mix.dense() == 0) return per_block(x, stage, N(0.0), in<N>(moe, what, Unit::count));
  return per_block(x, stage, in<N>(dense, what, Unit::count, "dense block"), in<N>(moe, what, Unit::count, "MoE block"));
}

template <class N>
N elementwise_elements(const Setup<N>& x, bool stage) {
  const Dims<N>& d = x.dims;
  const N blocks = stage ? x.layers_gpu : x.layers;
  const N mlp = per_block(x, stage, d.ffn, moe_width(x.r.model, d)) * d.mlp_tensors / x.tp;
  return let(blocks * (10.0 * d.hidden + 2.0 * (d.heads + d.kv_heads) * d.head_dim / x.tp) + mlp,
             "elements/token", Unit::count);
}

template <class N>
Setup<N> make_setup(const Scenario& s, const Resolved& r, const Rates& rates) {
  Setup<N> x{s, r, rates, rate_terms<N>(rates), model_dims<N>(r.model)};
  const ModelSpec& m = r.model;
  const ParamCounts& P = r.params;
  x.layers_per_gpu = (m.layers + s.pp - 1) / s.pp;
  x.dp = s.dp() > 1 ? s.dp() : 1;
  x.all = layer_mix(m, 0, m.layers);
  x.stage = s.pp > 1 ? heaviest_stage(m, P, s.pp, x.layers_per_gpu) : x.all;
  x.tp = in<N>(s.tp, "tp", Unit::count);
  // experts split by expert over ep GPUs (never more GPUs than experts: estimate warns)
  x.ep = s.ep > 1 && m.experts > 1 ? in<N>(std::min(s.ep, m.experts), "ep", Unit::count) : N(1.0);
  x.layers = in<N>(m.layers, "layers", Unit::count);
  x.layers_gpu = s.pp > 1 ? in<N>(x.layers_per_gpu, "layers/stage", Unit::count) : x.layers;
  const N norm = in<N>(P.final_norm, "final-norm params", Unit::count);
  const N embedding = in<N>(P.embedding, "embedding params", Unit::count);
  const N head = in<N>(P.lm_head, "head params", Unit::count, m.tied ? "tied" : nullptr);
  const N edge = s.pp > 1 ? let(max_of(embedding, head + norm), "edge-stage params", Unit::count)
                          : embedding + head + norm;
  if (x.ep > 1.0 && x.stage.moe() > 0) {  // routed experts split by expert over ep GPUs, the rest by TP
    const N experts = in<N>(P.moe.experts, "routed-expert params/block", Unit::count);
    const N moe_blocks = blocks_of(x, true, true);
    x.params_per_gpu = let((per_block(x, true, in<N>(P.dense.total, "params/block", Unit::count),
                                      in<N>(P.moe.total - P.moe.experts, "params/block without routed experts", Unit::count)) +
                            edge) / x.tp +
                               moe_blocks * experts / x.ep,
                           "params/GPU", Unit::count);
  } else {
    x.params_per_gpu =
        let((per_block(x, true, P.dense.total, P.moe.total, "params/block") + edge) / x.tp, "params/GPU", Unit::count);
  }
  return x;
}

template Setup<double> make_setup(const Scenario&, const Resolved&, const Rates&);
template Setup<Traced> make_setup(const Scenario&, const Resolved&, const Rates&);
template double elementwise_elements(const Setup<double>&, bool);
template Traced elementwise_elements(const Setup<Traced>&, bool);
template double blocks_of(const Setup<double>&, bool, bool);
template Traced blocks_of(const Setup<Traced>&, bool, bool);
template double per_block(const Setup<double>&, bool, double, double);
template Traced per_block(const Setup<Traced>&, bool, Traced, Traced);
template double per_block(const Setup<double>&, bool, double, double, Label);
template Traced per_block(const Setup<Traced>&, bool, double, double, Label);

}  // namespace llmcalc
