// core/text.hpp — the one place that makes untrusted text safe to show and to write as JSON.
// Every string that came from outside (a link's keys and values, a profile's or a config's
// fields) goes through safe_text before it reaches a message, a warning or a report.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmcalc {

// Whether the bytes are well-formed UTF-8 (no overlong forms, no surrogates, ≤ U+10FFFF).
bool valid_utf8(std::string_view text);
// Whether the text is valid UTF-8 with no control characters (C0, DEL, C1).
bool printable_utf8(std::string_view text);
// The text as valid UTF-8 without control characters: each invalid byte and each control
// character becomes U+FFFD; longer than max_bytes, it is cut at a character boundary and ends
// with "… (N bytes)" so a 100,000-character value is never echoed whole.
std::string safe_text(std::string_view text, size_t max_bytes = 120);
// The text's printable characters only (invalid bytes and control characters — C0, DEL, C1 —
// dropped), cut at a character boundary to at most max_bytes: what a link's free-text key takes.
std::string printable_only(std::string_view text, size_t max_bytes);

// Appends `text` with every byte outside the URL's unreserved set (A–Z a–z 0–9 - . _ ~)
// percent-encoded: a value that may hold '&', '=', '#' or spaces, safe inside a link.
void percent_encode(std::string_view text, std::string& out);

// Levenshtein distance (bytes), for "did you mean".
size_t edit_distance(std::string_view a, std::string_view b);
// Lower-case ASCII letters, drop what people vary in names ('-', '_', '.', ' ', '/'): "Llama-3.1-70B"
// and "llama3.170b" compare equal.
std::string loose_key(std::string_view text);
// "did you mean": of (key, id) candidates, the ids nearest to `key` by edit distance (at most
// max(2, |key|/4) edits), ties ordered by the longer common prefix; up to 3, joined with " or ".
std::string nearest_ids(std::string_view key, const std::vector<std::pair<std::string, std::string>>& candidates);

}  // namespace llmcalc
