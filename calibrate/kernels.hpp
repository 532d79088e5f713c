// calibrate/kernels.hpp — host-callable launchers of the device kernels (kernels_memory.cu,
// kernels_llm.cu). Each kernel states the bytes it moves. Nothing here has run on a GPU yet: the
// kernels compile with nvcc for sm_80/86/89/90; their first real run is still to come.
//
// [SECTION] memory: streaming read/write/copy, gate (spin), busy, empty, fill, GEMM reference
// [SECTION] LLM kernels: decode attention, weight-only GEMV/GEMM, small kernels, causal softmax
#pragma once
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

namespace calib {

enum class Elem { f32, f16, bf16, e4m3, i8, i32 };
size_t elem_bytes(Elem e);

// ---- [SECTION] memory -----------------------------------------------------------------------------

// How the streaming kernels touch memory: `stream` evicts first (ld/st.global.cs: data far larger
// than L2, read once); `l2` caches in L2 only (ld/st.global.cg: bypasses L1, so an L2-sized
// working set read again and again is served by L2, not by each SM's L1).
enum class CacheHint { stream, l2 };
// Each thread keeps kStreamUnroll independent 16-byte accesses in flight, over a grid that fills the
// device; the buffer of n4 float4 is gone over `passes` times inside one launch (so an L2-sized set
// moves enough bytes per launch that launch overhead does not count). Bytes moved per launch:
// read, write: passes · n4 · 16; copy: twice that.
inline constexpr int kStreamUnroll = 4;
void launch_read(const void* src, size_t n4, int passes, CacheHint h, float* sink, int blocks, cudaStream_t s);
void launch_write(void* dst, size_t n4, int passes, CacheHint h, int blocks, cudaStream_t s);
void launch_copy(void* dst, const void* src, size_t n4, int passes, CacheHint h, int blocks, cudaStream_t s);
void launch_empty(cudaStream_t s);
// Spins until *flag != 0 (host-mapped memory the host sets after enqueueing a window's work), or
// for timeout_ns; then *timed_out = 1 (the sample is not used).
void launch_gate(const volatile int* flag, int* timed_out, unsigned long long timeout_ns, cudaStream_t s);
// Keeps `blocks` blocks busy for ns nanoseconds (clocks up before latency is measured).
void launch_busy(unsigned long long ns, int blocks, cudaStream_t s);
// Fills n elements with reproducible pseudo-random values (floats in [-1, 1), int8 in [-8, 8]).
void launch_fill_random(void* p, size_t n, Elem e, uint32_t seed, cudaStream_t s);
// Reference for sampled outputs of C (n×m, column-major, ldc = n) = Aᵀ·B with A k×n and B k×m
// column-major (the "TN" layout of every GEMM; m = tokens), `batch` GEMMs apart by the strides
// (elements; 0 = one GEMM): for sample i at row rows[i], column cols[i], batch bat[i]: ref = Σ a·b
// in double, sum_sq = Σ (a·b)², got = the value in C.
void launch_reference(const void* a, Elem ea, const void* b, Elem eb, const void* c, Elem ec, int n, int k, long long stride_a,
                      long long stride_b, long long stride_c, const int* rows, const int* cols, const int* bat, int samples,
                      double* ref, double* sum_sq, double* got, cudaStream_t s);

// ---- [SECTION] LLM kernels ------------------------------------------------------------------------

// Decode attention (llmcalc's own, split over the context): one query token per sequence against
// a bf16 KV cache, q_heads ÷ kv_heads query heads per KV head (GQA), head_dim 64 or 128. Layouts:
// q, o [batch][q_heads][head_dim]; k, v [batch][kv_heads][context][head_dim]. Bytes moved: K and V
// (2 · batch · kv_heads · context · head_dim · 2) + q and o.
struct DecodeAttention {
  const void* q = nullptr;
  const void* k = nullptr;
  const void* v = nullptr;
  void* o = nullptr;
  float* workspace = nullptr;  // decode_attention_workspace_floats()
  int batch = 1, q_heads = 1, kv_heads = 1, context = 1, head_dim = 128, splits = 1;
};
int decode_attention_splits(int batch, int kv_heads, int context, int sms);
size_t decode_attention_workspace_floats(const DecodeAttention& a);
bool decode_attention_supported(int head_dim, int gqa);
void launch_decode_attention(const DecodeAttention& a, cudaStream_t s);
// Double-precision outputs of the sampled (sequence, query head) pairs: out[i·head_dim + d].
void launch_decode_attention_reference(const DecodeAttention& a, const int* pairs, int samples, double* ref, cudaStream_t s);

// Weight-only GEMM Y[m×n] = X[m×k] · dequant(W)ᵀ, X and Y bf16 row-major; W [n][k] packed:
// 4 bits (two per byte, low nibble first) with a group-128 fp16 scale and a 4-bit zero point
// (W4A16, as GPTQ/AWQ), or int8 with a group-128 fp16 scale (W8A16). Bytes of weights:
// weight_only_bytes(). llmcalc's reference kernels: a GEMV for m ≤ 8 (CUDA cores, 16-byte weight
// loads, several rows per warp), a tensor-core (WMMA) GEMM above.
struct WeightOnly {
  int bits = 4;
  const void* x = nullptr;
  const void* w = nullptr;
  const void* scales = nullptr;  // fp16 [n][k/128]
  const void* zeros = nullptr;   // 4 bits: [n][k/256] bytes (two per byte); 8 bits: unused
  void* y = nullptr;
  int m = 1, n = 1, k = 128;     // k a multiple of 256
};
size_t weight_only_bytes(int bits, int n, int k);  // packed weights + scales + zeros
void launch_fill_weight_only(const WeightOnly& w, uint32_t seed, cudaStream_t s);
const char* launch_weight_only(const WeightOnly& w, cudaStream_t s);  // returns the kernel's name
void launch_weight_only_reference(const WeightOnly& w, const int* rows, const int* cols, int samples, double* ref,
                                  double* sum_sq, double* got, cudaStream_t s);

// Small kernels, bf16 in and out, fp32 inside. Bytes moved per token: rmsnorm 4·hidden, silu·mul
// 6·ffn (gate and up read, product written), rope 4·(q_heads + kv_heads)·head_dim (in place),
// residual add 6·hidden, embedding 4·hidden (a row gathered and written); sampling reads
// 4·vocab per row (fp32 logits; several passes over it, in L2).
void launch_rmsnorm(const void* x, const void* weight, void* y, int tokens, int hidden, cudaStream_t s);
void launch_silu_mul(const void* gate_up, void* out, int tokens, int ffn, cudaStream_t s);
void launch_rope(void* q, void* k, int tokens, int q_heads, int kv_heads, int head_dim, cudaStream_t s);
void launch_residual_add(const void* a, const void* b, void* out, int tokens, int hidden, cudaStream_t s);
void launch_embedding(const int* ids, const void* table, void* out, int tokens, int hidden, cudaStream_t s);
// Top-k sampling: per row the k largest logits (radix selection on 16 bits of the key), a
// softmax over them and a draw; out[row] = the token.
void launch_topk_sampling(const float* logits, int* out, int rows, int vocab, int k, uint32_t seed, cudaStream_t s);
// Causal softmax in place over bf16 scores [heads][seq][seq] (key > query: 0), scaled by `scale`.
void launch_causal_softmax(void* scores, int heads, int seq, float scale, cudaStream_t s);

}  // namespace calib
