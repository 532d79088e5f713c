// core/model.cpp — layers by kind and parameter counting (presets: core/model_presets.cpp).
//
// Counting rule (decoder-only transformer, e.g. Touvron et al. 2023, "LLaMA", §2.2):
//   attention  Q: h·(a·d)   K, V: h·(k·d) each   O: (a·d)·h
//   MLA        Q: h·q_r + q_r·a·d (or h·a·d)   KV down: h·(c + r)   KV up: c·a·(d − r + d_v)   O: a·d_v·h
//              (c = kv_lora_rank, r = rope_dim, q_r = q_lora_rank; DeepSeek-V2 §2.1, DeepSeek-V3 §2.1)
//   MLP        gated: 3·h·f (gate, up, down)     plain: 2·h·f
//   MoE        E experts of width f_e, shared experts, router h·E
//   norms      two per block (+ extra) and one final: h each (RMSNorm) or 2h (LayerNorm)
//   embedding  V·h (+ positions·h if learned), output projection V·h unless tied.
// Presets reproduce their published totals to within 1% (tests/core/model_test.cpp).
#include "model.hpp"

namespace llmcalc {

bool ModelSpec::is_moe_layer(int i) const {
  if (experts <= 1 || i < dense_layers) return false;
  return moe_every <= 1 || (i + 1) % moe_every == 0;
}

bool ModelSpec::is_local_layer(int i) const {
  return window > 0 && local_period > 0 && i % local_period < local_per_period;
}

LayerMix layer_mix(const ModelSpec& m, int first, int count) {
  LayerMix x;
  const bool uniform_mlp = m.experts <= 1 || (m.dense_layers == 0 && m.moe_every <= 1);
  if (uniform_mlp && m.window == 0) {  // every block alike (most models): no loop
    (m.experts > 1 ? x.moe_global : x.dense_global) = count;
    return x;
  }
  for (int i = first; i < first + count && i < m.layers; ++i) {
    const bool moe = m.is_moe_layer(i), local = m.is_local_layer(i);
    ++(moe ? (local ? x.moe_local : x.moe_global) : (local ? x.dense_local : x.dense_global));
  }
  return x;
}

namespace {
// Attention projections of one block; `vectors` receives its norm vectors, `v_proj` and `o_proj`
// the V (MLA: KV up) and output projections' share.
double attention_linear(const ModelSpec& m, double* vectors, double* v_proj, double* o_proj) {
  const double h = m.hidden, a = m.heads, k = m.kv_heads, d = m.dim_head();
  if (m.attention == Attention::mla) {
    const double c = m.kv_lora_rank, r = m.rope_dim, qr = m.q_lora_rank, dv = m.dim_v();
    const double q = qr > 0 ? h * qr + qr * a * d : h * a * d;
    *vectors += (qr > 0 ? qr : 0) + c;  // q_a and kv_a layernorms
    *v_proj = c * a * (d - r + dv);
    *o_proj = a * dv * h;
    return q + h * (c + r) + c * a * (d - r + dv) + a * dv * h;
  }
  *v_proj = h * k * d;
  *o_proj = a * d * h;
  return h * a * d + 2 * h * k * d + a * d * h;
}
}  // namespace

BlockParams block_params(const ModelSpec& m, bool moe_block) {
  const double h = m.hidden, a = m.heads, k = m.kv_heads, d = m.dim_head();
  const double mats = m.gated ? 3.0 : 2.0;
  BlockParams b;
  double extra = 0;  // vectors of the newer architectures, after the classic ones (kept in order)
  b.attn_linear = attention_linear(m, &extra, &b.attn_v, &b.attn_o);
  double attn_bias = 0, mlp_bias = 0;
  if (m.qkv_bias || m.linear_bias || m.attn_bias) attn_bias += a * d + 2 * k * d;
  if (m.linear_bias || m.attn_bias) attn_bias += h;  // O bias
  const double f = moe_block ? m.shared_width() : m.ffn;
  b.mlp_linear = mats * h * f;
  b.mlp_down = h * f;
  if (m.linear_bias) mlp_bias = (m.gated ? 2.0 * f : f) + h;  // up(/gate) + down biases
  double E = 1, Ea = 1;
  if (moe_block) {
    const double fe = m.expert_width();
    E = m.experts;
    Ea = m.experts_active;
    b.expert = mats * h * fe;
    b.expert_down = h * fe;
    b.experts = E * b.expert;
    b.router = h * E;
    if (m.linear_bias || m.expert_bias) mlp_bias = (m.gated ? 2.0 * fe : fe) + h;  // per expert
    if (m.expert_bias) extra += E;  // router bias
  }
  const double norm = m.layernorm ? 2 * h : h;
  if (m.qk_norm) extra += 2 * d;
  if (m.sinks) extra += a;
  extra += m.extra_norms * norm;
  if (!moe_block) {
    b.linear = b.attn_linear + b.mlp_linear;
    b.linear_active = b.linear;
    b.total = b.linear + attn_bias + mlp_bias + 2 * norm + extra;
    b.active = b.total;
  } else {
    b.linear = b.attn_linear + b.mlp_linear + b.experts + b.router;
    b.linear_active = b.attn_linear + b.mlp_linear + Ea * b.expert + b.router;
    b.total = b.linear + attn_bias + E * mlp_bias + 2 * norm + extra;
    b.active = b.linear_active + attn_bias + Ea * mlp_bias + 2 * norm + extra;
  }
  b.vectors = b.total - b.linear;
  return b;
}

ParamCounts count_params(const ModelSpec& m) {
  const double h = m.hidden, V = m.vocab;
  ParamCounts p;
  const LayerMix mix = layer_mix(m, 0, m.layers);
  p.dense_blocks = mix.dense();
  p.moe_blocks = mix.moe();
  p.dense = block_params(m, false);
  if (m.experts > 1) p.moe = block_params(m, true);
  p.final_norm = m.layernorm ? 2 * h : h;
  p.embedding = V * h + double(m.learned_positions) * h;
  p.lm_head = m.tied ? 0.0 : V * h;
  const double rest = p.embedding + p.lm_head + p.final_norm;
  // blocks of each kind; a kind with no blocks adds nothing (so uniform models count exactly
  // layers × block)
  auto blocks = [&](double dense, double moe) {
    if (p.moe_blocks == 0) return m.layers * dense;
    if (p.dense_blocks == 0) return m.layers * moe;
    return p.dense_blocks * dense + p.moe_blocks * moe;
  };
  p.total = blocks(p.dense.total, p.moe.total) + rest;
  p.active = blocks(p.dense.active, p.moe.active) + rest;
  // DeepSeek-V3 §2.2: each MTP module is one more block (an MoE block there), a projection of
  // [h; embedding] (2h × h) and two norms; it shares the embedding and the output head.
  if (m.mtp_layers > 0)
    p.mtp = m.mtp_layers * ((m.experts > 1 ? p.moe.total : p.dense.total) + 2 * h * h + 2 * h);
  return p;
}

double block_rows_plus_cols(const ModelSpec& m, bool moe_block) {
  const double h = m.hidden, a = m.heads, k = m.kv_heads, d = m.dim_head(), mats = m.gated ? 3.0 : 2.0;
  double attn;
  if (m.attention == Attention::mla) {
    const double c = m.kv_lora_rank, r = m.rope_dim, qr = m.q_lora_rank, dv = m.dim_v();
    attn = (qr > 0 ? (h + qr) + (qr + a * d) : h + a * d) + (h + c + r) + (c + a * (d - r + dv)) + (a * dv + h);
  } else {
    attn = (h + a * d) + 2 * (h + k * d) + (a * d + h);
  }
  if (!moe_block) return attn + mats * (h + m.ffn);
  const double shared = m.shared_width() > 0 ? mats * (h + m.shared_width()) : 0.0;
  return attn + m.experts * (mats * (h + m.expert_width())) + shared;
}

double block_matrices(const ModelSpec& m, bool moe_block) {
  const double attn = m.attention == Attention::mla ? (m.q_lora_rank > 0 ? 5.0 : 4.0) : 4.0;
  const double mats = m.gated ? 3.0 : 2.0;
  if (!moe_block) return attn + mats;
  return attn + m.experts * mats + (m.shared_width() > 0 ? mats : 0.0);
}

}  // namespace llmcalc
