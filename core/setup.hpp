// core/setup.hpp — what every formula of one scenario shares: the scenario, its resolved model and
// GPU, the rates of its timing model, and the model's layout on the GPUs (layers on the heaviest
// pipeline stage, parameters per GPU), as labelled numbers of a formula (see trace.hpp).
#pragma once
#include "rates.hpp"
#include "resolve.hpp"
#include "scenario.hpp"
#include "work.hpp"

namespace llmcalc {

template <class N>
struct Setup {
  const Scenario& s;
  const Resolved& r;
  const Rates& rates;
  RateTerms<N> rt;
  Dims<N> dims;
  int layers_per_gpu = 0;  // ceil(layers / pp): blocks on the heaviest pipeline stage
  int dp = 1;              // data-parallel replicas
  N tp, layers, layers_gpu;
  // Parameters held by one GPU after TP and PP (before ZeRO): the heaviest stage's blocks plus the
  // larger of the embedding (first stage) and the head + final norm (last stage), ÷ TP
  // (vocab-parallel embedding and head, Megatron-LM).
  N params_per_gpu;
};

template <class N>
Setup<N> make_setup(const Scenario& s, const Resolved& r, const Rates& rates);

}  // namespace llmcalc
