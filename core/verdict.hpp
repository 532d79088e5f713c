// core/verdict.hpp — the memory verdict in words (fits / tight / does not fit) and, when it does
// not fit or is tight, the smallest single changes that make it fit: each a whole scenario that
// the page applies with one click and the CLI prints (text and JSON).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "estimate.hpp"

namespace llmcalc {

// Above this share of the memory a scenario may use (Estimate::room_bytes), it is "tight":
// fragmentation, a longer request or a framework's extra buffers can tip it over.
inline constexpr double kTightShare = 0.90;

enum class Verdict { fits, tight, over };
std::string_view verdict_key(Verdict v);  // "fits", "tight", "does not fit"

// memory.total ÷ room_bytes (> 1: does not fit).
double memory_share(const Estimate& e);
Verdict verdict_of(const Estimate& e);

// The verdict as a sentence: "Fits: 19.6 GiB of 71.7 GiB usable by vLLM per GPU (27%), 52.1 GiB
// free", "Tight: … only 3.1 GiB free", "Does not fit: … 12.3 GiB over", with the replication note.
std::string verdict_text(const Scenario& s, const Estimate& e);

// Why a multi-GPU inference layout holds a whole model per GPU ("each of the 2 GPUs holds the
// whole model (2 data-parallel replicas); tensor parallel 2 would split it"); empty otherwise.
std::string replication_note(const Scenario& s, const Estimate& e);

struct Fix {
  std::string change;   // what changes, in words: "tensor parallel 4 (4 GPUs)", "fp8 KV cache"
  Scenario scenario;    // the scenario with that change
  double share = 0;     // memory it then uses, of what may be used (≤ the target)
};

// At most `max` single changes, those that keep the most of the scenario first: a cheaper KV
// cache or weights, fewer users or shorter prompts (the most that fit), recomputation, ZeRO-3,
// a smaller micro-batch, 8-bit optimizer states, more tensor parallelism, more data-parallel GPUs
// to shard over, a larger GPU. Each candidate is estimated (memory only), so every fix listed
// gets under `target` (a share of the usable memory: 1 to fit, kTightShare to be no longer
// tight). Empty when the scenario does not resolve or already is under the target.
std::vector<Fix> fixes(const Scenario& s, double target = 1.0, size_t max = 6);
// The fixes the verdict calls for: none when it fits, else those under 1 (does not fit) or under
// kTightShare (tight).
std::vector<Fix> fixes_for(const Scenario& s, const Estimate& e);

}  // namespace llmcalc
