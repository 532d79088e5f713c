// core/model.hpp — a transformer's architecture (ModelSpec), its layers by kind, its parameter
// counts, and the built-in presets (core/model_presets.cpp), each citing its published
// configuration.
//
// Architectures are data: attention is standard (multi-head, grouped-query, multi-query) or
// multi-head latent (MLA, DeepSeek-V2/V3), global or local (a sliding window or a chunk) per layer
// by a repeating pattern; the MLP is dense or a mixture of experts per layer (dense first layers,
// MoE every n-th layer, shared experts, a separate expert width).
#pragma once
#include <span>
#include <string_view>

#include "formats.hpp"

namespace llmcalc {

enum class Attention : unsigned char { standard, mla };

struct ModelSpec {
  int layers = 0;          // transformer blocks
  int hidden = 0;          // model width h
  int heads = 0;           // query heads a
  int kv_heads = 0;        // key/value heads (GQA/MQA); == heads for multi-head attention
  int head_dim = 0;        // per-head width d of queries and keys; 0 = hidden / heads
  int ffn = 0;             // MLP inner width f of a dense block (and of an expert unless expert_ffn)
  int vocab = 0;           // vocabulary size V
  bool gated = true;       // gated MLP (SwiGLU: gate, up, down = three matrices) or two matrices
  bool tied = false;       // input embedding and output projection share one matrix
  int experts = 1;         // routed experts per MoE block (1 = dense model)
  int experts_active = 1;  // routed experts each token is sent to
  bool qkv_bias = false;   // biases on Q, K, V (Qwen2)
  bool linear_bias = false;  // biases on every linear layer (GPT-2/3)
  bool layernorm = false;    // LayerNorm (weight + bias) rather than RMSNorm (weight only)
  int learned_positions = 0;  // rows of a learned position-embedding table (GPT-3: 2048), 0 = RoPE
  int context = 0;            // maximum context length the model was trained for, tokens (0 = unknown)
  // ---- attention variants ----
  Attention attention = Attention::standard;
  int q_lora_rank = 0;      // MLA: rank of the query compression (0 = a full query projection)
  int kv_lora_rank = 0;     // MLA: width of the cached latent c_KV
  int rope_dim = 0;         // MLA: decoupled rotary key width per token (cached beside the latent)
  int v_head_dim = 0;       // MLA: value width per head (0 = head_dim)
  bool attn_bias = false;   // biases on Q, K, V and O (gpt-oss)
  bool qk_norm = false;     // an RMSNorm of head_dim on each query and key head (Qwen3, Gemma 3)
  bool sinks = false;       // a learned attention-sink logit per head and layer (gpt-oss)
  int extra_norms = 0;      // norm vectors per block beyond the two (Gemma 3: 2, around the MLP)
  int window = 0;           // tokens a local layer attends to (sliding window or chunk); 0 = all global
  int local_period = 0;     // local layers repeat in groups of this many layers …
  int local_per_period = 0;  // … of which the first ones are local (Gemma 3: 6 and 5; gpt-oss: 2 and 1)
  // ---- mixtures of experts ----
  int expert_ffn = 0;       // a routed expert's MLP width (0 = ffn)
  int shared_experts = 0;   // always-active experts of width expert_ffn …
  int shared_ffn = 0;       // … or, when set, one shared MLP of this total width (Qwen2-MoE, Llama 4)
  int dense_layers = 0;     // the first blocks have a dense MLP of width ffn (DeepSeek: 3)
  int moe_every = 1;        // blocks after those: MoE where (i + 1) % moe_every == 0, else dense
  bool expert_bias = false;  // biases on the experts' matrices and the router (gpt-oss)
  int mtp_layers = 0;       // multi-token-prediction modules (DeepSeek-V3: 1): not in the model's total

  int dim_head() const { return head_dim > 0 ? head_dim : (heads > 0 ? hidden / heads : 0); }
  int dim_v() const { return v_head_dim > 0 ? v_head_dim : dim_head(); }
  int expert_width() const { return expert_ffn > 0 ? expert_ffn : ffn; }
  int shared_width() const { return shared_ffn > 0 ? shared_ffn : shared_experts * expert_width(); }
  bool moe() const { return experts > 1; }
  bool is_moe_layer(int i) const;    // block i (0-based) has a mixture of experts
  bool is_local_layer(int i) const;  // block i attends to a window only
};

// How many blocks of each kind lie in [first, first + count).
struct LayerMix {
  int dense_global = 0, dense_local = 0, moe_global = 0, moe_local = 0;
  int dense() const { return dense_global + dense_local; }
  int moe() const { return moe_global + moe_local; }
  int local() const { return dense_local + moe_local; }
  int global() const { return dense_global + moe_global; }
  int total() const { return dense() + moe(); }
};
LayerMix layer_mix(const ModelSpec& m, int first, int count);

// The parameters of one block of a kind, by the tensor groups quantisation formats treat apart.
struct BlockParams {
  double attn_linear = 0;  // attention projections (MLA: q_a, q_b, kv_a, kv_b, o)
  double attn_v = 0;       // of which the V projection (MLA: the KV up-projection)
  double attn_o = 0;       // of which the output projection
  double mlp_linear = 0;   // a dense block's MLP, or an MoE block's shared experts
  double mlp_down = 0;     // of which the down projection
  double expert = 0;       // one routed expert's matrices (MoE blocks)
  double expert_down = 0;  // of which the down projection
  double experts = 0;      // all routed experts (expert × E)
  double router = 0;       // router weights
  double vectors = 0;      // norms, biases, sinks: never quantised
  double linear = 0;       // attn_linear + mlp_linear + experts + router
  double linear_active = 0;  // with only the routed experts a token uses
  double total = 0;        // linear + vectors
  double active = 0;       // linear_active + vectors (biases of unused experts excluded)
};

// Parameter counts, derived from the spec (no rounding). Matrices are counted exactly; biases and
// norm weights included.
struct ParamCounts {
  double total = 0;            // every parameter (without multi-token-prediction modules)
  double active = 0;           // parameters a token touches (MoE: experts_active of experts)
  double embedding = 0;        // input embedding table (+ learned positions)
  double lm_head = 0;          // output projection, 0 when tied (then the embedding is reused)
  double final_norm = 0;
  BlockParams dense, moe;      // one block of each kind
  int dense_blocks = 0, moe_blocks = 0;
  double mtp = 0;              // multi-token-prediction modules (loaded only for speculative decoding)
};
ParamCounts count_params(const ModelSpec& m);
// The parameters of a block of a kind.
BlockParams block_params(const ModelSpec& m, bool moe_block);

// Sum over the linear layers of one block of a kind of (rows + cols), all experts: the cost of
// LoRA adapters of rank r is r·(this) parameters per block; Adafactor's factored second moment is
// (this) floats. And how many linear matrices it has (LoRA adapters' count).
double block_rows_plus_cols(const ModelSpec& m, bool moe_block);
double block_matrices(const ModelSpec& m, bool moe_block);

struct ModelPreset {
  std::string_view id;      // scenario id, e.g. "llama-3.1-8b"
  std::string_view name;    // display name
  ModelSpec spec;
  double published_params;  // the published total, for the ≤1% check
  std::string_view source;  // where the configuration and the total come from
  double published_active = 0;  // the published active total (MoE), 0 = not published
  WeightFormat weights = WeightFormat::bf16;  // the native checkpoint's weight format (dtype default)
  // Published totals are rounded: the check allows max(1%, this) relative difference (a figure
  // such as "1T" or one that counts a vision encoder says so in `source`).
  double published_tolerance = 0.01;
};

std::span<const ModelPreset> model_presets();
const ModelPreset* find_model_preset(std::string_view id);  // nullptr when unknown
// The preset a person means: the id in any case, with or without '-' and '.', a Hugging Face id
// ("meta-llama/Llama-3.1-70B-Instruct": the org and -Instruct/-Chat/-it/-hf/-Base dropped) or
// the display name; nullptr when none.
const ModelPreset* lookup_model_preset(std::string_view typed);
// The nearest preset id for "did you mean", or "" when nothing is close.
std::string suggest_model_preset(std::string_view typed);

}  // namespace llmcalc
