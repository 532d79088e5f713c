// core/memory_train.cpp — training memory (see memory_train.hpp; docs/formulas.md §Training memory).
#include "memory_train.hpp"

#include <algorithm>

#include "formats.hpp"
#include "frameworks.hpp"

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
  const FrameworkSpec& fw = framework_spec(s.framework);
  const char* fw_name = fw.name.data();
  TrainMemory<N> o;
  const bool lora = s.method != Method::full, qlora = s.method == Method::qlora;
  const bool fp32 = s.precision == Precision::fp32;
  const bool mixed = s.precision == Precision::mixed || s.precision == Precision::fp8;
  const Recompute recompute = recompute_of(s);
  const N batch = in<N>(s.batch, "micro-batch", Unit::count);
  const N seq = s.cp > 1 ? let(in<N>(s.seq, "tokens", Unit::count) / in<N>(s.cp, "cp", Unit::count), "tokens/GPU (context parallel)", Unit::count)
                         : in<N>(s.seq, "tokens", Unit::count);
  const N full_seq = in<N>(s.seq, "tokens", Unit::count);
  // ZeRO / FSDP / the distributed optimizer shard over the data-parallel ranks, and over the
  // context-parallel ranks too (they hold the same parameters)
  N shard = s.cp > 1 ? let(in<N>(x.dp, "dp", Unit::count) * in<N>(s.cp, "cp", Unit::count), "dp·cp", Unit::count)
                     : in<N>(x.dp, "dp", Unit::count);
  // hybrid sharding (shard=): the states are split within a group of that many GPUs and replicated across groups
  if (s.shard > 0 && s.shard < value_of(shard)) shard = in<N>(s.shard, "shard group (hybrid sharding)", Unit::count);
  const N rank = in<N>(s.rank, "rank", Unit::count);
  o.elem_bytes = in<N>(fp32 ? 4.0 : 2.0, "B", Unit::number, fp32 ? "fp32" : "16-bit");
  const N b16 = in<N>(2.0, "B", Unit::number, "16-bit");
  const N b32 = in<N>(4.0, "B", Unit::number, "fp32");

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
  // bytes of a trainable parameter as stored: fp32, bf16; mixed precision: the framework's working
  // copy (2: 16-bit beside an fp32 master; 4: fp32, autocast per op); LoRA adapters in fp32 where
  // the framework keeps them so (PEFT)
  const bool adapters32 = lora && (fp32 || fw.adapters_fp32);
  const N param_bytes = fp32 ? b32
                        : !mixed ? b16
                        : lora ? (adapters32 ? b32 : b16)
                               : in<N>(fw.weight_bytes_mixed, "B/param", Unit::number, fw_name);
  const bool has_master = mixed && value_of(param_bytes) < 4.0;

  // ---- weights ----------------------------------------------------------------------------------
  // full: the trainable copy; LoRA: the frozen base in 16 bits (fp32 with precision=fp32) + the
  // adapters; QLoRA: NF4 linear layers + the rest in 16 bits (fp32 where the framework casts it).
  // QLoRA stores its base in bitsandbytes NF4 with double quantisation (the nf4_dq weight format)
  const N nf4 = in<N>(group_bytes(WeightFormat::nf4_dq, TensorGroup::mlp_up, FormatContext{}), "B/param", Unit::number,
                      "NF4 + double-quantised scales");
  // what is not a linear layer's weight (norms, biases, embeddings) is split by TP alone; the
  // linear weights are the rest of the GPU's parameters (experts split by EP included)
  // (the edge stage holds the embedding or the head, as make_setup counts it)
  const double edge = s.pp > 1 ? std::max(P.embedding, P.lm_head + P.final_norm) : P.embedding + P.lm_head + P.final_norm;
  const N other = let((per_block(x, true, P.dense.total - P.dense.linear, P.moe.total - P.moe.linear, "non-linear params/block") +
                       in<N>(edge, "embedding, head and final-norm params", Unit::count)) / x.tp,
                      "other params/GPU", Unit::count);
  const N linear = let(x.params_per_gpu - other, "linear params/GPU", Unit::count);
  N weights;
  if (qlora) {
    weights = linear * nf4 + other * (fw.qlora_fp32_rest ? in<N>(4.0, "B", Unit::number, "cast to fp32") : b16);
  } else if (lora) {
    weights = x.params_per_gpu * o.elem_bytes;
  } else {
    weights = x.params_per_gpu * param_bytes;
  }
  if (lora) weights = weights + o.adapters_gpu * param_bytes;
  // ZeRO-3 / FSDP shards the parameters over dp, and gathers each layer in full while it runs
  // (the current layer and the prefetched next one) (Rajbhandari et al. 2020, "ZeRO", §5).
  const bool zero3 = s.zero >= 3 && value_of(shard) > 1;
  const N block_params = in<N>(moe_stage ? P.moe.total : P.dense.total, "params/block", Unit::count);
  // With pipeline parallelism FSDP keeps the stage's parameters gathered between micro-batches
  // (torchtitan: reshard_after_forward = not pp), so the whole stage is held in 16 bits.
  const bool stage_gathered = zero3 && s.pp > 1 && s.framework == Framework::fsdp;
  if (zero3)
    weights = weights / shard + (stage_gathered ? x.params_per_gpu : 2.0 * block_params / x.tp) *
                                    (qlora ? nf4 : (fp32 ? o.elem_bytes : b16));
  // autocast (fp32 parameters) keeps a 16-bit copy of every weight it multiplies for the backward
  if (!lora && mixed && !zero3 && value_of(param_bytes) == 4.0)
    weights = weights + let(x.params_per_gpu * b16, "16-bit autocast copies", Unit::bytes, fw_name);
  // fp8 training (Transformer Engine, torchao float8): an fp8 copy of each linear weight per step
  if (s.precision == Precision::fp8)
    weights = weights + let((zero3 ? 2.0 * block_params / x.tp : linear) * in<N>(1.0, "B", Unit::number, "fp8"),
                            "fp8 weight copies", Unit::bytes, "Transformer Engine / torchao float8");
  o.weights = fig(weights, "memory.weights", "weights", Unit::bytes, "ZeRO (Rajbhandari et al. 2020) §3.1; QLoRA (Dettmers et al. 2023) §2");

  // ---- gradients and optimizer states ------------------------------------------------------------
  // Mixed precision (Micikevicius et al. 2018; ZeRO §3.1): 2 (16-bit weights) + 2 (16-bit grads)
  // + 12 (fp32 master, Adam m and v) = 16 bytes per trainable parameter; frameworks differ in the
  // gradient buffer's type (Megatron: fp32 main grads) and where the fp32 copy lives.
  const N grad_bytes = fp32 || adapters32 ? b32
                       : !mixed || lora ? b16
                                        : in<N>(fw.grad_bytes_mixed, "B/grad", Unit::number, fw_name);
  o.grad_bytes = grad_bytes;
  const N master = has_master ? in<N>(4.0, "B fp32 master", Unit::number) : N(0.0);
  const N states = state_bytes(x, o, rank);
  N grads = o.trainable_gpu * grad_bytes / (s.zero >= 2 ? shard : N(1.0));
  if (fw.bucket_elements > 0 && value_of(shard) > 1)
    grads = grads + let(in<N>(fw.bucket_elements, "bucket elements", Unit::count, fw_name) * b16, "reduce bucket", Unit::bytes);
  grads = let(grads, "gradients", Unit::bytes);
  o.optimizer = fig(o.trainable_gpu * (master + states) / (s.zero >= 1 ? shard : N(1.0)), "memory.optimizer",
                    "optimizer states", Unit::bytes,
                    "ZeRO §3.1 (Adam: 12 B/param mixed); Dettmers et al. 2022 (8-bit); Shazeer & Stern 2018 (Adafactor)");

  // ---- activations: Korthikanti et al. 2022, §4, Table 2 (16-bit, bytes per layer):
  //   no parallelism            s·b·h·(34 + 5·a·s/h)
  //   tensor parallel t         s·b·h·(10 + 24/t + 5·a·s/(h·t))
  //   tensor + sequence par.    s·b·h·(34 + 5·a·s/h) / t
  //   selective recomputation   drops the 5·a·s/h term (attention core recomputed)
  //   full recomputation        2·s·b·h (÷t with SP): only each layer's input is kept
  // Fused (flash) attention keeps no s² tensors: the 5·a·s²·b term becomes the fp32 log-sum-exp,
  // 4·a·s·b (Dao et al. 2022, "FlashAttention", §3.1). Context parallelism: s is each GPU's share.
  // fp8 training keeps the inputs of the linear layers in fp8: half of their 4 + 10/t (÷t with SP).
  const N sbh = let(seq * batch * d.hidden, "s·b·h", Unit::count);
  const N attn_full = let(5.0 * d.heads * seq * full_seq * batch, "attention scores 5·a·s²·b", Unit::bytes);
  const N attn_flash = let(4.0 * d.heads * seq * batch, "log-sum-exp 4·a·s·b", Unit::bytes);
  const N attn = s.flash ? attn_flash : attn_full;
  const bool tp = s.tp > 1, use_sp = s.seq_parallel && tp;
  const bool fp8 = s.precision == Precision::fp8;
  // With a framework the saved tensors are counted from the architecture (a block without dropout:
  // GQA's smaller K and V, a gated MLP's three intermediates, an MoE block's active experts) in
  // bytes per token at 16 bits — replicated under TP without SP: the two norms' inputs and the
  // inputs of the QKV and MLP projections, 8h; split by TP: Q, K, V, the attention output, the
  // MLP intermediates, 4h + 4·kv·d + (6 or 4)·f. Torchtitan's op-level selective recomputation
  // (framework fsdp, recompute=selective) keeps each block's input, the attention output and every
  // second GEMM output: 2h + 2h + half of the GEMM outputs.
  const bool by_arch = s.framework != Framework::none;
  const N kvd = d.kv_heads * d.head_dim;
  const N width = per_block(x, true, d.ffn, moe_width(m, d)) / x.layers_gpu;
  const N mlp_tensors = in<N>(m.gated ? 6.0 : 4.0, m.gated ? "B (gate, up, product)" : "B (up, activation)", Unit::number);
  const bool op_sac = by_arch && s.framework == Framework::fsdp && recompute == Recompute::selective;
  const bool eager = eager_blocks(s, m);
  const bool gqa_copies = fw.gqa_expanded && m.kv_heads > 0 && m.kv_heads < m.heads && m.attention != Attention::mla;
  auto layer_none = [&](const N* attn_term) {
    N v;
    if (op_sac) {
      v = let(seq * batch * (4.0 * d.hidden + (4.0 * d.hidden + 4.0 * kvd + mlp_tensors / 3.0 * 2.0 * width) / 2.0 / x.tp),
              "op-level selective: input, attention output, every second GEMM output", Unit::bytes, "torchtitan");
    } else if (by_arch) {
      N rep = let(8.0 * d.hidden, "B/token replicated (norm, QKV and MLP inputs)", Unit::bytes);
      N split = let(4.0 * d.hidden + 4.0 * kvd + mlp_tensors * width, "B/token split by TP (Q, K, V, output, MLP)",
                    Unit::bytes);
      // eager PyTorch blocks (FrameworkSpec::eager_modules, compile=0): each RMSNorm keeps its input upcast to fp32
      // (4h, in place of the 16-bit input) and the 16-bit normalised input for the scale's gradient (2h): +4h per
      // norm; a gated MLP keeps the SiLU output beside the gate and up projections: +2 B per intermediate
      if (eager) {
        rep = rep + let(2.0 * in<N>(4.0, "B/token", Unit::number, "fp32 RMSNorm input + normalised input, per norm") * d.hidden,
                        "eager RMSNorm copies (2 norms)", Unit::bytes, fw_name);
        split = split + let(2.0 * width, "eager SiLU output", Unit::bytes, fw_name);
      }
      // K and V repeated to every query head before the attention kernel, which keeps the copies
      if (gqa_copies) split = split + let(4.0 * (d.heads - d.kv_heads) * d.head_dim, "repeated K/V heads (GQA)", Unit::bytes, fw_name);
      v = seq * batch * (tp && !use_sp ? rep + split / x.tp : rep + split);
    } else {
      v = tp && !use_sp ? sbh * (10.0 + 24.0 / x.tp) : sbh * 34.0;
    }
    if (fp8 && !op_sac)
      v = v - let(sbh * (tp && !use_sp ? 2.0 + 5.0 / x.tp : N(7.0)), "fp8 linear inputs (half of 4 + 10/t)", Unit::bytes);
    if (attn_term) v = v + (tp && !use_sp ? *attn_term / x.tp : *attn_term);
    return use_sp ? v / x.tp : v;
  };
  // The paper's constants are for 16-bit activations: × 2 in fp32.
  auto scaled = [&](N v) { return fp32 ? v * (o.elem_bytes / 2.0) : v; };
  const N lora_act = lora ? let(seq * batch * rank * o.elem_bytes * n_mats / x.tp, "adapter activations (A·x)", Unit::bytes)
                          : N(0.0);
  N per_layer = 0.0, working = 0.0;
  switch (recompute) {
    case Recompute::automatic:  // recompute_of never returns it
    case Recompute::none: per_layer = layer_none(&attn); break;
    case Recompute::selective: per_layer = layer_none(s.flash ? &attn_flash : nullptr); break;
    case Recompute::full:
      per_layer = 2.0 * sbh / (use_sp ? x.tp : N(1.0));
      working = let(scaled(layer_none(&attn)) + lora_act, "one layer recomputed", Unit::bytes);
      break;
  }
  per_layer = let(scaled(per_layer) + (recompute == Recompute::full ? N(0.0) : lora_act), "activations/layer",
                  Unit::bytes, kKorthikanti);
  o.act_per_layer = value_of(per_layer);
  // 1F1B: up to pp micro-batches in flight on the first stage; interleaved 1F1B with v virtual
  // stages: 2(p − 1) + (v − 1)·p + 1 model chunks of L/(p·v) layers (Megatron-LM's warm-up count),
  // at most accum·v.
  double chunks = 1;
  if (s.pp > 1 && s.vp > 1) chunks = std::min(2.0 * (s.pp - 1) + (s.vp - 1) * s.pp + 1, double(s.accum) * s.vp) / s.vp;
  else if (s.pp > 1) chunks = std::min(s.pp, s.accum);
  o.inflight = chunks;
  const N inflight = s.pp > 1 ? in<N>(chunks, "micro-batches in flight", Unit::count, s.vp > 1 ? "interleaved 1F1B" : "1F1B")
                              : N(1.0);
  // Activation offloading: the saved tensors go to host memory as each layer finishes and come back
  // for its backward; two layers' worth stays on the GPU (the one computing, the one in transfer).
  const N kept_layers = s.offload ? min_of(in<N>(2.0, "layers on the GPU (offloading)", Unit::count), x.layers_gpu)
                                  : x.layers_gpu * inflight;
  o.act_offloaded = s.offload ? value_of(per_layer * x.layers_gpu * inflight) : 0.0;
  // Output layer (paper §4.3): final-norm and head inputs 2·s·b·h each at 16 bits, plus the loss over
  // the vocabulary (vocab-parallel under TP): the 16-bit logits the framework keeps and its fp32
  // temporaries, computed ce_chunks chunks at a time.
  const int ce = ce_chunks_of(s);
  // A chunked loss compiled with the model (torchtune's compile=True: training.compile_loss over
  // CEWithChunkedOutputLoss) fuses each chunk's fp32 upcast into its log-softmax kernels: only the 16-bit logits
  // remain (unchunked, torchtune's TransformerDecoder upcasts the logits itself, outside the loss).
  const bool fused_loss = s.compile && fw.compiles_loss && ce > 1;
  const N logit_bytes = fused_loss ? in<N>(fw.logit_kept_bytes, "B/logit kept (compiled loss: upcast fused)", Unit::number, fw_name)
                        : ce > 1   ? let(in<N>(fw.logit_kept_bytes, "B kept", Unit::number, fw_name) +
                                           in<N>(fw.logit_upcast_bytes, "B fp32", Unit::number, fw_name) /
                                               in<N>(ce, "cross-entropy chunks", Unit::count),
                                       "B/logit", Unit::number)
                                 : in<N>(fw.logit_kept_bytes + fw.logit_upcast_bytes, "B/logit", Unit::number, fw_name);
  const N logits = let(2.0 * sbh * o.elem_bytes + seq * batch * d.vocab / x.tp * logit_bytes,
                       "output layer + logits", Unit::bytes);
  o.act_logits = value_of(logits);
  // With full recomputation a layer is recomputed in the backward after the head's backward has freed the logits
  // and their loss temporaries: the two working sets never coexist. A recomputed layer's backward holds its saved
  // tensors and, transiently, a gradient of each (as large): the peak beside the checkpoints is the larger of
  // twice the recomputed layer and the output layer (with a framework; framework=none keeps the seed's sum).
  const N transient = recompute == Recompute::full && by_arch
                          ? let(max_of(2.0 * working, logits), "the larger of a recomputed layer's backward and the output layer",
                                Unit::bytes)
                          : working + logits;
  o.activations = fig(per_layer * kept_layers + transient, "memory.activations", "activations",
                      Unit::bytes, kKorthikanti);
  // Gradients allocated during the backward (grads_in_backward; DDP's persistent buckets when
  // unsharded data parallelism) replace the activations freed layer by layer: the sum is largest
  // at an end of the backward, so only their excess over the activations adds to the peak. The
  // output layer's weight gradient is the backward's first, made while every activation is still
  // alive (and a tied embedding's second gradient, from the lookup at the backward's end, is made
  // beside all the others before it is added to them): the excess is at least that gradient. With
  // gradient accumulation the previous micro-batches' gradients are already there when the next
  // forward starts: all of them count beside its activations, and the new output-layer gradient
  // beside them until it is added in place (AccumulateGrad).
  const bool autograd_grads = fw.grads_in_backward && (x.dp * s.cp == 1 || s.zero >= 2);
  const bool in_backward = autograd_grads && s.accum == 1;
  const bool head_trained = !lora && s.pp == 1;  // (with pp the head is on the last stage, not the heaviest)
  const N head_grad = head_trained && autograd_grads
                          ? let(in<N>(m.tied ? double(m.vocab) * m.hidden : P.lm_head, "output-layer params", Unit::count) /
                                    x.tp * grad_bytes,
                                "output-layer gradient (the backward's first)", Unit::bytes)
                          : N(0.0);
  const N tied_grad = m.tied ? head_grad : N(0.0);
  o.gradients = in_backward
                    ? fig(max_of(grads + tied_grad - o.activations, head_grad), "memory.gradients", "gradients", Unit::bytes,
                          "gradients beyond the activations they replace during the backward (docs/training.md)")
                    : fig(grads + head_grad, "memory.gradients", "gradients", Unit::bytes,
                          "ZeRO §3.1; docs/training.md");
  // Overhead: the CUDA context and library workspaces (outside PyTorch's allocator); with a
  // framework also the caching allocator's reserve beyond the peak it hands out (fragmentation),
  // the fitted share of that peak — what torch.cuda.max_memory_reserved and nvidia-smi show. The
  // cache holds at most what the device has left: when a cudaMalloc fails, PyTorch's allocator
  // frees its unused cached blocks and retries (CUDACachingAllocator release_cached_blocks), so
  // the reserve fills the free memory and never by itself makes a run fail.
  const N runtime = s.framework == Framework::none && x.r.context_bytes > 0
                        ? measured_context<N>(x.r)
                        : in<N>(fw.runtime_bytes, "CUDA context, library workspaces", Unit::bytes, fw_name);
  o.runtime = value_of(runtime);
  N overhead = runtime;
  if (s.framework != Framework::none) {
    const N peak = let(o.weights + o.gradients + o.optimizer + o.activations, "allocated peak", Unit::bytes);
    const N free = let(max_of(in<N>(x.r.gpu.memory_bytes, "device memory", Unit::bytes) - peak - runtime, N(0.0)),
                       "memory left beside it", Unit::bytes);
    const N wanted = peak * in<N>(x.r.fit.train_alloc_reserve, "allocator reserve (fitted)", Unit::number);
    o.reserve_held = value_of(wanted) > value_of(free);
    overhead = overhead + let(min_of(wanted, free), "allocator reserve (at most what is left)", Unit::bytes);
  }
  o.overhead = fig(overhead, "memory.overhead", "overhead", Unit::bytes, fw.source.data());
  return o;
}

template TrainMemory<double> train_memory(const Setup<double>&);
template TrainMemory<Traced> train_memory(const Setup<Traced>&);

}  // namespace llmcalc
