// core/explain.hpp — explanations of an estimate's figures, generated from the trace of the
// arithmetic that produced them (core/trace.hpp): the terms shown are the terms computed, so a
// formula a user reads always reproduces its number.
//
//   memory.kv_cache: 2 × 32 layers × 8 KV heads × 128 head_dim × 1.016 B/element (int8) × 1280 tokens
//                    × 1 sequences = 85.2 MB
//   steps[1…]: each named term used, on its own line ("B/element = 1 + 2 ÷ 128 head_dim = 1.016")
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "trace.hpp"
#include "units.hpp"

namespace llmcalc {

// One element of a formula in postfix order: a number (constant, input or named result) or an
// operator applied to the one (ceil) or two numbers before it.
struct Term {
  Op op = Op::constant;
  double value = 0;   // exact
  Unit unit = Unit::number;
  std::string text;     // numbers: the number as shown (format_term)
  std::string display;  // numbers: the whole term as shown, number and label ("32 layers")
  bool is_number() const { return op == Op::constant || op == Op::input || op == Op::let || op == Op::figure; }
};

// One line: "<label> = <formula> = <value>".
struct Step {
  std::string label;        // "" for the figure's own line
  double value = 0;
  Unit unit = Unit::number;
  std::string text;         // the whole line as shown
  std::vector<Term> terms;  // the formula, postfix; evaluates to `value`
};

struct Explanation {
  std::string id;            // the figure's JSON path: "memory.weights", "time.prefill.compute_s"
  std::string label;         // "weights"
  std::string source;        // where the formula comes from
  std::vector<Step> steps;   // [0]: the figure; then each named term it uses (breadth first, once)
  const std::string& formula() const { return steps.front().text; }
};

// Every figure recorded in the trace, in the order they were computed.
std::vector<Explanation> explanations(const Trace& t);
const Explanation* find_explanation(const std::vector<Explanation>& all, std::string_view id);

}  // namespace llmcalc
