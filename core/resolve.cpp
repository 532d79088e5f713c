// core/resolve.cpp — presets + overrides (see resolve.hpp).
#include "resolve.hpp"

#include <algorithm>
#include <string>

namespace llmcalc {

Result<Resolved> resolve(const Scenario& s) {
  Resolved r;
  const ArchOverrides& o = s.arch;
  if (s.model == "custom") {
    const char* need[] = {"layers", "hidden", "heads", "ffn", "vocab"};
    const int have[] = {o.layers, o.hidden, o.heads, o.ffn, o.vocab};
    for (int i = 0; i < 5; ++i)
      if (have[i] <= 0)
        return make_error(ErrorCode::missing_value,
                          std::string(need[i]) + ": required with model=custom");
    r.model = ModelSpec{};
    r.model_id = "custom";
    r.model_name = "Custom model";
  } else {
    const ModelPreset* p = find_model_preset(s.model);
    if (!p)
      return make_error(ErrorCode::unknown_preset,
                        "model: unknown model '" + s.model + "' ('llmcalc models' lists them)");
    r.model = p->spec;
    r.model_id = p->id;
    r.model_name = p->name;
  }
  ModelSpec& m = r.model;
  if (o.layers) m.layers = o.layers;
  if (o.hidden) m.hidden = o.hidden;
  if (o.heads) m.heads = o.heads;
  if (o.kv_heads) m.kv_heads = o.kv_heads;
  if (o.head_dim) m.head_dim = o.head_dim;
  if (o.ffn) m.ffn = o.ffn;
  if (o.vocab) m.vocab = o.vocab;
  if (o.experts) m.experts = o.experts;
  if (o.experts_active) m.experts_active = o.experts_active;
  if (o.gated >= 0) m.gated = o.gated != 0;
  if (o.tied >= 0) m.tied = o.tied != 0;
  if (m.kv_heads <= 0 || (s.model == "custom" && !o.kv_heads)) m.kv_heads = m.heads;
  if (m.experts < 1) m.experts = 1;
  if (m.experts == 1) m.experts_active = 1;
  if (m.experts_active < 1) m.experts_active = std::min(2, m.experts);
  if (m.heads % m.kv_heads != 0)
    return make_error(ErrorCode::inconsistent, "kv_heads: heads=" + std::to_string(m.heads) +
                                                   " is not a multiple of kv_heads=" + std::to_string(m.kv_heads));
  if (m.experts_active > m.experts)
    return make_error(ErrorCode::inconsistent, "experts_active: " + std::to_string(m.experts_active) +
                                                   " is more than experts=" + std::to_string(m.experts));
  if (m.head_dim <= 0 && m.hidden % m.heads != 0)
    return make_error(ErrorCode::inconsistent, "heads: hidden=" + std::to_string(m.hidden) +
                                                   " is not a multiple of heads=" + std::to_string(m.heads) +
                                                   " (give head_dim)");
  const GpuPreset* g = find_gpu_preset(s.gpu);
  if (!g)
    return make_error(ErrorCode::unknown_preset, "gpu: unknown GPU '" + s.gpu + "' ('llmcalc gpus' lists them)");
  r.gpu = g->spec;
  r.gpu_id = g->id;
  r.gpu_name = g->name;
  r.params = count_params(m);
  if (!s.prof.empty()) {
    Result<Calibration> c = decode_calibration(s.prof);
    if (!c) return c.error();
    r.calibration = std::make_shared<const Calibration>(std::move(c).value());
  }
  return r;
}

}  // namespace llmcalc
