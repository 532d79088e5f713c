// core/model_presets.cpp — the model presets, each citing its published configuration.
//
// Sources: each model's config.json as published with its weights (Hugging Face model cards),
// and the total parameter count shown there (safetensors metadata) or in its paper.
#include "model.hpp"

namespace llmcalc {

namespace {
// clang-format off
// Sources: each model's config.json as published with its weights (Hugging Face model cards),
// and the total parameter count shown there (safetensors metadata); GPT-3 from Brown et al. 2020,
// "Language Models are Few-Shot Learners", Table 2.1.
constexpr ModelPreset kModels[] = {
  {"llama-7b", "LLaMA 7B", {32, 4096, 32, 32, 0, 11008, 32000, true, false, 1, 1, false, false, false, 0, 2048},
   6.738e9, "Touvron et al. 2023, LLaMA, Table 2; huggyllama/llama-7b config.json"},
  {"llama-13b", "LLaMA 13B", {40, 5120, 40, 40, 0, 13824, 32000, true, false, 1, 1, false, false, false, 0, 2048},
   13.016e9, "Touvron et al. 2023, LLaMA, Table 2; huggyllama/llama-13b config.json"},
  {"llama-2-7b", "Llama 2 7B", {32, 4096, 32, 32, 0, 11008, 32000, true, false, 1, 1, false, false, false, 0, 4096},
   6.738e9, "meta-llama/Llama-2-7b-hf config.json; Touvron et al. 2023, Llama 2, Table 1"},
  {"llama-2-13b", "Llama 2 13B", {40, 5120, 40, 40, 0, 13824, 32000, true, false, 1, 1, false, false, false, 0, 4096},
   13.016e9, "meta-llama/Llama-2-13b-hf config.json"},
  {"llama-2-70b", "Llama 2 70B", {80, 8192, 64, 8, 0, 28672, 32000, true, false, 1, 1, false, false, false, 0, 4096},
   68.977e9, "meta-llama/Llama-2-70b-hf config.json (GQA, 8 KV heads)"},
  {"llama-3.2-1b", "Llama 3.2 1B", {16, 2048, 32, 8, 64, 8192, 128256, true, true, 1, 1, false, false, false, 0, 131072},
   1.236e9, "meta-llama/Llama-3.2-1B config.json (tied embeddings)"},
  {"llama-3.2-3b", "Llama 3.2 3B", {28, 3072, 24, 8, 128, 8192, 128256, true, true, 1, 1, false, false, false, 0, 131072},
   3.213e9, "meta-llama/Llama-3.2-3B config.json (tied embeddings)"},
  {"llama-3.1-8b", "Llama 3.1 8B", {32, 4096, 32, 8, 0, 14336, 128256, true, false, 1, 1, false, false, false, 0, 131072},
   8.030e9, "meta-llama/Llama-3.1-8B config.json; Llama 3 Herd of Models (2024), Table 3"},
  {"llama-3.1-70b", "Llama 3.1 70B", {80, 8192, 64, 8, 0, 28672, 128256, true, false, 1, 1, false, false, false, 0, 131072},
   70.554e9, "meta-llama/Llama-3.1-70B config.json; Llama 3 Herd of Models (2024), Table 3"},
  {"llama-3.1-405b", "Llama 3.1 405B", {126, 16384, 128, 8, 0, 53248, 128256, true, false, 1, 1, false, false, false, 0, 131072},
   405.853e9, "meta-llama/Llama-3.1-405B config.json; Llama 3 Herd of Models (2024), Table 3"},
  {"mistral-7b", "Mistral 7B", {32, 4096, 32, 8, 0, 14336, 32000, true, false, 1, 1, false, false, false, 0, 32768},
   7.242e9, "mistralai/Mistral-7B-v0.1 config.json; Jiang et al. 2023, Table 1"},
  {"mixtral-8x7b", "Mixtral 8x7B", {32, 4096, 32, 8, 0, 14336, 32000, true, false, 8, 2, false, false, false, 0, 32768},
   46.703e9, "mistralai/Mixtral-8x7B-v0.1 config.json; Jiang et al. 2024 (46.7B total, 12.9B active)"},
  {"qwen2.5-7b", "Qwen2.5 7B", {28, 3584, 28, 4, 0, 18944, 152064, true, false, 1, 1, true, false, false, 0, 131072},
   7.616e9, "Qwen/Qwen2.5-7B config.json (QKV bias); Qwen2.5 technical report (2024)"},
  {"qwen2.5-72b", "Qwen2.5 72B", {80, 8192, 64, 8, 0, 29568, 152064, true, false, 1, 1, true, false, false, 0, 131072},
   72.706e9, "Qwen/Qwen2.5-72B config.json (QKV bias); Qwen2.5 technical report (2024)"},
  {"gpt-3-175b", "GPT-3 175B", {96, 12288, 96, 96, 0, 49152, 50257, false, true, 1, 1, false, true, true, 2048, 2048},
   175e9, "Brown et al. 2020, Language Models are Few-Shot Learners, Table 2.1 (n_ctx 2048, GPT-2 vocabulary)"},
};
// clang-format on
}  // namespace

std::span<const ModelPreset> model_presets() { return kModels; }

const ModelPreset* find_model_preset(std::string_view id) {
  for (const auto& p : kModels)
    if (p.id == id) return &p;
  return nullptr;
}

}  // namespace llmcalc
