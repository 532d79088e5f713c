// core/validation.hpp — the validation suite: published measurements of real engines
// (tests/validation/*.jsonl, format in its README), each run through the core, with per-record
// and aggregate error. The CLI (`llmcalc validate`), scripts/fit and the page's validation view
// all use this one implementation.
//
// Error of a record: for times and rates, predicted time ÷ measured time − 1 (a rate's time is
// its inverse), so a negative error always means "predicted faster than measured"; for memory
// figures, predicted ÷ measured − 1.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "engines.hpp"
#include "error.hpp"

namespace llmcalc {

struct Record {
  std::string id, source, url, where, scenario, quantity, unit, includes, conditions;
  double measured = 0;  // as published, in `unit`
};

struct Outcome {
  double measured = 0, predicted = 0;  // in the quantity's base unit (s, tokens/s, tokens, requests, bytes)
  double error = 0;                    // see above
  bool time = true;                    // a time quantity (else memory)
  std::string note;                    // e.g. "batch capped at the engine's max concurrency 96"
  std::string problem;                 // non-empty: the record could not be evaluated
};

// Reads JSON Lines records; an error names the line and the field.
Result<std::vector<Record>> parse_records(std::string_view jsonl, std::string_view file_name);
Outcome evaluate(const Record& r, const FitParams& fit = kFitted);

struct Aggregate {
  std::string group;  // a quantity, or "time" / "memory" (all of that kind)
  int n = 0;
  double median_abs = 0, p90_abs = 0, signed_median = 0;
};
// By quantity, then "time" and "memory" over all of their records (records with problems left out).
std::vector<Aggregate> aggregate(const std::vector<Record>& records, const std::vector<Outcome>& outcomes);

// The whole report as JSON: records with their outcomes, and the aggregates.
std::string validation_json(const std::vector<Record>& records, const std::vector<Outcome>& outcomes, int indent = -1);

}  // namespace llmcalc
