// core/parallel.hpp — the one rule for GPU counts and parallel degrees: gpus = tp · pp · cp · dp,
// so the GPU count is a whole multiple of tp·pp·cp (cp: context parallel, training). The link decoder reports a count that breaks it;
// the page's editors keep it by snapping. Both use these functions.
#pragma once
#include <string>

#include "scenario.hpp"

namespace llmcalc {

// Why `gpus` cannot be laid out as tp × pp × dp ("gpus: 3 GPUs cannot be split into tp·pp = 2
// groups"); empty when it can.
std::string gpu_split_problem(int gpus, int tp, int pp, int cp = 1);

// Edits that keep the rule. The GPU count moves to the nearest multiple of tp·pp in the direction
// the user moved it (never below one tp·pp group); changing tp or pp keeps the GPU count when it
// still splits, else rounds it up to the next multiple.
void edit_gpus(Scenario& s, int wanted);
void edit_tp(Scenario& s, int tp);
void edit_pp(Scenario& s, int pp);
void edit_cp(Scenario& s, int cp);

}  // namespace llmcalc
