// core/time_train.hpp — time of one training step: forward, backward (and recomputation) GEMMs
// and attention, optimizer memory traffic, tensor/pipeline/data-parallel communication, the
// pipeline bubble; throughput and model FLOPs utilisation.
#pragma once
#include "memory_train.hpp"
#include "phase.hpp"
#include "setup.hpp"

namespace llmcalc {

template <class N>
struct TrainTime {
  PhaseOf<N> step;
  N step_s, tokens_per_s, mfu;  // mfu: the method's FLOPs without recomputation / (step time × peak), per GPU
  N global_batch, tokens_per_step;
  N train_s = 0.0, gpu_hours = 0.0;  // to train Scenario::train_tokens (0 when not asked)
  double bubble = 0;            // pipeline bubble fraction (pp − 1) / (accum · vp)
  double dp_comm_s = 0;         // data-parallel gradient/parameter traffic per step
};

template <class N>
TrainTime<N> train_time(const Setup<N>& x, const TrainMemory<N>& mem);

}  // namespace llmcalc
