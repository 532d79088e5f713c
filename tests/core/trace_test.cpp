// tests/core/trace_test.cpp — traced arithmetic gives double arithmetic's values and records it.
#include <catch2/catch.hpp>

#include "core/explain.hpp"
#include "core/trace.hpp"

using namespace llmcalc;

namespace {
// One formula, written once, run as double and as Traced.
template <class N>
N sample(double a, double b) {
  const N x = in<N>(a, "apples", Unit::count);
  const N y = in<N>(b, "B/apple", Unit::number, "fp8");
  N sum = 0.0;  // a running sum that starts at a plain 0
  sum += x * y;
  const N named = let(sum / 3.0 - 1.0, "third less one", Unit::bytes);
  return fig(max_of(named, N(0.25)) * 1.0, "memory.sample", "sample", Unit::bytes, "test");
}
}  // namespace

TEST_CASE("traced numbers carry exactly the values of the double computation") {
  Trace t;
  Traced r;
  {
    TraceScope scope(t);
    r = sample<Traced>(7, 1.1);
  }
  CHECK(r.v == sample<double>(7, 1.1));
  CHECK(ceil_of(2.2) == 3.0);
}

TEST_CASE("the trace records inputs, operations and names, and nothing for a plain 0 or 1") {
  Trace t;
  {
    TraceScope scope(t);
    sample<Traced>(7, 1.1);
  }
  int inputs = 0, lets = 0, figures = 0, adds = 0;
  for (const TraceNode& n : t.nodes()) {
    inputs += n.op == Op::input;
    lets += n.op == Op::let;
    figures += n.op == Op::figure;
    adds += n.op == Op::add;
  }
  CHECK(inputs == 2);
  CHECK(lets == 1);
  CHECK(figures == 1);
  CHECK(adds == 0);  // 0 + x·y recorded as x·y
  const std::vector<Explanation> x = explanations(t);
  REQUIRE(x.size() == 1);
  CHECK(x[0].id == "memory.sample");
  CHECK(x[0].formula() == "max(1.567 B third less one, 0.25) = 1.567 B");  // × 1 left out
  REQUIRE(x[0].steps.size() == 2);
  CHECK(x[0].steps[1].text == "third less one = 7 apples \xC3\x97 1.1 B/apple (fp8) \xC3\xB7 3 \xE2\x88\x92 1 = 1.567 B");
}

TEST_CASE("the renderer brackets by precedence and keeps operand order") {
  Trace t;
  {
    TraceScope scope(t);
    const Traced a = in<Traced>(8, "a", Unit::count), b = in<Traced>(2, "b", Unit::count), c = in<Traced>(3, "c", Unit::count);
    fig(a / (b * c) - (a - b) + ceil_of(a / c), "time.x", "x", Unit::number, "test");
  }
  const std::vector<Explanation> x = explanations(t);
  REQUIRE(x.size() == 1);
  CHECK(x[0].formula() == "8 a \xC3\xB7 (2 b \xC3\x97 3 c) \xE2\x88\x92 (8 a \xE2\x88\x92 2 b) + \xE2\x8C\x88" "8 a \xC3\xB7 3 c\xE2\x8C\x89 = -1.667");
  // postfix: a b c × ÷ a b − − a c ÷ ceil +
  std::string ops;
  for (const Term& term : x[0].steps[0].terms) ops += term.is_number() ? "n" : term.op == Op::ceil ? "^" : "o";
  CHECK(ops == "nnnoonnoonno^o");
}
