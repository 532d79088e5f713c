// core/explain.cpp — rendering a trace as formulas (see explain.hpp).
#include "explain.hpp"

#include <deque>

namespace llmcalc {

namespace {

bool is_named(Op op) { return op == Op::let || op == Op::figure; }
bool is_leaf(Op op) { return op == Op::constant || op == Op::input || is_named(op); }

int precedence(Op op) {
  switch (op) {
    case Op::add: case Op::sub: return 1;
    case Op::mul: case Op::div: return 2;
    default: return 3;
  }
}

const char* symbol(Op op) {
  switch (op) {
    case Op::add: return " + ";
    case Op::sub: return " \xE2\x88\x92 ";  // −
    case Op::mul: return " \xC3\x97 ";      // ×
    case Op::div: return " \xC3\xB7 ";      // ÷
    default: return "";
  }
}

// "32 layers", "1.016 B/element (int8)", "2".
std::string leaf_text(const TraceNode& n) {
  std::string s = format_term(n.v, n.unit);
  if (!n.label.empty()) s += " " + std::string(n.label);
  if (!n.tag.empty() && n.op == Op::input) s += " (" + std::string(n.tag) + ")";
  return s;
}

class Renderer {
 public:
  explicit Renderer(const std::vector<TraceNode>& nodes) : nodes_(nodes) {}

  // The formula of node `root` (its operands down to numbers), postfix terms alongside; named
  // nodes met on the way are queued in `named`.
  std::string formula(int root, std::vector<Term>& terms, std::vector<int>& named) {
    return render(root, 0, false, terms, named);
  }

 private:
  std::string render(int i, int parent_prec, bool right, std::vector<Term>& terms, std::vector<int>& named) {
    const TraceNode& n = nodes_[size_t(i)];
    if (is_leaf(n.op)) {
      if (is_named(n.op)) named.push_back(i);
      terms.push_back({n.op, n.v, n.unit, format_term(n.v, n.unit), leaf_text(n)});
      return terms.back().display;
    }
    // operands rendered one statement after the other: the terms must be in postfix order
    std::string s;
    if (n.op == Op::max || n.op == Op::min) {
      s = n.op == Op::max ? "max(" : "min(";
      s += render(n.a, 0, false, terms, named);
      s += ", ";
      s += render(n.b, 0, false, terms, named);
      s += ")";
    } else if (n.op == Op::ceil || n.op == Op::floor) {
      s = n.op == Op::ceil ? "\xE2\x8C\x88" : "\xE2\x8C\x8A";  // ⌈ ⌊
      s += render(n.a, 0, false, terms, named);
      s += n.op == Op::ceil ? "\xE2\x8C\x89" : "\xE2\x8C\x8B";  // ⌉ ⌋
    } else {
      const int p = precedence(n.op);
      const bool ordered = n.op == Op::sub || n.op == Op::div;
      s = render(n.a, p, false, terms, named);
      s += symbol(n.op);
      s += render(n.b, p, ordered, terms, named);
      if (p < parent_prec || (p == parent_prec && right)) s = "(" + s + ")";
    }
    terms.push_back({n.op, n.v, Unit::number, {}, {}});
    return s;
  }

  const std::vector<TraceNode>& nodes_;
};

}  // namespace

std::vector<Explanation> explanations(const Trace& t) {
  const std::vector<TraceNode>& nodes = t.nodes();
  Renderer r(nodes);
  std::vector<Explanation> out;
  for (size_t f = 0; f < nodes.size(); ++f) {
    const TraceNode& fn = nodes[f];
    if (fn.op != Op::figure) continue;
    Explanation x;
    x.id = fn.id;
    x.label = fn.label;
    x.source = fn.source;
    // A figure that only renames another named result explains with that result's formula.
    int body = fn.a;
    while (is_named(nodes[size_t(body)].op)) body = nodes[size_t(body)].a;
    std::vector<char> seen(nodes.size(), 0);
    seen[f] = 1;
    std::deque<int> queue;
    auto add_step = [&](std::string label, int node, int expr) {
      Step st;
      st.label = std::move(label);
      st.value = nodes[size_t(node)].v;
      st.unit = nodes[size_t(node)].unit;
      std::vector<int> named;
      const std::string f_text = r.formula(expr, st.terms, named);
      st.text = (st.label.empty() ? "" : st.label + " = ") + f_text + " = " + format_term(st.value, st.unit);
      if (!nodes[size_t(node)].tag.empty() && nodes[size_t(node)].op == Op::let)
        st.text += "  [" + std::string(nodes[size_t(node)].tag) + "]";
      x.steps.push_back(std::move(st));
      for (int n : named)  // figures have their own explanation; named steps are explained here
        if (nodes[size_t(n)].op == Op::let && !seen[size_t(n)]) {
          seen[size_t(n)] = 1;
          queue.push_back(n);
        }
    };
    add_step("", int(f), body);
    while (!queue.empty()) {
      const int n = queue.front();
      queue.pop_front();
      add_step(std::string(nodes[size_t(n)].label), n, nodes[size_t(n)].a);
    }
    out.push_back(std::move(x));
  }
  return out;
}

const Explanation* find_explanation(const std::vector<Explanation>& all, std::string_view id) {
  for (const Explanation& x : all)
    if (x.id == id) return &x;
  return nullptr;
}

}  // namespace llmcalc
