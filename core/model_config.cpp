// core/model_config.cpp — Hugging Face config.json → ArchOverrides (untrusted JSON, read
// defensively: size cap, no exceptions, types checked before use).
#include "model_config.hpp"

#include <nlohmann/json.hpp>

namespace llmcalc {

namespace {
using json = nlohmann::json;

// An integer field in [lo, hi]; absent → `fallback` (or an error when fallback < 0).
Result<int> int_field(const json& j, const char* key, int lo, int hi, int fallback = -1) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (fallback >= 0) return fallback;
    return make_error(ErrorCode::missing_value, std::string("model config: ") + key + " is missing");
  }
  if (!it->is_number_integer() || it->get<long long>() < lo || it->get<long long>() > hi)
    return make_error(ErrorCode::bad_value, std::string("model config: ") + key + " must be a whole number from " +
                                                std::to_string(lo) + " to " + std::to_string(hi));
  return int(it->get<long long>());
}
}  // namespace

bool looks_like_model_config(std::string_view text) {
  if (text.size() > kMaxModelConfigBytes) return false;
  const json j = json::parse(text.begin(), text.end(), nullptr, false);
  return j.is_object() && j.contains("hidden_size") && j.contains("num_hidden_layers");
}

Result<ModelConfig> parse_model_config(std::string_view text) {
  if (text.size() > kMaxModelConfigBytes)
    return make_error(ErrorCode::too_large, "model config: the file is larger than 1 MiB");
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return make_error(ErrorCode::malformed, "model config: not valid JSON");
  if (!j.is_object()) return make_error(ErrorCode::malformed, "model config: the top level must be a JSON object");
  // Multimodal wrappers keep the language model under text_config.
  if (auto t = j.find("text_config"); t != j.end() && t->is_object() && !j.contains("hidden_size")) j = *t;
  ModelConfig c;
  ArchOverrides& a = c.arch;
  Result<int> v = int_field(j, "num_hidden_layers", 1, 1000);
  if (!v) return v.error();
  a.layers = *v;
  if (!(v = int_field(j, "hidden_size", 1, 1000000))) return v.error();
  a.hidden = *v;
  if (!(v = int_field(j, "num_attention_heads", 1, 100000))) return v.error();
  a.heads = *v;
  if (!(v = int_field(j, "num_key_value_heads", 1, 100000, a.heads))) return v.error();
  a.kv_heads = *v;
  if (a.heads % a.kv_heads != 0)
    return make_error(ErrorCode::inconsistent, "model config: num_attention_heads is not a multiple of num_key_value_heads");
  if (!(v = int_field(j, "head_dim", 1, 100000, a.hidden % a.heads == 0 ? a.hidden / a.heads : 0))) return v.error();
  if (*v == 0) return make_error(ErrorCode::missing_value, "model config: head_dim is missing and hidden_size is not a multiple of num_attention_heads");
  a.head_dim = *v;
  if (!(v = int_field(j, "intermediate_size", 1, 10000000, 4 * a.hidden))) return v.error();
  a.ffn = *v;
  if (!(v = int_field(j, "vocab_size", 1, 100000000))) return v.error();
  a.vocab = *v;
  int experts = 1;
  for (const char* key : {"num_local_experts", "num_experts", "n_routed_experts"}) {
    if (!j.contains(key) || j[key].is_null()) continue;
    if (!(v = int_field(j, key, 1, 100000))) return v.error();
    experts = *v;
    break;
  }
  a.experts = experts;
  if (!(v = int_field(j, "num_experts_per_tok", 1, experts, experts > 1 ? std::min(2, experts) : 1))) return v.error();
  a.experts_active = *v;
  if (experts > 1) {  // MoE configs may give the expert width separately
    if (!(v = int_field(j, "moe_intermediate_size", 1, 10000000, a.ffn))) return v.error();
    a.ffn = *v;
  }
  bool tied = false;
  if (auto t = j.find("tie_word_embeddings"); t != j.end() && !t->is_null()) {
    if (!t->is_boolean()) return make_error(ErrorCode::bad_value, "model config: tie_word_embeddings must be true or false");
    tied = t->get<bool>();
  }
  a.tied = tied ? 1 : 0;
  std::string type;
  if (auto t = j.find("model_type"); t != j.end() && t->is_string()) type = t->get<std::string>();
  bool plain = false;
  for (const char* f : {"gpt2", "gpt_neox", "gptj", "opt", "bloom", "falcon", "phi"}) plain = plain || type == f;
  a.gated = plain ? 0 : 1;
  if (auto n = j.find("_name_or_path"); n != j.end() && n->is_string() && !n->get<std::string>().empty())
    c.name = n->get<std::string>();
  else
    c.name = type.empty() ? "model config" : type;
  return c;
}

}  // namespace llmcalc
