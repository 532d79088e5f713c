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
  CHECK(b.params_per_gpu == Approx((27 * r.params.per_layer + r.params.lm_head + 8192) / 2));
  CHECK(b.dp == 1);
}
