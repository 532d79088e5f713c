// core/memory_infer.cpp — serving memory (see memory_infer.hpp; docs/formulas.md §Inference memory).
#include "memory_infer.hpp"

namespace llmcalc {

namespace {
// Bytes per element of a quantised linear weight, scales included:
//  - int8: one fp32 scale per output row (per-channel, as in LLM.int8 / SmoothQuant): 4/K;
//  - int4: group-wise (group 128) fp16 scale + 4-bit zero point (GPTQ/AWQ): 2.5/128;
//  - fp8: one scale per tensor: negligible.
template <class N>
N weight_bytes(DType t, const N& in_features) {
  const Label name = dtype_label(t);
  switch (t) {
    case DType::int8:
      return let(in<N>(1.0, "B", Unit::number, name) + in<N>(4.0, "B fp32 scale", Unit::number) / in_features,
                 "B/param", Unit::number, "int8, one scale per output row");
    case DType::int4:
      return let(in<N>(0.5, "B", Unit::number, name) + in<N>(2.5, "B scale + zero", Unit::number) /
                                                           in<N>(128.0, "group", Unit::count),
                 "B/param", Unit::number, "int4, GPTQ/AWQ group-128 scales");
    default:
      return in<N>(dtype_bytes(t), "B/param", Unit::number, name);
  }
}
// KV-cache element bytes: int8/int4 keep an fp16 scale per head vector of d elements.
template <class N>
N kv_element_bytes(DType t, const N& head_dim) {
  const N raw = in<N>(dtype_bytes(t), "B", Unit::number, dtype_label(t));
  if (t == DType::int8 || t == DType::int4)
    return let(raw + in<N>(2.0, "B fp16 scale", Unit::number) / head_dim, "B/element", Unit::number,
               "one fp16 scale per head vector");
  return raw;
}

}  // namespace

template <class N>
InferMemory<N> infer_memory(const Setup<N>& x) {
  const Scenario& s = x.s;
  const ModelSpec& m = x.r.model;
  const ParamCounts& P = x.r.params;
  const Dims<N>& d = x.dims;
  InferMemory<N> o;
  o.act_bytes = in<N>(s.dtype == DType::fp32 ? 4.0 : 2.0, "B", Unit::number, s.dtype == DType::fp32 ? "fp32" : "16-bit");
  const N batch = in<N>(s.batch, "batch", Unit::count);
  const N prompt = in<N>(s.prompt, "prompt tokens", Unit::count);

  // Weights: quantised linear layers of the blocks + 16-bit rest (embeddings, head, norms,
  // biases); the heaviest pipeline stage, divided by TP.
  o.weight_bytes = weight_bytes(s.dtype, d.hidden);
  const N linear = let(per_block(x, true, P.dense.linear, P.moe.linear, "linear params/block") / x.tp,
                       "linear params/GPU", Unit::count);
  const N other = let(x.params_per_gpu - linear, "other params/GPU", Unit::count);
  o.weights = fig(linear * o.weight_bytes + other * o.act_bytes, "memory.weights", "weights", Unit::bytes,
                  "DESIGN.md bytes per element; GPTQ/AWQ group-128 scales for int4");

  // KV cache (DESIGN.md; Pope et al. 2022 "Efficiently Scaling Transformer Inference" §2):
  // 2 (K and V) · layers · kv_heads · head_dim · tokens · batch · bytes; KV heads split by TP
  // (replicated when kv_heads < tp); MLA caches its latent (DeepSeek-V2 §2.1). A local layer keeps
  // only its window (sliding window) or its chunk of tokens.
  const DType kvt = s.kv_dtype();
  o.kv_heads_per_gpu = (m.kv_heads + s.tp - 1) / s.tp;
  o.kv_heads_gpu = s.tp > 1 ? in<N>(o.kv_heads_per_gpu, "KV heads/GPU", Unit::count) : d.kv_heads;
  o.kv_element_bytes = kv_element_bytes(kvt, d.head_dim);
  o.kv_tokens = prompt + in<N>(s.gen, "generated tokens", Unit::count);
  const LayerMix& st = x.stage;
  const N global_layers = st.local() == 0 ? x.layers_gpu : in<N>(st.global(), "global layers", Unit::count);
  o.kv_bytes_per_token = kv_bytes(x, o, global_layers);
  N kv = o.kv_bytes_per_token * o.kv_tokens * batch;
  if (st.local() > 0) {
    const N window_tokens = let(min_of(d.window, o.kv_tokens), "window tokens", Unit::count);
    kv = kv + kv_bytes(x, o, in<N>(st.local(), "local layers", Unit::count)) * window_tokens * batch;
  }
  o.kv_cache = fig(kv, "memory.kv_cache", "KV cache", Unit::bytes,
                   "Pope et al. 2022, Efficiently Scaling Transformer Inference, §2; seed: 2·h·L·b·s·2");

  // Activation workspace: the peak transient tensors of one block while prefilling all prompts
  // at once (no chunking): residual + normed input (2h) and the MLP's intermediate tensors (gate,
  // up, product: 3f for a gated MLP, 2f otherwise, per routed expert); scores and softmax
  // (2·a·s² per sequence) without fused attention; fp32 logits of the last position.
  const N tokens = batch * prompt;
  // the widest MLP of a block kind on this GPU: a dense block's, or an MoE block's routed + shared
  N mlp_width = d.ffn * d.experts_active;
  if (st.moe() > 0) {
    const N moe_width = m.shared_width() > 0 ? d.expert_ffn * d.experts_active + d.shared_ffn : d.expert_ffn * d.experts_active;
    mlp_width = st.dense() > 0 ? max_of(d.ffn, moe_width) : moe_width;
  }
  const N mlp = let(tokens * (2.0 * d.hidden + d.mlp_tensors * mlp_width / x.tp) * o.act_bytes, "block workspace", Unit::bytes);
  const N scores = s.flash ? N(0.0)
                           : let(batch * (d.heads / x.tp) * prompt * prompt * 2.0 * o.act_bytes,
                                 "attention scores + softmax", Unit::bytes);
  o.logits = let(batch * d.vocab / x.tp * in<N>(4.0, "B", Unit::number, "fp32"), "last-position logits", Unit::bytes);
  o.activations = fig(mlp + scores + o.logits, "memory.activations", "activations", Unit::bytes,
                      "llmcalc model of the transient tensors (docs/formulas.md §Inference activations)");
  o.overhead = fig(in<N>(kRuntimeOverheadBytes, "CUDA context, library workspaces, allocator reserve", Unit::bytes),
                   "memory.overhead", "overhead", Unit::bytes, "seed: ~1 GB for the CUDA context and kernels");
  return o;
}

template <class N>
N kv_bytes(const Setup<N>& x, const InferMemory<N>& mem, N layers) {
  if (x.r.model.attention == Attention::mla)
    return layers * (x.dims.kv_lora + x.dims.rope_dim) * mem.kv_element_bytes;
  return 2.0 * layers * mem.kv_heads_gpu * x.dims.head_dim * mem.kv_element_bytes;
}

template InferMemory<double> infer_memory(const Setup<double>&);
template InferMemory<Traced> infer_memory(const Setup<Traced>&);
template double kv_bytes(const Setup<double>&, const InferMemory<double>&, double);
template Traced kv_bytes(const Setup<Traced>&, const InferMemory<Traced>&, Traced);

}  // namespace llmcalc
