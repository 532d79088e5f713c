// core/model_config.hpp — a Hugging Face `config.json` (the file published with a model's
// weights) read into architecture overrides, so any decoder-only model can be estimated:
// `llmcalc estimate … --model-config config.json`, or a drop on the page.
#pragma once
#include <string>
#include <optional>
#include <string_view>

#include "error.hpp"
#include "scenario.hpp"

namespace llmcalc {

inline constexpr size_t kMaxModelConfigBytes = 1024 * 1024;

struct ModelConfig {
  ArchOverrides arch;   // every field set (a whole model, for model=custom)
  std::string name;     // "_name_or_path" or "model_type": the model's name in the link
  std::optional<WeightFormat> weights;  // the checkpoint's format, from its quantization_config
  int group = 128;                      // its group size (awq, gptq)
};

// Reads the language model (nested under text_config, llm_config or language_config in
// multimodal wrappers): layers, widths, heads, head_dim, vocabulary, tied embeddings; MLA
// (kv_lora_rank, q_lora_rank, qk_nope/rope_head_dim, v_head_dim); MoE (experts, active, expert
// and shared widths, dense first layers, MoE every n-th layer, Llama 4's layout), MTP modules;
// windows (sliding_window + layer_types / sliding_window_pattern, attention_chunk_size); the
// quantization_config. The MLP is gated unless model_type is a plain-MLP family (gpt2, gpt_neox,
// gptj, opt, bloom, falcon, phi). Errors name the field.
Result<ModelConfig> parse_model_config(std::string_view text);
// The scenario a config gives: model=custom, its architecture and name, its checkpoint's format.
void apply_model_config(Scenario& s, const ModelConfig& c);
// A Hugging Face model id from what a person types ("Qwen/Qwen3-30B-A3B", or its page's URL);
// nullopt when it is not one.
std::optional<std::string> hub_model_id(std::string_view text);
// Where the browser fetches that model's config.json (the Hub's resolve URL, main branch).
std::string hub_config_url(const std::string& id);
// What to tell the user when the fetch failed: HTTP `status`, or 0 when the Hub could not be
// reached at all (offline, blocked).
std::string hub_fetch_error(const std::string& id, int status);
// True when the text looks like a model config rather than a GPU profile (for dropped files).
bool looks_like_model_config(std::string_view text);

}  // namespace llmcalc
