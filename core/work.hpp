// core/work.hpp — the work of a transformer block: its GEMMs (per GPU under tensor parallelism,
// for standard or latent attention, a dense MLP or a mixture of experts with shared experts), and
// the expected number of experts a batch of tokens touches.
#pragma once
#include "model.hpp"
#include "trace.hpp"

namespace llmcalc {

// The model's dimensions as labelled numbers of a formula (see trace.hpp).
template <class N>
struct Dims {
  N hidden, heads, kv_heads, head_dim, ffn, vocab;
  N experts, experts_active;  // 1 and 1 for a dense model
  N expert_ffn, shared_ffn;   // a routed expert's width; the shared experts' total width (MoE)
  N up_matrices;              // 2 for a gated MLP (gate and up, one GEMM), 1 otherwise
  N mlp_tensors;              // intermediate tensors per token: 3 gated (gate, up, product), 2 otherwise
  N kv_lora, rope_dim, q_lora, v_head_dim;  // MLA
  N window;                   // tokens a local layer attends to
};
template <class N>
Dims<N> model_dims(const ModelSpec& m);

// Whose weights a GEMM multiplies: a layer's (stored in the scenario's weight format), a routed
// expert's (run grouped with the other experts), or weights every weight format leaves in 16-bit
// (the output head, the MoE router).
enum class GemmKind : unsigned char { linear, expert, unquantised };

// C[m,n] = A[m,k]·B[k,n], repeated `count` times.
template <class N>
struct Gemm {
  Label name;        // "QKV projection"
  Label flop_label;  // "QKV FLOP"
  N m, n, k, count;
  GemmKind kind = GemmKind::linear;
  N flop() const { return let(2.0 * m * n * k * count, flop_label, Unit::flop); }
};

// The GEMMs of one block of a kind for `tokens` rows, per GPU under tensor parallelism `tp`:
// attention (Q/K/V and O; MLA: Q down/up, KV down/up, O — the down projections replicated on every
// rank, as engines do), the MLP (dense: up(+gate), down; MoE: the routed experts, each seeing
// tokens·Ea/E rows on average over min(E, tokens·Ea) experts, the shared experts, the router).
// With expert parallelism (`ep` > 1) the routed experts are whole on each GPU and a GPU runs 1/ep
// of them; `ep_gathers` (training: the ep ranks hold different micro-batches) routes the tokens of
// all ep ranks to them. Writes up to kMaxBlockGemms entries; returns how many.
inline constexpr int kMaxBlockGemms = 10;
template <class N>
int block_gemms(const ModelSpec& m, const Dims<N>& d, bool moe_block, N tokens, N tp, Gemm<N>* out, N ep = N(1.0),
                bool ep_gathers = false);

// The MLP width a token passes through in an MoE block: its active experts', plus the shared ones.
template <class N>
N moe_width(const ModelSpec& m, const Dims<N>& d) {
  const N routed = d.experts_active * d.expert_ffn;
  return m.shared_width() > 0 ? routed + d.shared_ffn : routed;
}

// Expected distinct experts touched per MoE block by `tokens` tokens each choosing Ea of E
// uniformly: E·(1 − (1 − Ea/E)^tokens); 1 for a dense model.
template <class N>
N experts_touched(const ModelSpec& m, N tokens);

// x^n for a whole n by repeated squaring: only + and ×, so the native and WASM builds give
// bit-identical results (libm's pow may differ in the last bit between glibc and musl).
double pow_whole(double x, double n);

}  // namespace llmcalc
