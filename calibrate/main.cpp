// calibrate/main.cpp — `llmcalc-calibrate`: measures one NVIDIA GPU and writes a GPU profile.
//
//   llmcalc-calibrate [--quick] [--out FILE] [--device N] [--time-limit SECONDS]
//
// Exit status: 0 written; 2 usage; 3 no CUDA device; 4 took too long; 5 device busy or
// unavailable; 6 not enough GPU memory; 1 any other CUDA/cuBLAS failure (message names the call).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include "check.hpp"
#include "measure.hpp"

using namespace calib;

namespace {
const char* kUsageText =
    "usage: llmcalc-calibrate [--quick] [--out FILE] [--device N] [--time-limit SECONDS]\n"
    "Measures launch latency, memory bandwidth, host copies and cuBLASLt GEMM throughput per data\n"
    "type on one CUDA GPU and writes an llmcalc GPU profile (JSON) for the page and the CLI.\n"
    "  --quick          a smaller grid (about 20 s on an H100); default: the full grid (about 60 s)\n"
    "  --out FILE       where to write the profile (default: gpu-profile.json)\n"
    "  --device N       which CUDA device (default 0)\n"
    "  --time-limit S   budget for the GEMM phase in seconds (default 12 quick, 45 full)\n";

std::atomic<bool> g_done{false};

// A watchdog: a GPU that stops answering must not hang the program forever.
void watchdog(double limit_s) {
  const auto start = std::chrono::steady_clock::now();
  while (!g_done.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > limit_s) {
      std::fprintf(stderr, "\nllmcalc-calibrate: gave up after %.0f s: the GPU stopped making progress\n", limit_s);
      std::_Exit(kTimeout);
    }
  }
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
    else if (a == "--device") o.device = std::atoi(value("--device"));
    else if (a == "--time-limit") o.time_limit_s = std::atof(value("--time-limit"));
    else if (a == "-h" || a == "--help") { std::fputs(kUsageText, stdout); return 0; }
    else { std::fprintf(stderr, "llmcalc-calibrate: unknown argument '%s'\n%s", a.c_str(), kUsageText); return kUsage; }
  }
  if (o.time_limit_s <= 0) o.time_limit_s = o.quick ? 12 : 45;

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

  std::thread dog(watchdog, o.time_limit_s * 3 + 120);
  dog.detach();
  const auto t0 = Clock::now();
  llmcalc::Profile p;
  p.tool = "llmcalc-calibrate";
  p.tool_version = LLMCALC_VERSION;
  p.run_mode = o.quick ? "quick" : "full";
  try {
    const DeviceInfo dev = describe_device(o, p);
    std::fprintf(stderr, "llmcalc-calibrate: %s (compute %s, %d SMs), %s run\n", p.device.name.c_str(),
                 p.device.compute_capability.c_str(), p.device.sm_count, p.run_mode.c_str());
    Progress bar(bandwidth_steps(o) + gemm_steps(o));
    measure_launch(o, p);
    measure_bandwidth(o, dev, p, bar);
    measure_host_copies(o, p);
    measure_gemm(o, dev, p, bar, Clock::now() + std::chrono::milliseconds(long(o.time_limit_s * 1000)));
    bar.finish();
    CUDA_CHECK(cudaDeviceSynchronize());
  } catch (const Failure& f) {
    g_done = true;
    std::fprintf(stderr, "\nllmcalc-calibrate: %s\n", f.what());
    cudaDeviceReset();
    return f.exit_code;
  }
  p.run_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  g_done = true;
  cudaDeviceReset();  // every allocation is already freed; this releases the context too
  std::ofstream f(out);
  f << llmcalc::write_profile(p) << "\n";
  if (!f) {
    std::fprintf(stderr, "llmcalc-calibrate: cannot write %s\n", out.c_str());
    return kFailure;
  }
  std::fprintf(stderr, "llmcalc-calibrate: wrote %s (%zu GEMM shapes, %.0f s)\n", out.c_str(), p.gemm.size(), p.run_seconds);
  return kOk;
}
