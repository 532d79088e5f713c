// core/model_presets.cpp — the model presets, each citing its published configuration.
//
// Sources: each model's config.json as published with its weights (Hugging Face model cards),
// read from verbatim copies vendored in public repositories where named (e.g.
// ai-dynamo/aiconfigurator@095f58a aic-core/src/aiconfigurator_core/model_configs/), and the
// totals from model cards, technical reports or safetensors indexes. docs/models.md lists every
// field's source; tests/core/model_test.cpp checks each total (and active) against its figure.
#include "model.hpp"

#include <algorithm>

#include "text.hpp"

namespace llmcalc {

namespace {
constexpr Attention kMla = Attention::mla;
// clang-format off
constexpr ModelPreset kModels[] = {
  // ---- classic dense and MoE models ---------------------------------------------------------
  {"llama-7b", "LLaMA 7B", {.layers = 32, .hidden = 4096, .heads = 32, .kv_heads = 32, .ffn = 11008, .vocab = 32000, .context = 2048},
   6.738e9, "Touvron et al. 2023, LLaMA, Table 2; huggyllama/llama-7b config.json"},
  {"llama-13b", "LLaMA 13B", {.layers = 40, .hidden = 5120, .heads = 40, .kv_heads = 40, .ffn = 13824, .vocab = 32000, .context = 2048},
   13.016e9, "Touvron et al. 2023, LLaMA, Table 2; huggyllama/llama-13b config.json"},
  {"llama-2-7b", "Llama 2 7B", {.layers = 32, .hidden = 4096, .heads = 32, .kv_heads = 32, .ffn = 11008, .vocab = 32000, .context = 4096},
   6.738e9, "meta-llama/Llama-2-7b-hf config.json; Touvron et al. 2023, Llama 2, Table 1"},
  {"llama-2-13b", "Llama 2 13B", {.layers = 40, .hidden = 5120, .heads = 40, .kv_heads = 40, .ffn = 13824, .vocab = 32000, .context = 4096},
   13.016e9, "meta-llama/Llama-2-13b-hf config.json"},
  {"llama-2-70b", "Llama 2 70B", {.layers = 80, .hidden = 8192, .heads = 64, .kv_heads = 8, .ffn = 28672, .vocab = 32000, .context = 4096},
   68.977e9, "meta-llama/Llama-2-70b-hf config.json (GQA, 8 KV heads)"},
  {"llama-3.2-1b", "Llama 3.2 1B", {.layers = 16, .hidden = 2048, .heads = 32, .kv_heads = 8, .head_dim = 64, .ffn = 8192, .vocab = 128256, .tied = true, .context = 131072},
   1.236e9, "meta-llama/Llama-3.2-1B config.json (tied embeddings); model card 1.23B"},
  {"llama-3.2-3b", "Llama 3.2 3B", {.layers = 28, .hidden = 3072, .heads = 24, .kv_heads = 8, .head_dim = 128, .ffn = 8192, .vocab = 128256, .tied = true, .context = 131072},
   3.213e9, "meta-llama/Llama-3.2-3B config.json (tied embeddings); model card 3.21B"},
  {"llama-3.1-8b", "Llama 3.1 8B", {.layers = 32, .hidden = 4096, .heads = 32, .kv_heads = 8, .ffn = 14336, .vocab = 128256, .context = 131072},
   8.030e9, "meta-llama/Llama-3.1-8B config.json; Llama 3 Herd of Models (2024), Table 3"},
  {"llama-3.1-70b", "Llama 3.1 70B", {.layers = 80, .hidden = 8192, .heads = 64, .kv_heads = 8, .ffn = 28672, .vocab = 128256, .context = 131072},
   70.554e9, "meta-llama/Llama-3.1-70B config.json; Llama 3 Herd of Models (2024), Table 3"},
  {"llama-3.3-70b", "Llama 3.3 70B", {.layers = 80, .hidden = 8192, .heads = 64, .kv_heads = 8, .ffn = 28672, .vocab = 128256, .context = 131072},
   70e9, "meta-llama/Llama-3.3-70B-Instruct config.json (aiconfigurator@f577ab8 copy); llama-models MODEL_CARD.md (70B)"},
  {"llama-3.1-405b", "Llama 3.1 405B", {.layers = 126, .hidden = 16384, .heads = 128, .kv_heads = 8, .ffn = 53248, .vocab = 128256, .context = 131072},
   405.853e9, "meta-llama/Llama-3.1-405B config.json; Llama 3 Herd of Models (2024), Table 3"},
  {"mistral-7b", "Mistral 7B", {.layers = 32, .hidden = 4096, .heads = 32, .kv_heads = 8, .ffn = 14336, .vocab = 32000, .context = 32768},
   7.242e9, "mistralai/Mistral-7B-v0.1 config.json; Jiang et al. 2023, Table 1"},
  {"mistral-small-3", "Mistral Small 3 24B", {.layers = 40, .hidden = 5120, .heads = 32, .kv_heads = 8, .head_dim = 128, .ffn = 32768, .vocab = 131072, .context = 32768},
   23.572e9, "mistralai/Mistral-Small-24B-Instruct-2501 config.json (copies), params.json; model.safetensors.index.json total_size 47,144,806,400 B (bf16)"},
  {"mixtral-8x7b", "Mixtral 8x7B", {.layers = 32, .hidden = 4096, .heads = 32, .kv_heads = 8, .ffn = 14336, .vocab = 32000, .experts = 8, .experts_active = 2, .context = 32768},
   46.703e9, "mistralai/Mixtral-8x7B-v0.1 config.json; Jiang et al. 2024 (46.7B total, 12.9B active)", 12.9e9},
  {"mixtral-8x22b", "Mixtral 8x22B", {.layers = 56, .hidden = 6144, .heads = 48, .kv_heads = 8, .ffn = 16384, .vocab = 32000, .experts = 8, .experts_active = 2, .context = 65536},
   141e9, "mistralai/Mixtral-8x22B-v0.1 config.json (aiconfigurator copy); Mistral: 39B active of 141B", 39e9},
  {"qwen2.5-7b", "Qwen2.5 7B", {.layers = 28, .hidden = 3584, .heads = 28, .kv_heads = 4, .ffn = 18944, .vocab = 152064, .qkv_bias = true, .context = 131072},
   7.616e9, "Qwen/Qwen2.5-7B config.json (QKV bias); Qwen2.5 technical report (2024)"},
  {"qwen2.5-72b", "Qwen2.5 72B", {.layers = 80, .hidden = 8192, .heads = 64, .kv_heads = 8, .ffn = 29568, .vocab = 152064, .qkv_bias = true, .context = 131072},
   72.706e9, "Qwen/Qwen2.5-72B config.json (QKV bias); Qwen2.5 technical report (2024)"},
  {"phi-4", "Phi-4 14B", {.layers = 40, .hidden = 5120, .heads = 40, .kv_heads = 10, .ffn = 17920, .vocab = 100352, .context = 16384},
   14e9, "microsoft/phi-4 config.json (tt-metal copy); model card: 14B parameters (rounded down: the checkpoint holds 14.66 B)", 0, WeightFormat::bf16, 0.05},
  {"gpt-3-175b", "GPT-3 175B", {.layers = 96, .hidden = 12288, .heads = 96, .kv_heads = 96, .ffn = 49152, .vocab = 50257, .gated = false, .tied = true,
                                .linear_bias = true, .layernorm = true, .learned_positions = 2048, .context = 2048},
   175e9, "Brown et al. 2020, Language Models are Few-Shot Learners, Table 2.1 (n_ctx 2048, GPT-2 vocabulary)"},
  // ---- Qwen3 (QK-norm; dense and MoE) --------------------------------------------------------
  {"qwen3-0.6b", "Qwen3 0.6B", {.layers = 28, .hidden = 1024, .heads = 16, .kv_heads = 8, .head_dim = 128, .ffn = 3072, .vocab = 151936, .tied = true, .context = 40960, .qk_norm = true},
   0.6e9, "Qwen/Qwen3-0.6B config.json; Qwen3 technical report Table 1; model card 0.6B"},
  {"qwen3-1.7b", "Qwen3 1.7B", {.layers = 28, .hidden = 2048, .heads = 16, .kv_heads = 8, .head_dim = 128, .ffn = 6144, .vocab = 151936, .tied = true, .context = 40960, .qk_norm = true},
   1.7e9, "Qwen/Qwen3-1.7B config.json; model card 1.7B (rounded to 0.1B)", 0, WeightFormat::bf16, 0.03},
  {"qwen3-4b", "Qwen3 4B", {.layers = 36, .hidden = 2560, .heads = 32, .kv_heads = 8, .head_dim = 128, .ffn = 9728, .vocab = 151936, .tied = true, .context = 40960, .qk_norm = true},
   4.0e9, "Qwen/Qwen3-4B config.json; model card 4.0B"},
  {"qwen3-8b", "Qwen3 8B", {.layers = 36, .hidden = 4096, .heads = 32, .kv_heads = 8, .head_dim = 128, .ffn = 12288, .vocab = 151936, .context = 40960, .qk_norm = true},
   8.2e9, "Qwen/Qwen3-8B config.json; model card 8.2B"},
  {"qwen3-14b", "Qwen3 14B", {.layers = 40, .hidden = 5120, .heads = 40, .kv_heads = 8, .head_dim = 128, .ffn = 17408, .vocab = 151936, .context = 40960, .qk_norm = true},
   14.8e9, "Qwen/Qwen3-14B config.json; model card 14.8B"},
  {"qwen3-32b", "Qwen3 32B", {.layers = 64, .hidden = 5120, .heads = 64, .kv_heads = 8, .head_dim = 128, .ffn = 25600, .vocab = 151936, .context = 40960, .qk_norm = true},
   32.8e9, "Qwen/Qwen3-32B config.json; model card 32.8B"},
  {"qwen3-30b-a3b", "Qwen3 30B-A3B", {.layers = 48, .hidden = 2048, .heads = 32, .kv_heads = 4, .head_dim = 128, .ffn = 6144, .vocab = 151936, .experts = 128, .experts_active = 8,
                                      .context = 40960, .qk_norm = true, .expert_ffn = 768},
   30.5e9, "Qwen/Qwen3-30B-A3B config.json (aiconfigurator copy); model card 30.5B total, 3.3B activated", 3.3e9},
  {"qwen3-235b-a22b", "Qwen3 235B-A22B", {.layers = 94, .hidden = 4096, .heads = 64, .kv_heads = 4, .head_dim = 128, .ffn = 12288, .vocab = 151936, .experts = 128, .experts_active = 8,
                                          .context = 40960, .qk_norm = true, .expert_ffn = 1536},
   235e9, "Qwen/Qwen3-235B-A22B config.json (aiconfigurator copy); model card 235B total, 22B activated", 22e9},
  // ---- Gemma 3 (the language model; 5 local layers of a 1024-token window per global one) --------
  {"gemma-3-1b", "Gemma 3 1B", {.layers = 26, .hidden = 1152, .heads = 4, .kv_heads = 1, .head_dim = 256, .ffn = 6912, .vocab = 262144, .tied = true, .context = 32768,
                                .qk_norm = true, .extra_norms = 2, .window = 512, .local_period = 6, .local_per_period = 5},
   1.0e9, "google/gemma-3-1b-it config.json; Gemma 3 technical report Table 1 (302M embedding + 698M non-embedding)"},
  {"gemma-3-4b", "Gemma 3 4B", {.layers = 34, .hidden = 2560, .heads = 8, .kv_heads = 4, .head_dim = 256, .ffn = 10240, .vocab = 262208, .tied = true, .context = 131072,
                                .qk_norm = true, .extra_norms = 2, .window = 1024, .local_period = 6, .local_per_period = 5},
   3.884e9, "google/gemma-3-4b-it text_config (transformers Gemma3TextConfig defaults, google-deepmind/gemma _gemma.py); report Table 1: 675M + 3,209M"},
  {"gemma-3-12b", "Gemma 3 12B", {.layers = 48, .hidden = 3840, .heads = 16, .kv_heads = 8, .head_dim = 256, .ffn = 15360, .vocab = 262208, .tied = true, .context = 131072,
                                  .qk_norm = true, .extra_norms = 2, .window = 1024, .local_period = 6, .local_per_period = 5},
   11.771e9, "google/gemma-3-12b-it text_config (transformers 4.57 copy with layer_types); report Table 1: 1,012M + 10,759M"},
  {"gemma-3-27b", "Gemma 3 27B", {.layers = 62, .hidden = 5376, .heads = 32, .kv_heads = 16, .head_dim = 128, .ffn = 21504, .vocab = 262208, .tied = true, .context = 131072,
                                  .qk_norm = true, .extra_norms = 2, .window = 1024, .local_period = 6, .local_per_period = 5},
   27.016e9, "google/gemma-3-27b-it text_config (google-deepmind/gemma _gemma.py, transformers defaults); report Table 1: 1,416M + 25,600M (vision 417M not counted)"},
  // ---- MoE with latent attention (DeepSeek-V3 architecture) -----------------------------------
  {"deepseek-v3", "DeepSeek-V3", {.layers = 61, .hidden = 7168, .heads = 128, .kv_heads = 128, .head_dim = 192, .ffn = 18432, .vocab = 129280, .experts = 256, .experts_active = 8,
                                  .context = 163840, .attention = kMla, .q_lora_rank = 1536, .kv_lora_rank = 512, .rope_dim = 64, .v_head_dim = 128,
                                  .expert_ffn = 2048, .shared_experts = 1, .dense_layers = 3, .mtp_layers = 1},
   671e9, "deepseek-ai/DeepSeek-V3 config.json (aiconfigurator copy; deepseek-ai/DeepSeek-V3@9b4e978 README_WEIGHTS.md): 671B total, 37B activated, +14B MTP; FP8 128×128 blocks", 37e9, WeightFormat::fp8_block},
  {"deepseek-r1", "DeepSeek-R1", {.layers = 61, .hidden = 7168, .heads = 128, .kv_heads = 128, .head_dim = 192, .ffn = 18432, .vocab = 129280, .experts = 256, .experts_active = 8,
                                  .context = 163840, .attention = kMla, .q_lora_rank = 1536, .kv_lora_rank = 512, .rope_dim = 64, .v_head_dim = 128,
                                  .expert_ffn = 2048, .shared_experts = 1, .dense_layers = 3, .mtp_layers = 1},
   671e9, "deepseek-ai/DeepSeek-R1 config.json (aiconfigurator copy): the DeepSeek-V3 architecture; 671B total, 37B activated; FP8 128×128 blocks", 37e9, WeightFormat::fp8_block},
  {"kimi-k2", "Kimi K2", {.layers = 61, .hidden = 7168, .heads = 64, .kv_heads = 64, .head_dim = 192, .ffn = 18432, .vocab = 163840, .experts = 384, .experts_active = 8,
                          .context = 131072, .attention = kMla, .q_lora_rank = 1536, .kv_lora_rank = 512, .rope_dim = 64, .v_head_dim = 128,
                          .expert_ffn = 2048, .shared_experts = 1, .dense_layers = 1},
   1e12, "moonshotai/Kimi-K2-Instruct config.json (aiconfigurator copy); MoonshotAI/Kimi-K2 README: 1T total (rounded), 32B activated; FP8 128×128 blocks", 32e9, WeightFormat::fp8_block, 0.05},
  // ---- gpt-oss (MXFP4 experts, alternating 128-token sliding window, attention sinks) ----------
  {"gpt-oss-120b", "gpt-oss-120b", {.layers = 36, .hidden = 2880, .heads = 64, .kv_heads = 8, .head_dim = 64, .ffn = 2880, .vocab = 201088, .experts = 128, .experts_active = 4,
                                    .context = 131072, .attn_bias = true, .sinks = true, .window = 128, .local_period = 2, .local_per_period = 1, .expert_bias = true},
   116.83e9, "openai/gpt-oss-120b config.json (aiconfigurator copy); gpt-oss model card Table 1: 116.83B total, 5.13B active (embedding not counted)", 5.13e9, WeightFormat::mxfp4},
  {"gpt-oss-20b", "gpt-oss-20b", {.layers = 24, .hidden = 2880, .heads = 64, .kv_heads = 8, .head_dim = 64, .ffn = 2880, .vocab = 201088, .experts = 32, .experts_active = 4,
                                  .context = 131072, .attn_bias = true, .sinks = true, .window = 128, .local_period = 2, .local_per_period = 1, .expert_bias = true},
   20.91e9, "openai/gpt-oss-20b config.json (aiconfigurator copy); gpt-oss model card Table 1: 20.91B total, 3.61B active (embedding not counted)", 3.61e9, WeightFormat::mxfp4},
  // ---- Llama 4 (MoE with a shared expert; chunked attention of 8192 on 3 of 4 layers) --------
  {"llama-4-scout", "Llama 4 Scout 17B-16E", {.layers = 48, .hidden = 5120, .heads = 40, .kv_heads = 8, .head_dim = 128, .ffn = 16384, .vocab = 202048, .experts = 16, .experts_active = 1,
                                              .context = 10485760, .window = 8192, .local_period = 4, .local_per_period = 3, .expert_ffn = 8192, .shared_ffn = 8192},
   109.676e9, "meta-llama/Llama-4-Scout-17B-16E-Instruct text_config (aiconfigurator copy); llama-models MODEL_CARD.md 109B total / 17B active — the total counts the vision encoder", 17e9, WeightFormat::bf16, 0.02},
  {"llama-4-maverick", "Llama 4 Maverick 17B-128E", {.layers = 48, .hidden = 5120, .heads = 40, .kv_heads = 8, .head_dim = 128, .ffn = 16384, .vocab = 202048, .experts = 128, .experts_active = 1,
                                                     .context = 1048576, .window = 8192, .local_period = 4, .local_per_period = 3, .expert_ffn = 8192, .shared_ffn = 8192, .moe_every = 2},
   400e9, "meta-llama/Llama-4-Maverick-17B-128E-Instruct text_config (aiconfigurator copy; MoE every 2nd layer); MODEL_CARD.md 400B total / 17B active", 17e9},
};
// clang-format on
}  // namespace

std::span<const ModelPreset> model_presets() { return kModels; }

const ModelPreset* find_model_preset(std::string_view id) {
  for (const auto& p : kModels)
    if (p.id == id) return &p;
  return nullptr;
}

namespace {
// The typed id without a Hub org and the usual fine-tune suffixes.
std::string model_key(std::string_view t) {
  if (const size_t slash = t.rfind('/'); slash != std::string_view::npos) t = t.substr(slash + 1);
  std::string k = loose_key(t);
  for (std::string_view suffix : {"instruct", "chat", "it", "hf", "base"})
    if (k.size() > suffix.size() && k.compare(k.size() - suffix.size(), suffix.size(), suffix) == 0) {
      k.resize(k.size() - suffix.size());
      break;
    }
  return k;
}
}  // namespace

const ModelPreset* lookup_model_preset(std::string_view typed) {
  if (const ModelPreset* p = find_model_preset(typed)) return p;
  const std::string k = model_key(typed);
  if (k.empty()) return nullptr;
  for (const auto& p : kModels)
    if (loose_key(p.id) == k || loose_key(p.name) == k) return &p;
  return nullptr;
}

std::string suggest_model_preset(std::string_view typed) {
  std::vector<std::pair<std::string, std::string>> candidates;
  for (const auto& p : kModels) candidates.emplace_back(loose_key(p.id), std::string(p.id));
  return nearest_ids(model_key(typed), candidates);
}

}  // namespace llmcalc
