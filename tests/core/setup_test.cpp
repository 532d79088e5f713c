// tests/core/setup_test.cpp — the model's layout on the GPUs.
#include <catch2/catch.hpp>

#include "core/setup.hpp"

using namespace llmcalc;

namespace {
Setup<double> setup(const Scenario& s, const Resolved& r, const Rates& rates) { return make_setup<double>(s, r, rates); }
}  // namespace

TEST_CASE("parameters per GPU: the heaviest pipeline stage, divided by tensor parallelism") {
  const Scenario one = decode_scenario("model=llama-2-70b")->scenario;
  const Scenario pp3 = decode_scenario("model=llama-2-70b&gpus=6&tp=2&pp=3")->scenario;
  const Resolved r = resolve(one).value();
  const Rates rates{};
  const Setup<double> a = setup(one, r, rates), b = setup(pp3, r, rates);
  CHECK(a.layers_per_gpu == 80);
  CHECK(a.params_per_gpu == Approx(r.params.total));
  CHECK(b.layers_per_gpu == 27);  // ⌈80 ÷ 3⌉
  // 27 blocks + the larger edge (head + final norm outweighs the embedding by the norm), ÷ 2
  CHECK(b.params_per_gpu == Approx((27 * r.params.dense.total + r.params.lm_head + 8192) / 2));
  CHECK(b.dp == 1);
}

TEST_CASE("elementwise kernels: an MoE block's activation covers the active experts' width, not the dense MLP's") {
  // DeepSeek-V3: 3 dense blocks (ffn 18432), 58 MoE blocks (8 × 2048 + 1 shared × 2048), gated (3 tensors)
  const Scenario s = decode_scenario("model=deepseek-v3")->scenario;
  const Resolved r = resolve(s).value();
  const Rates rates{};
  const Setup<double> x = setup(s, r, rates);
  const double h = 7168, attn = 2.0 * (128 + 128) * 192;
  const double mlp = 3.0 * (3 * 18432 + 58 * (8 * 2048 + 2048));  // 3 tensors × Σ widths
  CHECK(elementwise_elements(x, false) == Approx(61 * (10 * h + attn) + mlp));
  // Llama 2 70B, tp 2: every head and MLP column split
  const Scenario l = decode_scenario("model=llama-2-70b&gpus=2&tp=2")->scenario;
  const Resolved rl = resolve(l).value();
  const Setup<double> y = setup(l, rl, rates);
  CHECK(elementwise_elements(y, false) == Approx(80 * (10 * 8192.0 + 2.0 * (64 + 8) * 128 / 2 + 3.0 * 28672 / 2)));
}
