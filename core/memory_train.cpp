// core/memory_train.cpp — training memory (see memory_train.hpp; docs/formulas.md §Training memory).
#include "memory_train.hpp"

#include <algorithm>

#include "formats.hpp"
#include "memory_infer.hpp"  // kRuntimeOverheadBytes

namespace llmcalc {

namespace {
// Σ (rows + cols) over the blocks of each kind in the whole model (LoRA adapters ÷ rank).
double p_dense(const ModelSpec& m, const ParamCounts& P) { return P.dense_blocks * block_rows_plus_cols(m, false); }
double p_moe(const ModelSpec& m, const ParamCounts& P) { return P.moe_blocks > 0 ? P.moe_blocks * block_rows_plus_cols(m, true) : 0.0; }

constexpr const char* kKorthikanti =
    "Korthikanti et al. 2022, Reducing Activation Recomputation in Large Transformer Models, Table 2";

// Optimizer state bytes per trainable parameter (without the master copy).
template <class N>
N state_bytes(const Setup<N>& x, const TrainMemory<N>& o, N rank) {
  const Scenario& s = x.s;
  const ParamCounts& P = x.r.params;
  const ModelSpec& m = x.r.model;
  const bool lora = s.method != Method::full;
  const N sb = in<N>(s.precision == Precision::bf16 ? 2.0 : 4.0, "B", Unit::number,
                     s.precision == Precision::bf16 ? "bf16 state" : "fp32 state");
  switch (s.optimizer) {
    case Optimizer::adamw: return 2.0 * sb;  // m, v
    case Optimizer::adamw8bit: return 2.0 * in<N>(kAdam8bitStateBytes, "B (8-bit + absmax/2048)", Unit::number);
    case Optimizer::sgd: return N(0.0);
    case Optimizer::sgdm: return sb;  // momentum
    case Optimizer::adafactor: {
      // Shazeer & Stern 2018: the second moment of an R×C matrix is kept as R + C values; vectors
      // in full; no first moment (β1 = 0, the paper's default).
      N factored;
      if (lora) {
        factored = per_block(x, true, in<N>(block_rows_plus_cols(m, false), "Σ(rows + cols)", Unit::count, "dense block") +
                                          2.0 * rank * in<N>(block_matrices(m, false), "matrices", Unit::count, "dense block"),
                             in<N>(block_rows_plus_cols(m, true), "Σ(rows + cols)", Unit::count, "MoE block") +
                                 2.0 * rank * in<N>(block_matrices(m, true), "matrices", Unit::count, "MoE block")) /
                   x.tp;
      } else {

        const N tables = in<N>(m.tied ? 1.0 : 2.0, m.tied ? "table (tied)" : "tables", Unit::count);
        const N blocks = per_block(x, true, block_rows_plus_cols(m, false) + P.dense.vectors,
                                   block_rows_plus_cols(m, true) + P.moe.vectors, "Σ(rows + cols) + vectors");
        factored = (blocks + (x.dims.vocab + x.dims.hidden) * tables + x.dims.hidden) / x.tp;
      }
      factored = let(factored, "factored second-moment values/GPU", Unit::count);
      return o.trainable_gpu > 0.0 ? factored * sb / o.trainable_gpu : N(0.0);
    }
  }
  return N(0.0);
}
}  // namespace

template <class N>
TrainMemory<N> train_memory(const Setup<N>& x) {
  const Scenario& s = x.s;
  const ModelSpec& m = x.r.model;
  const ParamCounts& P = x.r.params;
  const Dims<N>& d = x.dims;
  TrainMemory<N> o;
  const bool lora = s.method != Method::full, qlora = s.method == Method::qlora;
  const bool fp32 = s.precision == Precision::fp32;
  const N batch = in<N>(s.batch, "micro-batch", Unit::count);
  const N seq = in<N>(s.seq, "tokens", Unit::count);
  const N dp = in<N>(x.dp, "dp", Unit::count);
  const N rank = in<N>(s.rank, "rank", Unit::count);
  o.elem_bytes = in<N>(fp32 ? 4.0 : 2.0, "B", Unit::number, fp32 ? "fp32" : "16-bit");

  // ---- parameters and adapters ----------------------------------------------------------------
  // LoRA (Hu et al. 2021) adapters on every linear layer of every block — Q, K, V, O and the MLP's
  // gate, up, down (every expert's) — as QLoRA (Dettmers et al. 2023) recommends: an adapter on a
  // K→N matrix has r·(K + N) parameters.
  // matrices per block (the largest kind on this stage): the adapters' activations
  const bool moe_stage = x.stage.moe() > 0;
  const N n_mats = in<N>(block_matrices(m, moe_stage), "matrices/block", Unit::count);
  o.adapter_params = lora ? double(s.rank) * (p_dense(m, P) + p_moe(m, P)) : 0.0;
  o.adapters_gpu = lora ? let(per_block(x, true, block_rows_plus_cols(m, false), block_rows_plus_cols(m, true),
                                        "Σ(rows + cols) of a block's matrices") * rank / x.tp,
                              "adapter params/GPU", Unit::count)
                        : N(0.0);
  o.trainable_gpu = lora ? o.adapters_gpu : x.params_per_gpu;

  // ---- weights ----------------------------------------------------------------------------------
  // full / LoRA: 16-bit (fp32 with precision=fp32) copy of every parameter; QLoRA: NF4 linear
  // layers + 16-bit embeddings, head and norms; adapters in the training precision.
  // QLoRA stores its base in bitsandbytes NF4 with double quantisation (the nf4_dq weight format)
  const N nf4 = in<N>(group_bytes(WeightFormat::nf4_dq, TensorGroup::mlp_up, FormatContext{}), "B/param", Unit::number,
                      "NF4 + double-quantised scales");
  N weights;
  if (qlora) {
    const N linear = let(per_block(x, true, P.dense.linear, P.moe.linear, "linear params/block") / x.tp,
                         "linear params/GPU", Unit::count);
    const N other = let(x.params_per_gpu - linear, "other params/GPU", Unit::count);
    weights = linear * nf4 + other * in<N>(2.0, "B", Unit::number, "16-bit");
  } else {
    weights = x.params_per_gpu * o.elem_bytes;
  }
  if (lora) weights = weights + o.adapters_gpu * o.elem_bytes;
  // ZeRO-3 / FSDP shards the parameters over dp, and gathers each layer in full while it runs
  // (the current layer and the prefetched next one) (Rajbhandari et al. 2020, "ZeRO", §5).
  if (s.zero >= 3 && x.dp > 1)
    weights = weights / dp + 2.0 * in<N>(moe_stage ? P.moe.total : P.dense.total, "params/block", Unit::count) / x.tp *
                                 (qlora ? nf4 : o.elem_bytes);
  o.weights = fig(weights, "memory.weights", "weights", Unit::bytes, "ZeRO (Rajbhandari et al. 2020) §3.1; QLoRA (Dettmers et al. 2023) §2");

  // ---- gradients and optimizer states ------------------------------------------------------------
  // Mixed precision (Micikevicius et al. 2018; ZeRO §3.1): 2 (16-bit weights) + 2 (16-bit grads)
  // + 12 (fp32 master, Adam m and v) = 16 bytes per trainable parameter.
  const N master = s.precision == Precision::mixed ? in<N>(4.0, "B fp32 master", Unit::number) : N(0.0);
  const N states = state_bytes(x, o, rank);
  o.gradients = fig(o.trainable_gpu * o.elem_bytes / (s.zero >= 2 ? dp : N(1.0)), "memory.gradients", "gradients",
                    Unit::bytes, "ZeRO §3.1");
  o.optimizer = fig(o.trainable_gpu * (master + states) / (s.zero >= 1 ? dp : N(1.0)), "memory.optimizer",
                    "optimizer states", Unit::bytes,
                    "ZeRO §3.1 (Adam: 12 B/param mixed); Dettmers et al. 2022 (8-bit); Shazeer & Stern 2018 (Adafactor)");

  // ---- activations: Korthikanti et al. 2022, §4, Table 2 (16-bit, bytes per layer):
  //   no parallelism            s·b·h·(34 + 5·a·s/h)
  //   tensor parallel t         s·b·h·(10 + 24/t + 5·a·s/(h·t))
  //   tensor + sequence par.    s·b·h·(34 + 5·a·s/h) / t
  //   selective recomputation   drops the 5·a·s/h term (attention core recomputed)
  //   full recomputation        2·s·b·h (÷t with SP): only each layer's input is kept
  // Fused (flash) attention keeps no s² tensors: the 5·a·s²·b term becomes the fp32 log-sum-exp,
  // 4·a·s·b (Dao et al. 2022, "FlashAttention", §3.1).
  const N sbh = let(seq * batch * d.hidden, "s·b·h", Unit::count);
  const N attn_full = let(5.0 * d.heads * seq * seq * batch, "attention scores 5·a·s²·b", Unit::bytes);
  const N attn_flash = let(4.0 * d.heads * seq * batch, "log-sum-exp 4·a·s·b", Unit::bytes);
  const N attn = s.flash ? attn_flash : attn_full;
  const bool tp = s.tp > 1, use_sp = s.seq_parallel && tp;
  auto layer_none = [&](const N* attn_term) {
    N v = tp && !use_sp ? sbh * (10.0 + 24.0 / x.tp) : sbh * 34.0;
    if (attn_term) v = v + (tp && !use_sp ? *attn_term / x.tp : *attn_term);
    return use_sp ? v / x.tp : v;
  };
  // The paper's constants are for 16-bit activations: × 2 in fp32.
  auto scaled = [&](N v) { return fp32 ? v * (o.elem_bytes / 2.0) : v; };
  const N lora_act = lora ? let(seq * batch * rank * o.elem_bytes * n_mats / x.tp, "adapter activations (A·x)", Unit::bytes)
                          : N(0.0);
  N per_layer = 0.0, working = 0.0;
  switch (s.recompute) {
    case Recompute::none: per_layer = layer_none(&attn); break;
    case Recompute::selective: per_layer = layer_none(s.flash ? &attn_flash : nullptr); break;
    case Recompute::full:
      per_layer = 2.0 * sbh / (use_sp ? x.tp : N(1.0));
      working = let(scaled(layer_none(&attn)) + lora_act, "one layer recomputed", Unit::bytes);
      break;
  }
  per_layer = let(scaled(per_layer) + (s.recompute == Recompute::full ? N(0.0) : lora_act), "activations/layer",
                  Unit::bytes, kKorthikanti);
  o.act_per_layer = value_of(per_layer);
  o.inflight = s.pp > 1 ? std::min(s.pp, s.accum) : 1;  // 1F1B: up to pp micro-batches in flight
  const N inflight = s.pp > 1 ? in<N>(o.inflight, "micro-batches in flight", Unit::count, "1F1B") : N(1.0);
  // Output layer (paper §4.3): final-norm and head inputs 2·s·b·h each at 16 bits, plus the fp32
  // logits of the cross-entropy, 4·s·b·V (vocab-parallel under TP).
  const N logits = let(2.0 * sbh * o.elem_bytes + 4.0 * seq * batch * d.vocab / x.tp, "output layer + fp32 logits", Unit::bytes);
  o.act_logits = value_of(logits);
  o.activations = fig(per_layer * x.layers_gpu * inflight + working + logits, "memory.activations", "activations",
                      Unit::bytes, kKorthikanti);
  o.overhead = fig(in<N>(engine_spec(Engine::none).runtime_bytes, "CUDA context, library workspaces, allocator reserve", Unit::bytes),
                   "memory.overhead", "overhead", Unit::bytes, "seed: ~1 GB for the CUDA context and kernels");
  return o;
}

template TrainMemory<double> train_memory(const Setup<double>&);
template TrainMemory<Traced> train_memory(const Setup<Traced>&);

}  // namespace llmcalc
