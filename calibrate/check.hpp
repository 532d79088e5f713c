// calibrate/check.hpp — every CUDA and cuBLAS call is checked; a failure names the file, line and
// expression, and carries an exit status for the CLI.
#pragma once
#include <cublasLt.h>
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace calib {

enum Exit { kOk = 0, kFailure = 1, kUsage = 2, kNoDevice = 3, kTimeout = 4, kBusy = 5, kOutOfMemory = 6 };

struct Failure : std::runtime_error {
  int exit_code;
  Failure(int code, const std::string& what) : std::runtime_error(what), exit_code(code) {}
};

inline void cuda_check(cudaError_t e, const char* expr, const char* file, int line) {
  if (e == cudaSuccess) return;
  int code = kFailure;
  if (e == cudaErrorMemoryAllocation) code = kOutOfMemory;
  if (e == cudaErrorDevicesUnavailable) code = kBusy;
  if (e == cudaErrorNoDevice || e == cudaErrorInsufficientDriver) code = kNoDevice;
  throw Failure(code, std::string(file) + ":" + std::to_string(line) + ": " + expr + " failed: " +
                          cudaGetErrorName(e) + " (" + cudaGetErrorString(e) + ")");
}

inline void cublas_check(cublasStatus_t s, const char* expr, const char* file, int line) {
  if (s == CUBLAS_STATUS_SUCCESS) return;
  throw Failure(s == CUBLAS_STATUS_ALLOC_FAILED ? kOutOfMemory : kFailure,
                std::string(file) + ":" + std::to_string(line) + ": " + expr + " failed: cuBLAS status " +
                    std::to_string(int(s)));
}

}  // namespace calib

#define CUDA_CHECK(expr) ::calib::cuda_check((expr), #expr, __FILE__, __LINE__)
#define CUBLAS_CHECK(expr) ::calib::cublas_check((expr), #expr, __FILE__, __LINE__)
