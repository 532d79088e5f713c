// calibrate/kernels_memory.cu — device kernels only (CONVENTIONS.md §10): streaming bandwidth, the
// timing gate, fills and the GEMM reference. Measurement lives in the .cpp files.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>

#include "kernels.hpp"

namespace calib {

size_t elem_bytes(Elem e) {
  switch (e) {
    case Elem::f32: case Elem::i32: return 4;
    case Elem::f16: case Elem::bf16: return 2;
    case Elem::e4m3: case Elem::i8: return 1;
  }
  return 4;
}

namespace {

// 16-byte loads and stores with an explicit cache operator. asm volatile: the compiler may neither
// drop nor hoist them out of the pass loop (the same addresses are read again in every pass).
template <CacheHint H>
__device__ __forceinline__ float4 load16(const float4* p) {
  float4 v;
  if constexpr (H == CacheHint::stream)
    asm volatile("ld.global.cs.v4.f32 {%0, %1, %2, %3}, [%4];" : "=f"(v.x), "=f"(v.y), "=f"(v.z), "=f"(v.w) : "l"(p));
  else
    asm volatile("ld.global.cg.v4.f32 {%0, %1, %2, %3}, [%4];" : "=f"(v.x), "=f"(v.y), "=f"(v.z), "=f"(v.w) : "l"(p));
  return v;
}
template <CacheHint H>
__device__ __forceinline__ void store16(float4* p, float4 v) {
  if constexpr (H == CacheHint::stream)
    asm volatile("st.global.cs.v4.f32 [%0], {%1, %2, %3, %4};" ::"l"(p), "f"(v.x), "f"(v.y), "f"(v.z), "f"(v.w) : "memory");
  else
    asm volatile("st.global.cg.v4.f32 [%0], {%1, %2, %3, %4};" ::"l"(p), "f"(v.x), "f"(v.y), "f"(v.z), "f"(v.w) : "memory");
}

// Every thread issues kStreamUnroll independent loads (stride apart, so each warp's accesses stay
// coalesced) before it uses any of them; the tail goes one at a time.
template <CacheHint H>
__global__ void __launch_bounds__(256) read_kernel(const float4* __restrict__ src, size_t n4, int passes, float* sink) {
  constexpr int U = kStreamUnroll;
  const size_t stride = size_t(gridDim.x) * blockDim.x;
  const size_t first = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  float acc = 0.f;
  for (int p = 0; p < passes; ++p) {
    size_t i = first;
    for (; i + (U - 1) * stride < n4; i += U * stride) {
      float4 v[U];
#pragma unroll
      for (int u = 0; u < U; ++u) v[u] = load16<H>(src + i + u * stride);
#pragma unroll
      for (int u = 0; u < U; ++u) acc += (v[u].x + v[u].y) + (v[u].z + v[u].w);
    }
    for (; i < n4; i += stride) {
      const float4 v = load16<H>(src + i);
      acc += (v.x + v.y) + (v.z + v.w);
    }
  }
  if (acc == -1.2345f) sink[0] = acc;  // keeps the sum (never true for our data)
}

template <CacheHint H>
__global__ void __launch_bounds__(256) write_kernel(float4* __restrict__ dst, size_t n4, int passes) {
  constexpr int U = kStreamUnroll;
  const size_t stride = size_t(gridDim.x) * blockDim.x;
  const size_t first = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  for (int p = 0; p < passes; ++p) {
    const float4 v = make_float4(1.f + p, 2.f, 3.f, 4.f);
    size_t i = first;
    for (; i + (U - 1) * stride < n4; i += U * stride) {
#pragma unroll
      for (int u = 0; u < U; ++u) store16<H>(dst + i + u * stride, v);
    }
    for (; i < n4; i += stride) store16<H>(dst + i, v);
  }
}

template <CacheHint H>
__global__ void __launch_bounds__(256) copy_kernel(float4* __restrict__ dst, const float4* __restrict__ src, size_t n4, int passes) {
  constexpr int U = kStreamUnroll;
  const size_t stride = size_t(gridDim.x) * blockDim.x;
  const size_t first = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  for (int p = 0; p < passes; ++p) {
    size_t i = first;
    for (; i + (U - 1) * stride < n4; i += U * stride) {
      float4 v[U];
#pragma unroll
      for (int u = 0; u < U; ++u) v[u] = load16<H>(src + i + u * stride);
#pragma unroll
      for (int u = 0; u < U; ++u) store16<H>(dst + i + u * stride, v[u]);
    }
    for (; i < n4; i += stride) store16<H>(dst + i, load16<H>(src + i));
  }
}

__global__ void empty_kernel() {}

__device__ __forceinline__ unsigned long long globaltimer() {
  unsigned long long t;
  asm volatile("mov.u64 %0, %globaltimer;" : "=l"(t));
  return t;
}

__global__ void gate_kernel(const volatile int* flag, int* timed_out, unsigned long long timeout_ns) {
  const unsigned long long start = globaltimer();
  while (*flag == 0) {
    if (globaltimer() - start > timeout_ns) {
      *timed_out = 1;
      return;
    }
    __nanosleep(200);
  }
}

__global__ void busy_kernel(unsigned long long ns, float* sink) {
  const unsigned long long start = globaltimer();
  float x = threadIdx.x;
  while (globaltimer() - start < ns)
    for (int i = 0; i < 256; ++i) x = x * 0.999f + 1.0f;
  if (x == -1.f) sink[0] = x;
}

__device__ uint32_t hash(uint32_t x) {
  x ^= x >> 16; x *= 0x7feb352dU; x ^= x >> 15; x *= 0x846ca68bU; x ^= x >> 16;
  return x;
}

__global__ void fill_kernel(void* p, size_t n, int e, uint32_t seed) {
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n; i += size_t(gridDim.x) * blockDim.x) {
    const uint32_t h = hash(uint32_t(i) ^ hash(seed + uint32_t(i >> 32)));
    const float f = float(h) / 4294967296.0f * 2.f - 1.f;  // [-1, 1)
    switch (static_cast<Elem>(e)) {
      case Elem::f32: static_cast<float*>(p)[i] = f; break;
      case Elem::f16: static_cast<__half*>(p)[i] = __float2half(f); break;
      case Elem::bf16: static_cast<__nv_bfloat16*>(p)[i] = __float2bfloat16(f); break;
      case Elem::e4m3: static_cast<__nv_fp8_e4m3*>(p)[i] = __nv_fp8_e4m3(f); break;
      case Elem::i8: static_cast<int8_t*>(p)[i] = int8_t(int(h % 17) - 8); break;
      case Elem::i32: static_cast<int32_t*>(p)[i] = int32_t(h % 17) - 8; break;
    }
  }
}

__device__ double load(const void* p, int e, size_t i) {
  switch (static_cast<Elem>(e)) {
    case Elem::f32: return static_cast<const float*>(p)[i];
    case Elem::f16: return __half2float(static_cast<const __half*>(p)[i]);
    case Elem::bf16: return __bfloat162float(static_cast<const __nv_bfloat16*>(p)[i]);
    case Elem::e4m3: return float(static_cast<const __nv_fp8_e4m3*>(p)[i]);
    case Elem::i8: return static_cast<const int8_t*>(p)[i];
    case Elem::i32: return static_cast<const int32_t*>(p)[i];
  }
  return 0;
}

// One block per sample; threads stride over k and reduce in shared memory.
__global__ void reference_kernel(const void* a, int ea, const void* b, int eb, const void* c, int ec, int n, int k, long long sa,
                                 long long sb, long long sc, const int* rows, const int* cols, const int* bat, double* ref,
                                 double* sum_sq, double* got) {
  __shared__ double s_sum[256], s_sq[256];
  const int i = blockIdx.x, r = rows[i], col = cols[i];
  const long long g = bat ? bat[i] : 0;
  double sum = 0, sq = 0;
  for (int l = threadIdx.x; l < k; l += blockDim.x) {
    const double x = load(a, ea, size_t(g * sa) + size_t(r) * k + l) * load(b, eb, size_t(g * sb) + size_t(col) * k + l);
    sum += x;
    sq += x * x;
  }
  s_sum[threadIdx.x] = sum;
  s_sq[threadIdx.x] = sq;
  __syncthreads();
  for (int w = blockDim.x / 2; w > 0; w >>= 1) {
    if (threadIdx.x < w) {
      s_sum[threadIdx.x] += s_sum[threadIdx.x + w];
      s_sq[threadIdx.x] += s_sq[threadIdx.x + w];
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    ref[i] = s_sum[0];
    sum_sq[i] = s_sq[0];
    got[i] = load(c, ec, size_t(g * sc) + size_t(col) * n + r);
  }
}

}  // namespace

void launch_read(const void* src, size_t n4, int passes, CacheHint h, float* sink, int blocks, cudaStream_t s) {
  const auto* p = static_cast<const float4*>(src);
  if (h == CacheHint::stream) read_kernel<CacheHint::stream><<<blocks, 256, 0, s>>>(p, n4, passes, sink);
  else read_kernel<CacheHint::l2><<<blocks, 256, 0, s>>>(p, n4, passes, sink);
}
void launch_write(void* dst, size_t n4, int passes, CacheHint h, int blocks, cudaStream_t s) {
  auto* p = static_cast<float4*>(dst);
  if (h == CacheHint::stream) write_kernel<CacheHint::stream><<<blocks, 256, 0, s>>>(p, n4, passes);
  else write_kernel<CacheHint::l2><<<blocks, 256, 0, s>>>(p, n4, passes);
}
void launch_copy(void* dst, const void* src, size_t n4, int passes, CacheHint h, int blocks, cudaStream_t s) {
  auto* d = static_cast<float4*>(dst);
  const auto* p = static_cast<const float4*>(src);
  if (h == CacheHint::stream) copy_kernel<CacheHint::stream><<<blocks, 256, 0, s>>>(d, p, n4, passes);
  else copy_kernel<CacheHint::l2><<<blocks, 256, 0, s>>>(d, p, n4, passes);
}
void launch_empty(cudaStream_t s) { empty_kernel<<<1, 1, 0, s>>>(); }
void launch_gate(const volatile int* flag, int* timed_out, unsigned long long timeout_ns, cudaStream_t s) {
  gate_kernel<<<1, 1, 0, s>>>(flag, timed_out, timeout_ns);
}
void launch_busy(unsigned long long ns, int blocks, cudaStream_t s) { busy_kernel<<<blocks, 256, 0, s>>>(ns, nullptr); }
void launch_fill_random(void* p, size_t n, Elem e, uint32_t seed, cudaStream_t s) {
  fill_kernel<<<1024, 256, 0, s>>>(p, n, int(e), seed);
}
void launch_reference(const void* a, Elem ea, const void* b, Elem eb, const void* c, Elem ec, int n, int k, long long stride_a,
                      long long stride_b, long long stride_c, const int* rows, const int* cols, const int* bat, int samples,
                      double* ref, double* sum_sq, double* got, cudaStream_t s) {
  reference_kernel<<<samples, 256, 0, s>>>(a, int(ea), b, int(eb), c, int(ec), n, k, stride_a, stride_b, stride_c, rows, cols, bat,
                                            ref, sum_sq, got);
}

}  // namespace calib
