// core/engines.cpp — the engine table and the fitted time parameters (see engines.hpp;
// docs/engines.md has the conventions with their sources, tests/validation/ the evidence).
#include "engines.hpp"

namespace llmcalc {

namespace {
constexpr double GiB = 1024.0 * 1024.0 * 1024.0;

const EngineSpec kEngines[kEngineCount] = {
    {.id = Engine::vllm, .key = "vllm", .name = "vLLM", .budget = KvBudget::fraction_of_total, .util = 0.90,
     .chunk = 8192, .chunk_small = 2048, .block = 16, .graph_bytes = 0.5 * GiB, .runtime_bytes = 0.75 * GiB,
     .context_bytes = 0.5 * GiB, .profile_seqs = 256, .sampler_bytes = 14, .chunk_small_a100 = true,
     .kv_groups_equal = true, .graphs = true, .time_like = Engine::vllm,
     .source =
         "vLLM's V1 engine (the default since 0.8): engine arguments and its memory profiling "
         "(v1/worker/gpu_worker.py determine_available_memory): the KV blocks (block_size 16) get gpu_memory_utilization "
         "(0.9) × the device's total − the weights − the torch activation peak of a dummy max_num_batched_tokens pass "
         "(its sampler over max_num_seqs = 256 sequences included: v1/sample/sampler.py keeps the 16-bit logits, their "
         "fp32 copy, the softmax probabilities and the exponential noise of its Gumbel-max draw, 14 B per logit, top-k/top-p "
         "skipped in the dummy run) − the non-torch memory that pass adds (cuBLAS, NCCL); the CUDA context predates the "
         "profile and the CUDA graphs are captured after the KV pool, so neither is in the budget (\"Graph capturing … "
         "took ~0.5 GiB\"); max_num_batched_tokens 8192 for `vllm serve` on GPUs of 70 GiB and more but the A100 "
         "(engine/arg_utils.py, PR 17885), 2048 otherwise; a model with sliding-window layers splits the pool equally "
         "between its KV-cache groups (v1/core/kv_cache_utils.py, uniform page size)"},
    {.id = Engine::sglang, .key = "sglang", .name = "SGLang", .budget = KvBudget::fraction_of_start, .util = 0.88,
     .chunk = 8192, .chunk_small = 4096, .block = 1, .graph_bytes = 0.5 * GiB, .runtime_bytes = 0.75 * GiB,
     .context_bytes = 0.5 * GiB, .graphs = true, .time_like = Engine::sglang,
     .source =
         "SGLang server arguments and ModelRunner.profile_max_num_token: the KV pool (page_size 1) is the memory free "
         "after loading the weights − (1 − mem_fraction_static) × the memory free at start (after the CUDA context), "
         "i.e. mem_fraction_static (≈ 0.88 for one GPU, lower with TP) × that memory − the weights; activations and CUDA "
         "graphs live in the rest; chunked_prefill_size 8192 on large GPUs (4096 on smaller), CUDA graphs for decode"},
    {.id = Engine::trtllm, .key = "trtllm", .name = "TensorRT-LLM", .budget = KvBudget::fraction_of_free, .util = 0.90,
     .chunk = 8192, .chunk_small = 8192, .block = 32, .graph_bytes = 0.5 * GiB, .runtime_bytes = 0.75 * GiB,
     .context_bytes = 0.5 * GiB, .graphs = true, .time_like = Engine::trtllm,
     .source = "TensorRT-LLM KvCacheConfig.free_gpu_memory_fraction 0.9 of the memory left after weights and "
               "activations, max_num_tokens 8192, tokens_per_block 32, CUDA graphs for decode"},
    {.id = Engine::llamacpp, .key = "llamacpp", .name = "llama.cpp", .budget = KvBudget::exact, .util = 1.0,
     .chunk = 512, .chunk_small = 512, .block = 256, .graph_bytes = 0, .runtime_bytes = 0.4 * GiB,
     .context_bytes = 0.4 * GiB, .graphs = true, .time_like = Engine::llamacpp,
     .source = "llama.cpp: the KV cache of n_ctx tokens (padded to 256) allocated up front, the compute buffer for "
               "n_ubatch = 512 tokens, CUDA graphs for single-token decode; token embeddings stay in host memory for "
               "quantised GGUF"},
    {.id = Engine::hf, .key = "hf", .name = "transformers (eager)", .budget = KvBudget::exact, .util = 1.0,
     .chunk = 0, .chunk_small = 0, .block = 1, .graph_bytes = 0, .runtime_bytes = 0.5 * GiB,
     .context_bytes = 0.5 * GiB, .graphs = false, .time_like = Engine::hf,
     .source = "Hugging Face transformers generate(): eager PyTorch, the whole prompt in one forward pass, a dynamic "
               "KV cache, every kernel launched from Python"},
    {.id = Engine::gptfast, .key = "gptfast", .name = "gpt-fast (torch.compile)", .budget = KvBudget::exact,
     .util = 1.0, .chunk = 0, .chunk_small = 0, .block = 1, .graph_bytes = 0.2 * GiB, .runtime_bytes = 0.5 * GiB,
     .context_bytes = 0.5 * GiB, .graphs = true, .time_like = Engine::gptfast,
     .source = "pytorch-labs/gpt-fast: torch.compile(mode=\"reduce-overhead\") decode in CUDA graphs, a static KV "
               "cache of max_seq_length"},
    {.id = Engine::none, .key = "none", .name = "model only", .budget = KvBudget::exact, .util = 1.0, .chunk = 0,
     .chunk_small = 0, .block = 1, .graph_bytes = 0, .runtime_bytes = 1.0e9, .context_bytes = 1.0e9,
     .graphs = false, .time_like = Engine::none,
     .source = "no engine: the model's arithmetic alone — every prompt prefilled at once, no budget, ~1 GB for the "
               "CUDA context and kernels (the seed's figure), no host overheads"},
    {.id = Engine::vllm0, .key = "vllm0", .name = "vLLM V0", .budget = KvBudget::fraction_of_total, .util = 0.90,
     .chunk = 8192, .chunk_small = 2048, .block = 16, .graph_bytes = 0.5 * GiB, .runtime_bytes = 0.75 * GiB,
     .context_bytes = 0.5 * GiB, .profile_seqs = 256, .sampler_bytes = 36, .graphs = true, .time_like = Engine::vllm,
     .source =
         "vLLM's V0 engine (to 0.10 with VLLM_USE_V1=0; worker/worker.py determine_num_available_blocks, v0.6.4 on): "
         "the budget as V1's, but the dummy sampler run applies top-k and top-p, so about nine fp32-sized tensors of "
         "[max_num_seqs × vocabulary] are live at its peak (logits, scaled logits, sorted values and int64 indices, "
         "softmax, cumulative sum, mask, probabilities, log-probabilities; logs: Llama-3-8B 1.19-1.26 GiB at 8192 tokens, "
         "Phi-4 0.94 GiB at 2048); every local layer keeps its window only; vLLM's fitted host costs"},
};
}  // namespace

// Fitted by scripts/fit on tests/validation/*.jsonl (its output names the records and the
// leave-one-source-out error); see docs/engines.md §Fitted parameters.
const FitParams kFitted = {
    /*bw_native=*/0.798,
    /*bw_weight_only=*/0.395,
    /*bw_gguf=*/0.875,
    /*gemm=*/0.679,
    /*gemm_fp8=*/0.602,
    /*gemm_llamacpp=*/0.474,
    /*gemm_llamacpp_hopper=*/0.275,
    /*gemm_gguf=*/0.768,
    /*allreduce_s=*/6.13e-06,
    /*kernel_graph_s=*/5.15e-06,
    /*kernel_eager_s=*/6.1e-05,
    /*bw_llamacpp_hbm=*/0.615,
    /*kv_reread=*/0.699,
    /*step_s=*/{0.000833, 0.000237, 0.00219, 0.000377, 0.00236, 9.02e-05, 0.0, 0.0},
    /*train_gemm=*/{0.897, 0.612, 0.481},
    /*train_gemm_fp8=*/0.668,
    /*train_attn=*/0.19,
    /*train_comm_exposed=*/0.11,
    /*train_alloc_reserve=*/0.36,
    /*train_step_s=*/{0.0328, 0.0918, 0.0555, 0.0497, 0.0253, 0.0},
};

const EngineSpec& engine_spec(Engine e) { return kEngines[int(e)]; }
std::string_view engine_key(Engine e) { return kEngines[int(e)].key; }

int default_chunk(const EngineSpec& e, double capacity_bytes, std::string_view gpu_id) {
  const bool a100 = gpu_id.substr(0, 4) == "a100" || gpu_id.substr(0, 4) == "a800";
  return capacity_bytes >= 70.0 * GiB && !(e.chunk_small_a100 && a100) ? e.chunk : e.chunk_small;
}

std::optional<Engine> find_engine(std::string_view key) {
  for (const EngineSpec& s : kEngines)
    if (s.key == key) return s.id;
  return std::nullopt;
}

namespace {
// Every fitted parameter by name: the scalars, then the per-engine and per-framework ones.
struct Named {
  std::string_view name;
  double* (*field)(FitParams&);
};
#define SCALAR(f) {#f, [](FitParams& p) { return &p.f; }}
constexpr Named kNamed[] = {
    SCALAR(bw_native), SCALAR(bw_weight_only), SCALAR(bw_gguf), SCALAR(gemm), SCALAR(gemm_fp8), SCALAR(gemm_llamacpp),
    SCALAR(gemm_llamacpp_hopper), SCALAR(gemm_gguf),
    SCALAR(allreduce_s), SCALAR(kernel_graph_s), SCALAR(kernel_eager_s), SCALAR(bw_llamacpp_hbm), SCALAR(kv_reread),
    {"step_vllm", [](FitParams& p) { return &p.step_s[int(Engine::vllm)]; }},
    {"step_sglang", [](FitParams& p) { return &p.step_s[int(Engine::sglang)]; }},
    {"step_trtllm", [](FitParams& p) { return &p.step_s[int(Engine::trtllm)]; }},
    {"step_llamacpp", [](FitParams& p) { return &p.step_s[int(Engine::llamacpp)]; }},
    {"step_hf", [](FitParams& p) { return &p.step_s[int(Engine::hf)]; }},
    {"step_gptfast", [](FitParams& p) { return &p.step_s[int(Engine::gptfast)]; }},
    {"train_gemm_ampere", [](FitParams& p) { return &p.train_gemm[int(Generation::ampere)]; }},
    {"train_gemm_hopper", [](FitParams& p) { return &p.train_gemm[int(Generation::hopper)]; }},
    {"train_gemm_blackwell", [](FitParams& p) { return &p.train_gemm[int(Generation::blackwell)]; }},
    SCALAR(train_gemm_fp8), SCALAR(train_attn), SCALAR(train_comm_exposed), SCALAR(train_alloc_reserve),
    {"train_step_megatron", [](FitParams& p) { return &p.train_step_s[int(Framework::megatron)]; }},
    {"train_step_fsdp", [](FitParams& p) { return &p.train_step_s[int(Framework::fsdp)]; }},
    {"train_step_deepspeed", [](FitParams& p) { return &p.train_step_s[int(Framework::deepspeed)]; }},
    {"train_step_hf", [](FitParams& p) { return &p.train_step_s[int(Framework::hf)]; }},
    {"train_step_torchtune", [](FitParams& p) { return &p.train_step_s[int(Framework::torchtune)]; }},
};
#undef SCALAR
constexpr int kNamedCount = int(sizeof kNamed / sizeof kNamed[0]);
}  // namespace

int fit_param_count() { return kNamedCount; }  // step_none, train_step_none are 0 by definition

std::string_view fit_param_name(int i) { return i >= 0 && i < kNamedCount ? kNamed[i].name : std::string_view{}; }

double* fit_param(FitParams& p, std::string_view name) {
  for (const Named& n : kNamed)
    if (n.name == name) return n.field(p);
  return nullptr;
}

Generation gpu_generation(std::string_view gpu_id) {
  auto starts = [&](std::string_view p) { return gpu_id.substr(0, p.size()) == p; };
  if (starts("b2") || starts("b3") || starts("gb2") || starts("rtx-50") || starts("mi355")) return Generation::blackwell;
  if (starts("h1") || starts("h2") || starts("h8") || starts("gh2") || starts("mi3")) return Generation::hopper;
  return Generation::ampere;
}

bool hbm_memory(std::string_view gpu_id) {
  auto starts = [&](std::string_view p) { return gpu_id.substr(0, p.size()) == p; };
  return starts("a100") || starts("a800") || starts("h1") || starts("h2") || starts("h8") || starts("gh2") ||
         starts("b2") || starts("b3") || starts("gb2") || starts("mi") || starts("v100");
}

}  // namespace llmcalc
