// core/frameworks.cpp — the framework table (see frameworks.hpp; docs/training.md has the
// conventions with their sources).
#include "frameworks.hpp"

namespace llmcalc {

namespace {
constexpr double GB = 1e9;

// id, key, name, grad B, weight B, logit kept B, logit upcast B, adapters fp32, QLoRA rest fp32,
// default recompute (full, QLoRA), bucket elements, DP overlap, gradients in the backward, runtime bytes,
// eager modules, GQA heads repeated, loss compiled with compile=1, source
const FrameworkSpec kFrameworks[kFrameworkCount] = {
    {Framework::megatron, "megatron", "Megatron-LM / NeMo", 4, 2, 2, 4, false, false, Recompute::none, Recompute::none,
     0, true, false, 1.0 * GB, false, false, false,
     "Megatron-LM: bf16 parameters, an fp32 main-gradient buffer (accumulate_allreduce_grads_in_fp32, set for "
     "bf16), fp32 master + Adam states in the optimizer (sharded over data-parallel ranks with "
     "--use-distributed-optimizer: zero=1), the fused vocab-parallel cross-entropy (fp32 softmax beside the "
     "16-bit logits), no recomputation unless asked, gradient reduce overlapped with the backward "
     "(--overlap-grad-reduce, on in the NeMo/Megatron performance recipes)"},
    {Framework::fsdp, "fsdp", "PyTorch FSDP / DDP (torchtitan)", 4, 4, 2, 8, false, false, Recompute::none,
     Recompute::none, 0, true, true, 1.0 * GB, true, true, false,
     "PyTorch mixed precision: fp32 parameters (FSDP2 shards them; MixedPrecisionPolicy param_dtype=bf16 gathers "
     "16-bit copies per block, reduce_dtype=fp32 gradients), AdamW m and v in fp32; without FSDP, autocast keeps "
     "a 16-bit copy of each weight for the backward; cross-entropy on logits upcast to fp32 (torchtitan "
     "cross_entropy_loss: pred.float()); gradient traffic overlapped with the backward (DDP buckets, FSDP prefetch)"},
    {Framework::deepspeed, "deepspeed", "DeepSpeed", 2, 2, 2, 8, false, false, Recompute::none, Recompute::none, 5e8,
     false, false, 1.0 * GB, true, true, false,
     "DeepSpeed ZeRO (Rajbhandari et al. 2020): 16-bit parameters and gradients, fp32 master + Adam (12 B/param) "
     "partitioned by stage; reduce_bucket_size and allgather_bucket_size 5e8 elements (16-bit buffers); "
     "overlap_comm false by default; models from transformers (fp32-upcast cross-entropy)"},
    {Framework::hf, "hf", "Hugging Face Trainer + PEFT", 4, 4, 2, 8, true, true, Recompute::none, Recompute::full, 0,
     true, true, 1.0 * GB, true, true, false,
     "transformers Trainer with bf16=True on an fp32-loaded model: autocast (fp32 weights, gradients and AdamW "
     "states, a 16-bit copy per weight for the backward); logits upcast to fp32 for the loss (ForCausalLMLoss); "
     "PEFT LoRA adapters in fp32 (autocast_adapter_dtype=True); QLoRA via prepare_model_for_kbit_training: "
     "non-quantised parameters cast to fp32, gradient checkpointing on"},
    {Framework::torchtune, "torchtune", "torchtune", 4, 4, 2, 8, false, false, Recompute::full, Recompute::full, 0,
     true, true, 1.0 * GB, true, true, true,
     "torchtune recipes: dtype bf16 (precision=bf16: parameters and optimizer states in bf16), LoRA adapters in "
     "the model's dtype, enable_activation_checkpointing: True, CEWithChunkedOutputLoss (num_output_chunks 8: "
     "16-bit logits kept, fp32 upcast one chunk at a time)"},
    {Framework::none, "none", "model only", 2, 2, 0, 4, false, false, Recompute::none, Recompute::none, 0, true,
     false, 1.0 * GB, false, false, false,
     "no framework: the textbook accounting (ZeRO paper §3.1: 2 + 2 + 12 bytes per parameter), fp32 logits, "
     "~1 GB for the CUDA context and kernels (the seed's figure)"},
};
}  // namespace

const FrameworkSpec& framework_spec(Framework f) { return kFrameworks[int(f)]; }
std::string_view framework_key(Framework f) { return kFrameworks[int(f)].key; }

std::optional<Framework> find_framework(std::string_view key) {
  for (const FrameworkSpec& s : kFrameworks)
    if (s.key == key) return s.id;
  return std::nullopt;
}

Recompute recompute_of(const Scenario& s) {
  if (s.recompute != Recompute::automatic) return s.recompute;
  const FrameworkSpec& f = framework_spec(s.framework);
  return s.method == Method::qlora ? f.recompute_qlora : f.recompute_full;
}

bool eager_blocks(const Scenario& s, const ModelSpec& m) {
  return framework_spec(s.framework).eager_modules && !s.compile && m.gated;
}

int ce_chunks_of(const Scenario& s) {
  if (s.ce_chunks > 0) return s.ce_chunks;
  return s.framework == Framework::torchtune ? 8 : 1;
}

}  // namespace llmcalc
