// core/model_config.hpp — a Hugging Face `config.json` (the file published with a model's
// weights) read into architecture overrides, so any decoder-only model can be estimated:
// `llmcalc estimate … --model-config config.json`, or a drop on the page.
#pragma once
#include <string>
#include <string_view>

#include "error.hpp"
#include "scenario.hpp"

namespace llmcalc {

inline constexpr size_t kMaxModelConfigBytes = 1024 * 1024;

struct ModelConfig {
  ArchOverrides arch;   // every field set (a whole model, for model=custom)
  std::string name;     // "_name_or_path" or "model_type", for messages
};

// Reads num_hidden_layers, hidden_size, num_attention_heads, num_key_value_heads, head_dim,
// intermediate_size, vocab_size, tie_word_embeddings, num_local_experts / num_experts,
// num_experts_per_tok; the MLP is gated (SwiGLU-style) unless model_type is a plain-MLP family
// (gpt2, gpt_neox, gptj, opt, bloom, falcon, phi). Errors name the field.
Result<ModelConfig> parse_model_config(std::string_view text);
// True when the text looks like a model config rather than a GPU profile (for dropped files).
bool looks_like_model_config(std::string_view text);

}  // namespace llmcalc
