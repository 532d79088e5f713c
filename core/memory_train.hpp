// core/memory_train.hpp — memory per GPU when training: weights (16-bit, fp32, or NF4 for
// QLoRA; sharded by ZeRO-3), gradients, optimizer states, activations (Korthikanti et al. 2022
// with every parallelism and recomputation variant, LoRA adapters), and the runtime overhead.
#pragma once
#include "setup.hpp"

namespace llmcalc {

// 8-bit AdamW state: 1 byte per value + one fp32 absmax per block of 2048 (Dettmers et al. 2022,
// "8-bit Optimizers via Block-wise Quantization", §2).
inline constexpr double kAdam8bitStateBytes = 1.0 + 4.0 / 2048.0;

template <class N>
struct TrainMemory {
  N weights, gradients, optimizer, activations, overhead;  // bytes per GPU (figures memory.*)
  N elem_bytes;            // bytes of a 16-bit (fp32 with precision=fp32) weight, gradient, activation
  N adapters_gpu;          // LoRA adapter parameters on this GPU (0 for full training)
  N trainable_gpu;         // trainable parameters on this GPU (LoRA: the adapters)
  N grad_bytes;            // bytes of one gradient as reduced (16-bit, or the fp32 buffer)
  double adapter_params = 0;           // LoRA adapter parameters in the whole model
  double act_per_layer = 0;  // bytes of saved activations per layer per micro-batch
  double act_logits = 0;     // bytes for the output layer and loss
  double inflight = 1;       // micro-batches whose activations are alive at once (1F1B; interleaved: fractional)
  double runtime = 0;        // of the overhead: CUDA context and workspaces (outside the allocator)
  bool reserve_held = false; // the allocator's reserve was held to what the device has left
  double act_offloaded = 0;  // bytes of activations held in host memory (offload=1)
};

template <class N>
TrainMemory<N> train_memory(const Setup<N>& x);

}  // namespace llmcalc
