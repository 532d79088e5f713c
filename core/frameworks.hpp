// core/frameworks.hpp — training frameworks as documented conventions: which buffers they keep
// and in which precision, what their cross-entropy materialises, their default recomputation, how
// LoRA/QLoRA adapters are held, whether data-parallel traffic overlaps the backward pass, and what
// their published memory figures count. docs/training.md has the sources; the time parameters they
// share are in FitParams (engines.hpp), fitted to tests/validation/training-*.jsonl.
#pragma once
#include <optional>
#include <string_view>

#include "model.hpp"
#include "scenario.hpp"

namespace llmcalc {

struct FrameworkSpec {
  Framework id = Framework::none;
  std::string_view key, name;
  // Bytes per trainable parameter of the gradient buffer under mixed precision: 2 (16-bit grads,
  // the ZeRO paper's accounting) or 4 (an fp32 gradient buffer: Megatron's main_grad, FSDP's
  // fp32 sharded parameters' grads).
  double grad_bytes_mixed = 2;
  // Bytes per weight of the working copy under mixed precision kept whole on each GPU: 2 (a
  // 16-bit copy beside the fp32 master in the optimizer) or 4 (fp32 parameters autocast to 16-bit
  // per op: PyTorch AMP, FSDP2's sharded fp32 parameters — the master lives in "weights").
  double weight_bytes_mixed = 2;
  // Cross-entropy over the vocabulary, bytes per logit at the loss's peak: kept (the 16-bit
  // logits saved for the backward) + upcast (fp32 temporaries: the upcast logits and their
  // softmax/gradient), the latter divided by ce_chunks.
  double logit_kept_bytes = 0, logit_upcast_bytes = 4;
  // The adapters (LoRA weights, their gradients and Adam states) in fp32 whatever the base's type
  // (PEFT's autocast_adapter_dtype); else in the training precision.
  bool adapters_fp32 = false;
  // QLoRA: the parameters that are not quantised (embeddings, head, norms) cast to fp32
  // (PEFT prepare_model_for_kbit_training).
  bool qlora_fp32_rest = false;
  // Default recomputation (key recompute unset): for full training, and for QLoRA.
  Recompute recompute_full = Recompute::none, recompute_qlora = Recompute::none;
  // Communication buffers per GPU outside the model states (DeepSpeed reduce/all-gather buckets,
  // Megatron's grad buckets live in the fp32 grad buffer), bytes of 16-bit elements.
  double bucket_elements = 0;
  // Data-parallel gradient traffic overlapped with the backward pass by default.
  bool dp_overlap = true;
  // Gradients are allocated during the backward, layer by layer, as the activations they need are
  // freed (PyTorch autograd with zero_grad(set_to_none=True), FSDP's per-layer reduce-scatter),
  // rather than held in a buffer allocated up front (Megatron's main_grad, DDP's buckets, DeepSpeed).
  bool grads_in_backward = false;
  double runtime_bytes = 0;  // CUDA context, cuBLAS/NCCL workspaces: outside torch's allocator
  // The model's blocks are PyTorch modules run eagerly unless the scenario says compile=1: RMSNorm upcasts its
  // input to fp32 and keeps that copy and the 16-bit normalised input for the backward, the SiLU output is kept
  // beside the gate and up projections (torch.compile fuses both; Megatron's fused kernels never keep them).
  bool eager_modules = false;
  // Grouped-query attention repeats the K/V heads to the query heads before the attention kernel, which keeps
  // the repeated copies for its backward (repeat_kv in torchtitan and transformers, expand in torchtune, LitGPT).
  bool gqa_expanded = false;
  // compile=1 also compiles the chunked loss (torchtune's training.compile_loss): each chunk's fp32 upcast is fused.
  bool compiles_loss = false;
  std::string_view source;
};

const FrameworkSpec& framework_spec(Framework f);
std::string_view framework_key(Framework f);
std::optional<Framework> find_framework(std::string_view key);
// The recomputation in effect: the scenario's, else the framework's default for the method.
Recompute recompute_of(const Scenario& s);
// Cross-entropy chunks in effect: the scenario's, else the framework's (torchtune 8, others 1).
int ce_chunks_of(const Scenario& s);
// Llama-family blocks (RMSNorm, gated SiLU MLP) run as eager PyTorch modules: the framework runs its model's
// modules eagerly (FrameworkSpec::eager_modules) and the scenario does not say compile=1. Other blocks (MPT's
// low-precision LayerNorm and GELU in llm-foundry) have neither the fp32 norm nor the separate SiLU.
bool eager_blocks(const Scenario& s, const ModelSpec& m);

}  // namespace llmcalc
