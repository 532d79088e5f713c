// core/comm.cpp — collectives (see comm.hpp).
#include "comm.hpp"

#include <string>

#include "work.hpp"  // pow_whole

namespace llmcalc {

template <class N>
N allreduce_s(N bytes, N g, N link, N latency) {
  if (g <= 1) return N(0.0);
  return 2.0 * (g - 1.0) / g * bytes / link + latency;
}

template <class N>
N allgather_s(N g, N values, N value_bytes, N link, N latency) {
  return (g - 1.0) / g * values * value_bytes / link + latency;
}

template <class N>
N expert_alltoall_s(N bytes, int ep, int ea, N link, N latency) {
  if (ep <= 1) return N(0.0);
  const double remote = (ep - 1.0) * (1.0 - pow_whole(1.0 - 1.0 / ep, ea));
  return bytes * in_f<N>(remote, Unit::number, [&] {
           return "other GPUs a token's experts are on ((ep − 1)·(1 − (1 − 1/ep)^" + std::to_string(ea) + "))";
         }) / link + latency;
}

template <class N>
N send_s(N bytes, N link, N latency) {
  return bytes / link + latency;
}

template <class N>
N data_parallel_link(int gpus, N link) {
  if (gpus <= kGpusPerNode) return link;
  return min_of(link, in<N>(kInterNodeBytesPerS, "network/GPU", Unit::bytes_per_s));
}

double host_link_bytes_per_s(std::string_view id) {
  auto starts = [&](std::string_view p) { return id.substr(0, p.size()) == p; };
  if (starts("gh2") || starts("gb2")) return 450e9;
  if (starts("h1") || starts("h2") || starts("h8") || starts("b2") || starts("b3") || starts("rtx-50")) return 64e9;
  return 32e9;
}

template double allreduce_s(double, double, double, double);
template Traced allreduce_s(Traced, Traced, Traced, Traced);
template double allgather_s(double, double, double, double, double);
template Traced allgather_s(Traced, Traced, Traced, Traced, Traced);
template double expert_alltoall_s(double, int, int, double, double);
template Traced expert_alltoall_s(Traced, int, int, Traced, Traced);
template double send_s(double, double, double);
template Traced send_s(Traced, Traced, Traced);
template double data_parallel_link(int, double);
template Traced data_parallel_link(int, Traced);

}  // namespace llmcalc
