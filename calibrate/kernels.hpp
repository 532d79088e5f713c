// calibrate/kernels.hpp — host-callable launchers of the device kernels in kernels.cu. Each
// bandwidth kernel states the bytes it moves per run: read n, write n, copy 2n (read + write).
#pragma once
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

namespace calib {

enum class Elem { f32, f16, bf16, e4m3, i8, i32 };
size_t elem_bytes(Elem e);

// Streaming kernels over n4 float4 elements (16-byte vector loads/stores), grid-stride loops on
// `blocks` blocks of `threads` threads.
void launch_read(const void* src, size_t n4, float* sink, int blocks, int threads, cudaStream_t s);
void launch_write(void* dst, size_t n4, int blocks, int threads, cudaStream_t s);
void launch_copy(void* dst, const void* src, size_t n4, int blocks, int threads, cudaStream_t s);
void launch_empty(cudaStream_t s);

// Fills n elements with reproducible pseudo-random values (floats in [-1, 1), int8 in [-8, 8]).
void launch_fill_random(void* p, size_t n, Elem e, uint32_t seed, cudaStream_t s);

// Reference for sampled outputs of C (m×n, column-major, ldc = m) = Aᵀ·B with A k×m and B k×n
// column-major (the "TN" layout used for every GEMM): for each sample i, row rows[i], column
// cols[i]: ref[i] = Σ a·b in double, mag[i] = Σ |a·b|, got[i] = the value in C.
void launch_reference(const void* a, Elem ea, const void* b, Elem eb, const void* c, Elem ec, int m, int k,
                      const int* rows, const int* cols, int samples, double* ref, double* mag, double* got,
                      cudaStream_t s);

}  // namespace calib
