// core/time_train.cpp — training step time (see time_train.hpp; docs/formulas.md §Training time).
#include "time_train.hpp"

#include "comm.hpp"

namespace llmcalc {

namespace {
constexpr const char* kMegatron = "Narayanan et al. 2021 (Megatron-LM at scale), §5.1; Kaplan et al. 2020, Table 1";
}

template <class N>
TrainTime<N> train_time(const Setup<N>& x, const TrainMemory<N>& mem) {
  const Scenario& s = x.s;
  const ModelSpec& m = x.r.model;
  const ParamCounts& P = x.r.params;
  const Dims<N>& d = x.dims;
  const Rates& R = x.rates;
  const bool lora = s.method != Method::full, full_recompute = s.recompute == Recompute::full;
  TrainTime<N> o;
  PhaseOf<N>& st = o.step;
  const N batch = in<N>(s.batch, "micro-batch", Unit::count);
  const N seq = in<N>(s.seq, "tokens", Unit::count);
  const N accum = in<N>(s.accum, "micro-batches", Unit::count);
  const N dp = in<N>(x.dp, "dp", Unit::count);
  const N w16 = mem.elem_bytes;

  // FLOP: forward 2·N per token, backward 4·N (weights and inputs), +2·N when full recomputation
  // reruns the forward (Narayanan et al. 2021, "Efficient Large-Scale Language Model Training on
  // GPU Clusters Using Megatron-LM", §5.1: 6N, 8N). LoRA/QLoRA skip the frozen weights' gradients:
  // 4·N (+2·N), plus 6 FLOP per adapter parameter.
  const N tokens = let(batch * seq, "tokens/micro-batch", Unit::count);
  const N passes = in<N>((lora ? 2.0 : 3.0) + (full_recompute ? 1.0 : 0.0), "passes", Unit::number,
                         lora ? (full_recompute ? "forward, input grads, recompute" : "forward, input grads")
                              : (full_recompute ? "forward, 2 backward, recompute" : "forward, 2 backward"));
  N flop = 0.0, gemm_time = 0.0;
  for (const bool moe : {false, true}) {  // the heaviest stage's blocks, by kind
    if ((moe ? x.stage.moe() : x.stage.dense()) == 0) continue;
    const N count = blocks_of(x, true, moe);
    Gemm<N> g[kMaxBlockGemms];
    const int ng = block_gemms(m, d, moe, tokens, x.tp, g, x.ep);
    for (int i = 0; i < ng; ++i) {
      flop += count * g[i].flop() * passes;
      gemm_time += count * gemm_s(R, x.rt, g[i]) * passes;
    }
  }
  const Gemm<N> head{"LM head", "LM-head FLOP", tokens, d.vocab / x.tp, d.hidden, 1.0};
  flop += head.flop() * passes;
  gemm_time += gemm_s(R, x.rt, head) * passes;
  if (lora) {
    const N adapter_flop = let(6.0 * mem.adapters_gpu * tokens, "adapter FLOP", Unit::flop);
    flop += adapter_flop;
    gemm_time += adapter_flop / x.rt.peak;
  }
  // Attention core: 4·s²·a·d per sequence per layer forward (halved by a causal fused kernel), ×3
  // for forward + backward, +1 forward when recomputed (selective or full).
  // MLA: keys of head_dim, values of v_head_dim; a local layer's fused kernel sees its window only.
  const N causal = s.flash ? in<N>(0.5, "causal half", Unit::number) : N(1.0);
  const bool mla = m.attention == Attention::mla;
  auto attention_flop = [&](N layers, N pairs) {
    if (mla) return layers * 2.0 * batch * pairs * (d.heads / x.tp) * (d.head_dim + d.v_head_dim);
    return layers * 4.0 * batch * pairs * (d.heads / x.tp) * d.head_dim;
  };
  const N attn_passes = in<N>(3.0 + (s.recompute != Recompute::none ? 1.0 : 0.0), "attention passes", Unit::number);
  const int n_local = x.stage.local();
  const N global_layers = n_local == 0 ? x.layers_gpu : in<N>(x.stage.global(), "global layers", Unit::count);
  const N attn_fwd = let(attention_flop(global_layers, seq * seq * causal), "attention FLOP (forward)", Unit::flop);
  N attn = attn_fwd * attn_passes;
  N attn_time = attention_s(R, x.rt, attn, seq, seq, m.dim_head());
  if (n_local > 0) {
    const N pairs = s.flash && s.seq > m.window ? seq * d.window - d.window * d.window * 0.5 : seq * seq * causal;
    const N local = let(attention_flop(in<N>(n_local, "local layers", Unit::count), pairs),
                        "attention FLOP (forward, local layers)", Unit::flop) * attn_passes;
    attn_time = attn_time + attention_s(R, x.rt, local, seq, min_of(seq, d.window), m.dim_head());
    attn = attn + local;
  }
  flop += attn;
  const N compute = gemm_time + attn_time;
  st.flop = fig(flop * accum, kStepIds.flop, "FLOP", Unit::flop, kMegatron);
  st.compute_s = fig(compute * accum, kStepIds.compute_s, "compute", Unit::seconds, "Σ GEMM FLOP ÷ rate + attention");
  // Memory traffic: per micro-batch the 16-bit weights are read in the forward and in the backward
  // (twice for full training: input and weight gradients); once per step the optimizer reads and
  // writes weights, gradients and states.
  const N reads = in<N>(lora ? 2.0 : 3.0, "weight reads/micro-batch", Unit::number);
  st.bytes = fig(accum * (reads * mem.weights) + 2.0 * (mem.weights + mem.gradients + mem.optimizer), kStepIds.bytes,
                 "bytes", Unit::bytes, "weights read per pass + optimizer read/write");
  st.memory_s = fig(st.bytes / x.rt.bandwidth, kStepIds.memory_s, "memory", Unit::seconds, "bytes ÷ bandwidth");
  // TP: 2 all-reduces per block forward and 2 backward (+2 when recomputing) of s·b·h values
  // (Megatron-LM, Shoeybi et al. 2019, §3); SP replaces each by reduce-scatter + all-gather of the
  // same volume. PP: one activation send forward and one gradient send backward.
  const N act_bytes = tokens * d.hidden * w16;
  const bool ep = x.ep > 1.0 && x.stage.moe() > 0;
  N comm = s.tp == 1 && s.pp == 1 && !ep ? in<N>(0.0, "no tensor, pipeline or expert parallelism", Unit::seconds) : N(0.0);
  if (s.tp > 1)
    comm = x.layers_gpu * in<N>(4.0 + (full_recompute ? 2.0 : 0.0), "all-reduces/layer", Unit::count) *
           allreduce_s(act_bytes, x.tp, x.rt.link, x.rt.latency);
  if (s.pp > 1) comm = comm + 2.0 * send_s(act_bytes, x.rt.link, x.rt.latency);
  if (x.ep > 1.0 && x.stage.moe() > 0) {  // dispatch + combine forward, and again backward, per MoE block
    comm = comm + blocks_of(x, true, true) * 4.0 * expert_alltoall_s(act_bytes, s.ep, m.experts_active, x.rt.link, x.rt.latency);
  }
  st.comm_s = fig(accum * comm, kStepIds.comm_s, "comm", Unit::seconds, "Megatron-LM (Shoeybi et al. 2019) §3");
  const N kernels = x.layers_gpu * in<N>(12, "kernels/layer", Unit::count) + in<N>(4, "other kernels", Unit::count);
  st.overhead_s = fig(launches_s(R, accum * passes * kernels, false), kStepIds.overhead_s, "launches",
                      Unit::seconds, "kernels × measured launch time");
  st.elementwise_s = fig(accum * elementwise_s(R, x.rt, elementwise_elements(x, true), tokens, w16, passes),
                         kStepIds.elementwise_s, "elementwise", Unit::seconds, "docs/formulas.md §Time");
  // Pipeline bubble (Narayanan et al. 2021, §2.2): idle fraction (pp − 1)/m of the ideal time.
  const N bubble = s.pp > 1 ? let((in<N>(s.pp, "pp", Unit::count) - 1.0) / accum, "pipeline bubble", Unit::number)
                            : N(0.0);
  o.bubble = value_of(bubble);
  const N busy = (combine(s.timing, st.compute_s, st.memory_s) + st.comm_s + st.overhead_s + st.elementwise_s) *
                 (1.0 + bubble);
  // DP: gradients all-reduced once per step (reduce-scatter + all-gather under ZeRO-1/2, same
  // volume); ZeRO-3 also all-gathers the parameters in the forward and the backward of every
  // micro-batch. Overlapped with the backward pass (PyTorch DDP buckets), so only its excess over
  // the compute shows.
  N step = busy;
  if (x.dp > 1) {
    const N link = data_parallel_link(s.gpus, x.rt.link);
    N dpc = allreduce_s(mem.trainable_gpu * w16, dp, link, x.rt.latency);
    if (s.zero >= 3) dpc = dpc + accum * 2.0 * allgather_s(dp, x.params_per_gpu, w16, link, x.rt.latency);
    dpc = let(dpc, "data-parallel comm (overlapped)", Unit::seconds);
    o.dp_comm_s = value_of(dpc);
    step = max_of(busy, dpc);
  }
  st.time_s = fig(step, kStepIds.time_s, "step time", Unit::seconds, timing_rule(s.timing));
  st.compute_bound = value_of(st.flop) / R.peak_flop_per_s >= value_of(st.bytes) / R.bandwidth_bytes_per_s;
  o.step_s = fig(st.time_s, "time.step_s", "step", Unit::seconds, kMegatron);
  const N step_tokens = let(tokens * accum * dp, "tokens/step", Unit::count);
  o.tokens_per_s = fig(step_tokens / o.step_s, "time.tokens_per_s", "tokens/s", Unit::number, "definition");
  const N n_model = in<N>(P.active - P.embedding + (m.tied ? P.embedding : 0.0), "non-embedding params", Unit::count,
                          m.tied ? "+ tied head" : "");
  o.mfu = fig(6.0 * n_model * step_tokens / (o.step_s * x.rt.peak * in<N>(s.gpus, "GPUs", Unit::count)), "time.mfu", "MFU",
              Unit::number, "MFU as in Chowdhery et al. 2022 (PaLM), App. B");
  return o;
}

template TrainTime<double> train_time(const Setup<double>&, const TrainMemory<double>&);
template TrainTime<Traced> train_time(const Setup<Traced>&, const TrainMemory<Traced>&);

}  // namespace llmcalc
