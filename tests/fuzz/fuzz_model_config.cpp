// tests/fuzz/fuzz_model_config.cpp — the Hugging Face config.json reader: refused with a message
// naming the field, or a model whose link round-trips and whose estimate (when it resolves) is
// finite.
#include <cstddef>
#include <cstdint>

#include "check.hpp"
#include "core/estimate.hpp"
#include "core/model_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace llmcalc;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)looks_like_model_config(text);
  Result<ModelConfig> c = parse_model_config(text);
  if (!c) {
    fuzz::check_error(c.error());
    FUZZ_CHECK(c.error().message.rfind("model config: ", 0) == 0);
    return 0;
  }
  Scenario s;
  apply_model_config(s, c.value());
  const DecodedScenario back = decode_scenario_lenient(encode_scenario(s));
  FUZZ_CHECK(back.errors.empty());
  FUZZ_CHECK(back.scenario == s);
  Result<Estimate> e = estimate(s);
  if (!e) {
    fuzz::check_error(e.error());
    return 0;
  }
  fuzz::check_figure(e->r.params.total);
  fuzz::check_figure(e->memory.total);
  fuzz::check_figure(e->serving.tpot_s);
  return 0;
}
