// core/setup.hpp — what every formula of one scenario shares: the scenario, its resolved model and
// GPU, the rates of its timing model, and the model's layout on the GPUs (the blocks of the
// heaviest pipeline stage by kind, parameters per GPU), as labelled numbers of a formula (see
// trace.hpp).
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
  LayerMix all;            // every block, by kind (latency runs through all of them)
  LayerMix stage;          // the blocks of the heaviest pipeline stage (memory is per GPU)
  N tp, layers, layers_gpu;
  N ep;                    // expert-parallel degree (1: experts split by TP like the rest)
  // Parameters held by one GPU after TP and PP (before ZeRO): the heaviest stage's blocks plus the
  // larger of the embedding (first stage) and the head + final norm (last stage), ÷ TP
  // (vocab-parallel embedding and head, Megatron-LM).
  N params_per_gpu;
  bool offline = true;     // infer: also the whole-batch (offline) prefill and its figures (charts skip them)
};

template <class N>
Setup<N> make_setup(const Scenario& s, const Resolved& r, const Rates& rates);

// The blocks of one kind (MoE or dense) on the heaviest stage (`stage`) or in the whole model, as a
// number of a formula: the layer count itself when every block is of that kind.
template <class N>
N blocks_of(const Setup<N>& x, bool stage, bool moe);

// Elements the non-GEMM kernels read + write per token over the blocks (the stage's or all): per
// block 2 norms (read h, write h), 2 residual adds (read 2h, write h), rotary on Q and K (read +
// write (a+k)·d/tp) and the MLP activation (gated: read 2f, write f; else read f, write f) for the
// width f a token passes through — a dense block's MLP, or an MoE block's active experts and
// shared experts.
template <class N>
N elementwise_elements(const Setup<N>& x, bool stage);

// Σ over blocks of a per-block quantity given per kind (dense, MoE): `blocks × value` when they are
// all alike, `dense blocks × dense value + MoE blocks × MoE value` when they differ. `stage`: the
// heaviest pipeline stage's blocks, else every block.
template <class N>
N per_block(const Setup<N>& x, bool stage, N dense, N moe);
// The same for values that are plain numbers (labelled `what` in explanations).
template <class N>
N per_block(const Setup<N>& x, bool stage, double dense, double moe, Label what);

}  // namespace llmcalc
