// tests/core/model_config_test.cpp — Hugging Face config.json import.
#include <catch2/catch.hpp>

#include "core/estimate.hpp"
#include "core/model_config.hpp"

using namespace llmcalc;

namespace {
// The architecture fields of meta-llama/Llama-3.1-8B's published config.json.
const char* kLlama31_8b = R"({
  "architectures": ["LlamaForCausalLM"], "model_type": "llama", "_name_or_path": "meta-llama/Llama-3.1-8B",
  "hidden_size": 4096, "intermediate_size": 14336, "num_attention_heads": 32, "num_hidden_layers": 32,
  "num_key_value_heads": 8, "vocab_size": 128256, "tie_word_embeddings": false, "hidden_act": "silu",
  "max_position_embeddings": 131072, "rope_scaling": {"factor": 8.0, "rope_type": "llama3"}, "torch_dtype": "bfloat16"
})";
const char* kMixtral = R"({"model_type": "mixtral", "hidden_size": 4096, "intermediate_size": 14336,
  "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8, "vocab_size": 32000,
  "num_local_experts": 8, "num_experts_per_tok": 2})";

double params_of(const ArchOverrides& a) {
  Scenario s;
  s.model = "custom";
  s.arch = a;
  return estimate(s).value().r.params.total;
}
}  // namespace

TEST_CASE("a Llama config gives the preset's exact parameter count") {
  Result<ModelConfig> c = parse_model_config(kLlama31_8b);
  REQUIRE(c.ok());
  CHECK(c->name == "meta-llama/Llama-3.1-8B");
  CHECK(c->arch.kv_heads == 8);
  CHECK(c->arch.gated == 1);
  CHECK(c->arch.tied == 0);
  CHECK(params_of(c->arch) == count_params(find_model_preset("llama-3.1-8b")->spec).total);
  CHECK(looks_like_model_config(kLlama31_8b));
}

TEST_CASE("MoE configs: experts and active experts") {
  Result<ModelConfig> c = parse_model_config(kMixtral);
  REQUIRE(c.ok());
  CHECK(c->arch.experts == 8);
  CHECK(c->arch.experts_active == 2);
  CHECK(params_of(c->arch) == count_params(find_model_preset("mixtral-8x7b")->spec).total);
}

TEST_CASE("plain-MLP families are not gated, missing kv heads mean multi-head attention") {
  Result<ModelConfig> c = parse_model_config(R"({"model_type": "gpt_neox", "hidden_size": 512, "num_hidden_layers": 2,
    "num_attention_heads": 8, "vocab_size": 1000})");
  REQUIRE(c.ok());
  CHECK(c->arch.gated == 0);
  CHECK(c->arch.kv_heads == 8);
  CHECK(c->arch.ffn == 2048);  // 4h when intermediate_size is absent
}

TEST_CASE("bad model configs are refused naming the field") {
  CHECK(parse_model_config("{").error().message == "model config: not valid JSON");
  CHECK(parse_model_config(R"({"hidden_size": 4096})").error().message == "model config: num_hidden_layers is missing");
  CHECK(parse_model_config(R"({"num_hidden_layers": 2, "hidden_size": "big", "num_attention_heads": 8, "vocab_size": 10})")
            .error().message.find("hidden_size must be a whole number") != std::string::npos);
  CHECK(parse_model_config(R"({"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 8, "num_key_value_heads": 3, "vocab_size": 10})")
            .error().message.find("num_key_value_heads") != std::string::npos);
  CHECK(parse_model_config(R"({"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 8, "vocab_size": 10, "tie_word_embeddings": "yes"})")
            .error().message.find("tie_word_embeddings") != std::string::npos);
  // head_dim defaults to hidden_size / num_attention_heads, which must lie in head_dim's own range
  // (fuzz regression model_config/crash-d8e63…: the link it wrote was refused by its decoder)
  CHECK(parse_model_config(R"({"num_hidden_layers": 2, "hidden_size": 204128, "num_attention_heads": 2, "vocab_size": 10})")
            .error().message == "model config: head_dim (hidden_size / num_attention_heads = 102064) must be at most 100000");
  CHECK_FALSE(looks_like_model_config(R"({"schema": "llmcalc.gpu-profile"})"));
}

namespace {
// Architecture fields of published config.json files (verbatim copies in ai-dynamo/aiconfigurator
// @095f58a model_configs/, and Gemma 3's text_config as transformers writes it).
const char* kDeepSeekV3 = R"({"architectures": ["DeepseekV3ForCausalLM"], "model_type": "deepseek_v3",
  "hidden_size": 7168, "intermediate_size": 18432, "moe_intermediate_size": 2048, "num_hidden_layers": 61,
  "num_attention_heads": 128, "num_key_value_heads": 128, "n_shared_experts": 1, "n_routed_experts": 256,
  "num_experts_per_tok": 8, "first_k_dense_replace": 3, "moe_layer_freq": 1, "q_lora_rank": 1536, "kv_lora_rank": 512,
  "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "v_head_dim": 128, "num_nextn_predict_layers": 1,
  "vocab_size": 129280, "tie_word_embeddings": false, "max_position_embeddings": 163840,
  "quantization_config": {"activation_scheme": "dynamic", "fmt": "e4m3", "quant_method": "fp8", "weight_block_size": [128, 128]}})";
const char* kGptOss120b = R"({"architectures": ["GptOssForCausalLM"], "model_type": "gpt_oss", "hidden_size": 2880,
  "intermediate_size": 2880, "num_hidden_layers": 36, "num_attention_heads": 64, "num_key_value_heads": 8, "head_dim": 64,
  "num_local_experts": 128, "num_experts_per_tok": 4, "experts_per_token": 4, "sliding_window": 128,
  "layer_types": ["sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention",
    "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention",
    "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention",
    "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention",
    "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention",
    "sliding_attention", "full_attention", "sliding_attention", "full_attention", "sliding_attention", "full_attention"],
  "vocab_size": 201088, "tie_word_embeddings": false, "attention_bias": true,
  "quantization_config": {"modules_to_not_convert": ["model.layers.*.self_attn", "model.layers.*.mlp.router", "model.embed_tokens", "lm_head"], "quant_method": "mxfp4"}})";
const char* kGemma3_27b = R"({"architectures": ["Gemma3ForConditionalGeneration"], "model_type": "gemma3",
  "_name_or_path": "google/gemma-3-27b-it",
  "text_config": {"model_type": "gemma3_text", "hidden_size": 5376, "intermediate_size": 21504, "num_hidden_layers": 62,
    "num_attention_heads": 32, "num_key_value_heads": 16, "head_dim": 128, "sliding_window": 1024,
    "sliding_window_pattern": 6, "vocab_size": 262208, "query_pre_attn_scalar": 168},
  "vision_config": {"hidden_size": 1152, "num_hidden_layers": 27}})";
const char* kLlama4Scout = R"({"architectures": ["Llama4ForConditionalGeneration"], "model_type": "llama4",
  "text_config": {"model_type": "llama4_text", "hidden_size": 5120, "intermediate_size": 8192, "intermediate_size_mlp": 16384,
    "num_hidden_layers": 48, "num_attention_heads": 40, "num_key_value_heads": 8, "head_dim": 128, "num_local_experts": 16,
    "num_experts_per_tok": 1, "interleave_moe_layer_step": 1, "attention_chunk_size": 8192, "vocab_size": 202048,
    "tie_word_embeddings": false}})";
const char* kQwen3_30b = R"({"model_type": "qwen3_moe", "hidden_size": 2048, "intermediate_size": 6144, "moe_intermediate_size": 768,
  "num_hidden_layers": 48, "num_attention_heads": 32, "num_key_value_heads": 4, "head_dim": 128, "num_experts": 128,
  "num_experts_per_tok": 8, "decoder_sparse_step": 1, "mlp_only_layers": [], "sliding_window": null, "use_sliding_window": false,
  "vocab_size": 151936, "tie_word_embeddings": false})";

Estimate from_config(const char* text, const std::string& extra = "") {
  Result<ModelConfig> c = parse_model_config(text);
  REQUIRE(c.ok());
  Scenario s = decode_scenario(extra)->scenario;
  apply_model_config(s, c.value());
  return estimate(s).value();
}
double preset_total(const char* id) { return count_params(find_model_preset(id)->spec).total; }
}  // namespace

TEST_CASE("DeepSeek-V3's config: latent attention, shared experts, dense first layers, MTP, FP8 blocks") {
  const Estimate e = from_config(kDeepSeekV3, "gpu=h200&gpus=8&tp=8&batch=32&prompt=8192&gen=256");
  CHECK(e.r.params.total == preset_total("deepseek-v3"));  // every field the preset has
  CHECK(e.r.weights == WeightFormat::fp8_block);
  CHECK(e.r.params.mtp > 11e9);
  CHECK(e.d.kv_bytes_per_token == 61.0 * (512 + 64) * 2);  // 70,272 B
  CHECK(e.fits);
}

TEST_CASE("gpt-oss's config: MXFP4 experts, a 128-token window on every other layer") {
  const Estimate e = from_config(kGptOss120b, "prompt=131071&gen=1");
  CHECK(e.r.weights == WeightFormat::mxfp4);
  CHECK(e.r.model.window == 128);
  CHECK(e.r.model.local_period == 2);
  CHECK(e.r.model.local_per_period == 1);
  // biases and sinks are not link keys: within 0.05% of the preset (116.83 B)
  CHECK(e.r.params.total == Approx(preset_total("gpt-oss-120b")).epsilon(0.0005));
  CHECK(e.memory.kv_cache == Approx(4.837e9).epsilon(0.001));
  CHECK(e.fits);
}

TEST_CASE("Gemma 3's nested text_config: tied embeddings by default, 5 local layers per global one") {
  Result<ModelConfig> c = parse_model_config(kGemma3_27b);
  REQUIRE(c.ok());
  CHECK(c->name == "google/gemma-3-27b-it");
  CHECK(c->arch.tied == 1);
  CHECK(c->arch.period == 6);
  CHECK(c->arch.local == 5);
  CHECK(looks_like_model_config(kGemma3_27b));
  const Estimate e = from_config(kGemma3_27b, "prompt=131072&gen=1");
  CHECK(e.r.params.total == Approx(27.0e9).epsilon(0.002));  // the language model, not 28.4 B
  CHECK(e.memory.kv_cache == Approx(11.17e9).epsilon(0.002));
  CHECK(std::string(e.r.model_name) == "google/gemma-3-27b-it");
}

TEST_CASE("Llama 4's config: experts and a shared expert of intermediate_size, dense width, chunked layers") {
  const Estimate e = from_config(kLlama4Scout);
  CHECK(e.r.model.expert_ffn == 8192);
  CHECK(e.r.model.shared_width() == 8192);
  CHECK(e.r.model.window == 8192);
  CHECK(e.r.model.local_period == 4);
  CHECK(e.r.model.local_per_period == 3);
  CHECK(e.r.params.total == preset_total("llama-4-scout"));
}

TEST_CASE("Qwen3 MoE's config: expert width, no window when use_sliding_window is false") {
  const Estimate e = from_config(kQwen3_30b);
  CHECK(e.r.model.window == 0);
  CHECK(e.r.params.total == Approx(preset_total("qwen3-30b-a3b")).epsilon(0.0001));  // QK-norm vectors aside
}

TEST_CASE("quantisation configs name the checkpoint's format") {
  auto fmt = [](const char* q) {
    std::string text = std::string(R"({"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 10, "quantization_config": )") + q + "}";
    Result<ModelConfig> c = parse_model_config(text);
    REQUIRE(c.ok());
    return c.value();
  };
  CHECK(*fmt(R"({"quant_method": "awq", "bits": 4, "group_size": 64})").weights == WeightFormat::awq);
  CHECK(fmt(R"({"quant_method": "awq", "bits": 4, "group_size": 64})").group == 64);
  CHECK(*fmt(R"({"quant_method": "gptq", "bits": 4, "group_size": 128})").weights == WeightFormat::gptq);
  CHECK(*fmt(R"({"quant_method": "bitsandbytes", "load_in_4bit": true, "bnb_4bit_quant_type": "nf4", "bnb_4bit_use_double_quant": true})").weights == WeightFormat::nf4_dq);
  CHECK(*fmt(R"({"quant_method": "bitsandbytes", "load_in_4bit": true, "bnb_4bit_quant_type": "nf4"})").weights == WeightFormat::nf4);
  CHECK(*fmt(R"({"quant_method": "bitsandbytes", "load_in_8bit": true})").weights == WeightFormat::int8);
  CHECK(*fmt(R"({"quant_method": "fp8"})").weights == WeightFormat::fp8);
  CHECK(*fmt(R"({"quant_method": "compressed-tensors", "format": "nvfp4-pack-quantized"})").weights == WeightFormat::nvfp4);
  CHECK_FALSE(fmt(R"({"quant_method": "exotic"})").weights.has_value());
}

TEST_CASE("a new model brings its checkpoint's format, not the one chosen for the previous model") {
  // a 16-bit config after a q4_k_m scenario: bf16; an MXFP4 config: mxfp4
  CHECK(from_config(kQwen3_30b, "model=llama-3.1-8b&dtype=q4_k_m").r.weights == WeightFormat::bf16);
  CHECK(from_config(kGptOss120b, "model=llama-3.1-8b&dtype=q4_k_m").r.weights == WeightFormat::mxfp4);
}
