// calibrate/main.cpp — `llmcalc-calibrate`: measures one NVIDIA GPU and writes a GPU profile.
//
//   llmcalc-calibrate [--quick] [--out FILE] [--device N] [--time-limit SECONDS] [--sustained SECONDS]
//
// The profile measured so far is always written, with its status: "complete", or "partial" and
// why (a step failed, a budget ran out, the CUDA context was lost, the watchdog fired).
// Exit status: 0 written (complete or partial); 2 usage; 3 no CUDA device; 4 the watchdog fired
// (partial profile written); 5 device busy or unavailable; 6 not enough GPU memory at the start;
// 1 the device failed (partial profile written) or the file could not be written.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "check.hpp"
#include "measure.hpp"

using namespace calib;

namespace {
const char* kUsageText =
    "usage: llmcalc-calibrate [--quick] [--out FILE] [--device N] [--time-limit SECONDS] [--sustained SECONDS]\n"
    "Measures one CUDA GPU and writes an llmcalc GPU profile (JSON) for the page and the CLI: launch latency,\n"
    "memory bandwidth, usable memory, host and peer copies, cuBLASLt GEMMs per data type (serving types first),\n"
    "grouped MoE GEMMs, decode and prefill attention, llmcalc's weight-only (W4A16/W8A16) reference kernel and\n"
    "the small kernels between GEMMs, with NVML clocks per phase when NVML is there.\n"
    "  --quick          a smaller grid; default: the full grid\n"
    "  --out FILE       where to write the profile (default: gpu-profile.json)\n"
    "  --device N       which CUDA device (default 0)\n"
    "  --time-limit S   budget for the GEMM grid in seconds (default 30 quick, 150 full), shared per data type\n"
    "  --sustained S    seconds of one large GEMM back to back, burst vs sustained clocks (default 0 quick, 10 full)\n"
    "Collectives cannot be measured on one GPU: run nccl-tests on the node and add them with\n"
    "  llmcalc profile import-nccl gpu-profile.json all_reduce_perf.txt all_gather_perf.txt --out gpu-profile.json\n";

std::atomic<bool> g_done{false};

// The watchdog: a GPU that stops making progress must not hang the run, nor lose what it measured.
void watchdog(RunState* st, WatchdogRule rule, std::string out) {
  while (!g_done.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const double since = st->seconds_since_progress(), elapsed = st->elapsed();
    if (g_done.load() || !rule.fires(since, elapsed)) continue;
    const std::string why = rule.reason(since, elapsed, st->current());
    st->partial(why);
    std::string err;
    const bool wrote = st->write(out, &err);
    std::fprintf(stderr, "\nllmcalc-calibrate: %s; %s\n", why.c_str(), wrote ? ("partial profile written to " + out).c_str() : err.c_str());
    std::_Exit(kTimeout);
  }
}

double number(const char* text, const char* what) {
  char* end = nullptr;
  const double v = std::strtod(text, &end);
  if (end == text || *end != '\0' || !(v >= 0) || v > 1e6) {
    std::fprintf(stderr, "llmcalc-calibrate: %s: '%s' is not a number of seconds\n%s", what, text, kUsageText);
    std::exit(kUsage);
  }
  return v;
}
}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::string out = "gpu-profile.json";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const char* what) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "llmcalc-calibrate: %s needs a value\n%s", what, kUsageText);
        std::exit(kUsage);
      }
      return argv[++i];
    };
    if (a == "--quick") o.quick = true;
    else if (a == "--out") out = value("--out");
    else if (a == "--device") o.device = int(number(value("--device"), "--device"));
    else if (a == "--time-limit") o.time_limit_s = number(value("--time-limit"), "--time-limit");
    else if (a == "--sustained") o.sustained_s = number(value("--sustained"), "--sustained");
    else if (a == "-h" || a == "--help") { std::fputs(kUsageText, stdout); return 0; }
    else { std::fprintf(stderr, "llmcalc-calibrate: unknown argument '%s'\n%s", a.c_str(), kUsageText); return kUsage; }
  }
  if (o.time_limit_s <= 0) o.time_limit_s = o.quick ? 30 : 150;
  if (o.sustained_s < 0) o.sustained_s = o.quick ? 0 : 10;

  std::string why;
  const int devices = device_count(&why);
  if (devices == 0) {
    std::fprintf(stderr, "llmcalc-calibrate: no CUDA device found%s%s\n", why.empty() ? "" : " (", why.empty() ? "" : (why + ")").c_str());
    return kNoDevice;
  }
  if (o.device < 0 || o.device >= devices) {
    std::fprintf(stderr, "llmcalc-calibrate: --device %d: there are %d CUDA device(s)\n", o.device, devices);
    return kUsage;
  }

  llmcalc::Profile p;
  p.tool = "llmcalc-calibrate";
  p.tool_version = LLMCALC_VERSION;
  p.run_mode = o.quick ? "quick" : "full";
  p.status = "complete";
  RunState st(std::move(p));
  // other processes' memory before this one has a context (NVML sees the whole device)
  char bus[32] = {};
  std::unique_ptr<Nvml> nvml;
  double others = -1;
  if (cudaDeviceGetPCIBusId(bus, sizeof bus, o.device) == cudaSuccess) {
    std::string nvml_why;
    nvml = Nvml::open(bus, &nvml_why);
    double used = 0, total = 0;
    if (nvml && nvml->memory(used, total)) others = used;
    if (!nvml) st.note("NVML: " + nvml_why + ": no SM clock, power or temperature per phase");
  }
  cudaGetLastError();
  std::thread dog(watchdog, &st, WatchdogRule{180, o.time_limit_s * 2 + o.sustained_s + 900}, out);
  dog.detach();
  int code = kOk;
  try {
    const DeviceInfo dev = describe_device(o, st);
    const llmcalc::Profile now = st.snapshot();
    std::fprintf(stderr, "llmcalc-calibrate: %s (compute %s, %d SMs), %s run%s\n", now.device.name.c_str(),
                 now.device.compute_capability.c_str(), now.device.sm_count, now.run_mode.c_str(), nvml ? ", NVML clocks" : "");
    Bench b(o, dev, st, nvml.get());
    // each phase on its own: one that fails is noted, the others still run
    guarded(st, "usable memory", [&] { measure_usable_memory(b, others); });
    guarded(st, "launch latency", [&] { measure_launch(b); });
    guarded(st, "bandwidth", [&] { measure_bandwidth(b); });
    guarded(st, "host copies", [&] { measure_host_copies(b); });
    guarded(st, "peer-to-peer", [&] { measure_p2p(b, devices); });
    guarded(st, "GEMM grid", [&] { measure_gemm(b, o.time_limit_s); });
    guarded(st, "decode attention", [&] { measure_decode_attention(b); });
    guarded(st, "weight-only GEMMs", [&] { measure_weight_only(b); });
    guarded(st, "small kernels", [&] { measure_small_kernels(b); });
    guarded(st, "grouped GEMMs", [&] { measure_grouped_gemm(b); });
    guarded(st, "prefill attention", [&] { measure_prefill_attention(b); });
    guarded(st, "flush comparison", [&] { measure_flush_comparison(b); });
    guarded(st, "sustained GEMM", [&] { measure_sustained(b, o.sustained_s); });
    b.bar.finish();
    CUDA_CHECK(cudaDeviceSynchronize());
  } catch (const StepError& f) {  // fatal: the context is lost (or the device was never usable)
    std::fprintf(stderr, "\nllmcalc-calibrate: %s\n", f.what());
    st.partial(std::string("stopped: ") + f.what());
    code = f.exit_code == kOk ? kFailure : f.exit_code;
  }
  g_done = true;
  cudaDeviceReset();  // every allocation is already freed; this releases the context too
  const llmcalc::Profile done = st.snapshot();
  if (code != kOk && done.gemm.empty() && done.bandwidth.empty()) return code;  // nothing measured: nothing to write
  std::string err;
  if (!st.write(out, &err)) {
    std::fprintf(stderr, "llmcalc-calibrate: %s\n", err.c_str());
    return kFailure;
  }
  std::fprintf(stderr, "llmcalc-calibrate: wrote %s (%s%s%s; %zu GEMM shapes, %.0f s)\n", out.c_str(), done.status.c_str(),
               done.status_reason.empty() ? "" : ": ", done.status_reason.c_str(), done.gemm.size(), done.run_seconds);
  return code;
}
