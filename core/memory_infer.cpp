// core/memory_infer.cpp — serving memory (see memory_infer.hpp; docs/formulas.md §Inference memory).
#include "memory_infer.hpp"

namespace llmcalc {

namespace {
constexpr double kDriverReserveBytes = 0.5 * 1024.0 * 1024.0 * 1024.0;  // see the engine budget below

// KV-cache element bytes: int8/int4 keep an fp16 scale per head vector of d elements.
template <class N>
N kv_element(KvFormat f, const N& head_dim) {
  const Label name = kv_format_key(f).data();
  if (f == KvFormat::int8 || f == KvFormat::int4)
    return let(in<N>(f == KvFormat::int8 ? 1.0 : 0.5, "B", Unit::number, name) +
                   in<N>(2.0, "B fp16 scale", Unit::number) / head_dim,
               "B/element", Unit::number, "one fp16 scale per head vector");
  return in<N>(kv_element_bytes(f, 128), "B", Unit::number, name);
}

// params × bytes per param of one tensor group in the weight format (nothing for an empty group).
template <class N>
N group(double params, Label what, WeightFormat f, TensorGroup g, FormatContext c, double in_f, double out_f) {
  if (params <= 0) return N(0.0);
  c.in_features = in_f;
  c.out_features = out_f;
  return in<N>(params, what, Unit::count) * in<N>(group_bytes(f, g, c), "B/param", Unit::number, group_type(f, g).data());
}

// One block's weight bytes by what a token reads (see BlockBytes).
template <class N>
BlockBytes<N> block_bytes(const ModelSpec& m, const BlockParams& b, bool moe_block, WeightFormat f, const FormatContext& c) {
  const double h = m.hidden, a = m.heads, k = m.kv_heads, d = m.dim_head(), dv = m.dim_v();
  const double f_mlp = moe_block ? m.shared_width() : m.ffn, fe = m.expert_width();
  const double v_in = m.attention == Attention::mla ? m.kv_lora_rank : h;
  BlockBytes<N> o;
  o.attn = let(group<N>(b.attn_linear - b.attn_v - b.attn_o, "Q/K params", f, TensorGroup::attn_qk, c, h, (a + k) * d) +
                   group<N>(b.attn_v, m.attention == Attention::mla ? "KV-up params" : "V params", f, TensorGroup::attn_v, c,
                            v_in, m.attention == Attention::mla ? a * (d - m.rope_dim + dv) : k * d) +
                   group<N>(b.attn_o, "O params", f, TensorGroup::attn_o, c, a * dv, h),
               "attention bytes/block", Unit::bytes);
  if (b.mlp_linear > 0)
    o.mlp = let(group<N>(b.mlp_linear - b.mlp_down, moe_block ? "shared gate+up params" : "MLP gate+up params", f,
                         TensorGroup::mlp_up, c, h, (m.gated ? 2 : 1) * f_mlp) +
                    group<N>(b.mlp_down, moe_block ? "shared down params" : "MLP down params", f, TensorGroup::mlp_down, c, f_mlp, h),
                moe_block ? "shared-expert bytes/block" : "MLP bytes/block", Unit::bytes);
  if (moe_block) {
    o.expert = let(group<N>(b.expert - b.expert_down, "expert gate+up params", f, TensorGroup::expert_up, c, h,
                            (m.gated ? 2 : 1) * fe) +
                       group<N>(b.expert_down, "expert down params", f, TensorGroup::expert_down, c, fe, h),
                   "bytes/expert", Unit::bytes);
    o.router = group<N>(b.router, "router params", f, TensorGroup::router, c, h, m.experts);
  }
  return o;
}

}  // namespace

template <class N>
InferMemory<N> infer_memory(const Setup<N>& x) {
  const Scenario& s = x.s;
  const ModelSpec& m = x.r.model;
  const ParamCounts& P = x.r.params;
  const Dims<N>& d = x.dims;
  InferMemory<N> o;
  const WeightFormat wf = x.r.weights;
  o.act_bytes = in<N>(wf == WeightFormat::fp32 ? 4.0 : 2.0, "B", Unit::number, wf == WeightFormat::fp32 ? "fp32" : "16-bit");
  const N batch = in<N>(s.batch, "batch", Unit::count);
  const N prompt = in<N>(s.prompt, "prompt tokens", Unit::count);

  // Weights: each tensor group at its format's bytes (scales included; the tensors the format
  // leaves unquantised in 16-bit), the heaviest pipeline stage, divided by TP — routed experts by
  // EP when experts are split by expert; norms and biases 16-bit.
  FormatContext fc;
  fc.layers = m.layers;
  fc.gqa = m.kv_heads > 0 ? m.heads / m.kv_heads : 1;
  fc.group_size = s.group;
  o.dense = block_bytes<N>(m, P.dense, false, wf, fc);
  if (m.experts > 1) o.moe = block_bytes<N>(m, P.moe, true, wf, fc);
  o.expert_split = value_of(x.ep) > 1.0 ? x.ep : x.tp;
  N blocks = per_block(x, true, o.dense.attn + o.dense.mlp, o.moe.attn + o.moe.mlp + o.moe.router) / x.tp;
  if (x.stage.moe() > 0) {
    blocks = blocks + blocks_of(x, true, true) * d.experts * o.moe.expert / o.expert_split;
  }
  const N vectors = per_block(x, true, P.dense.vectors, P.moe.vectors, "norm + bias params/block") * o.act_bytes / x.tp;
  FormatContext hc = fc;
  hc.in_features = m.hidden;
  hc.out_features = m.vocab;
  o.head_bytes = in<N>(P.lm_head, "head params", Unit::count) *
                 in<N>(group_bytes(wf, TensorGroup::head, hc), "B/param", Unit::number, group_type(wf, TensorGroup::head).data());
  N embedding = in<N>(P.embedding, "embedding params", Unit::count) *
                in<N>(group_bytes(wf, TensorGroup::embedding, hc), "B/param", Unit::number,
                      group_type(wf, TensorGroup::embedding).data());
  if (embedding_on_host(wf)) embedding = in<N>(0.0, "embedding in host memory (llama.cpp)", Unit::bytes);
  const N norm = in<N>(P.final_norm, "final-norm params", Unit::count) * o.act_bytes;
  const N edges = s.pp > 1 ? let(max_of(embedding, o.head_bytes + norm), "edge-stage bytes", Unit::bytes)
                           : embedding + o.head_bytes + norm;
  N weights = blocks + vectors + edges / x.tp;
  // DeepSeek-V3 §2.2: an MTP module is one more MoE block and a 2h × h projection (edges shared),
  // loaded only for speculative decoding (mtp=1); on the last stage.
  if (s.mtp && P.mtp > 0) {
    const N proj = group<N>(2.0 * m.hidden * m.hidden, "MTP projection params", wf, TensorGroup::attn_qk, fc, 2.0 * m.hidden, m.hidden);
    const BlockBytes<N>& b = m.experts > 1 ? o.moe : o.dense;
    weights = weights + let(in<N>(m.mtp_layers, "MTP modules", Unit::count) *
                                (b.attn + b.mlp + b.router + d.experts * b.expert + proj) / x.tp,
                            "MTP modules", Unit::bytes);
  }
  o.weights = fig(weights, "memory.weights", "weights", Unit::bytes,
                  "docs/formulas.md §Weight formats (ggml block structs, AWQ/GPTQ, bitsandbytes, OCP MX, FP8 scales)");

  // KV cache (DESIGN.md; Pope et al. 2022 "Efficiently Scaling Transformer Inference" §2):
  // 2 (K and V) · layers · kv_heads · head_dim · tokens · batch · bytes; KV heads split by TP
  // (replicated when kv_heads < tp); MLA caches its latent (DeepSeek-V2 §2.1). A local layer keeps
  // only its window (sliding window) or its chunk of tokens.
  const KvFormat kvt = x.r.kv;
  o.kv_heads_per_gpu = (m.kv_heads + s.tp - 1) / s.tp;
  o.kv_heads_gpu = s.tp > 1 ? in<N>(o.kv_heads_per_gpu, "KV heads/GPU", Unit::count) : d.kv_heads;
  o.kv_element_bytes = kv_element(kvt, d.head_dim);
  // engines page the cache: a sequence's tokens round up to whole blocks (vLLM 16, llama.cpp 256)
  const EngineSpec& eng = x.r.engine;
  const long long tokens_seq = 1LL * s.prompt + s.gen;
  if (eng.block > 1 && tokens_seq % eng.block != 0) {
    const double blocks = double((tokens_seq + eng.block - 1) / eng.block);
    o.kv_tokens = let(in<N>(blocks, "KV blocks/sequence", Unit::count) *
                          in_f<N>(eng.block, Unit::count, [&] { return std::string(eng.name) + " block tokens"; }),
                      "cached tokens/sequence", Unit::count);
  } else {
    o.kv_tokens = prompt + in<N>(s.gen, "generated tokens", Unit::count);
  }
  const LayerMix& st = x.stage;
  const N global_layers = st.local() == 0 ? x.layers_gpu : in<N>(st.global(), "global layers", Unit::count);
  o.kv_bytes_per_token = kv_bytes(x, o, global_layers);
  N seq = o.kv_bytes_per_token * o.kv_tokens;
  if (st.local() > 0) {
    const N window_tokens = let(min_of(d.window, o.kv_tokens), "window tokens", Unit::count);
    seq = seq + kv_bytes(x, o, in<N>(st.local(), "local layers", Unit::count)) * window_tokens;
  }
  // loaded MTP modules keep their own (full-attention) cache, as engines' draft KV pools do
  if (s.mtp && P.mtp > 0) seq = seq + kv_bytes(x, o, in<N>(m.mtp_layers, "MTP layers", Unit::count)) * o.kv_tokens;
  o.kv_per_sequence = seq;
  const N kv = o.kv_per_sequence * batch;
  const char* kv_source =
      m.attention == Attention::mla
          ? "DeepSeek-V2 (2024) §2.1: MLA caches the latent c_KV (kv_lora_rank) and the rotary key (rope dim) per token "
            "and layer; engines replicate it on every TP rank"
      : st.local() > 0
          ? "Pope et al. 2022 §2 (2·kv_heads·head_dim per token and layer); a local layer keeps min(window, tokens) "
            "(Mistral 7B §2 sliding window; Gemma 3 technical report §2)"
          : "Pope et al. 2022, Efficiently Scaling Transformer Inference, §2; seed: 2·h·L·b·s·2";
  o.kv_cache = fig(kv, "memory.kv_cache", "KV cache", Unit::bytes, kv_source);

  // Activation workspace: the peak transient tensors of one block in one prefill pass — every
  // prompt at once (engine=none, transformers), or the engine's chunk of tokens, for which vLLM,
  // SGLang and TensorRT-LLM reserve the peak at start-up whatever the requests: residual + normed
  // input (2h) and the MLP's intermediate tensors (gate, up, product: 3f for a gated MLP, 2f
  // otherwise, per routed expert); scores and softmax (2·a·s² per sequence) without fused
  // attention; fp32 logits of the last position.
  o.chunk = s.chunk > 0 ? s.chunk : default_chunk(eng, x.r.gpu.memory_bytes, x.r.gpu_id);
  o.pass_tokens = o.chunk > 0 ? in_f<N>(o.chunk, Unit::count, [&] {
                    return std::string(eng.name) + (s.chunk > 0 ? " tokens per prefill pass (chunk)" : " default tokens per prefill pass");
                  })
                              : let(batch * prompt, "prompt tokens of the batch", Unit::count);
  const N tokens = o.pass_tokens;
  // the widest MLP of a block kind on this GPU: a dense block's, or an MoE block's routed + shared
  N mlp_width = d.ffn;
  if (st.moe() > 0) mlp_width = st.dense() > 0 ? max_of(d.ffn, moe_width(m, d)) : moe_width(m, d);
  // with an engine, the down projection's output [tokens × h] is written while the MLP's intermediates are still
  // referenced (vLLM, transformers: gate_up, act, down in one forward): 3h; engine=none keeps the seed's 2h
  const N held = in<N>(eng.id == Engine::none ? 2.0 : 3.0, eng.id == Engine::none ? "h (residual + normed input)"
                                                                                   : "h (residual, normed input, MLP output)",
                       Unit::number);
  const N mlp = let(tokens * (held * d.hidden + d.mlp_tensors * mlp_width / x.tp) * o.act_bytes, "block workspace", Unit::bytes);
  // without fused attention a pass holds the scores of the prompts in it (a chunk: its rows × the prompt)
  const N score_rows = o.chunk > 0 ? min_of(o.pass_tokens, batch * prompt) : batch * prompt;
  const N scores = s.flash ? N(0.0)
                           : let(score_rows * (d.heads / x.tp) * prompt * 2.0 * o.act_bytes,
                                 "attention scores + softmax", Unit::bytes);
  if (eng.profile_seqs > 0) {
    // vLLM's profile samples max_num_seqs dummy sequences after the forward pass (whose temporaries are freed by
    // then), on the first rank over the whole vocabulary: the engine's bytes per logit are live at the sampler's
    // peak (V1: the 16-bit logits, their fp32 copy, the softmax and the exponential noise, 14 B; V0 applies top-k and
    // top-p: about nine fp32-sized tensors, 36 B). The reserved peak is the larger of that and the forward pass
    // (vLLM logs: V0 Llama-3-8B 1.19-1.26 GiB at 8192 tokens, Phi-4 0.94 GiB at 2048; V1 Qwen2-7B ~0.3 GiB at 2048).
    o.logits = let(in_f<N>(eng.profile_seqs, Unit::count, [&] { return std::string(eng.name) + " profiled sequences (max_num_seqs)"; }) *
                       d.vocab * in_f<N>(eng.sampler_bytes, Unit::number, [&] { return std::string(eng.name) + " sampler B/logit"; }),
                   "sampler temporaries", Unit::bytes);
    o.activations = fig(max_of(mlp + scores, o.logits), "memory.activations", "activations", Unit::bytes,
                        "the larger of the profiled forward pass and its sampler (docs/engines.md §Memory with an engine)");
  } else {
    o.logits = let(batch * d.vocab / x.tp * in<N>(4.0, "B", Unit::number, "fp32"), "last-position logits", Unit::bytes);
    o.activations = fig(mlp + scores + o.logits, "memory.activations", "activations", Unit::bytes,
                        "llmcalc model of the transient tensors (docs/formulas.md §Inference activations)");
  }
  const bool measured = eng.id == Engine::none && x.r.context_bytes > 0;
  N overhead = measured ? measured_context<N>(x.r)
                        : in_f<N>(eng.runtime_bytes, Unit::bytes,
                                  [&] { return std::string(eng.name) + ": CUDA context, library workspaces, allocator reserve"; });
  if (eng.graph_bytes > 0)
    overhead = overhead + in_f<N>(eng.graph_bytes, Unit::bytes, [&] { return std::string(eng.name) + ": CUDA-graph pool"; });
  o.overhead = fig(overhead, "memory.overhead", "overhead", Unit::bytes,
                   measured                  ? "the GPU profile (measured)"
                   : eng.id == Engine::none ? "seed: ~1 GB for the CUDA context and kernels"
                                            : "docs/engines.md (start-up logs)");

  // The engine's budget. vLLM/SGLang: util × capacity holds everything, the KV pool is what is
  // left; TensorRT-LLM: the pool is util × what is left; llama.cpp, transformers, none: no reserve.
  const N capacity = in<N>(x.r.gpu.memory_bytes, "device memory", Unit::bytes, device_memory_tag(x.r));
  const N others = let(o.weights + o.activations + o.overhead, "weights + activations + overhead", Unit::bytes);
  const double util_v = s.util > 0 ? s.util : eng.util;
  auto util = [&] {
    return in_f<N>(util_v, Unit::number, [&] {
      const char* what = eng.id == Engine::sglang ? "mem_fraction_static" : eng.id == Engine::trtllm ? "free_gpu_memory_fraction"
                                                                                                   : "gpu_memory_utilization";
      return std::string(eng.name) + " " + what + (s.util > 0 ? "" : " (default)");
    });
  };
  // vLLM: util × capacity budgets everything but the CUDA context (there before the profile) and the CUDA-graph
  // pool (captured after the KV pool); SGLang: util × (capacity − context) holds the weights and the KV pool,
  // activations and graphs the rest; TensorRT-LLM: the pool is util × what is left.
  const N context = in_f<N>(eng.context_bytes, Unit::bytes, [&] { return std::string(eng.name) + ": CUDA context"; });
  // The engines size their pools from the total the CUDA driver reports (cudaMemGetInfo), which is below the
  // preset's nvidia-smi total by what the driver keeps: 0.45-0.85 GiB in vLLM logs (H100 81559 MiB → 79.11-79.22
  // GiB, A100 80GB 81920 MiB → 79.15-79.25 GiB, RTX 3090 24576 MiB → 23.58-23.68 GiB)
  const N visible = eng.budget == KvBudget::exact
                        ? capacity
                        : let(capacity - in<N>(kDriverReserveBytes, "driver reserve", Unit::bytes), "memory the driver reports",
                              Unit::bytes);
  const N graphs = in_f<N>(eng.graph_bytes, Unit::bytes, [&] { return std::string(eng.name) + ": CUDA-graph pool"; });
  if (eng.budget == KvBudget::fraction_of_total) o.usable = min_of(visible * util() + context + graphs, visible);
  else if (eng.budget == KvBudget::fraction_of_start)
    o.usable = min_of(util() * (visible - context) + context + o.activations + graphs, visible);
  else if (eng.budget == KvBudget::fraction_of_free) o.usable = others + util() * max_of(visible - others, N(0.0));
  else o.usable = s.util > 0 ? capacity * util() : capacity;
  o.usable = fig(o.usable, "serving.usable_bytes", "usable memory", Unit::bytes, eng.source.data());
  o.kv_budget = fig(max_of(o.usable - others, N(0.0)), "serving.kv_budget_bytes", "KV budget", Unit::bytes,
                    "usable memory − weights − activations − overhead (docs/engines.md §Memory with an engine)");
  // vLLM V1 gives each KV-cache group (the full layers, the sliding-window layers) as many blocks per token and
  // reports the pool as blocks ÷ groups × block size: its "GPU KV cache size" counts a local layer like a full one
  // (a request still needs only its window's blocks in the local group, as kv_per_sequence counts)
  const bool groups_equal = eng.kv_groups_equal && st.local() > 0;
  const N per_token = groups_equal ? let(kv_bytes(x, o, x.layers_gpu), "KV bytes/token, every layer as a full one (vLLM's report)",
                                         Unit::bytes)
                                   : o.kv_per_sequence / o.kv_tokens;
  o.kv_capacity_tokens = fig(o.kv_budget / per_token, "serving.kv_tokens", "KV capacity", Unit::count,
                             "KV budget ÷ KV bytes per token (as vLLM's \"GPU KV cache size\")");
  o.max_concurrency = fig(floor_of(o.kv_budget / o.kv_per_sequence), "serving.max_concurrency", "max concurrency", Unit::count,
                          "whole requests of prompt + gen tokens in the KV budget (vLLM: \"Maximum concurrency for N tokens per request\")");
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
