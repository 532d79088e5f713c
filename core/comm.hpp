// core/comm.hpp — collectives between GPUs: ring all-reduce and all-gather, point-to-point
// sends, and which link data parallelism crosses.
#pragma once
#include <string_view>

#include "trace.hpp"

namespace llmcalc {

// Latency of one small all-reduce / point-to-point transfer between GPUs under timing=additive and
// roofline (an assumption of order NCCL's small-message latency on NVLink; not measured). Under
// timing=fitted the latency is a fitted parameter (engines.hpp) and every function takes it.
inline constexpr double kCollectiveLatencyS = 8e-6;
// GPUs per node and the per-GPU network bandwidth between nodes (one 400 Gb/s NIC per GPU, as in
// DGX H100); data parallelism beyond one node uses the slower of this and the GPU's interconnect.
inline constexpr int kGpusPerNode = 8;
inline constexpr double kInterNodeBytesPerS = 50e9;  // per direction

// Host link of a GPU, one direction, datasheet: NVLink-C2C on Grace machines (450 GB/s), PCIe
// Gen5 x16 on Hopper and Blackwell boards (64 GB/s), PCIe Gen4 x16 elsewhere (32 GB/s).
double host_link_bytes_per_s(std::string_view gpu_id);

// Ring all-reduce of `bytes` over g GPUs: 2(g−1)/g · bytes / link + latency (Patarasuk & Yuan
// 2009); 0 for one GPU.
template <class N>
N allreduce_s(N bytes, N g, N link_bytes_per_s, N latency);
// Ring all-gather of `values` × `value_bytes` over g GPUs: (g−1)/g · values · bytes / link + latency.
template <class N>
N allgather_s(N g, N values, N value_bytes, N link_bytes_per_s, N latency);
// Expert-parallel dispatch (or combine) of `bytes` of hidden states per GPU to the GPUs holding each
// token's experts: a token goes once to every other GPU that holds one of its Ea experts,
// (ep − 1)·(1 − (1 − 1/ep)^Ea) of them on average with experts spread evenly; / link + latency.
template <class N>
N expert_alltoall_s(N bytes, int ep, int experts_active, N link_bytes_per_s, N latency);
// One send of `bytes` to the next GPU: bytes / link + latency.
template <class N>
N send_s(N bytes, N link_bytes_per_s, N latency);
// The link data-parallel traffic crosses: the GPU's own interconnect within a node, the slower of
// it and the network beyond one node.
template <class N>
N data_parallel_link(int gpus, N interconnect_bytes_per_s);

}  // namespace llmcalc
