// calibrate/measure_llm.cpp — llmcalc's own kernels timed: decode attention (reported against
// bandwidth), the weight-only reference GEMV/GEMM, and the small kernels between the GEMMs.
//
// [SECTION] decode attention
// [SECTION] weight-only GEMMs
// [SECTION] small kernels
#include <cmath>
#include <cstring>
#include <functional>

#include "check.hpp"
#include "kernels.hpp"
#include "measure.hpp"
#include "checker.hpp"
#include "verify.hpp"

namespace calib {

namespace {
int samples_of(const Options& o) { return o.quick ? 5 : 9; }
}  // namespace

// ============================================================================================
// [SECTION] decode attention
// ============================================================================================

void measure_decode_attention(Bench& b) {
  b.phase_begin("decode attention");
  const cudaStream_t s = b.stream();
  const int kv_heads = 8, pairs = 4;
  const std::vector<int> contexts = b.o.quick ? std::vector<int>{2048, 32768} : std::vector<int>{512, 2048, 8192, 32768};
  const std::vector<int> batches = b.o.quick ? std::vector<int>{1, 32} : std::vector<int>{1, 8, 32};
  const std::vector<int> dims = b.o.quick ? std::vector<int>{128} : std::vector<int>{64, 128};
  const std::vector<int> ratios = b.o.quick ? std::vector<int>{1, 8} : std::vector<int>{1, 4, 8};
  DeviceBuffer d_pairs(pairs * sizeof(int), "attention check"), d_ref(2 * pairs * 128 * sizeof(double), "attention check");
  for (int d : dims)
    for (int gqa : ratios)
      for (int batch : batches)
        for (int ctx : contexts) {
          const std::string label = "decode attention ctx=" + std::to_string(ctx) + " b=" + std::to_string(batch) + " d=" +
                                    std::to_string(d) + " gqa=" + std::to_string(gqa);
          b.st.step(label);
          guarded(b.st, label, [&] {
            DecodeAttention a;
            a.batch = batch;
            a.kv_heads = kv_heads;
            a.q_heads = kv_heads * gqa;
            a.context = ctx;
            a.head_dim = d;
            a.splits = decode_attention_splits(batch, kv_heads, ctx, b.dev.sms);
            const size_t kv_elems = size_t(batch) * kv_heads * ctx * d, q_elems = size_t(batch) * a.q_heads * d;
            const double kv_bytes = 2.0 * kv_elems * 2;
            // every layer has its own cache: rotate copies so a launch reads its K and V from device memory
            const int copies = b.copies_for(kv_bytes);
            std::vector<DeviceBuffer> k(copies), v(copies);
            for (int c = 0; c < copies; ++c) {
              k[c].alloc(kv_elems * 2, "the K cache");
              v[c].alloc(kv_elems * 2, "the V cache");
              launch_fill_random(k[c].get(), kv_elems, Elem::bf16, 51 + c, s);
              launch_fill_random(v[c].get(), kv_elems, Elem::bf16, 61 + c, s);
            }
            DeviceBuffer q(q_elems * 2, "attention queries"), o(q_elems * 2, "attention output");
            launch_fill_random(q.get(), q_elems, Elem::bf16, 71, s);
            a.q = q.get();
            a.o = o.get();
            DeviceBuffer ws(decode_attention_workspace_floats(a) * sizeof(float), "the attention workspace");
            a.workspace = ws.as<float>();
            a.k = k[0].get();
            a.v = v[0].get();
            launch_decode_attention(a, s);
            // check: a few (sequence, head) pairs, every dimension, against the double-precision reference
            std::vector<int> pick(pairs);
            for (int i = 0; i < pairs; ++i) pick[i] = int((uint64_t(i) * 2654435761u) % uint64_t(batch * a.q_heads));
            CUDA_CHECK(cudaMemcpyAsync(d_pairs.get(), pick.data(), pairs * sizeof(int), cudaMemcpyHostToDevice, s));
            launch_decode_attention_reference(a, d_pairs.as<int>(), pairs, d_ref.as<double>(), s);
            CUDA_CHECK(cudaGetLastError());
            std::vector<double> ref(2 * pairs * d), got(pairs * d);
            std::vector<uint16_t> out(q_elems);
            CUDA_CHECK(cudaMemcpyAsync(ref.data(), d_ref.get(), ref.size() * sizeof(double), cudaMemcpyDeviceToHost, s));
            CUDA_CHECK(cudaMemcpyAsync(out.data(), o.get(), q_elems * 2, cudaMemcpyDeviceToHost, s));
            b.sync();
            for (int i = 0; i < pairs; ++i)
              for (int j = 0; j < d; ++j) {
                const uint32_t bits = uint32_t(out[size_t(pick[i]) * d + j]) << 16;
                float f;
                std::memcpy(&f, &bits, 4);
                got[size_t(i) * d + j] = f;
              }
            Tolerance tol = bf16_out_tolerance();
            tol.eps_in = std::ldexp(1.0, -20);  // __expf and the fp32 scores
            const Verdict v_ok = verify(tol, ctx, ref.data(), ref.data() + pairs * d, got.data(), pairs * d);
            const Summary t = b.rotating([&](int c) {
              a.k = k[c].get();
              a.v = v[c].get();
              launch_decode_attention(a, s);
            }, copies, samples_of(b.o), 2);
            llmcalc::AttentionDecodeSample x;
            x.context = ctx;
            x.batch = batch;
            x.head_dim = d;
            x.q_heads = a.q_heads;
            x.kv_heads = kv_heads;
            x.bytes_moved = kv_bytes + 2.0 * q_elems * 2;
            x.seconds = t.median;
            x.spread = t.spread;
            x.verified = v_ok.ok;
            if (!v_ok.ok) b.st.note(label + ": output did not match the reference (worst error " + std::to_string(v_ok.worst) + " x the bound)");
            b.st.update([&](llmcalc::Profile& p) { p.attention_decode.push_back(x); });
          });
        }
  b.method("attention.decode", kTimer, 2, samples_of(b.o), "rotate",
           "llmcalc's split-context kernel (bf16 KV cache, 16-byte loads, 4 tokens in flight per thread, every K and V row read once for "
           "all the query heads that share it) + a combine kernel; KV copies rotated over 3 x L2; 4 (sequence, head) pairs checked on "
           "every dimension against a double-precision reference");
  b.phase_end();
}

// ============================================================================================
// [SECTION] weight-only GEMMs
// ============================================================================================

void measure_weight_only(Bench& b) {
  if (b.dev.cc < 80) return;  // bf16 WMMA
  b.phase_begin("weight-only");
  const cudaStream_t s = b.stream();
  const std::vector<std::pair<int, int>> nks = b.o.quick ? std::vector<std::pair<int, int>>{{4096, 4096}, {14336, 4096}}
                                                         : std::vector<std::pair<int, int>>{{4096, 4096}, {14336, 4096}, {4096, 14336}, {8192, 8192}, {28672, 4096}};
  const std::vector<int> ms = b.o.quick ? std::vector<int>{1, 4, 16, 64, 256} : std::vector<int>{1, 2, 4, 8, 16, 32, 64, 128, 256};
  for (int bits : {4, 8})
    for (auto [n, k] : nks) {
      guarded(b.st, "weight-only W" + std::to_string(bits) + "A16", [&] {
        const size_t wb = weight_only_bytes(bits, n, k);
        const int copies = b.copies_for(double(wb));
        struct Packed {
          DeviceBuffer w, scales, zeros;
        };
        std::vector<Packed> packed(copies);
        WeightOnly w;
        w.bits = bits;
        w.n = n;
        w.k = k;
        for (int c = 0; c < copies; ++c) {
          packed[c].w.alloc(size_t(n) * k * bits / 8, "packed weights");
          packed[c].scales.alloc(size_t(n) * (k / 128) * 2, "weight scales");
          packed[c].zeros.alloc(std::max<size_t>(1, size_t(n) * (k / 256)), "weight zero points");
          w.w = packed[c].w.get();
          w.scales = packed[c].scales.get();
          w.zeros = packed[c].zeros.get();
          launch_fill_weight_only(w, 81 + c, s);
        }
        const int max_m = ms.back();
        DeviceBuffer x(size_t(max_m) * k * 2, "activations"), y(size_t(max_m) * n * 2, "outputs");
        launch_fill_random(x.get(), size_t(max_m) * k, Elem::bf16, 91, s);
        w.x = x.get();
        w.y = y.get();
        Checker chk;
        for (int m : ms) {
          const std::string label = "weight-only W" + std::to_string(bits) + "A16 M=" + std::to_string(m) + " N=" + std::to_string(n) +
                                    " K=" + std::to_string(k);
          b.st.step(label);
          guarded(b.st, label, [&] {
            w.m = m;
            auto use = [&](int c) {
              w.w = packed[c].w.get();
              w.scales = packed[c].scales.get();
              w.zeros = packed[c].zeros.get();
            };
            use(0);
            const char* kernel = launch_weight_only(w, s);
            const Verdict v_ok = chk.weight_only(w, s);
            const Summary t = b.rotating([&](int cc) {
              use(cc);
              launch_weight_only(w, s);
            }, copies, samples_of(b.o), 2);
            llmcalc::WeightOnlySample x;
            x.format = bits == 4 ? "w4a16_g128" : "w8a16_g128";
            x.m = m;
            x.n = n;
            x.k = k;
            x.weight_bytes = double(wb);
            x.seconds = t.median;
            x.spread = t.spread;
            x.verified = v_ok.ok;
            x.kernel = kernel;
            if (!v_ok.ok) b.st.note(label + ": output did not match the reference; its time is not used");
            b.st.update([&](llmcalc::Profile& p) { p.weight_only.push_back(x); });
          });
        }
      });
    }
  b.method("weight_only", kTimer, 2, samples_of(b.o), "rotate",
           "llmcalc reference kernels (not Marlin/AWQ/GPTQ's): W4A16 with a group-128 fp16 scale and 4-bit zero, W8A16 with a "
           "group-128 fp16 scale; a GEMV for M <= 8 (16-byte weight loads, 2 rows per warp, 2 steps in flight), a WMMA bf16 GEMM "
           "above; packed weights rotated over 3 x L2; 64 sampled outputs checked");
  b.phase_end();
}

// ============================================================================================
// [SECTION] small kernels
// ============================================================================================

void measure_small_kernels(Bench& b) {
  b.phase_begin("small kernels");
  const cudaStream_t s = b.stream();
  const int hidden = 4096, ffn = 14336, q_heads = 32, kv_heads = 8, d = 128, vocab = 128256;
  const std::vector<int> tokens = b.o.quick ? std::vector<int>{1, 16, 256, 4096, 16384}
                                            : std::vector<int>{1, 4, 16, 64, 256, 1024, 4096, 16384};
  const int max_t = tokens.back();
  // one set of buffers for the largest count; the kernels work on the first rows
  DeviceBuffer x(size_t(max_t) * ffn * 2 * 2, "small-kernel inputs"), y(size_t(max_t) * ffn * 2, "small-kernel outputs");
  DeviceBuffer z(size_t(max_t) * hidden * 2, "small-kernel inputs"), weight(size_t(hidden) * 2, "norm weights");
  DeviceBuffer table(size_t(vocab) * hidden * 2, "the embedding table"), ids(size_t(max_t) * sizeof(int), "token ids");
  DeviceBuffer q(size_t(max_t) * q_heads * d * 2, "queries"), k(size_t(max_t) * kv_heads * d * 2, "keys");
  const int max_rows = 256;
  DeviceBuffer logits(size_t(max_rows) * vocab * 4, "logits"), picked(size_t(max_rows) * sizeof(int), "sampled tokens");
  launch_fill_random(x.get(), size_t(max_t) * ffn * 2, Elem::bf16, 101, s);
  launch_fill_random(z.get(), size_t(max_t) * hidden, Elem::bf16, 103, s);
  launch_fill_random(weight.get(), hidden, Elem::bf16, 107, s);
  launch_fill_random(table.get(), size_t(vocab) * hidden, Elem::bf16, 109, s);
  launch_fill_random(q.get(), size_t(max_t) * q_heads * d, Elem::bf16, 113, s);
  launch_fill_random(k.get(), size_t(max_t) * kv_heads * d, Elem::bf16, 127, s);
  launch_fill_random(logits.get(), size_t(max_rows) * vocab, Elem::f32, 131, s);
  std::vector<int> host_ids(static_cast<size_t>(max_t), 0);
  for (size_t i = 0; i < host_ids.size(); ++i) host_ids[i] = int((i * 2654435761u) % uint64_t(vocab));
  CUDA_CHECK(cudaMemcpyAsync(ids.get(), host_ids.data(), host_ids.size() * sizeof(int), cudaMemcpyHostToDevice, s));
  b.sync();
  struct Kernel {
    const char* name;
    int width;
    double bytes_per_row;  // per token (sampling: per sequence)
    std::function<void(int)> launch;
  };
  const Kernel kernels[] = {
      {"rmsnorm", hidden, 4.0 * hidden, [&](int t) { launch_rmsnorm(z.get(), weight.get(), y.get(), t, hidden, s); }},
      {"silu_mul", ffn, 6.0 * ffn, [&](int t) { launch_silu_mul(x.get(), y.get(), t, ffn, s); }},
      {"rope", (q_heads + kv_heads) * d, 4.0 * (q_heads + kv_heads) * d, [&](int t) { launch_rope(q.get(), k.get(), t, q_heads, kv_heads, d, s); }},
      {"residual_add", hidden, 6.0 * hidden, [&](int t) { launch_residual_add(z.get(), x.get(), y.get(), t, hidden, s); }},
      {"embedding", hidden, 4.0 * hidden, [&](int t) { launch_embedding(ids.as<int>(), table.get(), y.get(), t, hidden, s); }},
      {"sampling", vocab, 4.0 * vocab, [&](int t) { launch_topk_sampling(logits.as<float>(), picked.as<int>(), t, vocab, 50, 7, s); }},
  };
  for (const Kernel& kn : kernels)
    for (int t : tokens) {
      if (std::string(kn.name) == "sampling" && t > max_rows) continue;  // sequences, not tokens
      const std::string label = std::string("small kernel ") + kn.name + " tokens=" + std::to_string(t);
      b.st.step(label);
      guarded(b.st, label, [&] {
        // back to back, as a decode step's kernels run (their inputs just written: in L2 where they fit)
        const double one = b.first_window([&] { kn.launch(t); });
        const int per = Bench::launches_for(one, 50e-6, 128);
        const Summary m = summarize(b.samples([&] { for (int i = 0; i < per; ++i) kn.launch(t); }, samples_of(b.o) + 1, 2, per));
        llmcalc::SmallKernelSample x;
        x.kernel = kn.name;
        x.tokens = t;
        x.width = kn.width;
        x.bytes_moved = kn.bytes_per_row * t;
        x.seconds = m.median;
        x.spread = m.spread;
        b.st.update([&](llmcalc::Profile& p) { p.small_kernels.push_back(x); });
      });
    }
  b.method("small_kernels", kTimer, 2, samples_of(b.o), "none",
           "llmcalc's bf16 kernels (fp32 inside), back to back on a stream, as many per window as make it >= 50 us: RMSNorm (a block per "
           "token), SiLU x up, NeoX rotary on 32 query + 8 KV heads of 128, residual add, embedding gather (128,256 x 4096 table), "
           "top-50 sampling over 128,256 fp32 logits (radix selection, a block per sequence)");
  b.phase_end();
}

}  // namespace calib
