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
  CHECK_FALSE(looks_like_model_config(R"({"schema": "llmcalc.gpu-profile"})"));
}
