// core/trace.cpp — recording traced arithmetic (see trace.hpp).
#include "trace.hpp"

#include <cassert>
#include <cmath>

namespace llmcalc {

namespace {
Trace* g_trace = nullptr;  // the trace being recorded (TraceScope); core runs one call at a time

Trace& current() {
  assert(g_trace && "traced arithmetic outside a TraceScope");
  return *g_trace;
}

// The node of x, recording it as a constant on first use.
int node_of(Traced x) {
  if (x.node >= 0) return x.node;
  TraceNode n;
  n.op = Op::constant;
  n.v = x.v;
  return current().add(n);
}

bool is_plain(Traced x, double v) { return x.node < 0 && x.v == v; }

// Records n and returns its value as a traced number.
Traced push(const TraceNode& n) {
  Traced r(n.v);
  r.node = current().add(n);
  return r;
}

Traced binary(Op op, double v, Traced a, Traced b) {
  TraceNode n;
  n.op = op;
  n.v = v;
  n.a = node_of(a);
  n.b = node_of(b);
  return push(n);
}
}  // namespace

TraceScope::TraceScope(Trace& t) : previous_(g_trace) { g_trace = &t; }
TraceScope::~TraceScope() { g_trace = previous_; }

// Adding a plain 0 or multiplying by a plain 1 changes no value (x + 0 == x, x · 1 == x exactly),
// so it records nothing: running sums that start at 0 explain as just their terms.
Traced operator+(Traced a, Traced b) {
  if (is_plain(a, 0)) return b;
  if (is_plain(b, 0)) return a;
  return binary(Op::add, a.v + b.v, a, b);
}
Traced operator-(Traced a, Traced b) {
  if (is_plain(b, 0)) return a;
  return binary(Op::sub, a.v - b.v, a, b);
}
Traced operator*(Traced a, Traced b) {
  if (is_plain(a, 1)) return b;
  if (is_plain(b, 1)) return a;
  return binary(Op::mul, a.v * b.v, a, b);
}
Traced operator/(Traced a, Traced b) {
  if (is_plain(b, 1)) return a;
  return binary(Op::div, a.v / b.v, a, b);
}

double ceil_of(double a) { return std::ceil(a); }
double floor_of(double a) { return std::floor(a); }
Traced max_of(Traced a, Traced b) { return binary(Op::max, max_of(a.v, b.v), a, b); }
Traced min_of(Traced a, Traced b) { return binary(Op::min, min_of(a.v, b.v), a, b); }
namespace {
Traced unary(Op op, double v, Traced a) {
  TraceNode n;
  n.op = op;
  n.v = v;
  n.a = node_of(a);
  return push(n);
}
}  // namespace
Traced ceil_of(Traced a) { return unary(Op::ceil, std::ceil(a.v), a); }
Traced floor_of(Traced a) { return unary(Op::floor, std::floor(a.v), a); }

namespace {
std::string_view view(Label s) { return s ? std::string_view(s) : std::string_view(); }
}  // namespace

Traced traced_input(double v, Label label, Unit u, Label tag) {
  TraceNode n;
  n.op = Op::input;
  n.v = v;
  n.unit = u;
  n.label = view(label);
  n.tag = view(tag);
  return push(n);
}

Label keep_label(std::string s) { return current().keep(std::move(s)); }

namespace {
// A let or figure node naming x; `n` carries its label, unit and (figure) id and source.
Traced named(TraceNode n, Traced x) {
  n.v = x.v;
  n.a = node_of(x);
  return push(n);
}
}  // namespace

Traced let(Traced x, Label label, Unit u, Label tag) {
  TraceNode n;
  n.op = Op::let;
  n.unit = u;
  n.label = view(label);
  n.tag = view(tag);
  return named(n, x);
}

Traced fig(Traced x, Label id, Label label, Unit u, Label source) {
  TraceNode n;
  n.op = Op::figure;
  n.unit = u;
  n.label = view(label);
  n.id = view(id);
  n.source = view(source);
  return named(n, x);
}

}  // namespace llmcalc
