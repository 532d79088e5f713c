// core/time_train.cpp — training step time (see time_train.hpp; docs/formulas.md §Training time).
#include "time_train.hpp"

#include "comm.hpp"
#include "frameworks.hpp"

namespace llmcalc {

namespace {
constexpr const char* kMegatron = "Narayanan et al. 2021 (Megatron-LM at scale), §5.1; Kaplan et al. 2020, Table 1";
}

template <class N>
TrainTime<N> train_time(const Setup<N>& x, const TrainMemory<N>& mem) {
  const Scenario& s = x.s;
  const ModelSpec& m = x.r.model;
  const Dims<N>& d = x.dims;
  const Rates& R = x.rates;
  const FrameworkSpec& fw = framework_spec(s.framework);
  const Recompute recompute = recompute_of(s);
  const bool lora = s.method != Method::full, full_recompute = recompute == Recompute::full;
  const bool framework = R.framework_fitted();
  TrainTime<N> o;
  PhaseOf<N>& st = o.step;
  const N batch = in<N>(s.batch, "micro-batch", Unit::count);
  const N seq = in<N>(s.seq, "tokens", Unit::count);
  const N cp = in<N>(s.cp, "cp", Unit::count);
  const N seq_gpu = s.cp > 1 ? let(seq / cp, "tokens/GPU (context parallel)", Unit::count) : seq;
  const N accum = in<N>(s.accum, "micro-batches", Unit::count);
  const N dp = in<N>(x.dp, "dp", Unit::count);
  const N w16 = mem.elem_bytes;

  // FLOP: forward 2·N per token, backward 4·N (weights and inputs), +2·N when full recomputation
  // reruns the forward (Narayanan et al. 2021, "Efficient Large-Scale Language Model Training on
  // GPU Clusters Using Megatron-LM", §5.1: 6N, 8N). LoRA/QLoRA skip the frozen weights' gradients:
  // 4·N (+2·N), plus 6 FLOP per adapter parameter.
  const N tokens = let(batch * seq_gpu, "tokens/micro-batch", Unit::count);
  const N passes = in<N>((lora ? 2.0 : 3.0) + (full_recompute ? 1.0 : 0.0), "passes", Unit::number,
                         lora ? (full_recompute ? "forward, input grads, recompute" : "forward, input grads")
                              : (full_recompute ? "forward, 2 backward, recompute" : "forward, 2 backward"));
  N pass_flop = 0.0, pass_time = 0.0;  // one forward pass of the GEMMs
  for (const bool moe : {false, true}) {  // the heaviest stage's blocks, by kind
    if ((moe ? x.stage.moe() : x.stage.dense()) == 0) continue;
    const N count = blocks_of(x, true, moe);
    Gemm<N> g[kMaxBlockGemms];
    const int ng = block_gemms(m, d, moe, tokens, x.tp, g, x.ep, true);
    for (int i = 0; i < ng; ++i) {
      pass_flop += count * g[i].flop();
      pass_time += count * gemm_s(R, x.rt, g[i]);
    }
  }
  const Gemm<N> head{"LM head", "LM-head FLOP", tokens, d.vocab / x.tp, d.hidden, 1.0, GemmKind::unquantised};
  pass_flop = let(pass_flop + head.flop(), "GEMM FLOP (one forward)", Unit::flop);
  N flop = pass_flop * passes;
  N gemm_time = (pass_time + gemm_s(R, x.rt, head)) * passes;
  N adapter_flop = 0.0;
  if (lora) {
    adapter_flop = let(6.0 * mem.adapters_gpu * tokens, "adapter FLOP", Unit::flop);
    flop += adapter_flop;
    gemm_time += adapter_flop / x.rt.peak;
  }
  // Attention core: 4·s²·a·d per sequence per layer forward (halved by a causal fused kernel), ×3
  // for forward + backward, +1 forward when recomputed (selective or full). Context parallelism: a
  // GPU's s/cp queries against all s keys.
  // MLA: keys of head_dim, values of v_head_dim; a local layer's fused kernel sees its window only.
  const N causal = s.flash ? in<N>(0.5, "causal half", Unit::number) : N(1.0);
  const bool mla = m.attention == Attention::mla;
  auto attention_flop = [&](N layers, N pairs) {
    if (mla) return layers * 2.0 * batch * pairs * (d.heads / x.tp) * (d.head_dim + d.v_head_dim);
    return layers * 4.0 * batch * pairs * (d.heads / x.tp) * d.head_dim;
  };
  const N attn_passes = in<N>(3.0 + (recompute != Recompute::none ? 1.0 : 0.0), "attention passes", Unit::number);
  const int n_local = x.stage.local();
  const N global_layers = n_local == 0 ? x.layers_gpu : in<N>(x.stage.global(), "global layers", Unit::count);
  const N pairs = s.cp > 1 ? seq_gpu * seq * causal : seq * seq * causal;
  N attn_fwd = let(attention_flop(global_layers, pairs), "attention FLOP (forward)", Unit::flop);
  N attn_time = attention_s(R, x.rt, attn_fwd * attn_passes, seq_gpu, seq, m.dim_head());
  if (n_local > 0) {
    N local_pairs = s.flash && s.seq > m.window ? seq * d.window - d.window * d.window * 0.5 : seq * seq * causal;
    if (s.cp > 1) local_pairs = local_pairs / cp;
    const N local = let(attention_flop(in<N>(n_local, "local layers", Unit::count), local_pairs),
                        "attention FLOP (forward, local layers)", Unit::flop);
    attn_time = attn_time + attention_s(R, x.rt, local * attn_passes, seq_gpu, min_of(seq, d.window), m.dim_head());
    attn_fwd = attn_fwd + local;
  }
  flop += attn_fwd * attn_passes;
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
  // Overlapped traffic (context-parallel ring, offloading, data parallelism) shows where it outlasts
  // the work it hides behind, and, with a framework, by the fitted share of the hidden part.
  auto exposed = [&](N traffic, N hidden_behind) {
    const N beyond = max_of(traffic - hidden_behind, N(0.0));
    if (!framework) return beyond;
    return beyond + in<N>(R.fit.train_comm_exposed, "exposed share (fitted)", Unit::number) * min_of(traffic, hidden_behind);
  };
  // TP: 2 all-reduces per block forward and 2 backward (+2 when recomputing) of s·b·h values
  // (Megatron-LM, Shoeybi et al. 2019, §3); SP replaces each by reduce-scatter + all-gather of the
  // same volume. PP: one activation send forward and one gradient send backward per model chunk.
  const N act_bytes = tokens * d.hidden * w16;
  const bool ep = x.ep > 1.0 && x.stage.moe() > 0;
  N comm = s.tp == 1 && s.pp == 1 && s.cp == 1 && !ep
               ? in<N>(0.0, "no tensor, pipeline, context or expert parallelism", Unit::seconds)
               : N(0.0);
  if (s.tp > 1)
    comm = x.layers_gpu * in<N>(4.0 + (full_recompute ? 2.0 : 0.0), "all-reduces/layer", Unit::count) *
           allreduce_time(R, x.rt, act_bytes, x.tp, s.tp, x.rt.link);
  if (s.pp > 1)
    comm = comm + in<N>(2.0 * s.vp, s.vp > 1 ? "sends (2 per model chunk)" : "sends", Unit::count) *
                      send_time(R, x.rt, act_bytes, x.rt.link, s.gpus <= kGpusPerNode);
  if (ep) {  // dispatch + combine forward, and again backward, per MoE block
    comm = comm + blocks_of(x, true, true) * 4.0 * expert_alltoall_s(act_bytes, s.ep, m.experts_active, x.rt.link, x.rt.latency);
  }
  // CP (ring attention, Liu et al. 2023; Megatron-LM context parallelism): each layer passes every
  // GPU's K and V chunk round the ring in the forward, and K, V and their gradients in the
  // backward: 3·(cp − 1) chunk transfers, hidden behind the attention they feed.
  if (s.cp > 1) {
    const N chunk = let(tokens * 2.0 * (mla ? d.kv_lora + d.rope_dim : d.kv_heads * d.head_dim / x.tp) * w16,
                        "K and V of a chunk", Unit::bytes);
    const N link = data_parallel_link(s.tp * s.cp, x.rt.link);
    const N ring = let(x.layers_gpu * 3.0 * (cp - 1.0) * send_s(chunk, link, x.rt.latency), "context-parallel ring",
                       Unit::seconds);
    comm = comm + exposed(ring, attn_time);
  }
  st.comm_s = fig(accum * comm, kStepIds.comm_s, "comm", Unit::seconds, "Megatron-LM (Shoeybi et al. 2019) §3");
  const N kernels = x.layers_gpu * in<N>(12, "kernels/layer", Unit::count) + in<N>(4, "other kernels", Unit::count);
  // Kernel launches: with a framework, eager PyTorch issues every kernel from the host (the fitted
  // per-kernel cost), overlapped with the GPU's work unless the host is the slower.
  st.overhead_s = fig(framework ? accum * passes * kernels * in<N>(R.fit.kernel_eager_s, "per kernel launched from Python (fitted)", Unit::seconds)
                                : launches_s(R, accum * passes * kernels, false),
                      kStepIds.overhead_s, "launches", Unit::seconds, "kernels × per-kernel host time");
  st.elementwise_s = fig(accum * elementwise_s(R, x.rt, elementwise_elements(x, true), tokens, w16, passes),
                         kStepIds.elementwise_s, "elementwise", Unit::seconds, "docs/formulas.md §Time");
  // Pipeline bubble (Narayanan et al. 2021, §2.2): idle fraction (pp − 1)/m of the ideal time;
  // interleaved 1F1B with v model chunks per GPU: (pp − 1)/(m·v).
  const N bubble = s.pp > 1 ? let((in<N>(s.pp, "pp", Unit::count) - 1.0) /
                                      (s.vp > 1 ? accum * in<N>(s.vp, "vp", Unit::count) : accum),
                                  "pipeline bubble", Unit::number)
                            : N(0.0);
  o.bubble = value_of(bubble);
  const N device = kernel_floor(combine(s.timing, st.compute_s, st.memory_s), accum * passes * kernels) + st.comm_s + st.elementwise_s;
  N busy = framework ? max_of(device, st.overhead_s) : device + st.overhead_s;
  // Activation offloading: every saved activation goes to host memory and back over PCIe
  // (NVLink-C2C on Grace machines), hidden behind the compute.
  if (s.offload) {
    const N host = in<N>(host_link_bytes_per_s(x.r.gpu_id), "host link", Unit::bytes_per_s, "datasheet, one direction");
    busy = busy + exposed(let(2.0 * in<N>(mem.act_offloaded, "offloaded activations", Unit::bytes) / host,
                              "offload transfers", Unit::seconds),
                          st.compute_s);
  }
  busy = busy * (1.0 + bubble);
  // DP: gradients all-reduced once per step (reduce-scatter + all-gather under ZeRO-1/2, same
  // volume) in the gradient buffer's type, over the data- and context-parallel ranks; ZeRO-3 also
  // all-gathers the parameters in the forward and the backward of every micro-batch. Overlapped
  // with the backward pass (DDP buckets, FSDP prefetch) where the framework does so.
  N step = busy;
  const N ranks = s.cp > 1 ? dp * cp : dp;
  if (x.dp * s.cp > 1) {
    const N link = data_parallel_link(s.gpus, x.rt.link);
    const int n = x.dp * s.cp;  // the ranks, as a whole number: an imported collective's GPU count
    const N grads = mem.trainable_gpu * mem.grad_bytes;
    N dpc;
    if (s.shard > 0 && s.shard < n) {
      // hybrid sharding (HSDP, ZeRO++ hpZ): gradients reduce-scattered and parameters gathered within a
      // shard group (its own link: within a node when it fits), each group's shard all-reduced across the
      // replicas over the data-parallel link (Zhao et al. 2023, "PyTorch FSDP" §3.2.2)
      const N group = in<N>(s.shard, "shard group", Unit::count);
      const N inner = data_parallel_link(s.shard * s.tp * s.cp, x.rt.link);
      dpc = allreduce_time(R, x.rt, grads, group, s.shard, inner) +
            allreduce_time(R, x.rt, grads / group, ranks / group, n / s.shard, link);
      if (s.zero >= 3) dpc = dpc + accum * 2.0 * allgather_time(R, x.rt, group, x.params_per_gpu, w16, s.shard, inner);
    } else {
      dpc = allreduce_time(R, x.rt, grads, ranks, n, link);
      if (s.zero >= 3) dpc = dpc + accum * 2.0 * allgather_time(R, x.rt, ranks, x.params_per_gpu, w16, n, link);
    }
    dpc = let(dpc, fw.dp_overlap ? "data-parallel comm (overlapped)" : "data-parallel comm", Unit::seconds);
    o.dp_comm_s = value_of(dpc);
    step = fw.dp_overlap ? busy + exposed(dpc, busy) : busy + dpc;
  }
  if (framework)
    step = step + in<N>(R.fit.train_step_s[int(s.framework)], "host time per step (fitted)", Unit::seconds, fw.name.data());
  st.time_s = fig(step, kStepIds.time_s, "step time", Unit::seconds, timing_rule(s.timing));
  st.compute_bound = value_of(st.flop) / R.peak_flop_per_s >= value_of(st.bytes) / R.bandwidth_bytes_per_s;
  o.step_s = fig(st.time_s, "time.step_s", "step", Unit::seconds, kMegatron);
  o.global_batch = fig(batch * accum * dp, "time.global_batch", "global batch", Unit::count, "micro-batch × accum × dp");
  o.tokens_per_step = fig(o.global_batch * seq, "time.tokens_per_step", "tokens/step", Unit::count, "global batch × seq");
  o.tokens_per_s = fig(o.tokens_per_step / o.step_s, "time.tokens_per_s", "tokens/s", Unit::number, "definition");
  // MFU (Chowdhery et al. 2022, PaLM, App. B) from the FLOPs the method needs — the forward and
  // backward GEMMs (4·N for LoRA's frozen weights), adapters, causal attention — without
  // recomputation, per GPU, at the peak of the type the GEMMs run in.
  const N model_flop = let(pass_flop * in<N>(lora ? 2.0 : 3.0, "passes without recompute", Unit::number) + adapter_flop +
                               attn_fwd * 3.0,
                           "model FLOP/micro-batch", Unit::flop);
  o.mfu = fig(model_flop * accum / (o.step_s * x.rt.peak), "time.mfu", "MFU", Unit::number,
              "Chowdhery et al. 2022 (PaLM), App. B: model FLOPs ÷ (time × peak)");
  if (s.train_tokens > 0) {
    o.train_s = fig(in<N>(s.train_tokens, "tokens to train", Unit::count) / o.tokens_per_s, "time.train_s",
                    "time to train", Unit::seconds, "tokens ÷ tokens/s");
    o.gpu_hours = fig(o.train_s * in<N>(s.gpus, "GPUs", Unit::count) / 3600.0, "time.gpu_hours", "GPU-hours",
                      Unit::number, "time × GPUs");
  }
  return o;
}

template TrainTime<double> train_time(const Setup<double>&, const TrainMemory<double>&);
template TrainTime<Traced> train_time(const Setup<Traced>&, const TrainMemory<Traced>&);

}  // namespace llmcalc
