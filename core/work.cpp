// core/work.cpp — GEMM lists and MoE expert arithmetic (see work.hpp).
#include "work.hpp"

#include <cstdio>
#include <string>

namespace llmcalc {

template <class N>
Dims<N> model_dims(const ModelSpec& m) {
  Dims<N> d;
  d.hidden = in<N>(m.hidden, "hidden", Unit::count);
  d.heads = in<N>(m.heads, "heads", Unit::count);
  d.kv_heads = in<N>(m.kv_heads, "KV heads", Unit::count);
  d.head_dim = in<N>(m.dim_head(), "head_dim", Unit::count);
  d.ffn = in<N>(m.ffn, "ffn", Unit::count);
  d.vocab = in<N>(m.vocab, "vocab", Unit::count);
  d.experts = in<N>(m.experts, "experts", Unit::count);
  d.experts_active = in<N>(m.experts > 1 ? m.experts_active : 1.0, "active experts", Unit::count);
  d.expert_ffn = m.expert_ffn > 0 ? in<N>(m.expert_ffn, "expert ffn", Unit::count) : d.ffn;
  d.shared_ffn = in<N>(m.shared_width(), "shared-expert ffn", Unit::count);
  d.up_matrices = in<N>(m.gated ? 2.0 : 1.0, m.gated ? "matrices (gate, up)" : "matrix (up)", Unit::count);
  d.mlp_tensors = in<N>(m.gated ? 3.0 : 2.0, m.gated ? "tensors (gate, up, product)" : "tensors (up, activation)", Unit::count);
  d.kv_lora = in<N>(m.kv_lora_rank, "kv_lora_rank", Unit::count);
  d.rope_dim = in<N>(m.rope_dim, "rope dim", Unit::count);
  d.q_lora = in<N>(m.q_lora_rank, "q_lora_rank", Unit::count);
  d.v_head_dim = in<N>(m.dim_v(), "v head_dim", Unit::count);
  d.window = in<N>(m.window, "window", Unit::count);
  return d;
}

template <class N>
int block_gemms(const ModelSpec& m, const Dims<N>& d, bool moe_block, N tokens, N tp, Gemm<N>* out, N ep, bool ep_gathers) {
  const N &h = d.hidden, &hd = d.head_dim, &a = d.heads, &k = d.kv_heads, &f = d.ffn;
  int n = 0;
  if (m.attention == Attention::mla) {
    if (m.q_lora_rank > 0) {
      out[n++] = Gemm<N>{"Q down-projection", "Q-down FLOP", tokens, d.q_lora, h, 1.0};
      out[n++] = Gemm<N>{"Q up-projection", "Q-up FLOP", tokens, a * hd / tp, d.q_lora, 1.0};
    } else {
      out[n++] = Gemm<N>{"Q projection", "Q FLOP", tokens, a * hd / tp, h, 1.0};
    }
    out[n++] = Gemm<N>{"KV down-projection", "KV-down FLOP", tokens, d.kv_lora + d.rope_dim, h, 1.0};
    out[n++] = Gemm<N>{"KV up-projection", "KV-up FLOP", tokens, a * (hd - d.rope_dim + d.v_head_dim) / tp, d.kv_lora, 1.0};
    out[n++] = Gemm<N>{"output projection", "output-projection FLOP", tokens, h, a * d.v_head_dim / tp, 1.0};
  } else {
    out[n++] = Gemm<N>{"QKV projection", "QKV FLOP", tokens, (a + 2.0 * k) * hd / tp, h, 1.0};
    out[n++] = Gemm<N>{"output projection", "output-projection FLOP", tokens, h, a * hd / tp, 1.0};
  }
  if (!moe_block) {
    out[n++] = Gemm<N>{"MLP up", "MLP-up FLOP", tokens, d.up_matrices * f / tp, h, 1.0};
    out[n++] = Gemm<N>{"MLP down", "MLP-down FLOP", tokens, h, f / tp, 1.0};
    return n;
  }
  const N &E = d.experts, &Ea = d.experts_active, &fe = d.expert_ffn;
  // training: the ep ranks hold different micro-batches (expert parallelism within data parallelism,
  // Megatron-LM), and the dispatch gathers all of their tokens onto each rank's experts; serving: the
  // ranks of an expert-parallel group share the same tokens
  const N routed = ep_gathers && ep > 1.0 ? let(tokens * ep, "tokens of the expert-parallel group", Unit::count) : tokens;
  const N rows_expert = let(max_of(N(1.0), routed * Ea / E), "rows/expert", Unit::count);
  const N experts_used = let(min_of(E, routed * Ea), "experts used", Unit::count);
  if (ep > 1.0) {  // expert parallelism: whole experts, 1/ep of them on this GPU
    const N mine = let(experts_used / ep, "experts used on this GPU", Unit::count);
    out[n++] = Gemm<N>{"MLP up", "MLP-up FLOP", rows_expert, d.up_matrices * fe, h, mine, GemmKind::expert};
    out[n++] = Gemm<N>{"MLP down", "MLP-down FLOP", rows_expert, h, fe, mine, GemmKind::expert};
  } else {
    out[n++] = Gemm<N>{"MLP up", "MLP-up FLOP", rows_expert, d.up_matrices * fe / tp, h, experts_used, GemmKind::expert};
    out[n++] = Gemm<N>{"MLP down", "MLP-down FLOP", rows_expert, h, fe / tp, experts_used, GemmKind::expert};
  }
  if (m.shared_width() > 0) {
    out[n++] = Gemm<N>{"shared-expert up", "shared-up FLOP", tokens, d.up_matrices * d.shared_ffn / tp, h, 1.0};
    out[n++] = Gemm<N>{"shared-expert down", "shared-down FLOP", tokens, h, d.shared_ffn / tp, 1.0};
  }
  out[n++] = Gemm<N>{"router", "router FLOP", tokens, E, h, 1.0, GemmKind::unquantised};
  return n;
}

double pow_whole(double x, double n) {
  unsigned long long k = n > 0 ? static_cast<unsigned long long>(n) : 0ULL;
  double r = 1.0;
  for (; k; k >>= 1, x *= x)
    if (k & 1) r *= x;
  return r;
}

template <class N>
N experts_touched(const ModelSpec& m, N tokens) {
  if (m.experts <= 1) return N(1.0);
  const double E = m.experts, Ea = m.experts_active, t = value_of(tokens);
  const double touched = E * (1.0 - pow_whole(1.0 - Ea / E, t));
  return in_f<N>(touched, Unit::number, [&] {
    char buf[160];
    std::snprintf(buf, sizeof buf, "experts touched (%d·(1 − (1 − %d/%d)^%.0f tokens))", m.experts,
                  m.experts_active, m.experts, t);
    return std::string(buf);
  });
}

template Dims<double> model_dims(const ModelSpec&);
template Dims<Traced> model_dims(const ModelSpec&);
template int block_gemms(const ModelSpec&, const Dims<double>&, bool, double, double, Gemm<double>*, double, bool);
template int block_gemms(const ModelSpec&, const Dims<Traced>&, bool, Traced, Traced, Gemm<Traced>*, Traced, bool);
template double experts_touched(const ModelSpec&, double);
template Traced experts_touched(const ModelSpec&, Traced);

}  // namespace llmcalc
