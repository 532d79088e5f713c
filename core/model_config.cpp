// core/model_config.cpp — Hugging Face config.json → a custom model's link keys (untrusted JSON,
// read defensively: size cap, no exceptions, types checked before use).
//
// [SECTION] readers of typed fields
// [SECTION] layer patterns (layer_types, sliding_window_pattern, chunked attention)
// [SECTION] the checkpoint's quantisation_config
// [SECTION] parse_model_config
#include "model_config.hpp"
#include "text.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <vector>

namespace llmcalc {

namespace {
using json = nlohmann::json;

// ============================================================================================
// [SECTION] readers
// ============================================================================================

Error field_error(ErrorCode code, const std::string& what) { return make_error(code, "model config: " + what); }

bool present(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && !it->is_null();
}

// An integer field in [lo, hi]; absent (or null) → `fallback`, or an error when fallback < 0.
Result<int> int_field(const json& j, const char* key, int lo, int hi, int fallback = -1) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (fallback >= 0) return fallback;
    return field_error(ErrorCode::missing_value, std::string(key) + " is missing");
  }
  if (!it->is_number_integer() || it->get<long long>() < lo || it->get<long long>() > hi)
    return field_error(ErrorCode::bad_value, std::string(key) + " must be a whole number from " + std::to_string(lo) +
                                                 " to " + std::to_string(hi));
  return int(it->get<long long>());
}

Result<bool> bool_field(const json& j, const char* key, bool fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) return field_error(ErrorCode::bad_value, std::string(key) + " must be true or false");
  return it->get<bool>();
}

std::string string_field(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// ============================================================================================
// [SECTION] layer patterns
// ============================================================================================

// A per-layer list of "local" flags as (period, locals first in each period) when it repeats in
// that form; otherwise (layers, count) — the counts stay exact, the positions approximate.
void set_pattern(const std::vector<bool>& local, ArchOverrides& a) {
  const int n = int(local.size());
  const int count = int(std::count(local.begin(), local.end(), true));
  if (count == 0) return;
  for (int p = 1; p <= n; ++p) {
    int k = 0;
    while (k < p && local[size_t(k)]) ++k;  // locals first
    bool ok = k > 0;
    for (int i = 0; i < n && ok; ++i) ok = local[size_t(i)] == (i % p < k);
    if (ok) {
      a.period = p;
      a.local = k;
      return;
    }
  }
  a.period = n;
  a.local = count;
}

// Which layers attend to a window: layer_types ("sliding_attention"/"chunked_attention" vs
// "full_attention"), Gemma's sliding_window_pattern (every n-th layer global), Llama 4's chunked
// attention on its RoPE layers, Gemma 2's alternation, or a window on every layer (Mistral v0.1).
Result<bool> read_windows(const json& j, const std::string& type, int layers, ArchOverrides& a) {
  int window = 0;
  const bool chunked = present(j, "attention_chunk_size");
  if (chunked) {
    Result<int> v = int_field(j, "attention_chunk_size", 1, kMaxTokens);
    if (!v) return v.error();
    window = *v;
  } else if (present(j, "sliding_window")) {
    Result<bool> use = bool_field(j, "use_sliding_window", true);
    if (!use) return use.error();
    Result<int> v = int_field(j, "sliding_window", 1, kMaxTokens);
    if (!v) return v.error();
    if (*use) window = *v;
  }
  if (window == 0) return true;
  std::vector<bool> local(size_t(layers), true);
  if (auto t = j.find("layer_types"); t != j.end() && t->is_array()) {
    if (int(t->size()) != layers) return field_error(ErrorCode::inconsistent, "layer_types must list every one of the " + std::to_string(layers) + " layers");
    for (size_t i = 0; i < t->size(); ++i) {
      if (!(*t)[i].is_string()) return field_error(ErrorCode::bad_value, "layer_types must be strings");
      const std::string kind = (*t)[i].get<std::string>();
      local[i] = kind == "sliding_attention" || kind == "chunked_attention";
    }
  } else if (present(j, "sliding_window_pattern")) {
    Result<int> p = int_field(j, "sliding_window_pattern", 1, kMaxLayers);
    if (!p) return p.error();
    for (int i = 0; i < layers; ++i) local[size_t(i)] = (i + 1) % *p != 0;
  } else if (chunked) {  // Llama 4: chunked attention on the RoPE layers, every n-th layer global (NoPE)
    if (auto r = j.find("no_rope_layers"); r != j.end() && r->is_array() && int(r->size()) == layers) {
      for (size_t i = 0; i < r->size(); ++i) local[i] = (*r)[i].is_number_integer() && (*r)[i].get<int>() != 0;
    } else {
      Result<int> p = int_field(j, "no_rope_layer_interval", 1, kMaxLayers, 4);
      if (!p) return p.error();
      for (int i = 0; i < layers; ++i) local[size_t(i)] = (i + 1) % *p != 0;
    }
  } else if (type == "gemma2") {
    for (int i = 0; i < layers; ++i) local[size_t(i)] = i % 2 == 0;
  }
  a.window = window;
  set_pattern(local, a);
  return true;
}

// ============================================================================================
// [SECTION] quantisation_config
// ============================================================================================

// The checkpoint's weight format, when its config says (fp8 with or without blocks, mxfp4, awq,
// gptq, bitsandbytes, NVFP4 from compressed-tensors or ModelOpt).
void read_quantization(const json& j, ModelConfig& c) {
  auto q = j.find("quantization_config");
  if (q == j.end() || !q->is_object()) return;
  std::string method = string_field(*q, "quant_method");
  for (auto& ch : method) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  const int bits = q->contains("bits") && (*q)["bits"].is_number_integer() ? (*q)["bits"].get<int>() : 4;
  if (q->contains("group_size") && (*q)["group_size"].is_number_integer()) {
    const int g = (*q)["group_size"].get<int>();
    if (g >= 16 && g <= 4096 && g % 16 == 0) c.group = g;
  }
  const std::string text = q->dump();
  auto has = [&](const char* s) { return text.find(s) != std::string::npos; };
  if (method == "fp8") c.weights = q->contains("weight_block_size") ? WeightFormat::fp8_block : WeightFormat::fp8;
  else if (method == "mxfp4") c.weights = WeightFormat::mxfp4;
  else if (method == "awq" && bits == 4) c.weights = WeightFormat::awq;
  else if (method == "gptq" && bits == 4) c.weights = WeightFormat::gptq;
  else if (method == "bitsandbytes") {
    if (has("\"load_in_8bit\":true")) c.weights = WeightFormat::int8;
    else c.weights = has("\"bnb_4bit_use_double_quant\":true") ? WeightFormat::nf4_dq : WeightFormat::nf4;
  } else if (method == "compressed-tensors" || method == "modelopt") {
    if (has("nvfp4") || has("NVFP4")) c.weights = WeightFormat::nvfp4;
    else if (has("float-quantized") || has("FP8") || has("\"type\":\"float\"")) c.weights = WeightFormat::fp8;
  }
}

// Older families name the same fields differently (GPT-2: n_embd, n_layer, n_head, n_inner;
// BLOOM: n_layer, n_head; OPT: ffn_dim; Falcon: num_kv_heads / multi_query; T5-style d_model):
// the object with the Llama-style names added where they are absent.
json canonical_names(const json& j) {
  if (!j.is_object()) return j;
  json c = j;
  struct Alias {
    const char* name;
    const char* aliases[3];
  };
  static const Alias kAliases[] = {
      {"num_hidden_layers", {"n_layer", "num_layers", "n_layers"}},
      {"hidden_size", {"n_embd", "n_embed", "d_model"}},
      {"num_attention_heads", {"n_head", "num_heads", "n_heads"}},
      {"intermediate_size", {"n_inner", "ffn_dim", "ffn_hidden_size"}},
      {"num_key_value_heads", {"num_kv_heads", "n_head_kv", nullptr}},
  };
  for (const Alias& x : kAliases) {
    if (present(c, x.name)) continue;
    for (const char* a : x.aliases)
      if (a && present(c, a)) {
        c[x.name] = c[a];
        break;
      }
  }
  if (!present(c, "num_key_value_heads") && c.contains("multi_query") && c["multi_query"] == true) c["num_key_value_heads"] = 1;
  return c;
}

bool has_model_fields(const json& j) {
  return j.is_object() && present(j, "hidden_size") && present(j, "num_hidden_layers");
}
}  // namespace

bool looks_like_model_config(std::string_view text) {
  if (text.size() > kMaxModelConfigBytes) return false;
  const json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (!j.is_object() || j.contains("schema")) return false;  // "schema": a GPU profile
  if (has_model_fields(canonical_names(j))) return true;
  for (const char* nested : {"text_config", "llm_config", "language_config"})
    if (auto t = j.find(nested); t != j.end() && has_model_fields(canonical_names(*t))) return true;
  return false;
}

// ============================================================================================
// [SECTION] parse_model_config
// ============================================================================================

Result<ModelConfig> parse_model_config(std::string_view text) {
  if (text.size() > kMaxModelConfigBytes)
    return make_error(ErrorCode::too_large, "model config: the file is larger than 1 MiB");
  const json top = json::parse(text.begin(), text.end(), nullptr, false);
  if (top.is_discarded()) return make_error(ErrorCode::malformed, "model config: not valid JSON");
  if (!top.is_object()) return make_error(ErrorCode::malformed, "model config: the top level must be a JSON object");
  ModelConfig c;
  // Multimodal wrappers (Gemma 3, Llama 4, Mistral 3, InternVL, DeepSeek-VL) keep the language model
  // under text_config, llm_config or language_config; the name and quantisation stay at the top.
  json lm = canonical_names(top);
  if (!has_model_fields(lm))
    for (const char* nested : {"text_config", "llm_config", "language_config"})
      if (auto t = top.find(nested); t != top.end() && t->is_object()) {
        lm = canonical_names(*t);
        break;
      }
  const json& j = lm;
  std::string type = string_field(j, "model_type");
  if (type.empty()) type = string_field(top, "model_type");
  ArchOverrides& a = c.arch;
  Result<int> v = int_field(j, "num_hidden_layers", 1, kMaxLayers);
  if (!v) return v.error();
  a.layers = *v;
  if (!(v = int_field(j, "hidden_size", 1, kMaxHidden))) return v.error();
  a.hidden = *v;
  if (!(v = int_field(j, "num_attention_heads", 1, kMaxHeads))) return v.error();
  a.heads = *v;
  if (!(v = int_field(j, "num_key_value_heads", 1, kMaxHeads, a.heads))) return v.error();
  a.kv_heads = *v;
  if (a.heads % a.kv_heads != 0)
    return field_error(ErrorCode::inconsistent, "num_attention_heads is not a multiple of num_key_value_heads");
  // Multi-head latent attention (DeepSeek-V2/V3, Kimi K2): query/key heads of nope + rope.
  if (present(j, "kv_lora_rank")) {
    if (!(v = int_field(j, "kv_lora_rank", 1, kMaxHidden))) return v.error();
    a.kv_lora = *v;
    if (!(v = int_field(j, "qk_rope_head_dim", 1, kMaxHeads))) return v.error();
    a.rope_dim = *v;
    Result<int> nope = int_field(j, "qk_nope_head_dim", 1, kMaxHeads);
    if (!nope) return nope.error();
    if (*nope + a.rope_dim > kMaxHeads)
      return field_error(ErrorCode::bad_value, "qk_nope_head_dim + qk_rope_head_dim must be at most " + std::to_string(kMaxHeads));
    a.head_dim = *nope + a.rope_dim;
    if (!(v = int_field(j, "v_head_dim", 1, kMaxHeads, *nope))) return v.error();
    a.v_dim = *v;
    if (!(v = int_field(j, "q_lora_rank", 1, kMaxHidden, 0))) return v.error();
    a.q_lora = *v;
  } else {
    if (!(v = int_field(j, "head_dim", 1, kMaxHeads, a.hidden % a.heads == 0 ? a.hidden / a.heads : 0))) return v.error();
    if (*v == 0)
      return field_error(ErrorCode::missing_value, "head_dim is missing and hidden_size is not a multiple of num_attention_heads");
    if (*v > kMaxHeads)  // the default, hidden_size / num_attention_heads, had no range of its own
      return field_error(ErrorCode::bad_value, "head_dim (hidden_size / num_attention_heads = " + std::to_string(*v) +
                                                   ") must be at most " + std::to_string(kMaxHeads));
    a.head_dim = *v;
  }
  if (!(v = int_field(j, "vocab_size", 1, kMaxVocab))) return v.error();
  a.vocab = *v;
  // MLP widths: intermediate_size is the dense MLP's (Llama 4: intermediate_size_mlp, its
  // intermediate_size being the experts')
  if (!(v = int_field(j, "intermediate_size", 1, kMaxFfn, 4 * a.hidden))) return v.error();
  a.ffn = *v;
  int experts = 1;
  for (const char* key : {"num_local_experts", "num_experts", "n_routed_experts"}) {
    if (!present(j, key)) continue;
    if (!(v = int_field(j, key, 1, kMaxExperts))) return v.error();
    experts = *v;
    break;
  }
  a.experts = experts;
  const char* active_key = present(j, "num_experts_per_tok") ? "num_experts_per_tok" : "experts_per_token";
  if (!(v = int_field(j, active_key, 1, experts, experts > 1 ? std::min(2, experts) : 1))) return v.error();
  a.experts_active = *v;
  if (experts > 1) {
    if (type == "llama4" || type == "llama4_text") {
      a.expert_ffn = a.ffn;
      a.shared_ffn = a.ffn;  // one shared expert of the experts' width
      if (!(v = int_field(j, "intermediate_size_mlp", 1, kMaxFfn, a.ffn))) return v.error();
      a.ffn = *v;
      if (!(v = int_field(j, "interleave_moe_layer_step", 1, kMaxLayers, 1))) return v.error();
      if (*v > 1) a.moe_every = *v;
    } else if (present(j, "moe_intermediate_size")) {
      if (!(v = int_field(j, "moe_intermediate_size", 1, kMaxFfn))) return v.error();
      a.expert_ffn = *v;
    }
    if (!(v = int_field(j, "n_shared_experts", 0, kMaxExperts, 0))) return v.error();
    if (*v > 0) a.shared_experts = *v;
    if (!(v = int_field(j, "shared_expert_intermediate_size", 0, kMaxFfn, 0))) return v.error();
    if (*v > 0) a.shared_ffn = *v;
    if (!(v = int_field(j, "first_k_dense_replace", 0, kMaxLayers, 0))) return v.error();
    if (*v > 0) a.dense_layers = *v;
    for (const char* step : {"decoder_sparse_step", "moe_layer_freq"}) {
      if (!(v = int_field(j, step, 1, kMaxLayers, 1))) return v.error();
      if (*v > 1) a.moe_every = *v;
    }
    // An explicit list of the MoE layers (Llama 4's moe_layers): every n-th layer when it is one
    if (auto ml = j.find("moe_layers"); ml != j.end() && ml->is_array() && !ml->empty() && int(ml->size()) < a.layers) {
      const int count = int(ml->size());
      if (a.layers % count != 0)
        return field_error(ErrorCode::bad_value, "moe_layers lists " + std::to_string(count) + " of " + std::to_string(a.layers) +
                                                     " layers: only every n-th layer can be expressed");
      a.moe_every = a.layers / count;
    }
  }
  if (!(v = int_field(j, "num_nextn_predict_layers", 0, kMaxLayers, 0))) return v.error();
  if (*v > 0) a.mtp_layers = *v;
  Result<bool> w = read_windows(j, type, a.layers, a);
  if (!w) return w.error();
  // The config classes' default where the field is absent: Gemma ties its embeddings.
  // (and transformers' PretrainedConfig default, true, for the families whose configs omit it)
  const bool gemma = type.rfind("gemma", 0) == 0 || type == "gpt2" || type == "bloom" || type == "opt";
  Result<bool> tied = bool_field(j, "tie_word_embeddings", gemma);
  if (!tied) return tied.error();
  if (!present(j, "tie_word_embeddings") && present(top, "tie_word_embeddings")) tied = bool_field(top, "tie_word_embeddings", gemma);
  if (!tied) return tied.error();
  a.tied = *tied ? 1 : 0;
  bool plain = false;
  for (const char* f : {"gpt2", "gpt_neox", "gptj", "opt", "bloom", "falcon", "phi"}) plain = plain || type == f;
  a.gated = plain ? 0 : 1;
  read_quantization(top, c);
  if (!c.weights) read_quantization(j, c);
  c.name = string_field(top, "_name_or_path");
  if (c.name.empty()) c.name = string_field(j, "_name_or_path");
  if (c.name.empty()) c.name = type.empty() ? "model config" : type;
  return c;
}

std::optional<std::string> hub_model_id(std::string_view t) {
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '/')) t.remove_suffix(1);
  for (std::string_view prefix : {"https://huggingface.co/", "http://huggingface.co/", "huggingface.co/", "hf.co/"})
    if (t.substr(0, prefix.size()) == prefix) {
      t.remove_prefix(prefix.size());
      break;
    }
  // owner/name, optionally followed by the page's own path (/tree/main, /blob/main/config.json)
  const size_t slash = t.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const size_t end = t.find('/', slash + 1);
  const std::string_view id = t.substr(0, end);
  if (id.size() > 96) return std::nullopt;
  auto ok = [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
  };
  const std::string_view owner = id.substr(0, slash), name = id.substr(slash + 1);
  if (owner.empty() || name.empty() || owner.front() == '.' || name.front() == '.') return std::nullopt;
  for (char ch : owner)
    if (!ok(ch)) return std::nullopt;
  for (char ch : name)
    if (!ok(ch)) return std::nullopt;
  return std::string(id);
}

std::string hub_config_url(const std::string& id) { return "https://huggingface.co/" + id + "/resolve/main/config.json"; }

std::string hub_fetch_error(const std::string& id, int status) {
  if (status == 0)
    return "could not reach huggingface.co (offline or blocked): download " + id + "'s config.json and drop it here";
  if (status == 401 || status == 403)
    return id + " is gated or private: accept its licence on huggingface.co, download config.json and drop it here";
  if (status == 404) return id + " was not found on huggingface.co (a model id looks like Qwen/Qwen3-30B-A3B)";
  return "huggingface.co answered " + std::to_string(status) + " for " + id + "'s config.json";
}

void apply_model_config(Scenario& s, const ModelConfig& c) {
  s.model = "custom";
  s.arch = c.arch;
  s.name = printable_only(c.name, kMaxNameBytes);  // what the link's name key takes
  s.dtype = c.weights;  // the checkpoint's format (none: 16-bit), not one chosen for the previous model
  if (c.weights) s.group = c.group;
}

}  // namespace llmcalc
