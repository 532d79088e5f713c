// core/scenario.cpp — the Scenario value: names of its choices and its derived defaults (the
// string codec: core/scenario_codec.cpp).
#include "scenario.hpp"

#include "model.hpp"

namespace llmcalc {

bool ArchOverrides::any() const { return *this != ArchOverrides{}; }
bool GpuOverrides::any() const { return *this != GpuOverrides{}; }

WeightFormat native_weights(std::string_view model) {
  if (const ModelPreset* p = find_model_preset(model)) return p->weights;
  return WeightFormat::bf16;
}

WeightFormat Scenario::weights() const { return dtype ? *dtype : native_weights(model); }

KvFormat Scenario::default_kv() const {
  switch (weights()) {
    case WeightFormat::fp32: return KvFormat::fp32;
    case WeightFormat::fp16: return KvFormat::fp16;
    default: return KvFormat::bf16;
  }
}

std::string_view mode_name(Mode m) { return m == Mode::infer ? "infer" : "train"; }
std::string_view precision_name(Precision p) {
  switch (p) {
    case Precision::mixed: return "mixed";
    case Precision::fp32: return "fp32";
    case Precision::bf16: return "bf16";
    case Precision::fp8: return "fp8";
  }
  return "?";
}
std::string_view optimizer_name(Optimizer o) {
  switch (o) {
    case Optimizer::adamw: return "adamw";
    case Optimizer::adamw8bit: return "adamw8bit";
    case Optimizer::sgd: return "sgd";
    case Optimizer::sgdm: return "sgdm";
    case Optimizer::adafactor: return "adafactor";
  }
  return "?";
}
std::string_view method_name(Method m) {
  switch (m) {
    case Method::full: return "full";
    case Method::lora: return "lora";
    case Method::qlora: return "qlora";
  }
  return "?";
}
std::string_view recompute_name(Recompute r) {
  switch (r) {
    case Recompute::automatic: return "auto";
    case Recompute::none: return "none";
    case Recompute::selective: return "selective";
    case Recompute::full: return "full";
  }
  return "?";
}
std::string_view timing_name(TimingModel t) {
  switch (t) {
    case TimingModel::additive: return "additive";
    case TimingModel::roofline: return "roofline";
    case TimingModel::fitted: return "fitted";
  }
  return "?";
}

}  // namespace llmcalc
