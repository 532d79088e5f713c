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
// `llmcalc models` / `llmcalc gpus` tables.
std::string models_text();
std::string gpus_text();
// A JSON string literal (quotes included) for hand-assembled JSON at the WASM boundary.
std::string json_quote(std::string_view text);
// The same as JSON arrays (for the page's pickers and scripts).
std::string models_json();
std::string gpus_json();

}  // namespace llmcalc
