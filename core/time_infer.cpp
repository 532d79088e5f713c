// core/time_infer.cpp — serving time (see time_infer.hpp; docs/formulas.md §Inference time).
#include "time_infer.hpp"

#include "comm.hpp"

namespace llmcalc {

template <class N>
N average_of_max(N a1, N b1, N a2, N b2, N lo, N hi) {
  auto mx = [&](N c) { return max_of(a1 + b1 * c, a2 + b2 * c); };
  if (hi <= lo) return mx(lo);
  if (b1 != b2) {
    const N c = (a2 - a1) / (b1 - b2);
    if (c > lo && c < hi) return ((c - lo) * mx(0.5 * (lo + c)) + (hi - c) * mx(0.5 * (c + hi))) / (hi - lo);
  }
  return mx(0.5 * (lo + hi));
}

namespace {
// What a prefill and a decode step share: the layers' weights read, collectives, kernel count.
template <class N>
struct Shared {
  const Setup<N>& x;
  const InferMemory<N>& mem;
  N kv_bytes_token;  // K and V of one token of one sequence, all layers (latency crosses every stage)

  // Bytes of weights read to process `tok` tokens: the attention weights, the experts touched,
  // norms, the output head, and the embedding rows gathered.
  N weight_read(N tok) const {
    const ModelSpec& m = x.r.model;
    const ParamCounts& P = x.r.params;
    const N mlp = experts_touched(m, tok) * in<N>(P.mlp_linear, "MLP params/expert", Unit::count);
    N per_layer = in<N>(P.attn_linear, "attention params", Unit::count) + mlp;
    if (m.experts > 1) per_layer = per_layer + in<N>(P.router, "router params", Unit::count);
    const N linear = let(x.layers * per_layer / x.tp * mem.weight_bytes, "linear weights read", Unit::bytes);
    N head = in<N>(m.tied ? P.embedding : P.lm_head, m.tied ? "embedding params (tied head)" : "head params", Unit::count);
    if (m.tied && m.learned_positions > 0)
      head = head - in<N>(m.learned_positions, "position rows", Unit::count) * x.dims.hidden;
    const N other = in<N>(P.per_layer_active - P.per_layer_linear_active, "norm + bias params/layer", Unit::count);
    return linear + (x.layers * other + head) / x.tp * mem.act_bytes + tok * x.dims.hidden * mem.act_bytes;
  }
  // Megatron: 2 all-reduces per block; PP: one hand-off per stage boundary.
  N comm(N tok) const {
    if (x.s.tp == 1 && x.s.pp == 1) return in<N>(0.0, "one GPU per replica: no collectives", Unit::seconds);
    N c = 0.0;
    const N bytes = tok * x.dims.hidden * mem.act_bytes;
    if (x.s.tp > 1) c = x.layers * 2.0 * allreduce_s(bytes, x.tp, x.rt.link);
    if (x.s.pp > 1) c = c + (in<N>(x.s.pp, "pp", Unit::count) - 1.0) * send_s(bytes, x.rt.link);
    return c;
  }
  // Σ over every layer's GEMMs for `rows` rows, plus the head (last position only): FLOP and time.
  void gemms(N rows, const Gemm<N>& head, N* flop, N* time) const {
    Gemm<N> g[kMaxBlockGemms];
    const int n = block_gemms(x.dims, x.r.model.experts > 1, rows, x.tp, g);
    *flop = 0.0;
    *time = 0.0;
    for (int i = 0; i < n; ++i) {
      *flop += x.layers * g[i].flop();
      *time += x.layers * gemm_s(x.rates, x.rt, g[i]);
    }
    *flop += head.flop();
    *time += gemm_s(x.rates, x.rt, head);
  }
  // Kernels per block: 4–5 GEMMs, 2 norms, rotary, attention, activation, 2 residual adds.
  N kernels() const {
    return x.layers * in<N>(12, "kernels/layer", Unit::count) + in<N>(4, "other kernels", Unit::count);
  }
  // A phase's memory time, collectives, launches (CUDA graph or stream) and elementwise kernels.
  void memory_and_fixed(const PhaseIds& id, N tokens, bool graph, PhaseOf<N>& p) const {
    p.memory_s = fig(p.bytes / x.rt.bandwidth, id.memory_s, "memory", Unit::seconds, "bytes ÷ bandwidth");
    p.comm_s = fig(comm(tokens), id.comm_s, "comm", Unit::seconds,
                   "Megatron-LM (Shoeybi et al. 2019) §3: 2 all-reduces per block; PP hand-offs");
    p.overhead_s = fig(launches_s(x.rates, kernels(), graph), id.overhead_s, "launches", Unit::seconds,
                       graph ? "kernels × measured CUDA-graph launch time" : "kernels × measured launch time");
    p.elementwise_s = fig(elementwise_s(x.rates, x.rt, x.dims, x.tp, tokens, x.layers, mem.act_bytes, N(1.0)),
                          id.elementwise_s, "elementwise", Unit::seconds, "docs/formulas.md §Time");
  }
};

template <class N>
void set_time(const Setup<N>& x, PhaseOf<N>& p) {
  p.compute_bound = value_of(p.flop) / x.rates.peak_flop_per_s >= value_of(p.bytes) / x.rates.bandwidth_bytes_per_s;
}
}  // namespace

template <class N>
InferTime<N> infer_time(const Setup<N>& x, const InferMemory<N>& mem) {
  const Scenario& s = x.s;
  const Dims<N>& d = x.dims;
  const Rates& R = x.rates;
  InferTime<N> o;
  // Latency runs through all pipeline stages one after the other, so time uses every layer (not
  // the heaviest stage's) divided by TP; PP adds its hand-offs.
  const Shared<N> sh{x, mem, let(2.0 * x.layers * mem.kv_heads_gpu * d.head_dim * mem.kv_element_bytes,
                                 "KV bytes/token", Unit::bytes)};
  const N batch = in<N>(s.batch, "batch", Unit::count);
  const N prompt = in<N>(s.prompt, "prompt tokens", Unit::count);
  const N gen = in<N>(s.gen, "generated tokens", Unit::count);
  const N tokens = batch * prompt;
  const N dp = in<N>(x.dp, "replicas", Unit::count);
  const Gemm<N> head{"LM head", "LM-head FLOP", batch, d.vocab / x.tp, d.hidden, 1.0};

  // Prefill: 2·N·tokens for the matmuls (Kaplan et al. 2020, Table 1) — the head only for the last
  // position — plus the attention core 4·s²·a·d per sequence and layer, halved when a fused causal
  // kernel skips the masked half.
  PhaseOf<N>& pf = o.prefill;
  N flop, gemm_time;
  sh.gemms(tokens, head, &flop, &gemm_time);
  const N causal = s.flash ? in<N>(0.5, "causal half", Unit::number) : N(1.0);
  const N attn = let(x.layers * 4.0 * batch * prompt * prompt * (d.heads / x.tp) * d.head_dim * causal,
                     "attention FLOP", Unit::flop);
  pf.flop = fig(flop + attn, kPrefillIds.flop, "FLOP", Unit::flop, "Kaplan et al. 2020, Table 1: 2·N per token + attention");
  pf.compute_s = fig(gemm_time + attention_s(R, x.rt, attn, prompt, prompt, x.r.model.dim_head()), kPrefillIds.compute_s,
                     "compute", Unit::seconds, "Σ GEMM FLOP ÷ rate + attention");
  const N scores = s.flash ? N(0.0)
                           : let(x.layers * batch * (d.heads / x.tp) * prompt * prompt * mem.act_bytes * 2.0 * 2.0,
                                 "scores written + read", Unit::bytes);
  pf.bytes = fig(sh.weight_read(tokens) + tokens * sh.kv_bytes_token + scores, kPrefillIds.bytes, "bytes", Unit::bytes,
                 "weights read + KV written (+ scores without fused attention)");
  sh.memory_and_fixed(kPrefillIds, tokens, false, pf);
  pf.time_s = fig(combine(s.timing, pf.compute_s, pf.memory_s) + pf.comm_s + pf.overhead_s + pf.elementwise_s,
                  kPrefillIds.time_s, "prefill", Unit::seconds, timing_rule(s.timing));
  set_time(x, pf);

  // Decode: one token per sequence per step, linear in the context length c:
  // FLOP = 2·N·b + 4·c·a·d·L·b, bytes = weights touched + K,V of c tokens read + 1 token written.
  PhaseOf<N>& dc = o.decode;
  N f0, s0;
  sh.gemms(batch, head, &f0, &s0);
  f0 = let(f0, "GEMM FLOP/step", Unit::flop);
  s0 = let(s0, "GEMM time/step", Unit::seconds);
  const N f1 = let(x.layers * 4.0 * batch * (d.heads / x.tp) * d.head_dim, "attention FLOP/context token", Unit::flop);
  const N b0 = let(sh.weight_read(batch) + batch * sh.kv_bytes_token, "weights + new KV bytes/step", Unit::bytes);
  const N b1 = let(batch * sh.kv_bytes_token, "KV bytes/context token", Unit::bytes);
  const N lo = s.gen > 1 ? let(prompt + 0.5, "context from", Unit::count) : let(prompt + 1.0, "context", Unit::count);
  const N hi = s.gen > 1 ? let(prompt + gen - 0.5, "context to", Unit::count) : lo;
  o.context_lo = value_of(lo);
  o.context_hi = value_of(hi);
  const N mid = let(0.5 * (lo + hi), "mean context", Unit::count);
  const N attn_s_per_flop = R.calibrated() ? attention_s(R, x.rt, N(1.0), batch, mid, x.r.model.dim_head())
                                           : 1.0 / x.rt.peak;
  const N attn_step = let(f1 * attn_s_per_flop, "attention s/context token", Unit::seconds);
  dc.flop = fig(f0 + f1 * mid, kDecodeIds.flop, "FLOP", Unit::flop, "2·N·b + 4·c·a·d·L·b (Pope et al. 2022 §2)");
  dc.bytes = fig(b0 + b1 * mid, kDecodeIds.bytes, "bytes", Unit::bytes, "weights + KV(c) read (Pope et al. 2022 §2)");
  dc.compute_s = fig(s0 + f1 * mid * attn_s_per_flop, kDecodeIds.compute_s, "compute", Unit::seconds,
                     "Σ GEMM FLOP ÷ rate + attention");
  sh.memory_and_fixed(kDecodeIds, batch, true, dc);  // engines replay decode as a CUDA graph
  const N fixed = dc.comm_s + dc.overhead_s + dc.elementwise_s;
  const N avg = s.timing == TimingModel::additive
                    ? dc.compute_s + dc.memory_s  // linear in c: the average is the value at the mean
                    : let(average_of_max(s0, attn_step, b0 / x.rt.bandwidth, b1 / x.rt.bandwidth, lo, hi),
                          "mean over the context of max(compute, memory)", Unit::seconds);
  dc.time_s = fig(avg + fixed, kDecodeIds.time_s, "decode step", Unit::seconds, timing_rule(s.timing));
  set_time(x, dc);

  o.ttft_s = fig(pf.time_s, "time.ttft_s", "TTFT", Unit::seconds, "Narayanan et al. 2021 (Megatron-LM at scale), §5.1; Kaplan et al. 2020, Table 1");
  o.tpot_s = fig(dc.time_s, "time.tpot_s", "TPOT", Unit::seconds, "Pope et al. 2022 §2; seed TPOT = weights/bandwidth");
  o.e2e_s = fig(o.ttft_s + (gen - 1.0) * o.tpot_s, "time.e2e_s", "end to end", Unit::seconds, "definition");
  o.tokens_per_s = fig(dp * batch * gen / o.e2e_s, "time.tokens_per_s", "tokens/s", Unit::number, "definition");
  o.decode_tokens_per_s = fig(dp * batch / o.tpot_s, "time.decode_tokens_per_s", "decode tokens/s", Unit::number, "definition");
  o.prefill_tokens_per_s = fig(dp * tokens / o.ttft_s, "time.prefill_tokens_per_s", "prefill tokens/s", Unit::number, "definition");
  return o;
}

template InferTime<double> infer_time(const Setup<double>&, const InferMemory<double>&);
template InferTime<Traced> infer_time(const Setup<Traced>&, const InferMemory<Traced>&);
template double average_of_max(double, double, double, double, double, double);
template Traced average_of_max(Traced, Traced, Traced, Traced, Traced, Traced);

}  // namespace llmcalc
