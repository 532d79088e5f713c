// tests/core/work_test.cpp — a block's GEMMs and MoE expert arithmetic.
#include <catch2/catch.hpp>

#include <string>

#include "core/work.hpp"

using namespace llmcalc;

namespace {
const ModelSpec& spec(const char* id) { return find_model_preset(id)->spec; }
}  // namespace

TEST_CASE("a dense block's GEMMs do 2 FLOP per linear parameter per token") {
  const ModelSpec& m = spec("llama-3.1-8b");
  const Dims<double> d = model_dims<double>(m);
  Gemm<double> g[kMaxBlockGemms];
  const int n = block_gemms(m, d, false, 512.0, 1.0, g);
  REQUIRE(n == 4);
  double flop = 0;
  for (int i = 0; i < n; ++i) flop += g[i].flop();
  CHECK(flop == Approx(2.0 * count_params(m).dense.linear * 512));
  // tensor parallelism splits every GEMM's output or input dimension
  Gemm<double> g4[kMaxBlockGemms];
  block_gemms(m, d, false, 512.0, 4.0, g4);
  for (int i = 0; i < n; ++i) CHECK(g4[i].flop() == Approx(g[i].flop() / 4));
}

TEST_CASE("MoE: routed tokens spread over the experts, plus the router") {
  const ModelSpec& m = spec("mixtral-8x7b");  // 8 experts, 2 active
  const Dims<double> d = model_dims<double>(m);
  Gemm<double> g[kMaxBlockGemms];
  REQUIRE(block_gemms(m, d, true, 64.0, 1.0, g) == 5);
  CHECK(g[2].m == 64.0 * 2 / 8);  // rows per expert
  CHECK(g[2].count == 8);         // every expert used
  CHECK(std::string(g[4].name) == "router");
  block_gemms(m, d, true, 1.0, 1.0, g);  // one token: 2 experts, one row each
  CHECK(g[2].m == 1);
  CHECK(g[2].count == 2);
}

TEST_CASE("experts touched: Ea for one token, all E for many, 1 for a dense model") {
  const ModelSpec& moe = spec("mixtral-8x7b");
  CHECK(experts_touched(moe, 1.0) == Approx(2));
  CHECK(experts_touched(moe, 4096.0) == Approx(8));
  CHECK(experts_touched(moe, 2.0) == Approx(8 * (1 - 0.75 * 0.75)));
  CHECK(experts_touched(spec("llama-7b"), 100.0) == 1);
  CHECK(pow_whole(0.75, 3) == 0.75 * 0.75 * 0.75);
}
