// core/setup.cpp — the shared terms of one estimate (see setup.hpp).
#include "setup.hpp"

namespace llmcalc {

template <class N>
Setup<N> make_setup(const Scenario& s, const Resolved& r, const Rates& rates) {
  Setup<N> x{s, r, rates, rate_terms<N>(rates), model_dims<N>(r.model)};
  const ModelSpec& m = r.model;
  const ParamCounts& P = r.params;
  x.layers_per_gpu = (m.layers + s.pp - 1) / s.pp;
  x.dp = s.dp() > 1 ? s.dp() : 1;
  x.tp = in<N>(s.tp, "tp", Unit::count);
  x.layers = in<N>(m.layers, "layers", Unit::count);
  x.layers_gpu = s.pp > 1 ? in<N>(x.layers_per_gpu, "layers/stage", Unit::count) : x.layers;
  const N norm = in<N>(m.layernorm ? 2.0 * m.hidden : m.hidden, "final-norm params", Unit::count);
  const N embedding = in<N>(P.embedding, "embedding params", Unit::count);
  const N head = in<N>(P.lm_head, "head params", Unit::count, m.tied ? "tied" : "");
  const N edge = s.pp > 1 ? let(max_of(embedding, head + norm), "edge-stage params", Unit::count)
                          : embedding + head + norm;
  x.params_per_gpu = let((x.layers_gpu * in<N>(P.per_layer, "params/layer", Unit::count) + edge) / x.tp,
                         "params/GPU", Unit::count);
  return x;
}

template Setup<double> make_setup(const Scenario&, const Resolved&, const Rates&);
template Setup<Traced> make_setup(const Scenario&, const Resolved&, const Rates&);

}  // namespace llmcalc
