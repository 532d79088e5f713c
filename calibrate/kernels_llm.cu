// calibrate/kernels_llm.cu — llmcalc's own LLM kernels (device code only; CONVENTIONS.md §10):
// decode attention, the weight-only reference GEMV/GEMM, the small kernels between the GEMMs, and
// the causal softmax of the unfused prefill attention. They are what llmcalc measures when the
// libraries have no such kernel to call; the profile labels them as llmcalc's.
//
// [SECTION] helpers
// [SECTION] decode attention (split over the context, then combined)
// [SECTION] weight-only GEMV (m ≤ 8) and WMMA GEMM (m > 8), their fill and reference
// [SECTION] small kernels
// [SECTION] causal softmax
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <mma.h>

#include <cfloat>

#include "kernels.hpp"

namespace calib {

// ============================================================================================
// [SECTION] helpers
// ============================================================================================
namespace {

__device__ __forceinline__ uint4 ld_stream(const void* p) { return __ldcs(static_cast<const uint4*>(p)); }
__device__ __forceinline__ uint4 ld_cached(const void* p) { return __ldg(static_cast<const uint4*>(p)); }

// 8 bf16 in a uint4 → floats, and back.
__device__ __forceinline__ void unpack8(uint4 u, float* f) {
  const __nv_bfloat162* h = reinterpret_cast<const __nv_bfloat162*>(&u);
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    const float2 x = __bfloat1622float2(h[i]);
    f[2 * i] = x.x;
    f[2 * i + 1] = x.y;
  }
}
__device__ __forceinline__ uint4 pack8(const float* f) {
  uint4 u;
  __nv_bfloat162* h = reinterpret_cast<__nv_bfloat162*>(&u);
#pragma unroll
  for (int i = 0; i < 4; ++i) h[i] = __floats2bfloat162_rn(f[2 * i], f[2 * i + 1]);
  return u;
}

__device__ __forceinline__ float warp_sum(float v, int width = 32) {
  for (int o = width / 2; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o, width);
  return v;
}
__device__ __forceinline__ float warp_max(float v) {
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

// Block-wide sum and max (blockDim.x a multiple of 32, ≤ 1024); every thread gets the result.
__device__ float block_sum(float v, float* scratch) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  v = warp_sum(v);
  __syncthreads();
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  v = lane < warps ? scratch[lane] : 0.f;
  return warp_sum(v);
}
__device__ float block_max(float v, float* scratch) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  v = warp_max(v);
  __syncthreads();
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  v = lane < warps ? scratch[lane] : -FLT_MAX;
  return warp_max(v);
}

__device__ __forceinline__ uint32_t mix(uint32_t x) {
  x ^= x >> 16; x *= 0x7feb352dU; x ^= x >> 15; x *= 0x846ca68bU; x ^= x >> 16;
  return x;
}

// ============================================================================================
// [SECTION] decode attention
// ============================================================================================
// Block (split, kv head, sequence), 128 threads. D/8 threads share a token: each holds 8 of its
// dimensions (one 16-byte load of K, one of V). Per chunk of kChunk tokens: scores for the G query
// heads of this KV head (each K row loaded once for all G), the chunk's softmax statistics, then
// V weighted by the probabilities; running max and sum across chunks (online softmax). The split's
// unnormalised output and its (max, sum) go to the workspace; a second kernel combines the splits.
constexpr int kAttnThreads = 128;
constexpr int kChunk = 256;
constexpr int kAttnUnroll = 4;  // tokens per thread in flight

// kAttnUnroll 16-byte slices of rows TPI tokens apart, from token t0 + t on, all in flight before
// any is used; a row past the chunk's n tokens reads as zeros.
template <int TPI>
__device__ __forceinline__ void load_rows(uint4 (&r)[kAttnUnroll], const __nv_bfloat16* p, int t0, int t, int n, int d) {
#pragma unroll
  for (int u = 0; u < kAttnUnroll; ++u) r[u] = t + u * TPI < n ? ld_stream(p + size_t(t0 + t + u * TPI) * d) : make_uint4(0, 0, 0, 0);
}

template <int D, int G>
__global__ void __launch_bounds__(kAttnThreads) decode_attention_kernel(const __nv_bfloat16* __restrict__ q,
                                                                        const __nv_bfloat16* __restrict__ k,
                                                                        const __nv_bfloat16* __restrict__ v, float* __restrict__ ws,
                                                                        int q_heads, int kv_heads, int context, int splits) {
  constexpr int LPT = D / 8;                 // threads per token
  constexpr int TPI = kAttnThreads / LPT;    // tokens per pass of the block
  __shared__ float q_s[G][D];
  __shared__ float s_s[G][kChunk];
  __shared__ float m_s[G], l_s[G], corr_s[G];
  __shared__ float red_s[TPI][G][D];
  const int split = blockIdx.x, kvh = blockIdx.y, b = blockIdx.z;
  const int tid = threadIdx.x, li = tid % LPT, tg = tid / LPT;
  const float scale = rsqrtf(float(D));
  for (int i = tid; i < G * D; i += kAttnThreads)
    q_s[i / D][i % D] = __bfloat162float(q[(size_t(b) * q_heads + kvh * G + i / D) * D + i % D]) * scale;
  if (tid < G) {
    m_s[tid] = -FLT_MAX;
    l_s[tid] = 0.f;
  }
  const int per = (context + splits - 1) / splits;
  const int c0 = split * per, c1 = min(context, c0 + per);
  const size_t base = (size_t(b) * kv_heads + kvh) * size_t(context) * D;
  const __nv_bfloat16* kb = k + base + li * 8;
  const __nv_bfloat16* vb = v + base + li * 8;
  float acc[G][8];
#pragma unroll
  for (int g = 0; g < G; ++g)
#pragma unroll
    for (int j = 0; j < 8; ++j) acc[g][j] = 0.f;
  __syncthreads();
  for (int t0 = c0; t0 < c1; t0 += kChunk) {
    const int n = min(kChunk, c1 - t0);
    // scores: kAttnUnroll independent K loads per thread before any is used; the loop bounds are
    // the same for every thread (the dot products are reduced with warp shuffles)
    for (int base = 0; base < n; base += TPI * kAttnUnroll) {
      const int t = base + tg;
      uint4 kr[kAttnUnroll];
      load_rows<TPI>(kr, kb, t0, t, n, D);
#pragma unroll
      for (int u = 0; u < kAttnUnroll; ++u) {
        const bool live = t + u * TPI < n;  // uniform across the LPT threads of a token
        float kf[8];
        unpack8(kr[u], kf);
#pragma unroll
        for (int g = 0; g < G; ++g) {
          float s = 0.f;
#pragma unroll
          for (int j = 0; j < 8; ++j) s += q_s[g][li * 8 + j] * kf[j];
          s = warp_sum(s, LPT);
          if (live && li == 0) s_s[g][t + u * TPI] = s;
        }
      }
    }
    __syncthreads();
    // the chunk's softmax statistics, one warp per head
    for (int g = tid >> 5; g < G; g += kAttnThreads / 32) {
      float mx = -FLT_MAX;
      for (int t = tid & 31; t < n; t += 32) mx = fmaxf(mx, s_s[g][t]);
      mx = warp_max(mx);
      const float m_new = fmaxf(m_s[g], mx);
      float sum = 0.f;
      for (int t = tid & 31; t < n; t += 32) {
        const float p = __expf(s_s[g][t] - m_new);
        s_s[g][t] = p;
        sum += p;
      }
      sum = warp_sum(sum);
      if ((tid & 31) == 0) {
        const float corr = __expf(m_s[g] - m_new);
        corr_s[g] = corr;
        l_s[g] = l_s[g] * corr + sum;
        m_s[g] = m_new;
      }
    }
    __syncthreads();
#pragma unroll
    for (int g = 0; g < G; ++g)
#pragma unroll
      for (int j = 0; j < 8; ++j) acc[g][j] *= corr_s[g];
    for (int base = 0; base < n; base += TPI * kAttnUnroll) {
      const int t = base + tg;
      uint4 vr[kAttnUnroll];
      load_rows<TPI>(vr, vb, t0, t, n, D);
#pragma unroll
      for (int u = 0; u < kAttnUnroll; ++u) {
        if (t + u * TPI >= n) break;
        float vf[8];
        unpack8(vr[u], vf);
#pragma unroll
        for (int g = 0; g < G; ++g) {
          const float p = s_s[g][t + u * TPI];
#pragma unroll
          for (int j = 0; j < 8; ++j) acc[g][j] += p * vf[j];
        }
      }
    }
    __syncthreads();
  }
  // sum the token groups' partial outputs; write this split's (acc, max, sum)
#pragma unroll
  for (int g = 0; g < G; ++g)
#pragma unroll
    for (int j = 0; j < 8; ++j) red_s[tg][g][li * 8 + j] = acc[g][j];
  __syncthreads();
  const size_t heads_base = size_t(b) * q_heads + kvh * G;
  for (int i = tid; i < G * D; i += kAttnThreads) {
    float sum = 0.f;
    for (int x = 0; x < TPI; ++x) sum += red_s[x][i / D][i % D];
    ws[((heads_base + i / D) * splits + split) * D + i % D] = sum;
  }
  if (tid < G) {
    float* ml = ws + size_t(gridDim.z) * q_heads * splits * D;
    ml[((heads_base + tid) * splits + split) * 2] = m_s[tid];
    ml[((heads_base + tid) * splits + split) * 2 + 1] = l_s[tid];
  }
}

// One block (head_dim threads) per (sequence, query head): the splits' outputs combined.
__global__ void decode_combine_kernel(const float* __restrict__ ws, __nv_bfloat16* __restrict__ o, int pairs, int splits, int d) {
  const int pair = blockIdx.x, i = threadIdx.x;
  const float* ml = ws + size_t(pairs) * splits * d;
  float m = -FLT_MAX;
  for (int s = 0; s < splits; ++s) m = fmaxf(m, ml[(size_t(pair) * splits + s) * 2]);
  float l = 0.f, acc = 0.f;
  for (int s = 0; s < splits; ++s) {
    const float w = __expf(ml[(size_t(pair) * splits + s) * 2] - m);
    l += ml[(size_t(pair) * splits + s) * 2 + 1] * w;
    acc += ws[(size_t(pair) * splits + s) * d + i] * w;
  }
  o[size_t(pair) * d + i] = __float2bfloat16(acc / l);
}

// Double-precision reference: block (sample, 16-dimension slice), 256 threads: the maximum score,
// then Σ exp(s − max)·v for its dimensions, and Σ (p·v)² for the error bound.
__global__ void decode_reference_kernel(const __nv_bfloat16* q, const __nv_bfloat16* k, const __nv_bfloat16* v, int q_heads,
                                        int kv_heads, int context, int d, const int* pairs, double* out, double* sum_sq) {
  __shared__ double red[256][17];
  const int pair = pairs[blockIdx.x], slice = blockIdx.y, b = pair / q_heads, h = pair % q_heads;
  const int kvh = h / (q_heads / kv_heads);
  const __nv_bfloat16* qp = q + size_t(pair) * d;
  const size_t base = (size_t(b) * kv_heads + kvh) * size_t(context) * d;
  const double scale = 1.0 / sqrt(double(d));
  auto score = [&](int t) {
    double s = 0;
    for (int j = 0; j < d; ++j) s += double(__bfloat162float(qp[j])) * double(__bfloat162float(k[base + size_t(t) * d + j]));
    return s * scale;
  };
  double mx = -1e300;
  for (int t = threadIdx.x; t < context; t += blockDim.x) mx = fmax(mx, score(t));
  red[threadIdx.x][0] = mx;
  __syncthreads();
  for (int w = blockDim.x / 2; w > 0; w >>= 1) {
    if (threadIdx.x < w) red[threadIdx.x][0] = fmax(red[threadIdx.x][0], red[threadIdx.x + w][0]);
    __syncthreads();
  }
  mx = red[0][0];
  __syncthreads();
  double acc[16] = {}, l = 0;
  for (int t = threadIdx.x; t < context; t += blockDim.x) {
    const double p = exp(score(t) - mx);
    l += p;
    for (int j = 0; j < 16; ++j) acc[j] += p * double(__bfloat162float(v[base + size_t(t) * d + slice * 16 + j]));
  }
  for (int j = 0; j < 16; ++j) red[threadIdx.x][j] = acc[j];
  red[threadIdx.x][16] = l;
  __syncthreads();
  for (int w = blockDim.x / 2; w > 0; w >>= 1) {
    if (threadIdx.x < w)
      for (int j = 0; j < 17; ++j) red[threadIdx.x][j] += red[threadIdx.x + w][j];
    __syncthreads();
  }
  if (threadIdx.x < 16) out[size_t(blockIdx.x) * d + slice * 16 + threadIdx.x] = red[0][threadIdx.x] / red[0][16];
  // Σ (p_t·v_t)² of the normalised p, for verify(): a second pass (the reference may be slow)
  __syncthreads();
  const double total = red[0][16];
  double sq[16] = {};
  for (int t = threadIdx.x; t < context; t += blockDim.x) {
    const double p = exp(score(t) - mx) / total;
    for (int j = 0; j < 16; ++j) {
      const double x = p * double(__bfloat162float(v[base + size_t(t) * d + slice * 16 + j]));
      sq[j] += x * x;
    }
  }
  __syncthreads();
  for (int j = 0; j < 16; ++j) red[threadIdx.x][j] = sq[j];
  __syncthreads();
  for (int w = blockDim.x / 2; w > 0; w >>= 1) {
    if (threadIdx.x < w)
      for (int j = 0; j < 16; ++j) red[threadIdx.x][j] += red[threadIdx.x + w][j];
    __syncthreads();
  }
  if (threadIdx.x < 16) sum_sq[size_t(blockIdx.x) * d + slice * 16 + threadIdx.x] = red[0][threadIdx.x];
}

template <int D>
void decode_attention_dispatch(const DecodeAttention& a, cudaStream_t s) {
  const dim3 grid(a.splits, a.kv_heads, a.batch);
  const auto* q = static_cast<const __nv_bfloat16*>(a.q);
  const auto* k = static_cast<const __nv_bfloat16*>(a.k);
  const auto* v = static_cast<const __nv_bfloat16*>(a.v);
  switch (a.q_heads / a.kv_heads) {
    case 1: decode_attention_kernel<D, 1><<<grid, kAttnThreads, 0, s>>>(q, k, v, a.workspace, a.q_heads, a.kv_heads, a.context, a.splits); break;
    case 2: decode_attention_kernel<D, 2><<<grid, kAttnThreads, 0, s>>>(q, k, v, a.workspace, a.q_heads, a.kv_heads, a.context, a.splits); break;
    case 4: decode_attention_kernel<D, 4><<<grid, kAttnThreads, 0, s>>>(q, k, v, a.workspace, a.q_heads, a.kv_heads, a.context, a.splits); break;
    default: decode_attention_kernel<D, 8><<<grid, kAttnThreads, 0, s>>>(q, k, v, a.workspace, a.q_heads, a.kv_heads, a.context, a.splits); break;
  }
}

// ============================================================================================
// [SECTION] weight-only GEMV and GEMM
// ============================================================================================
constexpr int kGroup = 128;

// Dequantised weight k of row r: 4 bits (q − zero)·scale, 8 bits q·scale.
template <int BITS>
__device__ __forceinline__ float dequant(const uint8_t* w, const __half* scales, const uint8_t* zeros, int k_total, int r, int k) {
  const float s = __half2float(scales[size_t(r) * (k_total / kGroup) + k / kGroup]);
  if constexpr (BITS == 4) {
    const int g = k / kGroup;
    const int z = (zeros[size_t(r) * (k_total / (2 * kGroup)) + g / 2] >> (4 * (g & 1))) & 15;
    const int q = (w[size_t(r) * (k_total / 2) + k / 2] >> (4 * (k & 1))) & 15;
    return float(q - z) * s;
  } else {
    return float(int8_t(w[size_t(r) * k_total + k])) * s;
  }
}

// GEMV for m ≤ 8: a warp owns kRows rows; each lane loads 16 bytes of each row per step (32
// four-bit or 16 eight-bit weights, within one group of 128) — kRows × 2 loads in flight — and
// multiplies them with the m rows of X (read through the read-only cache: every warp reads them).
constexpr int kRows = 2;
template <int BITS, int M>
__global__ void __launch_bounds__(128) wo_gemv_kernel(const __nv_bfloat16* __restrict__ x, const uint8_t* __restrict__ w,
                                                      const __half* __restrict__ scales, const uint8_t* __restrict__ zeros,
                                                      __nv_bfloat16* __restrict__ y, int n, int k) {
  constexpr int PER = BITS == 4 ? 32 : 16;  // weights per 16-byte load
  const int lane = threadIdx.x & 31;
  const int row0 = (blockIdx.x * 4 + (threadIdx.x >> 5)) * kRows;
  float acc[kRows][M];
#pragma unroll
  for (int r = 0; r < kRows; ++r)
#pragma unroll
    for (int m = 0; m < M; ++m) acc[r][m] = 0.f;
  const size_t row_bytes = size_t(k) * BITS / 8;
  for (int k0 = lane * PER; k0 < k; k0 += 32 * PER * 2) {
    uint4 wr[2][kRows];
#pragma unroll
    for (int h = 0; h < 2; ++h)
#pragma unroll
      for (int r = 0; r < kRows; ++r) {
        const int kk = k0 + h * 32 * PER;
        wr[h][r] = (row0 + r < n && kk < k) ? ld_stream(w + size_t(row0 + r) * row_bytes + size_t(kk) * BITS / 8) : make_uint4(0, 0, 0, 0);
      }
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const int kk = k0 + h * 32 * PER;
      if (kk >= k) break;
      const int g = kk / kGroup;
      float s[kRows], z[kRows];
#pragma unroll
      for (int r = 0; r < kRows; ++r) {
        const bool live = row0 + r < n;
        s[r] = live ? __half2float(scales[size_t(row0 + r) * (k / kGroup) + g]) : 0.f;
        z[r] = 0.f;
        if constexpr (BITS == 4)
          if (live) z[r] = float((zeros[size_t(row0 + r) * (k / (2 * kGroup)) + g / 2] >> (4 * (g & 1))) & 15);
      }
      // eight weights at a time: X's eight columns for the M rows, then every weight row
#pragma unroll
      for (int c = 0; c < PER / 8; ++c) {
        float xs[M][8];
#pragma unroll
        for (int m = 0; m < M; ++m) unpack8(ld_cached(x + size_t(m) * k + kk + c * 8), xs[m]);
#pragma unroll
        for (int r = 0; r < kRows; ++r) {
          const uint8_t* bytes = reinterpret_cast<const uint8_t*>(&wr[h][r]);
#pragma unroll
          for (int i = 0; i < 8; ++i) {
            const int j = c * 8 + i;
            const float wv = BITS == 4 ? (float((bytes[j / 2] >> (4 * (j & 1))) & 15) - z[r]) * s[r] : float(int8_t(bytes[j])) * s[r];
#pragma unroll
            for (int m = 0; m < M; ++m) acc[r][m] += wv * xs[m][i];
          }
        }
      }
    }
  }
#pragma unroll
  for (int r = 0; r < kRows; ++r)
#pragma unroll
    for (int m = 0; m < M; ++m) {
      const float v = warp_sum(acc[r][m]);
      if (lane == 0 && row0 + r < n) y[size_t(m) * n + row0 + r] = __float2bfloat16(v);
    }
}

// Tensor-core GEMM for m > 8: a block computes a 64 × 64 tile of Y over k in steps of 32: X's
// tile and W's tile, dequantised to bf16, in shared memory, then WMMA 16×16×16 (fp32 accumulate);
// four warps, each a 16-row stripe of the tile.
constexpr int kTile = 64, kStep = 32, kPad = 8;
template <int BITS>
__global__ void __launch_bounds__(128) wo_wmma_kernel(const __nv_bfloat16* __restrict__ x, const uint8_t* __restrict__ w,
                                                      const __half* __restrict__ scales, const uint8_t* __restrict__ zeros,
                                                      __nv_bfloat16* __restrict__ y, int m, int n, int k) {
  using namespace nvcuda;
  __shared__ __align__(32) __nv_bfloat16 xs[kTile][kStep + kPad];
  __shared__ __align__(32) __nv_bfloat16 ws[kTile][kStep + kPad];
  __shared__ __align__(32) float out[kTile][kTile + 4];
  const int n0 = blockIdx.x * kTile, m0 = blockIdx.y * kTile, tid = threadIdx.x, warp = tid >> 5;
  wmma::fragment<wmma::accumulator, 16, 16, 16, float> c[4];
#pragma unroll
  for (int j = 0; j < 4; ++j) wmma::fill_fragment(c[j], 0.f);
  const size_t row_bytes = size_t(k) * BITS / 8;
  for (int k0 = 0; k0 < k; k0 += kStep) {
    // X: 64 rows × 32 bf16 = two 16-byte pieces per thread
    for (int i = tid; i < kTile * (kStep / 8); i += 128) {
      const int r = i / (kStep / 8), c8 = i % (kStep / 8);
      const uint4 v = m0 + r < m ? ld_cached(x + size_t(m0 + r) * k + k0 + c8 * 8) : make_uint4(0, 0, 0, 0);
      *reinterpret_cast<uint4*>(&xs[r][c8 * 8]) = v;
    }
    // W: 64 rows × 32 weights, dequantised: two threads per row, 16 weights each
    {
      const int r = tid >> 1, half = tid & 1, kk = k0 + half * 16;
      float f[16];
      if (n0 + r < n) {
        const int g = kk / kGroup;
        const float s = __half2float(scales[size_t(n0 + r) * (k / kGroup) + g]);
        if constexpr (BITS == 4) {
          const uint2 raw = __ldcs(reinterpret_cast<const uint2*>(w + size_t(n0 + r) * row_bytes + kk / 2));
          const uint8_t* b = reinterpret_cast<const uint8_t*>(&raw);
          const float z = float((zeros[size_t(n0 + r) * (k / (2 * kGroup)) + g / 2] >> (4 * (g & 1))) & 15);
#pragma unroll
          for (int i = 0; i < 16; ++i) f[i] = (float((b[i / 2] >> (4 * (i & 1))) & 15) - z) * s;
        } else {
          const uint4 raw = ld_stream(w + size_t(n0 + r) * row_bytes + kk);
          const uint8_t* b = reinterpret_cast<const uint8_t*>(&raw);
#pragma unroll
          for (int i = 0; i < 16; ++i) f[i] = float(int8_t(b[i])) * s;
        }
      } else {
#pragma unroll
        for (int i = 0; i < 16; ++i) f[i] = 0.f;
      }
      *reinterpret_cast<uint4*>(&ws[r][half * 16]) = pack8(f);
      *reinterpret_cast<uint4*>(&ws[r][half * 16 + 8]) = pack8(f + 8);
    }
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < kStep; kk += 16) {
      wmma::fragment<wmma::matrix_a, 16, 16, 16, __nv_bfloat16, wmma::row_major> a;
      wmma::load_matrix_sync(a, &xs[warp * 16][kk], kStep + kPad);
#pragma unroll
      for (int j = 0; j < 4; ++j) {
        wmma::fragment<wmma::matrix_b, 16, 16, 16, __nv_bfloat16, wmma::col_major> b;  // B(k, n) = W[n][k]
        wmma::load_matrix_sync(b, &ws[j * 16][kk], kStep + kPad);
        wmma::mma_sync(c[j], a, b, c[j]);
      }
    }
    __syncthreads();
  }
#pragma unroll
  for (int j = 0; j < 4; ++j) wmma::store_matrix_sync(&out[warp * 16][j * 16], c[j], kTile + 4, wmma::mem_row_major);
  __syncthreads();
  for (int i = tid; i < kTile * kTile; i += 128) {
    const int r = i / kTile, col = i % kTile;
    if (m0 + r < m && n0 + col < n) y[size_t(m0 + r) * n + n0 + col] = __float2bfloat16(out[r][col]);
  }
}

__global__ void wo_fill_kernel(uint8_t* w, size_t w_bytes, __half* scales, size_t n_scales, uint8_t* zeros, size_t z_bytes, uint32_t seed) {
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < w_bytes; i += size_t(gridDim.x) * blockDim.x)
    w[i] = uint8_t(mix(uint32_t(i) ^ mix(seed + uint32_t(i >> 32))));
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n_scales; i += size_t(gridDim.x) * blockDim.x)
    scales[i] = __float2half(0.01f + float(mix(uint32_t(i) ^ seed * 3u) % 1000) * 1e-4f);  // 0.01 … 0.11
  if (zeros)
    for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < z_bytes; i += size_t(gridDim.x) * blockDim.x)
      zeros[i] = uint8_t(mix(uint32_t(i) ^ seed * 7u));
}

template <int BITS>
__global__ void wo_reference_kernel(const __nv_bfloat16* x, const uint8_t* w, const __half* scales, const uint8_t* zeros,
                                    const __nv_bfloat16* y, int n, int k, const int* rows, const int* cols, double* ref,
                                    double* sum_sq, double* got) {
  __shared__ double s1[256], s2[256];
  const int i = blockIdx.x, r = rows[i], c = cols[i];
  double sum = 0, sq = 0;
  for (int kk = threadIdx.x; kk < k; kk += blockDim.x) {
    const double p = double(dequant<BITS>(w, scales, zeros, k, r, kk)) * double(__bfloat162float(x[size_t(c) * k + kk]));
    sum += p;
    sq += p * p;
  }
  s1[threadIdx.x] = sum;
  s2[threadIdx.x] = sq;
  __syncthreads();
  for (int o = blockDim.x / 2; o > 0; o >>= 1) {
    if (threadIdx.x < o) {
      s1[threadIdx.x] += s1[threadIdx.x + o];
      s2[threadIdx.x] += s2[threadIdx.x + o];
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    ref[i] = s1[0];
    sum_sq[i] = s2[0];
    got[i] = __bfloat162float(y[size_t(c) * n + r]);
  }
}

template <int BITS>
const char* weight_only_dispatch(const WeightOnly& a, cudaStream_t s) {
  const auto* x = static_cast<const __nv_bfloat16*>(a.x);
  const auto* w = static_cast<const uint8_t*>(a.w);
  const auto* sc = static_cast<const __half*>(a.scales);
  const auto* z = static_cast<const uint8_t*>(a.zeros);
  auto* y = static_cast<__nv_bfloat16*>(a.y);
  const int blocks = (a.n + 4 * kRows - 1) / (4 * kRows);
  switch (a.m) {
    case 1: wo_gemv_kernel<BITS, 1><<<blocks, 128, 0, s>>>(x, w, sc, z, y, a.n, a.k); return "llmcalc reference (gemv)";
    case 2: wo_gemv_kernel<BITS, 2><<<blocks, 128, 0, s>>>(x, w, sc, z, y, a.n, a.k); return "llmcalc reference (gemv)";
    case 3: case 4: wo_gemv_kernel<BITS, 4><<<blocks, 128, 0, s>>>(x, w, sc, z, y, a.n, a.k); break;
    case 5: case 6: case 7: case 8: wo_gemv_kernel<BITS, 8><<<blocks, 128, 0, s>>>(x, w, sc, z, y, a.n, a.k); break;
    default: {
      const dim3 grid((a.n + kTile - 1) / kTile, (a.m + kTile - 1) / kTile);
      wo_wmma_kernel<BITS><<<grid, 128, 0, s>>>(x, w, sc, z, y, a.m, a.n, a.k);
      return "llmcalc reference (wmma)";
    }
  }
  return "llmcalc reference (gemv)";
}

// ============================================================================================
// [SECTION] small kernels
// ============================================================================================
// RMSNorm: a block per token; the row stays in registers between the two passes (hidden ≤ 16384).
__global__ void __launch_bounds__(256) rmsnorm_kernel(const __nv_bfloat16* __restrict__ x, const __nv_bfloat16* __restrict__ weight,
                                                      __nv_bfloat16* __restrict__ y, int hidden) {
  __shared__ float scratch[32];
  const int vecs = hidden / 8;
  const __nv_bfloat16* row = x + size_t(blockIdx.x) * hidden;
  uint4 v[8];
  float ss = 0.f;
#pragma unroll
  for (int i = 0; i < 8; ++i) {
    const int c = threadIdx.x + i * 256;
    if (c < vecs) {
      v[i] = ld_stream(row + c * 8);
      float f[8];
      unpack8(v[i], f);
#pragma unroll
      for (int j = 0; j < 8; ++j) ss += f[j] * f[j];
    }
  }
  const float inv = rsqrtf(block_sum(ss, scratch) / hidden + 1e-6f);
#pragma unroll
  for (int i = 0; i < 8; ++i) {
    const int c = threadIdx.x + i * 256;
    if (c < vecs) {
      float f[8], g[8];
      unpack8(v[i], f);
      unpack8(ld_cached(weight + c * 8), g);
#pragma unroll
      for (int j = 0; j < 8; ++j) f[j] *= inv * g[j];
      *reinterpret_cast<uint4*>(y + size_t(blockIdx.x) * hidden + c * 8) = pack8(f);
    }
  }
}

// SiLU(gate)·up over [tokens][2·ffn] (gate, then up) into [tokens][ffn], 8 elements per thread.
__global__ void silu_mul_kernel(const __nv_bfloat16* __restrict__ gu, __nv_bfloat16* __restrict__ out, size_t vecs, int ffn) {
  const int per_row = ffn / 8;
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < vecs; i += size_t(gridDim.x) * blockDim.x) {
    const size_t t = i / per_row, c = i % per_row;
    float g[8], u[8];
    unpack8(ld_stream(gu + t * 2 * ffn + c * 8), g);
    unpack8(ld_stream(gu + t * 2 * ffn + ffn + c * 8), u);
#pragma unroll
    for (int j = 0; j < 8; ++j) g[j] = g[j] / (1.f + __expf(-g[j])) * u[j];
    *reinterpret_cast<uint4*>(out + t * ffn + c * 8) = pack8(g);
  }
}

// Rotary embedding (NeoX halves) in place on Q and K, position = token index; 8 pairs per thread.
__global__ void rope_kernel(__nv_bfloat16* q, __nv_bfloat16* k, int tokens, int q_heads, int kv_heads, int d) {
  const int half = d / 2, per_head = half / 8, heads = q_heads + kv_heads;
  const size_t total = size_t(tokens) * heads * per_head;
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < total; i += size_t(gridDim.x) * blockDim.x) {
    const int c = int(i % per_head);
    const int h = int((i / per_head) % heads);
    const int t = int(i / (size_t(per_head) * heads));
    __nv_bfloat16* row = h < q_heads ? q + (size_t(t) * q_heads + h) * d : k + (size_t(t) * kv_heads + (h - q_heads)) * d;
    float a[8], b[8];
    unpack8(*reinterpret_cast<const uint4*>(row + c * 8), a);
    unpack8(*reinterpret_cast<const uint4*>(row + half + c * 8), b);
#pragma unroll
    for (int j = 0; j < 8; ++j) {
      const float inv_freq = exp2f(-13.287712f * float(c * 8 + j) / float(half));  // 10000^(−i/half)
      float sn, cs;
      __sincosf(float(t) * inv_freq, &sn, &cs);
      const float x = a[j], y = b[j];
      a[j] = x * cs - y * sn;
      b[j] = y * cs + x * sn;
    }
    *reinterpret_cast<uint4*>(row + c * 8) = pack8(a);
    *reinterpret_cast<uint4*>(row + half + c * 8) = pack8(b);
  }
}

__global__ void residual_add_kernel(const __nv_bfloat16* __restrict__ a, const __nv_bfloat16* __restrict__ b, __nv_bfloat16* __restrict__ out,
                                    size_t vecs) {
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < vecs; i += size_t(gridDim.x) * blockDim.x) {
    float x[8], y[8];
    unpack8(ld_stream(a + i * 8), x);
    unpack8(ld_stream(b + i * 8), y);
#pragma unroll
    for (int j = 0; j < 8; ++j) x[j] += y[j];
    *reinterpret_cast<uint4*>(out + i * 8) = pack8(x);
  }
}

__global__ void embedding_kernel(const int* __restrict__ ids, const __nv_bfloat16* __restrict__ table, __nv_bfloat16* __restrict__ out, int hidden) {
  const __nv_bfloat16* row = table + size_t(ids[blockIdx.x]) * hidden;
  for (int c = threadIdx.x; c < hidden / 8; c += blockDim.x)
    *reinterpret_cast<uint4*>(out + size_t(blockIdx.x) * hidden + c * 8) = ld_stream(row + c * 8);
}

// The float's bits, ordered as the floats are.
__device__ __forceinline__ uint32_t order_key(float f) {
  const uint32_t u = __float_as_uint(f);
  return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

// Top-k sampling, a block of 1024 threads per row: the row's maximum; the k-th largest key's top
// 16 bits by two 256-bin histograms (radix selection); the softmax mass of the logits at or above
// it per thread over a contiguous slice; a scan; the drawn thread finds the token in its slice.
__global__ void __launch_bounds__(1024) topk_sampling_kernel(const float* __restrict__ logits, int* __restrict__ out, int vocab, int k,
                                                             uint32_t seed) {
  __shared__ unsigned hist[256];
  __shared__ float scratch[32];
  __shared__ float prefix[1024];
  __shared__ unsigned sel[2];
  const float* row = logits + size_t(blockIdx.x) * vocab;
  const int tid = threadIdx.x;
  float mx = -FLT_MAX;
  for (int i = tid; i < vocab; i += 1024) mx = fmaxf(mx, row[i]);
  mx = block_max(mx, scratch);
  unsigned prefix_key = 0, prefix_mask = 0;
  int need = k;
  for (int round = 0; round < 2; ++round) {
    const int shift = 24 - 8 * round;
    for (int i = tid; i < 256; i += 1024) hist[i] = 0;
    __syncthreads();
    for (int i = tid; i < vocab; i += 1024) {
      const uint32_t key = order_key(row[i]);
      if ((key & prefix_mask) == prefix_key) atomicAdd(&hist[(key >> shift) & 255], 1u);
    }
    __syncthreads();
    if (tid == 0) {
      int cum = 0, bin = 255;
      for (; bin > 0; --bin) {
        if (cum + int(hist[bin]) >= need) break;
        cum += int(hist[bin]);
      }
      sel[0] = unsigned(bin);
      sel[1] = unsigned(need - cum);
    }
    __syncthreads();
    prefix_key |= sel[0] << shift;
    prefix_mask |= 255u << shift;
    need = int(sel[1]);
    __syncthreads();
  }
  const int per = (vocab + 1023) / 1024, lo = tid * per, hi = min(vocab, lo + per);
  float mass = 0.f;
  for (int i = lo; i < hi; ++i)
    if ((order_key(row[i]) & prefix_mask) >= prefix_key) mass += __expf(row[i] - mx);
  prefix[tid] = mass;
  __syncthreads();
  for (int o = 1; o < 1024; o <<= 1) {  // inclusive scan (Hillis–Steele)
    const float add = tid >= o ? prefix[tid - o] : 0.f;
    __syncthreads();
    prefix[tid] += add;
    __syncthreads();
  }
  const float u = float(mix(seed ^ mix(blockIdx.x)) >> 8) / 16777216.0f * prefix[1023];
  const float before = tid ? prefix[tid - 1] : 0.f;
  if (u >= before && u < prefix[tid]) {
    float run = before;
    int pick = hi - 1;
    for (int i = lo; i < hi; ++i)
      if ((order_key(row[i]) & prefix_mask) >= prefix_key) {
        run += __expf(row[i] - mx);
        if (run > u) {
          pick = i;
          break;
        }
      }
    out[blockIdx.x] = pick;
  }
}

// ============================================================================================
// [SECTION] causal softmax
// ============================================================================================
// A block per (head, query): the scores of its keys (contiguous), scaled, keys after the query
// masked, softmax, written back as bf16 probabilities.
__global__ void __launch_bounds__(256) causal_softmax_kernel(__nv_bfloat16* scores, int seq, float scale) {
  __shared__ float scratch[32];
  const int query = blockIdx.x % seq;
  __nv_bfloat16* row = scores + size_t(blockIdx.x) * seq;
  const int keys = query + 1, vecs = (keys + 7) / 8;
  float mx = -FLT_MAX;
  for (int c = threadIdx.x; c < vecs; c += blockDim.x) {
    float f[8];
    unpack8(*reinterpret_cast<const uint4*>(row + c * 8), f);
#pragma unroll
    for (int j = 0; j < 8; ++j)
      if (c * 8 + j < keys) mx = fmaxf(mx, f[j] * scale);
  }
  mx = block_max(mx, scratch);
  float sum = 0.f;
  for (int c = threadIdx.x; c < vecs; c += blockDim.x) {
    float f[8];
    unpack8(*reinterpret_cast<const uint4*>(row + c * 8), f);
#pragma unroll
    for (int j = 0; j < 8; ++j)
      if (c * 8 + j < keys) sum += __expf(f[j] * scale - mx);
  }
  const float inv = 1.f / block_sum(sum, scratch);
  for (int c = threadIdx.x; c < seq / 8; c += blockDim.x) {
    float f[8];
    unpack8(*reinterpret_cast<const uint4*>(row + c * 8), f);
#pragma unroll
    for (int j = 0; j < 8; ++j) f[j] = c * 8 + j < keys ? __expf(f[j] * scale - mx) * inv : 0.f;
    *reinterpret_cast<uint4*>(row + c * 8) = pack8(f);
  }
}

}  // namespace

// ---- launchers -------------------------------------------------------------------------------------

int decode_attention_splits(int batch, int kv_heads, int context, int sms) {
  const int want = (4 * sms + batch * kv_heads - 1) / (batch * kv_heads);
  const int most = (context + 127) / 128;  // at least 128 tokens per split
  return want < 1 ? 1 : (want > most ? (most < 1 ? 1 : most) : want);
}

size_t decode_attention_workspace_floats(const DecodeAttention& a) {
  return size_t(a.batch) * a.q_heads * a.splits * (a.head_dim + 2);
}

bool decode_attention_supported(int head_dim, int gqa) { return (head_dim == 64 || head_dim == 128) && (gqa == 1 || gqa == 2 || gqa == 4 || gqa == 8); }

void launch_decode_attention(const DecodeAttention& a, cudaStream_t s) {
  if (a.head_dim == 64) decode_attention_dispatch<64>(a, s);
  else decode_attention_dispatch<128>(a, s);
  decode_combine_kernel<<<a.batch * a.q_heads, a.head_dim, 0, s>>>(a.workspace, static_cast<__nv_bfloat16*>(a.o), a.batch * a.q_heads,
                                                                   a.splits, a.head_dim);
}

void launch_decode_attention_reference(const DecodeAttention& a, const int* pairs, int samples, double* ref, cudaStream_t s) {
  // ref holds samples × head_dim outputs, then samples × head_dim Σ(p·v)²
  decode_reference_kernel<<<dim3(samples, a.head_dim / 16), 256, 0, s>>>(
      static_cast<const __nv_bfloat16*>(a.q), static_cast<const __nv_bfloat16*>(a.k), static_cast<const __nv_bfloat16*>(a.v), a.q_heads,
      a.kv_heads, a.context, a.head_dim, pairs, ref, ref + size_t(samples) * a.head_dim);
}

size_t weight_only_bytes(int bits, int n, int k) {
  const size_t w = size_t(n) * k * bits / 8, scales = size_t(n) * (k / kGroup) * 2, zeros = bits == 4 ? size_t(n) * (k / (2 * kGroup)) : 0;
  return w + scales + zeros;
}

void launch_fill_weight_only(const WeightOnly& a, uint32_t seed, cudaStream_t s) {
  wo_fill_kernel<<<1024, 256, 0, s>>>(static_cast<uint8_t*>(const_cast<void*>(a.w)), size_t(a.n) * a.k * a.bits / 8,
                                      static_cast<__half*>(const_cast<void*>(a.scales)), size_t(a.n) * (a.k / kGroup),
                                      a.bits == 4 ? static_cast<uint8_t*>(const_cast<void*>(a.zeros)) : nullptr,
                                      size_t(a.n) * (a.k / (2 * kGroup)), seed);
}

const char* launch_weight_only(const WeightOnly& a, cudaStream_t s) {
  return a.bits == 4 ? weight_only_dispatch<4>(a, s) : weight_only_dispatch<8>(a, s);
}

void launch_weight_only_reference(const WeightOnly& a, const int* rows, const int* cols, int samples, double* ref, double* sum_sq,
                                  double* got, cudaStream_t s) {
  const auto* x = static_cast<const __nv_bfloat16*>(a.x);
  const auto* w = static_cast<const uint8_t*>(a.w);
  const auto* sc = static_cast<const __half*>(a.scales);
  const auto* z = static_cast<const uint8_t*>(a.zeros);
  const auto* y = static_cast<const __nv_bfloat16*>(a.y);
  if (a.bits == 4) wo_reference_kernel<4><<<samples, 256, 0, s>>>(x, w, sc, z, y, a.n, a.k, rows, cols, ref, sum_sq, got);
  else wo_reference_kernel<8><<<samples, 256, 0, s>>>(x, w, sc, z, y, a.n, a.k, rows, cols, ref, sum_sq, got);
}

namespace {
int grid_for(size_t work) { return int(work / 256 + 1 < 65535 * 4 ? work / 256 + 1 : 65535 * 4); }
}  // namespace

void launch_rmsnorm(const void* x, const void* weight, void* y, int tokens, int hidden, cudaStream_t s) {
  rmsnorm_kernel<<<tokens, 256, 0, s>>>(static_cast<const __nv_bfloat16*>(x), static_cast<const __nv_bfloat16*>(weight),
                                        static_cast<__nv_bfloat16*>(y), hidden);
}
void launch_silu_mul(const void* gate_up, void* out, int tokens, int ffn, cudaStream_t s) {
  const size_t vecs = size_t(tokens) * ffn / 8;
  silu_mul_kernel<<<grid_for(vecs), 256, 0, s>>>(static_cast<const __nv_bfloat16*>(gate_up), static_cast<__nv_bfloat16*>(out), vecs, ffn);
}
void launch_rope(void* q, void* k, int tokens, int q_heads, int kv_heads, int head_dim, cudaStream_t s) {
  const size_t work = size_t(tokens) * (q_heads + kv_heads) * (head_dim / 16);
  rope_kernel<<<grid_for(work), 256, 0, s>>>(static_cast<__nv_bfloat16*>(q), static_cast<__nv_bfloat16*>(k), tokens, q_heads, kv_heads, head_dim);
}
void launch_residual_add(const void* a, const void* b, void* out, int tokens, int hidden, cudaStream_t s) {
  const size_t vecs = size_t(tokens) * hidden / 8;
  residual_add_kernel<<<grid_for(vecs), 256, 0, s>>>(static_cast<const __nv_bfloat16*>(a), static_cast<const __nv_bfloat16*>(b),
                                                     static_cast<__nv_bfloat16*>(out), vecs);
}
void launch_embedding(const int* ids, const void* table, void* out, int tokens, int hidden, cudaStream_t s) {
  embedding_kernel<<<tokens, 128, 0, s>>>(ids, static_cast<const __nv_bfloat16*>(table), static_cast<__nv_bfloat16*>(out), hidden);
}
void launch_topk_sampling(const float* logits, int* out, int rows, int vocab, int k, uint32_t seed, cudaStream_t s) {
  topk_sampling_kernel<<<rows, 1024, 0, s>>>(logits, out, vocab, k, seed);
}
void launch_causal_softmax(void* scores, int heads, int seq, float scale, cudaStream_t s) {
  causal_softmax_kernel<<<heads * seq, 256, 0, s>>>(static_cast<__nv_bfloat16*>(scores), seq, scale);
}

}  // namespace calib
