// tests/core/explain_test.cpp — explanations are generated from the arithmetic: for every figure of
// every golden and generated scenario, each line's own terms evaluate to the number it states
// (exactly from the recorded values; within display precision from the text a user reads), the
// figure it states is the JSON value, and every JSON figure has an explanation.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/estimate.hpp"
#include "core/report.hpp"

using namespace llmcalc;

namespace {

struct Interval {
  double lo, hi;
};

Interval shown(const std::string& text, Unit unit) {
  double v = 0, half = 0;
  const bool ok = parse_term(text, unit, &v, &half);
  INFO("term text '" << text << "'");
  REQUIRE(ok);
  return {v - half, v + half};
}

Interval apply(Op op, Interval a, Interval b) {
  auto hull = [](std::initializer_list<double> xs) {
    return Interval{*std::min_element(xs.begin(), xs.end()), *std::max_element(xs.begin(), xs.end())};
  };
  switch (op) {
    case Op::add: return {a.lo + b.lo, a.hi + b.hi};
    case Op::sub: return {a.lo - b.hi, a.hi - b.lo};
    case Op::mul: return hull({a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi});
    case Op::div:
      REQUIRE((b.lo > 0 || b.hi < 0));  // a shown divisor that could be 0 explains nothing
      return hull({a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi});
    case Op::max: return {std::max(a.lo, b.lo), std::max(a.hi, b.hi)};
    case Op::min: return {std::min(a.lo, b.lo), std::min(a.hi, b.hi)};
    case Op::ceil: return {std::ceil(a.lo), std::ceil(a.hi)};
    case Op::floor: return {std::floor(a.lo), std::floor(a.hi)};
    default: FAIL("not an operator"); return a;
  }
}

double apply(Op op, double a, double b) {
  switch (op) {
    case Op::add: return a + b;
    case Op::sub: return a - b;
    case Op::mul: return a * b;
    case Op::div: return a / b;
    case Op::max: return a < b ? b : a;
    case Op::min: return b < a ? b : a;
    case Op::ceil: return std::ceil(a);
    case Op::floor: return std::floor(a);
    default: return NAN;
  }
}

// Evaluates a step's postfix terms: exactly, and as intervals from the numbers as shown.
void evaluate(const Step& st, double* exact, Interval* from_text) {
  std::vector<double> xs;
  std::vector<Interval> is;
  for (const Term& t : st.terms) {
    if (t.is_number()) {
      xs.push_back(t.value);
      is.push_back(shown(t.text, t.unit));
      CHECK(st.text.find(t.text) != std::string::npos);  // the number is in the line the user reads
      continue;
    }
    const bool unary = t.op == Op::ceil || t.op == Op::floor;
    REQUIRE(xs.size() >= (unary ? 1u : 2u));
    const double b = unary ? 0 : xs.back();
    const Interval bi = unary ? Interval{0, 0} : is.back();
    if (!unary) {
      xs.pop_back();
      is.pop_back();
    }
    xs.back() = apply(t.op, xs.back(), b);
    is.back() = apply(t.op, is.back(), bi);
  }
  REQUIRE(xs.size() == 1);
  *exact = xs[0];
  *from_text = is[0];
}

// The formula text as a user reads it, parsed back: the numbers are the step's number terms in
// order (matched by their displayed text), everything between them must be operators, brackets
// and max/min, read with the usual precedence. Evaluated over the numbers' display intervals.
class TextFormula {
 public:
  TextFormula(const std::string& text, const std::vector<Term>& terms) : s_(text) {
    for (const Term& t : terms)
      if (t.is_number()) nums_.push_back(&t);
  }
  Interval evaluate() {
    const Interval v = expr();
    skip();
    CHECK(p_ == s_.size());           // nothing left over
    CHECK(next_ == nums_.size());     // every number was used
    return v;
  }

 private:
  void skip() {
    while (p_ < s_.size() && s_[p_] == ' ') ++p_;
  }
  bool eat(const char* tok) {
    skip();
    const size_t n = std::strlen(tok);
    if (s_.compare(p_, n, tok) != 0) return false;
    p_ += n;
    return true;
  }
  Interval expr() {
    Interval v = term();
    while (true) {
      if (eat("+")) v = apply(Op::add, v, term());
      else if (eat("\xE2\x88\x92")) v = apply(Op::sub, v, term());
      else return v;
    }
  }
  Interval term() {
    Interval v = factor();
    while (true) {
      if (eat("\xC3\x97")) v = apply(Op::mul, v, factor());
      else if (eat("\xC3\xB7")) v = apply(Op::div, v, factor());
      else return v;
    }
  }
  Interval factor() {
    skip();
    for (const auto& [name, op] : {std::pair{"max(", Op::max}, std::pair{"min(", Op::min}}) {
      if (!eat(name)) continue;
      const Interval a = expr();
      REQUIRE(eat(","));
      const Interval b = expr();
      REQUIRE(eat(")"));
      return apply(op, a, b);
    }
    if (eat("(")) {
      const Interval v = expr();
      REQUIRE(eat(")"));
      return v;
    }
    if (eat("\xE2\x8C\x88")) {
      const Interval v = expr();
      REQUIRE(eat("\xE2\x8C\x89"));
      return apply(Op::ceil, v, v);
    }
    if (eat("\xE2\x8C\x8A")) {
      const Interval v = expr();
      REQUIRE(eat("\xE2\x8C\x8B"));
      return apply(Op::floor, v, v);
    }
    INFO("at '" << s_.substr(p_) << "'");
    REQUIRE(next_ < nums_.size());
    const Term& t = *nums_[next_++];
    REQUIRE(s_.compare(p_, t.display.size(), t.display) == 0);
    p_ += t.display.size();
    return shown(t.text, t.unit);
  }

  std::string s_;
  size_t p_ = 0, next_ = 0;
  std::vector<const Term*> nums_;
};

// JSON paths of every number under "memory" and "time" ("time.prefill.bytes", …).
void numeric_paths(const nlohmann::json& j, const std::string& prefix, std::vector<std::string>& out) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string path = prefix + "." + it.key();
    if (it->is_object()) numeric_paths(*it, path, out);
    else if (it->is_number()) out.push_back(path);
  }
}

double at_path(const nlohmann::json& j, const std::string& path) {
  const nlohmann::json* p = &j;
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    p = &(*p)[path.substr(start, dot == std::string::npos ? std::string::npos : dot - start)];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return p->get<double>();
}

int g_steps = 0, g_figures = 0;

void check_scenario(const std::string& text) {
  INFO("scenario: " << text);
  Result<DecodedScenario> d = decode_scenario(text);
  REQUIRE(d.ok());
  const Scenario& s = d->scenario;
  Result<Resolved> r = resolve(s);
  REQUIRE(r.ok());
  const Estimate plain = compute(s, r.value());
  Estimate traced = compute_explained(s, r.value());
  REQUIRE_FALSE(traced.explain.empty());
  const std::vector<Explanation> explain = std::move(traced.explain);
  traced.explain.clear();
  // tracing changes no number and no message
  const std::string json_text = estimate_json(s, plain, d->warnings);
  CHECK(estimate_json(s, traced, d->warnings) == json_text);
  const nlohmann::json j = nlohmann::json::parse(json_text);
  std::vector<std::string> paths;
  numeric_paths(j["memory"], "memory", paths);
  numeric_paths(j["time"], "time", paths);
  if (j.contains("serving")) numeric_paths(j["serving"], "serving", paths);
  numeric_paths(j["cost"], "cost", paths);
  std::set<std::string> ids;
  for (const Explanation& x : explain) {
    INFO("figure " << x.id << ": " << x.formula());
    CHECK(ids.insert(x.id).second);  // one explanation per figure
    CHECK_FALSE(x.source.empty());
    REQUIRE_FALSE(x.steps.empty());
    const double json_value = at_path(j, x.id);
    CHECK(x.steps[0].value == json_value);  // the figure it states is the JSON value …
    const Interval stated0 = shown(format_term(x.steps[0].value, x.steps[0].unit), x.steps[0].unit);
    CHECK(json_value >= stated0.lo);         // … as shown
    CHECK(json_value <= stated0.hi);
    for (const Step& st : x.steps) {
      INFO("line: " << st.text);
      const std::string stated_text = format_term(st.value, st.unit);
      CHECK(st.text.find(" = " + stated_text) != std::string::npos);
      double exact = 0;
      Interval from_text{};
      evaluate(st, &exact, &from_text);
      CHECK(exact == st.value);  // the recorded terms reproduce the number exactly
      const Interval stated = shown(stated_text, st.unit);
      const double slack = 1e-9 * std::max(std::fabs(stated.hi), std::fabs(from_text.hi));
      CHECK(from_text.lo <= stated.hi + slack);  // the terms as shown reproduce it as shown
      CHECK(from_text.hi >= stated.lo - slack);
      // … and so does the line itself, read back as text
      const size_t start = st.label.empty() ? 0 : st.label.size() + 3;
      const size_t end = st.text.rfind(" = " + stated_text);
      REQUIRE(end != std::string::npos);
      REQUIRE(end > start);
      const Interval read = TextFormula(st.text.substr(start, end - start), st.terms).evaluate();
      CHECK(read.lo <= stated.hi + slack);
      CHECK(read.hi >= stated.lo - slack);
      ++g_steps;
    }
    ++g_figures;
  }
  for (const std::string& p : paths) {
    INFO("JSON figure " << p);
    CHECK(ids.count(p) == 1);
  }
}

}  // namespace

TEST_CASE("explanations reproduce every figure of the golden and generated scenarios") {
  std::vector<std::string> scenarios;
  {
    std::ifstream in(std::string(LLMCALC_SOURCE_DIR) + "/tests/golden/seed.tsv");
    std::string line;
    while (std::getline(in, line))
      if (!line.empty() && line[0] != '#') scenarios.push_back(line.substr(0, line.find('\t')));
  }
  {
    std::ifstream in(std::string(LLMCALC_SOURCE_DIR) + "/tests/golden/behaviour.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      const auto rec = nlohmann::json::parse(line);
      if (rec.contains("json")) scenarios.push_back(rec["scenario"].get<std::string>());
    }
  }
  REQUIRE(scenarios.size() >= 400);
  for (const std::string& s : scenarios) check_scenario(s);
  CHECK(g_figures >= 400 * 15);
  WARN(scenarios.size() << " scenarios, " << g_figures << " figures, " << g_steps << " formula lines checked");
}

TEST_CASE("fp8 weights: the formula shows the 16-bit embeddings and head it adds") {
  const Estimate e = estimate(decode_scenario("model=llama-3.1-8b&dtype=fp8")->scenario, Explain::yes).value();
  const Explanation* x = find_explanation(e, "memory.weights");
  REQUIRE(x != nullptr);
  CHECK(x->formula() ==
        "32 layers \xC3\x97 (41.94 MB attention bytes/block + 176.2 MB MLP bytes/block) \xC3\xB7 1 tp + 32 layers \xC3\x97 "
        "8192 norm + bias params/block \xC3\x97 2 B (16-bit) \xC3\xB7 1 tp + (525.3 M embedding params \xC3\x97 2 B/param (bf16) "
        "+ 525.3 M head params \xC3\x97 2 B/param (bf16) + 4096 final-norm params \xC3\x97 2 B (16-bit)) \xC3\xB7 1 tp = 9.081 GB");
  REQUIRE(x->steps.size() >= 2);
  CHECK(x->steps[1].text == "attention bytes/block = 20.97 M Q/K params \xC3\x97 1 B/param (fp8) + 4.194 M V params \xC3\x97 "
                            "1 B/param (fp8) + 16.78 M O params \xC3\x97 1 B/param (fp8) = 41.94 MB");
}

TEST_CASE("int8 KV cache: the formula shows the scale bytes it multiplies by") {
  const Estimate e = estimate(decode_scenario("model=llama-3.1-8b&kv=int8")->scenario, Explain::yes).value();
  const Explanation* x = find_explanation(e, "memory.kv_cache");
  REQUIRE(x != nullptr);
  CHECK(x->formula() ==
        "2 \xC3\x97 32 layers \xC3\x97 8 KV heads \xC3\x97 128 head_dim \xC3\x97 1.016 B/element \xC3\x97 "
        "(1024 prompt tokens + 256 generated tokens) \xC3\x97 1 batch = 85.20 MB");
  REQUIRE(x->steps.size() == 2);
  CHECK(x->steps[1].text == "B/element = 1 B (int8) + 2 B fp16 scale \xC3\xB7 128 head_dim = 1.016  [one fp16 scale per head vector]");
}

TEST_CASE("a figure that renames another explains with its formula") {
  const Estimate e = estimate(decode_scenario("model=llama-7b")->scenario, Explain::yes).value();
  const Explanation* ttft = find_explanation(e, "time.ttft_s");
  const Explanation* pf = find_explanation(e, "time.prefill.time_s");
  REQUIRE(ttft != nullptr);
  REQUIRE(pf != nullptr);
  CHECK(ttft->formula() == pf->formula());
  CHECK(ttft->source != pf->source);
}
