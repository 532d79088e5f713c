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

template <class N>
N mean_of_min(N lo, N hi, N w) {
  if (hi <= w || hi <= lo) return 0.5 * (lo + hi);
  if (lo >= w) return w;
  return ((w - lo) * 0.5 * (lo + w) + (hi - w) * w) / (hi - lo);
}

namespace {
// What a prefill and a decode step share: the layers' weights read, collectives, kernel count.
template <class N>
struct Shared {
  const Setup<N>& x;
  const InferMemory<N>& mem;
  N global_layers, local_layers;  // every block (latency crosses every stage), by attention span
  N kv_global, kv_local;          // K and V of one token of one sequence in those layers

  // Bytes of weights read to process `tok` tokens: the attention weights, the experts touched (and
  // shared experts), norms, the output head, and the embedding rows gathered.
  N weight_read(N tok) const {
    const ModelSpec& m = x.r.model;
    const ParamCounts& P = x.r.params;
    // the experts a step touches: split by TP with the rest, or by EP (each GPU reads its own share)
    const bool ep = x.s.ep > 1;
    N dense = 0.0, moe = 0.0, touched = 0.0;
    if (x.all.dense() > 0) dense = mem.dense.attn + mem.dense.mlp;
    if (x.all.moe() > 0) {
      touched = experts_touched(m, tok) * mem.moe.expert;
      moe = mem.moe.attn + mem.moe.mlp + mem.moe.router + (ep ? N(0.0) : touched);
    }
    N linear = per_block(x, false, dense, moe) / x.tp;
    if (ep && x.all.moe() > 0)
      linear = linear + blocks_of(x, false, true) * touched / mem.expert_split;
    linear = let(linear, "linear weights read", Unit::bytes);
    const N vectors = per_block(x, false, P.dense.vectors, P.moe.vectors, "norm + bias params/block");
    N head = mem.head_bytes;
    if (m.tied) {  // the tied embedding is the head (learned positions aside)
      head = in<N>(P.embedding - double(m.learned_positions) * m.hidden, "embedding params (tied head)", Unit::count) *
             mem.act_bytes;
    }
    return linear + (vectors * mem.act_bytes + head) / x.tp + tok * x.dims.hidden * mem.act_bytes;
  }
  // K and V written for `tok` new tokens (every layer writes them; a local layer later drops the old).
  N kv_written(N tok) const { return x.all.local() > 0 ? tok * (kv_global + kv_local) : tok * kv_global; }
  // Megatron: 2 all-reduces per block; PP: one hand-off per stage boundary.
  N comm(N tok) const {
    const bool ep = x.ep > 1.0 && x.all.moe() > 0;
    if (x.s.tp == 1 && x.s.pp == 1 && !ep) return in<N>(0.0, "one GPU per replica: no collectives", Unit::seconds);
    N c = 0.0;
    const N bytes = tok * x.dims.hidden * mem.act_bytes;
    if (x.s.tp > 1) c = x.layers * 2.0 * allreduce_time(x.rates, x.rt, bytes, x.tp, x.s.tp, x.rt.link);
    if (x.s.pp > 1)
      c = c + (in<N>(x.s.pp, "pp", Unit::count) - 1.0) * send_time(x.rates, x.rt, bytes, x.rt.link, x.s.gpus <= kGpusPerNode);
    // expert parallelism: each MoE block dispatches every token's hidden state to its Ea experts'
    // GPUs and combines the results back (two all-to-alls)
    if (ep) {
      c = c + blocks_of(x, false, true) * 2.0 * expert_alltoall_s(bytes, x.s.ep, x.r.model.experts_active, x.rt.link, x.rt.latency);
    }
    return c;
  }
  // Σ over every block's GEMMs for `rows` rows, plus the head (last position only): FLOP and time.
  void gemms(N rows, const Gemm<N>& head, N* flop, N* time) const {
    *flop = 0.0;
    *time = 0.0;
    for (const bool moe : {false, true}) {
      if ((moe ? x.all.moe() : x.all.dense()) == 0) continue;
      const N count = blocks_of(x, false, moe);
      Gemm<N> g[kMaxBlockGemms];
      const int n = block_gemms(x.r.model, x.dims, moe, rows, x.tp, g, x.ep);
      for (int i = 0; i < n; ++i) {
        *flop += count * g[i].flop();
        *time += count * gemm_s(x.rates, x.rt, g[i]);
      }
    }
    *flop += head.flop();
    *time += gemm_s(x.rates, x.rt, head);
  }
  bool weight_only() const { return x.rates.weight_only && x.rates.fitted(); }
  // Seconds to read `weights` bytes of weights: at the weight bandwidth for dequantising formats.
  N weight_s(N weights) const { return weight_only() ? weights / x.rt.weight_bandwidth : weights / x.rt.bandwidth; }
  // Kernels per block: 4–5 GEMMs, 2 norms, rotary, attention, activation, 2 residual adds.
  N kernels() const {
    return x.layers * in<N>(12, "kernels/layer", Unit::count) + in<N>(4, "other kernels", Unit::count);
  }
  // The non-GEMM kernels of a phase over `tokens` rows at the profile's measured small-kernel
  // times (rates.hpp has_small_kernels): per block 2 RMSNorms (read h, write h), 2 residual adds
  // (read 2h, write h), rotary on Q and K, the MLP activation (as elementwise_elements counts them),
  // then the embedding gather (read h, write h per token) and sampling over fp32 logits.
  N small_kernels(N tokens, N sequences) const {
    const Dims<N>& d = x.dims;
    const N h_bytes = let(tokens * d.hidden * mem.act_bytes, "hidden-state bytes", Unit::bytes);
    const N norm = small_kernel_s(x.rates, SmallKernel::rmsnorm, 2.0 * h_bytes);
    const N residual = small_kernel_s(x.rates, SmallKernel::residual_add, 3.0 * h_bytes);
    const N rope = small_kernel_s(x.rates, SmallKernel::rope, tokens * 2.0 * (d.heads + d.kv_heads) * d.head_dim / x.tp * mem.act_bytes);
    auto block = [&](N width) {
      return 2.0 * norm + 2.0 * residual + rope +
             small_kernel_s(x.rates, SmallKernel::silu_mul, tokens * d.mlp_tensors * width / x.tp * mem.act_bytes);
    };
    const N dense = x.all.dense() > 0 ? block(d.ffn) : N(0.0);
    const N moe = x.all.moe() > 0 ? block(moe_width(x.r.model, d)) : N(0.0);
    const N blocks = let(per_block(x, false, dense, moe), "blocks' small kernels", Unit::seconds);
    return blocks + small_kernel_s(x.rates, SmallKernel::embedding, 2.0 * h_bytes) +
           small_kernel_s(x.rates, SmallKernel::sampling, sequences * d.vocab * in<N>(4.0, "B", Unit::number, "fp32 logit"));
  }
  // A phase's memory time, collectives and elementwise kernels. `weights`: the part of p.bytes
  // that is weights, read at the weight bandwidth (dequantising formats); `kv`: the part that is
  // the KV cache read at `kv_bw` (a measured decode attention; 0: none), the rest at the bandwidth.
  void memory_and_fixed(const PhaseIds& id, N tokens, N sequences, PhaseOf<N>& p, N weights, N kv = 0.0, N kv_bw = 0.0) const {
    if (value_of(kv_bw) > 0)
      p.memory_s = fig(weight_s(weights) + kv / kv_bw + (p.bytes - weights - kv) / x.rt.bandwidth, id.memory_s, "memory",
                       Unit::seconds,
                       weight_only() ? "weights ÷ weight bandwidth + KV read ÷ attention's KV bandwidth + the rest ÷ bandwidth"
                                     : "weights ÷ bandwidth + KV read ÷ attention's KV bandwidth + the rest ÷ bandwidth");
    else
      p.memory_s = fig(weight_only() ? weight_s(weights) + (p.bytes - weights) / x.rt.bandwidth : p.bytes / x.rt.bandwidth,
                       id.memory_s, "memory", Unit::seconds,
                       weight_only() ? "weights ÷ weight bandwidth + the rest ÷ bandwidth" : "bytes ÷ bandwidth");
    p.comm_s = fig(comm(tokens), id.comm_s, "comm", Unit::seconds,
                   "Megatron-LM (Shoeybi et al. 2019) §3: 2 all-reduces per block; PP hand-offs");
    if (has_small_kernels(x.rates))
      p.elementwise_s = fig(small_kernels(tokens, sequences), id.elementwise_s, "elementwise", Unit::seconds,
                            "the profile's measured small kernels (docs/calibrate.md)");
    else
      p.elementwise_s = fig(elementwise_s(x.rates, x.rt, elementwise_elements(x, false), tokens, mem.act_bytes, N(1.0)),
                            id.elementwise_s, "elementwise", Unit::seconds, "docs/formulas.md §Time");
  }
  // The phase's host costs once its device time (kernels, collectives, elementwise) is known:
  // kernel launches (CUDA graph or stream) + the engine's host time per step. Launched from Python
  // (eager), the launches overlap the device's work and only what outlasts it shows.
  void overhead(const PhaseIds& id, bool graph, PhaseOf<N>& p, N device) const {
    const N launches = launches_s(x.rates, kernels(), graph);
    if (launches_overlap(x.rates))
      p.overhead_s = fig(max_of(launches - device, N(0.0)) + step_overhead_s<N>(x.rates), id.overhead_s, "overhead",
                         Unit::seconds,
                         "launches beyond the device time they overlap + the engine's host time per step (docs/engines.md)");
    else
      p.overhead_s = fig(launches + step_overhead_s<N>(x.rates), id.overhead_s, "overhead", Unit::seconds,
                         "kernels × time per kernel + the engine's host time per step (docs/engines.md)");
  }
};

template <class N>
void set_time(const Setup<N>& x, PhaseOf<N>& p) {
  p.compute_bound = value_of(p.flop) / x.rates.peak_flop_per_s >= value_of(p.bytes) / x.rates.bandwidth_bytes_per_s;
}

// Prefill of `batch` prompts in one forward pass: 2·N·tokens for the matmuls (Kaplan et al. 2020,
// Table 1) — the head only for the last position — plus the attention core per sequence and layer
// over prompt² pairs, halved when a fused causal kernel skips the masked half; a local layer's
// fused kernel sees only its window (s·w − w²/2 pairs). Chunking a prompt changes neither total.
template <class N>
PhaseOf<N> prefill_phase(const Shared<N>& sh, N batch, const PhaseIds& id, N* gemm_s_out = nullptr) {
  const Setup<N>& x = sh.x;
  const Scenario& s = x.s;
  const Dims<N>& d = x.dims;
  const ModelSpec& m = x.r.model;
  const bool mla = m.attention == Attention::mla;
  const int n_local = x.all.local();
  const N prompt = in<N>(s.prompt, "prompt tokens", Unit::count);
  const N tokens = batch * prompt;
  const Gemm<N> head{"LM head", "LM-head FLOP", batch, d.vocab / x.tp, d.hidden, 1.0, GemmKind::unquantised};
  // QKᵀ and AV, 4·pairs·a·d (MLA in prefill: keys of head_dim, values of v_head_dim).
  auto attention_flop = [&](N layers, N pairs) {
    if (mla) return layers * 2.0 * batch * pairs * (d.heads / x.tp) * (d.head_dim + d.v_head_dim);
    return layers * 4.0 * batch * pairs * (d.heads / x.tp) * d.head_dim;
  };
  PhaseOf<N> pf;
  N flop, gemm_time;
  sh.gemms(tokens, head, &flop, &gemm_time);
  const N causal = s.flash ? in<N>(0.5, "causal half", Unit::number) : N(1.0);
  N attn = let(attention_flop(sh.global_layers, prompt * prompt * causal), "attention FLOP", Unit::flop);
  N attn_time = attention_s(x.rates, x.rt, attn, prompt, prompt, m.dim_head(), true);
  if (n_local > 0) {
    const N pairs = s.flash && s.prompt > m.window ? prompt * d.window - d.window * d.window * 0.5 : prompt * prompt * causal;
    const N local = let(attention_flop(sh.local_layers, pairs), "attention FLOP (local layers)", Unit::flop);
    attn_time = attn_time + attention_s(x.rates, x.rt, local, prompt, min_of(prompt, d.window), m.dim_head(), true);
    attn = attn + local;
  }
  pf.flop = fig(flop + attn, id.flop, "FLOP", Unit::flop, "Kaplan et al. 2020, Table 1: 2·N per token + attention");
  pf.compute_s = fig(gemm_time + attn_time, id.compute_s, "compute", Unit::seconds, "Σ GEMM FLOP ÷ rate + attention");
  const N scores = s.flash ? N(0.0)
                           : let(x.layers * batch * (d.heads / x.tp) * prompt * prompt * sh.mem.act_bytes * 2.0 * 2.0,
                                 "scores written + read", Unit::bytes);
  const N weights = sh.weight_read(tokens);
  pf.bytes = fig(weights + sh.kv_written(tokens) + scores, id.bytes, "bytes", Unit::bytes,
                 "weights read + KV written (+ scores without fused attention)");
  sh.memory_and_fixed(id, tokens, batch, pf, weights);
  if (gemm_s_out) *gemm_s_out = gemm_time;
  // timing=fitted: kernel by kernel, the GEMMs bound by compute or their weights, the attention by
  // compute or the K/V (and scores) it writes (see the decode step)
  const N work = x.rates.fitted()
                     ? let(max_of(gemm_time, sh.weight_s(weights)) + max_of(attn_time, pf.memory_s - sh.weight_s(weights)),
                           "GEMMs max(compute, weights) + attention max(compute, K/V written)", Unit::seconds)
                     : combine(s.timing, pf.compute_s, pf.memory_s);
  const N device = kernel_floor(work, sh.kernels()) + pf.comm_s + pf.elementwise_s;
  sh.overhead(id, false, pf, device);
  pf.time_s = fig(device + pf.overhead_s, id.time_s, "prefill", Unit::seconds, timing_rule(s.timing));
  set_time(x, pf);
  return pf;
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
  const ModelSpec& m = x.r.model;
  const bool mla = m.attention == Attention::mla;
  const int n_local = x.all.local();
  const N global_layers = n_local == 0 ? x.layers : in<N>(x.all.global(), "global layers", Unit::count);
  const N local_layers = in<N>(n_local, "local layers", Unit::count);
  const Shared<N> sh{x, mem, global_layers, local_layers, let(kv_bytes(x, mem, global_layers), "KV bytes/token", Unit::bytes),
                     n_local > 0 ? let(kv_bytes(x, mem, local_layers), "KV bytes/token (local layers)", Unit::bytes) : N(0.0)};
  const N batch = in<N>(s.batch, "batch", Unit::count);
  const N prompt = in<N>(s.prompt, "prompt tokens", Unit::count);
  const N gen = in<N>(s.gen, "generated tokens", Unit::count);
  const N tokens = batch * prompt;
  const N dp = in<N>(x.dp, "replicas", Unit::count);
  const Gemm<N> head{"LM head", "LM-head FLOP", batch, d.vocab / x.tp, d.hidden, 1.0, GemmKind::unquantised};
  // Decode: one token per sequence per step, linear in the context length c (a local layer reads
  // min(c, window)): FLOP = 2·N·b + 4·c·a·d·L·b, bytes = weights touched + K,V of c tokens read + 1
  // token written. MLA decodes with absorbed weights over the cached latent: 2·a·(2·kv_lora + rope)
  // FLOP and (kv_lora + rope) elements read per context token and layer (DeepSeek-V2 §2.1.3).
  PhaseOf<N>& dc = o.decode;
  N f0, s0;
  sh.gemms(batch, head, &f0, &s0);
  f0 = let(f0, "GEMM FLOP/step", Unit::flop);
  s0 = let(s0, "GEMM time/step", Unit::seconds);
  auto flop_per_context = [&](N layers) {
    if (mla) return layers * 2.0 * batch * (d.heads / x.tp) * (2.0 * d.kv_lora + d.rope_dim);
    return layers * 4.0 * batch * (d.heads / x.tp) * d.head_dim;
  };
  const N f1 = let(flop_per_context(global_layers), "attention FLOP/context token", Unit::flop);
  const N w0 = let(sh.weight_read(batch), "weights read/step", Unit::bytes);
  const N b0 = let(w0 + sh.kv_written(batch), "weights + new KV bytes/step", Unit::bytes);
  // A decode kernel that reads K/V once per query head (kv_per_head=1) reads each KV head g times
  // for its g = heads ÷ kv_heads query heads; the repeats that L2 does not catch (fitted share under
  // timing=fitted, all of them otherwise) add to the traffic.
  N reread = 1.0;
  if (s.kv_per_head && !mla && m.kv_heads > 0 && m.heads > m.kv_heads)
    reread = let(1.0 + in<N>(R.fitted() ? R.fit.kv_reread : 1.0, R.fitted() ? "repeats missing L2 (fitted share)" : "repeats missing L2",
                             Unit::number) *
                           (in<N>(double(m.heads) / m.kv_heads, "query heads per KV head", Unit::number) - 1.0),
                 "K/V reads per KV head (kv_per_head)", Unit::number);
  const N b1 = let(batch * sh.kv_global * reread, "KV bytes/context token", Unit::bytes);
  const N m0 = sh.weight_only() ? let(sh.weight_s(w0) + (b0 - w0) / x.rt.bandwidth, "memory s/step at context 0", Unit::seconds)
                                : b0 / x.rt.bandwidth;
  const N lo = s.gen > 1 ? let(prompt + 0.5, "context from", Unit::count) : let(prompt + 1.0, "context", Unit::count);
  const N hi = s.gen > 1 ? let(prompt + gen - 0.5, "context to", Unit::count) : lo;
  o.context_lo = value_of(lo);
  o.context_hi = value_of(hi);
  const N mid = let(0.5 * (lo + hi), "mean context", Unit::count);
  const double attn_dim = mla ? m.kv_lora_rank + m.rope_dim : m.dim_head();
  const N attn_s_per_flop = R.fitted() ? attention_s(R, x.rt, N(1.0), batch, mid, attn_dim) : 1.0 / x.rt.peak;
  const N attn_step = let(f1 * attn_s_per_flop, "attention s/context token", Unit::seconds);
  N flop_mean = f0 + f1 * mid, bytes_mean = b0 + b1 * mid, compute_mean = s0 + f1 * mid * attn_s_per_flop;
  // local layers: f1l·min(c, w) and b1l·min(c, w); their mean over the context, and the value at w
  N f1l = 0.0, b1l = 0.0, attn_step_l = 0.0, mean_local = 0.0;
  if (n_local > 0) {
    f1l = let(flop_per_context(local_layers), "attention FLOP/context token (local)", Unit::flop);
    b1l = let(batch * sh.kv_local, "KV bytes/context token (local)", Unit::bytes);
    const N per_flop = R.fitted() ? attention_s(R, x.rt, N(1.0), batch, min_of(mid, d.window), attn_dim) : 1.0 / x.rt.peak;
    attn_step_l = let(f1l * per_flop, "attention s/context token (local)", Unit::seconds);
    mean_local = let(mean_of_min(lo, hi, d.window), "mean local context", Unit::count);
    flop_mean = flop_mean + f1l * mean_local;
    bytes_mean = bytes_mean + b1l * mean_local;
    compute_mean = compute_mean + attn_step_l * mean_local;
  }
  dc.flop = fig(flop_mean, kDecodeIds.flop, "FLOP", Unit::flop,
                mla ? "2·N·b + 2·c·a·(2·kv_lora + rope)·L·b (DeepSeek-V2 §2.1.3: absorbed attention over the latent)"
                    : "2·N·b + 4·c·a·d·L·b (Pope et al. 2022 §2)");
  dc.bytes = fig(bytes_mean, kDecodeIds.bytes, "bytes", Unit::bytes,
                 mla ? "weights + latent(c) read (DeepSeek-V2 §2.1.3)" : "weights + KV(c) read (Pope et al. 2022 §2)");
  dc.compute_s = fig(compute_mean, kDecodeIds.compute_s, "compute", Unit::seconds, "Σ GEMM FLOP ÷ rate + attention");
  // a profile's measured decode attention reads the KV cache at its own bandwidth (at the mean context)
  const N kv_bw = mla ? N(0.0) : kv_read_bandwidth(R, mid, batch, m.dim_head(), double(m.heads) / m.kv_heads);
  const bool kv_measured = value_of(kv_bw) > 0;
  const N bw_kv = kv_measured ? kv_bw : x.rt.bandwidth;
  if (kv_measured)
    sh.memory_and_fixed(kDecodeIds, batch, batch, dc, w0, let(bytes_mean - b0, "KV read/step", Unit::bytes), kv_bw);
  else
    sh.memory_and_fixed(kDecodeIds, batch, batch, dc, w0);
  N avg, dec_attn = 0.0;  // dec_attn (fitted): the attention kernels' share of a step
  if (s.timing == TimingModel::additive) {
    avg = dc.compute_s + dc.memory_s;  // linear in c: the average is the value at the mean
  } else if (R.fitted()) {
    // Kernel by kernel: the GEMMs and the attention of a step run one after the other, each bound
    // by its own compute or memory traffic (Williams et al. 2009, the roofline per kernel) — at
    // large batch the GEMMs are compute-bound while attention still streams the KV cache, and
    // neither hides the other. Both parts are linear in c, so the mean is the value at the mean.
    N attn = max_of(attn_step, b1 / bw_kv) * mid;
    if (n_local > 0)
      attn = attn + max_of(attn_step_l, b1l / bw_kv) * mean_local;
    dec_attn = let(attn, "attention max(compute, KV read)", Unit::seconds);
    avg = let(max_of(s0, m0) + dec_attn, "GEMMs max(compute, weights) + attention", Unit::seconds);
  } else if (n_local == 0) {
    avg = let(average_of_max(s0, attn_step, m0, b1 / bw_kv, lo, hi),
              "mean over the context of max(compute, memory)", Unit::seconds);
  } else {
    // below the window local layers grow with c like global ones; above it they stay at w
    const N bw = bw_kv;  // the KV read slopes
    auto below = [&](N from, N to) {
      return average_of_max(s0, attn_step + attn_step_l, m0, (b1 + b1l) / bw, from, to);
    };
    auto above = [&](N from, N to) {
      return average_of_max(s0 + attn_step_l * d.window, attn_step, m0 + b1l * d.window / bw, b1 / bw, from, to);
    };
    N v;
    if (hi <= d.window) v = below(lo, hi);
    else if (lo >= d.window) v = above(lo, hi);
    else v = ((d.window - lo) * below(lo, d.window) + (hi - d.window) * above(d.window, hi)) / (hi - lo);
    avg = let(v, "mean over the context of max(compute, memory)", Unit::seconds);
  }
  avg = kernel_floor(avg, sh.kernels()) + dc.comm_s + dc.elementwise_s;
  sh.overhead(kDecodeIds, true, dc, avg);  // engines replay decode as a CUDA graph
  dc.time_s = fig(avg + dc.overhead_s, kDecodeIds.time_s, "decode step", Unit::seconds, timing_rule(s.timing));
  set_time(x, dc);

  // Prefill of the whole batch at once (the offline batch; its TTFT is time.ttft_s); charts skip it.
  if (x.offline) {
    o.prefill = prefill_phase(sh, batch, kPrefillIds);
    const PhaseOf<N>& pf = o.prefill;
    o.ttft_s = fig(pf.time_s, "time.ttft_s", "TTFT", Unit::seconds, "Narayanan et al. 2021 (Megatron-LM at scale), §5.1; Kaplan et al. 2020, Table 1");
    o.tpot_s = fig(dc.time_s, "time.tpot_s", "TPOT", Unit::seconds, "Pope et al. 2022 §2; seed TPOT = weights/bandwidth");
    o.e2e_s = fig(o.ttft_s + (gen - 1.0) * o.tpot_s, "time.e2e_s", "end to end", Unit::seconds, "definition");
    o.tokens_per_s = fig(dp * batch * gen / o.e2e_s, "time.tokens_per_s", "tokens/s", Unit::number, "definition");
    o.decode_tokens_per_s = fig(dp * batch / o.tpot_s, "time.decode_tokens_per_s", "decode tokens/s", Unit::number, "definition");
    o.prefill_tokens_per_s = fig(dp * tokens / o.ttft_s, "time.prefill_tokens_per_s", "prefill tokens/s", Unit::number, "definition");
  }

  // Serving `batch` users in steady state (docs/engines.md §Serving). A request's prompt is
  // prefilled in passes of the engine's chunk, less the other requests' decode tokens that ride in
  // the same pass (Sarathi-Serve, Agrawal et al. 2024 §4); each pass costs the larger of its share
  // of the prompt's compute plus the decode step's compute, and the decode step's memory traffic.
  ServingTime<N>& sv = o.serving;
  N pf_gemm = 0.0;
  sv.prefill = prefill_phase(sh, in<N>(1.0, "request", Unit::count), kRequestPrefillIds, &pf_gemm);
  const N others = let(batch - 1.0, "other requests", Unit::count);
  if (mem.chunk > 0) {
    const N room = let(max_of(mem.pass_tokens - others, in<N>(16.0, "tokens (smallest chunk)", Unit::count)),
                       "prompt tokens per pass", Unit::count);
    sv.chunks = fig(ceil_of(prompt / room), "serving.prefill_chunks", "prefill passes", Unit::count, "⌈prompt ÷ room in a pass⌉");
  } else {
    sv.chunks = fig(in<N>(1.0, "the whole prompt in one pass (no chunking)", Unit::count), "serving.prefill_chunks",
                    "prefill passes", Unit::count, "engine convention");
  }
  const N n = sv.chunks;
  // timing=fitted, kernel by kernel: a pass's GEMMs take max(prompt share + decode GEMM compute,
  // weights), its attention the prompt's attention beside the decode step's
  const N passes_work = R.fitted() ? let(n * max_of(pf_gemm / n + s0, m0) + (sv.prefill.compute_s - pf_gemm) + n * dec_attn,
                                         "passes: GEMMs max(prompt share + decode compute, weights) + attention", Unit::seconds)
                                   : combine(s.timing, sv.prefill.compute_s + n * dc.compute_s, n * dc.memory_s);
  sv.prefill_steps_s = fig(kernel_floor(passes_work, n * sh.kernels()) +
                               n * (dc.comm_s + dc.overhead_s + dc.elementwise_s) + sv.prefill.comm_s + sv.prefill.elementwise_s,
                           "serving.prefill_steps_s", "prefill passes", Unit::seconds,
                           "each pass: the prompt's share beside a decode step + the step's fixed costs");
  // While one request decodes, the other users' prompts are prefilled: (batch − 1) requests of
  // (passes + gen − 1) steps each, every one adding its passes' time beyond the decode steps they replace.
  const N extra = let(max_of(sv.prefill_steps_s - n * dc.time_s, N(0.0)), "a prefill's time beyond its decode steps", Unit::seconds);
  sv.step_s = fig(dc.time_s + others / (n + gen - 1.0) * extra, "serving.step_s", "mean step", Unit::seconds,
                  "decode step + the other requests' prefill passes spread over their lifetime");
  sv.tpot_s = fig(sv.step_s, "serving.tpot_s", "TPOT", Unit::seconds, "one token per step while decoding");
  const N wait = s.batch > 1 ? let(0.5 * sv.step_s, "wait for the running step (half a step)", Unit::seconds) : N(0.0);
  sv.ttft_s = fig(wait + sv.prefill_steps_s, "serving.ttft_s", "TTFT", Unit::seconds, "wait + prefill passes");
  sv.e2e_s = fig(sv.ttft_s + (gen - 1.0) * sv.tpot_s, "serving.e2e_s", "request latency", Unit::seconds, "definition");
  sv.output_tokens_per_s = fig(dp * batch * gen / sv.e2e_s, "serving.output_tokens_per_s", "output tokens/s", Unit::number,
                               "users × generated tokens ÷ request latency (closed loop)");
  sv.total_tokens_per_s = fig(dp * batch * (prompt + gen) / sv.e2e_s, "serving.total_tokens_per_s", "total tokens/s",
                              Unit::number, "users × (prompt + generated) ÷ request latency");
  return o;
}

template InferTime<double> infer_time(const Setup<double>&, const InferMemory<double>&);
template InferTime<Traced> infer_time(const Setup<Traced>&, const InferMemory<Traced>&);
template double average_of_max(double, double, double, double, double, double);
template double mean_of_min(double, double, double);
template Traced mean_of_min(Traced, Traced, Traced);
template Traced average_of_max(Traced, Traced, Traced, Traced, Traced, Traced);

}  // namespace llmcalc
