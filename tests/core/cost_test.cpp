// tests/core/cost_test.cpp — cost figures (core/cost.hpp): the arithmetic from throughput and
// price, the price's origin (default table or price=), and no cost without a price.
#include <catch2/catch.hpp>

#include "core/cost.hpp"
#include "tests/core/helpers.hpp"

using namespace llmcalc;
using llmcalc::test::est;

TEST_CASE("cost: serving at the default price is price × GPUs ÷ output tokens per hour") {
  const Estimate e = est("model=llama-3.1-70b&gpu=h100-sxm&gpus=2&tp=2&dtype=fp8&kv=fp8&batch=32&prompt=8192&gen=256");
  REQUIRE(e.cost.priced);
  const GpuPrice* p = default_price("h100-sxm");
  REQUIRE(p != nullptr);
  CHECK(e.cost.usd_per_gpu_hour == p->usd_per_hour);
  CHECK(e.cost.usd_per_hour == Approx(2 * p->usd_per_hour));
  CHECK(e.cost.usd_per_million_output_tokens == Approx(2 * p->usd_per_hour / (e.serving.output_tokens_per_s * 3600) * 1e6));
  CHECK(e.cost.usd_per_million_total_tokens == Approx(2 * p->usd_per_hour / (e.serving.total_tokens_per_s * 3600) * 1e6));
  CHECK(e.cost.usd_per_million_total_tokens < e.cost.usd_per_million_output_tokens);
  CHECK(e.cost.source.find(std::string(p->source)) != std::string::npos);
}

TEST_CASE("cost: price= replaces the default, training cost per token and per run") {
  const Estimate e = est("mode=train&model=llama-3.1-8b&gpu=h100-sxm&gpus=8&zero=3&price=2.5&train_tokens=1e10");
  REQUIRE(e.cost.priced);
  CHECK(e.cost.usd_per_gpu_hour == 2.5);
  CHECK(e.cost.usd_per_hour == Approx(20.0));
  CHECK(e.cost.usd_per_million_tokens == Approx(20.0 / (e.tokens_per_s * 3600) * 1e6));
  CHECK(e.cost.usd_to_train == Approx(e.gpu_hours * 2.5));
  CHECK(e.gpu_hours == Approx(1e10 / e.tokens_per_s / 3600 * 8).epsilon(1e-9));
}

TEST_CASE("cost: no default price, no cost, and it says why") {
  const Estimate e = est("model=llama-3.1-8b&gpu=rtx-3060&dtype=q4_k_m");
  CHECK_FALSE(e.cost.priced);
  CHECK(e.cost.usd_per_million_output_tokens == 0);
  CHECK_FALSE(e.cost.source.empty());
  // every preset price is a positive figure with a source and a date
  for (const GpuPrice& p : gpu_prices()) {
    INFO(p.gpu_id);
    CHECK(p.usd_per_hour > 0);
    CHECK_FALSE(p.source.empty());
    CHECK_FALSE(p.date.empty());
    CHECK(find_gpu_preset(p.gpu_id) != nullptr);
  }
}
