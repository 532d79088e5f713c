// calibrate/measure.hpp — the measurements on one CUDA device, phase by phase. Each phase adds its
// results to the run's profile (run.hpp) as they come and records how it measured them
// (profile.methods); a step that fails is noted and skipped, the rest goes on.
#pragma once
#include <string>

#include "bench.hpp"

namespace calib {

// Number of CUDA devices (0 when there is none or no driver); never throws.
int device_count(std::string* why);
// Device identity, versions, the preset check, into the profile; throws Failure (busy, no device).
DeviceInfo describe_device(const Options& o, RunState& st);

// [measure_memory.cpp]
void measure_usable_memory(Bench& b, double others_bytes);
void measure_launch(Bench& b);
void measure_bandwidth(Bench& b);
void measure_host_copies(Bench& b);
void measure_p2p(Bench& b, int devices);
// [measure_gemm.cpp]
void measure_gemm(Bench& b, double budget_s);
void measure_flush_comparison(Bench& b);
void measure_sustained(Bench& b, double seconds);
void measure_grouped_gemm(Bench& b);
void measure_prefill_attention(Bench& b);
// [measure_llm.cpp]
void measure_decode_attention(Bench& b);
void measure_weight_only(Bench& b);
void measure_small_kernels(Bench& b);

}  // namespace calib
