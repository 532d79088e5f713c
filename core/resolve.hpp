// core/resolve.hpp — a scenario's model and GPU: presets, architecture overrides and the GPU
// profile from the link, checked for consistency. The first step of every estimate.
#pragma once
#include <memory>
#include <string_view>

#include "calibration.hpp"
#include "engines.hpp"
#include "error.hpp"
#include "gpu.hpp"
#include "model.hpp"
#include "scenario.hpp"

namespace llmcalc {

struct Resolved {
  ModelSpec model;
  ParamCounts params;
  GpuSpec gpu;
  std::string_view model_id, model_name, gpu_id, gpu_name;  // point into presets, literals or `names`
  WeightFormat weights = WeightFormat::bf16;  // in effect (the model's native one unless chosen)
  KvFormat kv = KvFormat::bf16;               // in effect
  EngineSpec engine;          // the serving engine's conventions (infer)
  FitParams fit = kFitted;    // timing=fitted parameters (scripts/fit overrides them when fitting)
  std::shared_ptr<const Calibration> calibration;  // from scenario.prof; null = default efficiencies
  // The profile's memory, when it was measured on this GPU (its device matches the preset): the
  // device memory replaces the preset's in gpu.memory_bytes, and the CUDA context + cuBLASLt
  // handle and workspace it measured replace the seed's assumed 1 GB (engine and framework none).
  // Looked up once per GPU (by id, in the preset tables), not once per estimate of a sweep:
  Generation generation = Generation::ampere;  // the fitted parameters' GPU generation (gpu_generation)
  double sustained = 1;  // the share of its boost clock it holds under tensor load (sustained_clock_share)
  bool capacity_measured = false;
  double context_bytes = 0;  // bytes; 0 = not measured
  std::shared_ptr<const std::string> names;   // storage for a custom model's name
};

// The architecture of a model as link keys: with model=custom it resolves to the same model (the
// page's "custom model" starts from the current one). Biases, sinks and extra norms have no keys.
ArchOverrides arch_of(const ModelSpec& m);

// Presets + overrides; errors name the key (unknown preset, inconsistent architecture, bad prof).
Result<Resolved> resolve(const Scenario& s);

}  // namespace llmcalc
