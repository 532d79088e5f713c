// core/comm.cpp — collectives (see comm.hpp).
#include "comm.hpp"

namespace llmcalc {

template <class N>
N latency() {
  return in<N>(kCollectiveLatencyS, "latency", Unit::seconds);
}

template <class N>
N allreduce_s(N bytes, N g, N link) {
  if (g <= 1) return N(0.0);
  return 2.0 * (g - 1.0) / g * bytes / link + latency<N>();
}

template <class N>
N allgather_s(N g, N values, N value_bytes, N link) {
  return (g - 1.0) / g * values * value_bytes / link + latency<N>();
}

template <class N>
N send_s(N bytes, N link) {
  return bytes / link + latency<N>();
}

template <class N>
N data_parallel_link(int gpus, N link) {
  if (gpus <= kGpusPerNode) return link;
  return min_of(link, in<N>(kInterNodeBytesPerS, "network/GPU", Unit::bytes_per_s));
}

template double allreduce_s(double, double, double);
template Traced allreduce_s(Traced, Traced, Traced);
template double allgather_s(double, double, double, double);
template Traced allgather_s(Traced, Traced, Traced, Traced);
template double send_s(double, double);
template Traced send_s(Traced, Traced);
template double data_parallel_link(int, double);
template Traced data_parallel_link(int, Traced);

}  // namespace llmcalc
