// core/report.hpp — an Estimate as the CLI's JSON (DESIGN.md §2) and as a human table. The
// page's JS hook returns the same JSON text, so native and WASM print identical numbers.
#pragma once
#include <string>

#include "estimate.hpp"

namespace llmcalc {

// One JSON object: scenario, model, gpu, memory (bytes per GPU), time (seconds), warnings.
// `decode_warnings` come first in "warnings" (unknown keys etc.).
std::string estimate_json(const Scenario& s, const Estimate& e,
                          const std::vector<std::string>& decode_warnings = {}, int indent = 2);
// The human-readable report (GB and GiB side by side).
std::string estimate_text(const Scenario& s, const Estimate& e,
                          const std::vector<std::string>& decode_warnings = {});
// The key figures as Markdown (a heading, the verdict, memory, serving or training, cost, the
// link): what the page's "Copy as Markdown" and `llmcalc estimate --markdown` give.
std::string estimate_markdown(const Scenario& s, const Estimate& e);
// Every number of the JSON as `figure,value` rows (bytes, seconds, tokens/s, USD; the JSON paths
// as names): `llmcalc estimate --csv` and the page's "Download CSV".
std::string estimate_csv(const Scenario& s, const Estimate& e);
// Two scenarios side by side (core/compare.hpp): JSON {a, b, rows[{id, label, a, b, change}]},
// and a text table.
std::string compare_json(const Scenario& a, const Estimate& ea, const Scenario& b, const Estimate& eb, int indent = 2);
std::string compare_text(const Scenario& a, const Estimate& ea, const Scenario& b, const Estimate& eb);
// `llmcalc models` / `llmcalc gpus` tables.
std::string models_text();
std::string gpus_text();
// A JSON string literal (quotes included) for hand-assembled JSON at the WASM boundary.
std::string json_quote(std::string_view text);
// The same as JSON arrays (for the page's pickers and scripts).
std::string models_json();
std::string gpus_json();

}  // namespace llmcalc
