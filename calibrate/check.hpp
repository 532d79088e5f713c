// calibrate/check.hpp — every CUDA and cuBLAS call is checked; a failure names the file, line and
// expression, carries an exit status, and says whether the device can still be trusted (a sticky
// error loses the context: nothing more is measured, the partial profile is written).
#pragma once
#include <cublasLt.h>
#include <cuda_runtime.h>

#include <string>

#include "run.hpp"

namespace calib {

struct Failure : StepError {
  Failure(int code, const std::string& what, bool fatal = false) : StepError(code, what, fatal) {}
};

// Errors after which the CUDA context is unusable (every later call fails the same way).
inline bool sticky(cudaError_t e) {
  switch (e) {
    case cudaErrorIllegalAddress: case cudaErrorLaunchFailure: case cudaErrorHardwareStackError:
    case cudaErrorIllegalInstruction: case cudaErrorMisalignedAddress: case cudaErrorInvalidAddressSpace:
    case cudaErrorInvalidPc: case cudaErrorECCUncorrectable: case cudaErrorAssert: case cudaErrorLaunchTimeout:
    case cudaErrorUnknown:
      return true;
    default:
      return false;
  }
}

inline void cuda_check(cudaError_t e, const char* expr, const char* file, int line) {
  if (e == cudaSuccess) return;
  int code = kFailure;
  if (e == cudaErrorMemoryAllocation) code = kOutOfMemory;
  if (e == cudaErrorDevicesUnavailable) code = kBusy;
  if (e == cudaErrorNoDevice || e == cudaErrorInsufficientDriver) code = kNoDevice;
  if (!sticky(e)) cudaGetLastError();  // clear a non-sticky error so the next step starts clean
  throw Failure(code, std::string(file) + ":" + std::to_string(line) + ": " + expr + " failed: " + cudaGetErrorName(e) + " (" +
                          cudaGetErrorString(e) + ")",
                sticky(e));
}

inline void cublas_check(cublasStatus_t s, const char* expr, const char* file, int line) {
  if (s == CUBLAS_STATUS_SUCCESS) return;
  throw Failure(s == CUBLAS_STATUS_ALLOC_FAILED ? kOutOfMemory : kFailure,
                std::string(file) + ":" + std::to_string(line) + ": " + expr + " failed: cuBLAS status " + std::to_string(int(s)) +
                    " (" + cublasLtGetStatusName(s) + ")");
}

}  // namespace calib

#define CUDA_CHECK(expr) ::calib::cuda_check((expr), #expr, __FILE__, __LINE__)
#define CUBLAS_CHECK(expr) ::calib::cublas_check((expr), #expr, __FILE__, __LINE__)
