// core/trace.hpp — how a formula records the arithmetic it does, so its explanation is generated
// from the very operations that produced the number (DESIGN.md "One formula, one place").
//
// Every formula in core is a function template over its number type N:
//   - N = double: plain arithmetic. The helpers below (in, let, fig) are identities that inline
//     away, so estimates, sweeps and benchmarks pay nothing for tracing.
//   - N = Traced: the same code, run inside a TraceScope, also records each + − × ÷ max min ceil
//     it performs, and the names it gives to inputs and intermediate results, into a Trace.
//     core/explain.hpp turns that record into the text a user reads.
// A branch not taken records nothing, so an explanation shows exactly the terms that were used.
// Labels are plain C strings (literals, or strings the trace keeps): on the double path they are
// passed and ignored, never measured or copied.
//
//   template <class N> N kv_bytes(...) {
//     const N layers = in<N>(Lg, "layers", Unit::count);       // a labelled input
//     const N per_token = let(2.0 * layers * ..., "KV bytes/token", Unit::bytes);  // a named step
//     return fig(per_token * tokens, "memory.kv_cache", "KV cache", Unit::bytes, "Pope et al.");
//   }
#pragma once
#include <deque>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "units.hpp"

namespace llmcalc {

enum class Op : unsigned char { constant, input, let, figure, add, sub, mul, div, max, min, ceil, floor };

struct TraceNode {
  Op op = Op::constant;
  double v = 0;            // the value this operation produced
  int a = -1, b = -1;      // operands (node indices); let/figure: a = the named expression
  Unit unit = Unit::number;
  std::string_view label;  // input/let/figure: what the number is ("layers", "KV bytes/token")
  std::string_view tag;    // input/let: a qualifier shown in parentheses ("bf16", "datasheet")
  std::string_view id;     // figure: its JSON path ("memory.kv_cache")
  std::string_view source; // figure/let: where the formula comes from
};

// The record of one traced computation. Labels point at string literals or at strings the trace
// keeps itself (keep()).
class Trace {
 public:
  int add(const TraceNode& n) {
    nodes_.push_back(n);
    return int(nodes_.size()) - 1;
  }
  const char* keep(std::string s) { return strings_.emplace_back(std::move(s)).c_str(); }
  const std::vector<TraceNode>& nodes() const { return nodes_; }

 private:
  std::vector<TraceNode> nodes_;
  std::deque<std::string> strings_;  // stable addresses for dynamic labels
};

// The number type of a traced computation: a value and the node that produced it (-1: a plain
// constant, recorded when first used).
struct Traced {
  double v = 0;
  int node = -1;
  Traced() = default;
  Traced(double x) : v(x) {}  // NOLINT: constants mix freely with traced numbers
};

// Records into `t` while alive. Core is single-threaded per call; one scope at a time.
class TraceScope {
 public:
  explicit TraceScope(Trace& t);
  ~TraceScope();
  TraceScope(const TraceScope&) = delete;
  TraceScope& operator=(const TraceScope&) = delete;

 private:
  Trace* previous_;
};

// ---- arithmetic on traced numbers (values exactly as double arithmetic gives them) -------------
Traced operator+(Traced a, Traced b);
Traced operator-(Traced a, Traced b);
Traced operator*(Traced a, Traced b);
Traced operator/(Traced a, Traced b);
inline Traced& operator+=(Traced& a, Traced b) { return a = a + b; }
inline Traced& operator*=(Traced& a, Traced b) { return a = a * b; }
inline bool operator<(Traced a, Traced b) { return a.v < b.v; }
inline bool operator>(Traced a, Traced b) { return a.v > b.v; }
inline bool operator<=(Traced a, Traced b) { return a.v <= b.v; }
inline bool operator>=(Traced a, Traced b) { return a.v >= b.v; }
inline bool operator==(Traced a, Traced b) { return a.v == b.v; }
inline bool operator!=(Traced a, Traced b) { return a.v != b.v; }

// max/min/ceil for both number types (std::max's choice: b only when a < b).
inline double max_of(double a, double b) { return a < b ? b : a; }
inline double min_of(double a, double b) { return b < a ? b : a; }
double ceil_of(double a);
double floor_of(double a);
Traced max_of(Traced a, Traced b);
Traced min_of(Traced a, Traced b);
Traced ceil_of(Traced a);
Traced floor_of(Traced a);

inline double value_of(double x) { return x; }
inline double value_of(Traced x) { return x.v; }

// ---- naming (identities for double) -----------------------------------------------------------
// A label: a string literal, or a string the current trace keeps (keep_label); nullptr = none.
using Label = const char*;
Traced traced_input(double v, Label label, Unit u, Label tag);
Label keep_label(std::string s);  // a dynamic label kept by the current trace

// A labelled input of a formula: a preset's figure, a scenario value, a constant with a meaning.
template <class N>
N in(double v, Label label, Unit u, Label tag = nullptr) {
  if constexpr (std::is_same_v<N, double>) return v;
  else return traced_input(v, label, u, tag);
}
// Same, with a label built only when tracing (label() returns a std::string).
template <class N, class F>
N in_f(double v, Unit u, F&& label) {
  if constexpr (std::is_same_v<N, double>) return v;
  else return traced_input(v, keep_label(label()), u, nullptr);
}

// A named intermediate result: explanations show it as one term and explain it on its own line.
inline double let(double x, Label, Unit, Label = nullptr) { return x; }
Traced let(Traced x, Label label, Unit u, Label tag = nullptr);
// A figure of the estimate (a JSON value), with the source of its formula.
inline double fig(double x, Label, Label, Unit, Label) { return x; }
Traced fig(Traced x, Label id, Label label, Unit u, Label source);

}  // namespace llmcalc
