// core/memory_infer.hpp — memory per GPU when serving: quantised weights, the KV cache, the
// activation workspace of a prefill, and the runtime's fixed overhead.
#pragma once
#include "setup.hpp"

namespace llmcalc {

// Bytes of one block's linear weights of a kind in the weight format (scales included), by what a
// token reads: attention, the dense MLP or shared experts, one routed expert, the router.
template <class N>
struct BlockBytes {
  N attn = 0, mlp = 0, expert = 0, router = 0;
};

template <class N>
struct InferMemory {
  N weights, kv_cache, activations, overhead;  // bytes per GPU (figures memory.*)
  BlockBytes<N> dense, moe;  // per block of each kind
  N head_bytes;          // the output projection's bytes (whole, before TP)
  N expert_split;        // what divides the routed experts: ep (expert parallelism) or tp
  N act_bytes;           // bytes per activation element and per non-quantised parameter (2, fp32: 4)
  N kv_element_bytes;    // bytes per cached K or V element, scales included
  N kv_heads_gpu;        // ceil(kv_heads / tp): replicated when kv_heads < tp (standard attention)
  N kv_bytes_per_token;  // one sequence's K and V of one token, the global layers on this GPU
  N kv_tokens;           // tokens a global layer caches per sequence (prompt + gen)
  N logits;              // bytes of the fp32 logits of the last position
  int kv_heads_per_gpu = 0;
  // The engine's budget (engines.hpp): memory it may use, the KV pool, requests it holds at once.
  N pass_tokens;         // tokens of one prefill forward pass: the engine's chunk, else batch × prompt
  N usable;              // bytes the engine may fill (util × capacity, …; capacity without a budget)
  N kv_budget;           // bytes left for the KV cache after everything else
  N kv_per_sequence;     // one request's cache at prompt + gen, rounded up to the engine's blocks
  N kv_capacity_tokens;  // tokens the KV budget holds (per sequence: global layers)
  N max_concurrency;     // whole requests of prompt + gen tokens the KV budget holds
  int chunk = 0;         // the engine's tokens per prefill pass (0: whole batch)
};

template <class N>
InferMemory<N> infer_memory(const Setup<N>& x);

// K and V bytes of one token of one sequence in `layers` layers on one GPU: standard attention
// 2 · layers · ceil(kv_heads / tp) · head_dim · bytes; MLA layers · (kv_lora_rank + rope_dim) · bytes,
// the latent replicated on every tensor-parallel rank (as vLLM and SGLang hold it).
template <class N>
N kv_bytes(const Setup<N>& x, const InferMemory<N>& mem, N layers);

}  // namespace llmcalc
