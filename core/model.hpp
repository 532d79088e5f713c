// core/model.hpp — a transformer's architecture (ModelSpec), its parameter counts, and the
// built-in presets, each citing its published configuration.
#pragma once
#include <span>
#include <string_view>

namespace llmcalc {

struct ModelSpec {
  int layers = 0;          // transformer blocks
  int hidden = 0;          // model width h
  int heads = 0;           // query heads a
  int kv_heads = 0;        // key/value heads (GQA/MQA); == heads for multi-head attention
  int head_dim = 0;        // per-head width d; 0 = hidden / heads
  int ffn = 0;             // MLP inner width f (per expert for MoE)
  int vocab = 0;           // vocabulary size V
  bool gated = true;       // gated MLP (SwiGLU: gate, up, down = three matrices) or two matrices
  bool tied = false;       // input embedding and output projection share one matrix
  int experts = 1;         // MoE experts per layer (1 = dense)
  int experts_active = 1;  // experts each token is routed to
  bool qkv_bias = false;   // biases on Q, K, V (Qwen2)
  bool linear_bias = false;  // biases on every linear layer (GPT-2/3)
  bool layernorm = false;    // LayerNorm (weight + bias) rather than RMSNorm (weight only)
  int learned_positions = 0;  // rows of a learned position-embedding table (GPT-3: 2048), 0 = RoPE
  int context = 0;            // maximum context length the model was trained for, tokens (0 = unknown)

  int dim_head() const { return head_dim > 0 ? head_dim : (heads > 0 ? hidden / heads : 0); }
};

// Parameter counts, derived from the spec (no rounding). Matrices are counted exactly;
// biases and norm weights included.
struct ParamCounts {
  double total = 0;            // every parameter
  double active = 0;           // parameters a token touches (MoE: experts_active of experts)
  double embedding = 0;        // input embedding table (+ learned positions)
  double lm_head = 0;          // output projection, 0 when tied (then the embedding is reused)
  double per_layer = 0;        // one transformer block, all experts
  double per_layer_active = 0;  // one block, active experts only
  double per_layer_linear = 0;  // weights of a block's linear layers (what gets quantised), all experts
  double per_layer_linear_active = 0;  // same, active experts only
  double attn_linear = 0;       // a block's Q, K, V, O weights
  double mlp_linear = 0;        // one expert's MLP weights
  double router = 0;            // MoE router weights per block
};
ParamCounts count_params(const ModelSpec& m);

// Sum over a block's linear layers of (rows + cols), all experts: the cost of LoRA adapters of
// rank r is r·(this) parameters per block; Adafactor's factored second moment is (this) floats.
double block_linear_rows_plus_cols(const ModelSpec& m);

struct ModelPreset {
  std::string_view id;      // scenario id, e.g. "llama-3.1-8b"
  std::string_view name;    // display name
  ModelSpec spec;
  double published_params;  // the published total, for the ≤1% check
  std::string_view source;  // where the configuration and the total come from
};

std::span<const ModelPreset> model_presets();
const ModelPreset* find_model_preset(std::string_view id);  // nullptr when unknown

}  // namespace llmcalc
