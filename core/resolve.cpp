// core/resolve.cpp — presets + overrides (see resolve.hpp).
#include "resolve.hpp"

#include "text.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace llmcalc {

namespace {
// The GPU preset, or a custom GPU, with the link's figures applied (GB, GB/s, dense TFLOP/s).
Result<bool> resolve_gpu(const Scenario& s, Resolved& r) {
  const GpuOverrides& o = s.gpu_spec;
  if (s.gpu == "custom") {
    const char* need[] = {"gpu_mem", "gpu_bw", "gpu_bf16"};
    const double have[] = {o.mem_gb, o.bw_gbs, o.bf16_tflops};
    for (int i = 0; i < 3; ++i)
      if (have[i] <= 0) return make_error(ErrorCode::missing_value, std::string(need[i]) + ": required with gpu=custom");
    r.gpu = GpuSpec{};
    r.gpu.interconnect_bytes_per_s = 64e9;  // PCIe Gen5 x16, unless gpu_link says otherwise
    r.gpu.peak.fp32 = o.bf16_tflops * 1e12 / 16;  // typical of tensor-core GPUs, unless gpu_fp32 says
    r.gpu_id = "custom";
    r.gpu_name = "Custom GPU";
  } else {
    const GpuPreset* g = find_gpu_preset(s.gpu);
    if (!g) {
      const std::string near = suggest_gpu_preset(s.gpu);
      return make_error(ErrorCode::unknown_preset, "gpu: unknown GPU '" + safe_text(s.gpu, 96) + "'" +
                                                       (near.empty() ? "" : "; did you mean " + near + "?") +
                                                       " ('llmcalc gpus' lists them)");
    }
    r.gpu = g->spec;
    r.gpu_id = g->id;
    r.gpu_name = g->name;
  }
  GpuSpec& g = r.gpu;
  if (o.mem_gb) g.memory_bytes = o.mem_gb * 1e9;
  if (o.bw_gbs) g.bandwidth_bytes_per_s = o.bw_gbs * 1e9;
  if (o.link_gbs) g.interconnect_bytes_per_s = o.link_gbs * 1e9;
  if (o.fp32_tflops) g.peak.fp32 = o.fp32_tflops * 1e12;
  if (o.bf16_tflops) g.peak.bf16 = g.peak.fp16 = o.bf16_tflops * 1e12;
  if (o.fp8_tflops) g.peak.fp8 = o.fp8_tflops * 1e12;
  if (o.int8_tflops) g.peak.int8 = o.int8_tflops * 1e12;
  if (o.fp4_tflops) g.peak.fp4 = o.fp4_tflops * 1e12;
  if (s.gpu == "custom") g.peak.tf32 = g.peak.bf16 / 2;
  return true;
}

// The integer architecture fields a link can set, and the model fields they set (0 = not given).
constexpr std::pair<int ArchOverrides::*, int ModelSpec::*> kInts[] = {
    {&ArchOverrides::layers, &ModelSpec::layers},         {&ArchOverrides::hidden, &ModelSpec::hidden},
    {&ArchOverrides::heads, &ModelSpec::heads},           {&ArchOverrides::kv_heads, &ModelSpec::kv_heads},
    {&ArchOverrides::head_dim, &ModelSpec::head_dim},     {&ArchOverrides::ffn, &ModelSpec::ffn},
    {&ArchOverrides::vocab, &ModelSpec::vocab},           {&ArchOverrides::experts, &ModelSpec::experts},
    {&ArchOverrides::experts_active, &ModelSpec::experts_active},
    {&ArchOverrides::kv_lora, &ModelSpec::kv_lora_rank},  {&ArchOverrides::q_lora, &ModelSpec::q_lora_rank},
    {&ArchOverrides::rope_dim, &ModelSpec::rope_dim},     {&ArchOverrides::v_dim, &ModelSpec::v_head_dim},
    {&ArchOverrides::window, &ModelSpec::window},         {&ArchOverrides::period, &ModelSpec::local_period},
    {&ArchOverrides::local, &ModelSpec::local_per_period}, {&ArchOverrides::expert_ffn, &ModelSpec::expert_ffn},
    {&ArchOverrides::shared_experts, &ModelSpec::shared_experts},
    {&ArchOverrides::shared_ffn, &ModelSpec::shared_ffn}, {&ArchOverrides::dense_layers, &ModelSpec::dense_layers},
    {&ArchOverrides::moe_every, &ModelSpec::moe_every},   {&ArchOverrides::mtp_layers, &ModelSpec::mtp_layers},
};
}  // namespace

ArchOverrides arch_of(const ModelSpec& m) {
  const ModelSpec defaults;
  ArchOverrides o;
  for (const auto& [to, from] : kInts)
    if (m.*from != defaults.*from) o.*to = m.*from;
  o.gated = m.gated;
  o.tied = m.tied;
  return o;
}

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
    if (!s.name.empty()) {
      r.names = std::make_shared<const std::string>(s.name);
      r.model_name = *r.names;
    }
  } else {
    const ModelPreset* p = find_model_preset(s.model);
    if (!p)
    {
      const std::string near = suggest_model_preset(s.model);
      return make_error(ErrorCode::unknown_preset, "model: unknown model '" + safe_text(s.model, 96) + "'" +
                                                       (near.empty() ? "" : "; did you mean " + near + "?") +
                                                       " ('llmcalc models' lists them)");
    }
    r.model = p->spec;
    r.model_id = p->id;
    r.model_name = p->name;
  }
  ModelSpec& m = r.model;
  for (const auto& [from, to] : kInts)  // an override replaces the preset's field
    if (o.*from) m.*to = o.*from;
  if (o.gated >= 0) m.gated = o.gated != 0;
  if (o.tied >= 0) m.tied = o.tied != 0;
  if (o.kv_lora) m.attention = Attention::mla;
  if (m.window > 0 && m.local_period == 0) m.local_period = m.layers;  // a window on every layer
  if (m.window > 0 && m.local_per_period == 0) m.local_per_period = m.local_period;
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
  if (m.attention == Attention::mla && m.rope_dim >= m.dim_head())
    return make_error(ErrorCode::inconsistent, "rope_dim: " + std::to_string(m.rope_dim) +
                                                   " must be less than the query/key head_dim " + std::to_string(m.dim_head()));
  if (m.local_per_period > m.local_period)
    return make_error(ErrorCode::inconsistent, "local: " + std::to_string(m.local_per_period) +
                                                   " local layers do not fit in a period of " + std::to_string(m.local_period));
  if (m.head_dim <= 0 && m.hidden % m.heads != 0)
    return make_error(ErrorCode::inconsistent, "heads: hidden=" + std::to_string(m.hidden) +
                                                   " is not a multiple of heads=" + std::to_string(m.heads) +
                                                   " (give head_dim)");
  Result<bool> gpu = resolve_gpu(s, r);
  if (!gpu) return gpu.error();
  r.weights = s.weights();
  r.kv = s.kv_format();
  r.params = count_params(m);
  r.engine = engine_spec(s.engine);
  r.generation = gpu_generation(r.gpu_id);
  r.sustained = sustained_clock_share(r.gpu_id, r.gpu);
  if (!s.prof.empty()) {
    Result<Calibration> c = decode_calibration(s.prof);
    if (!c) return c.error();
    r.calibration = std::make_shared<const Calibration>(std::move(c).value());
    if (r.calibration->memory_bytes > 0 && gpu_matches(r.calibration->device, r.gpu_id)) {
      r.gpu.memory_bytes = r.calibration->memory_bytes;
      r.capacity_measured = true;
      r.context_bytes = r.calibration->context_bytes;
    }
  }
  return r;
}

}  // namespace llmcalc
