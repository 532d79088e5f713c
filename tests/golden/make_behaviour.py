#!/usr/bin/env python3
"""Record the CLI's estimate JSON for a fixed set of generated scenarios (tests/golden/behaviour.jsonl).

The set covers every scenario key (both modes, every model and GPU preset, custom models and
architecture overrides, every enum value, parallel layouts, GPU profiles in links) and some
inputs that must fail. tests/golden/behaviour_test.cpp checks that today's core produces the
recorded output byte for byte: a refactor must not change a single number or message.

When a change is *meant* to change numbers, re-record and say why in the commit:
    python3 tests/golden/make_behaviour.py build/native/llmcalc
The scenarios are generated from a fixed seed, so the file changes only where outputs change.
"""
import json
import random
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = HERE / "behaviour.jsonl"

MODELS = ["llama-7b", "llama-13b", "llama-2-7b", "llama-2-13b", "llama-2-70b", "llama-3.2-1b",
          "llama-3.2-3b", "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "mistral-7b",
          "mixtral-8x7b", "qwen2.5-7b", "qwen2.5-72b", "gpt-3-175b"]
GPUS = ["a100-40gb", "a100-80gb", "h100-sxm", "h100-pcie", "h200", "b200", "l40s", "l4", "a10",
        "rtx-3090", "rtx-4090", "mi300x"]
DTYPES = ["fp32", "fp16", "bf16", "fp8", "int8", "int4"]
TIMINGS = ["additive", "roofline", "calibrated"]


def cli(binary, *args):
    p = subprocess.run([binary, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


DTYPE_SECTIONS = ("fp32.", "fp16.", "bf16.", "fp8.", "int8.", "fp4.")


def full_profile_link(binary):
    """The prof= value of the synthetic H100 profile, every section (schema 1.1) included."""
    fixture = ROOT / "tests/fixtures/synthetic-h100-profile.json"
    rc, out, err = cli(binary, "estimate", "model=llama-7b", "--json", "--profile", str(fixture))
    assert rc == 0, err
    scen = json.loads(out)["scenario"]
    return [kv for kv in scen.split("&") if kv.startswith("prof=")][0][len("prof="):]


def profile_links(binary):
    """prof= values as links carried them before schema 1.1 (bandwidth, launches and the GEMM grids
    only; old links must keep working): the synthetic H100 profile whole, and cut down to bf16
    only (other types then fall back to default efficiencies)."""
    prof = full_profile_link(binary)
    head = prof.split("~")[:6]
    gemm = [p for p in prof.split("~")[6:] if p.startswith(DTYPE_SECTIONS)]
    bf16 = [p for p in gemm if p.startswith("bf16.")]
    return ["~".join(head + gemm), "~".join(head + bf16)]


def profile_1_1_scenarios(binary):
    """Scenarios with the whole 1.1 link (weight-only kernel, grouped MoE GEMMs, attention, small
    kernels, memory, collectives, peer-to-peer): appended last, so the lines above stay as they were."""
    prof = full_profile_link(binary)
    out = []
    for s in ["model=llama-3.1-8b&batch=1", "model=llama-3.1-8b&batch=1&dtype=int4", "model=llama-3.1-8b&batch=1&dtype=awq&engine=none",
              "model=llama-3.1-8b&batch=32&prompt=8192&gen=512", "model=llama-3.1-8b&dtype=int8&batch=8", "model=llama-3.1-8b&engine=none",
              "model=llama-3.1-70b&gpus=8&tp=8&batch=16", "model=llama-3.1-70b&gpus=8&tp=4&pp=2&batch=4",
              "model=mixtral-8x7b&gpus=2&tp=2&batch=8", "model=gemma-3-27b&prompt=32768&batch=2",
              "mode=train&model=llama-3.1-8b&gpus=8&zero=3", "mode=train&model=llama-3.1-8b&gpus=8&tp=8&framework=none",
              "model=llama-3.1-8b&gpu=a100-80gb&dtype=int4", "model=llama-3.1-8b&batch=1&timing=roofline"]:
        out.append(f"{s}&prof={prof}")
    return out


def parallel(r, gpus_max=64):
    tp = r.choice([1, 1, 2, 4, 8])
    pp = r.choice([1, 1, 1, 2, 4])
    dp = r.choice([1, 1, 2, 4, 8])
    while tp * pp * dp > gpus_max:
        dp = max(1, dp // 2)
        pp = max(1, pp // 2)
    keys = []
    if tp > 1: keys.append(f"tp={tp}")
    if pp > 1: keys.append(f"pp={pp}")
    form = r.random()
    if form < 0.5: keys.append(f"gpus={tp * pp * dp}")
    elif dp > 1: keys.append(f"dp={dp}")
    return keys


def arch_overrides(r):
    keys = []
    if r.random() < 0.3: keys.append(f"layers={r.choice([2, 12, 24, 40, 61])}")
    if r.random() < 0.2: keys.append(f"vocab={r.choice([32000, 50257, 128256, 151936])}")
    if r.random() < 0.2: keys.append(f"ffn={r.choice([2048, 8192, 14336])}")
    if r.random() < 0.15: keys.append(f"gated={r.choice([0, 1])}")
    if r.random() < 0.15: keys.append(f"tied={r.choice([0, 1])}")
    if r.random() < 0.1: keys.append(f"head_dim={r.choice([64, 128, 256])}")
    if r.random() < 0.1: keys.append(f"experts={r.choice([4, 8, 16])}&experts_active={r.choice([1, 2])}")
    return keys


def custom_model(r):
    heads = r.choice([8, 16, 32, 64])
    kv = r.choice([h for h in [1, 2, 4, 8, 16, 32, 64] if heads % h == 0])
    hidden = heads * r.choice([64, 128])
    keys = ["model=custom", f"layers={r.choice([4, 16, 32])}", f"hidden={hidden}", f"heads={heads}",
            f"ffn={hidden * r.choice([2, 3, 4])}", f"vocab={r.choice([32000, 65536])}"]
    if r.random() < 0.7: keys.append(f"kv_heads={kv}")
    if r.random() < 0.3: keys.append(f"experts={r.choice([8, 64])}&experts_active={r.choice([2, 6])}")
    if r.random() < 0.3: keys.append(f"gated={r.choice([0, 1])}")
    if r.random() < 0.3: keys.append(f"tied={r.choice([0, 1])}")
    return keys


def infer(r, profs):
    keys = ["mode=infer"] if r.random() < 0.5 else []
    keys += custom_model(r) if r.random() < 0.15 else [f"model={r.choice(MODELS)}"] + arch_overrides(r)
    keys.append(f"gpu={r.choice(GPUS)}")
    keys += parallel(r)
    keys.append(f"batch={r.choice([1, 1, 4, 16, 64, 256])}")
    if r.random() < 0.7: keys.append(f"prompt={r.choice([1, 128, 1024, 8192, 32768])}")
    if r.random() < 0.7: keys.append(f"gen={r.choice([1, 2, 64, 256, 2048])}")
    if r.random() < 0.7: keys.append(f"dtype={r.choice(DTYPES)}")
    if r.random() < 0.4: keys.append(f"kv={r.choice(DTYPES)}")
    if r.random() < 0.25: keys.append("flash=0")
    if r.random() < 0.6: keys.append(f"timing={r.choice(TIMINGS)}")
    if r.random() < 0.3: keys.append(f"prof={r.choice(profs)}")
    return "&".join(keys)


def train(r, profs):
    keys = ["mode=train"]
    keys += custom_model(r) if r.random() < 0.15 else [f"model={r.choice(MODELS)}"] + arch_overrides(r)
    keys.append(f"gpu={r.choice(GPUS)}")
    keys += parallel(r, 512)
    keys.append(f"batch={r.choice([1, 1, 2, 4, 8])}")
    if r.random() < 0.7: keys.append(f"seq={r.choice([256, 1024, 2048, 4096, 8192])}")
    if r.random() < 0.5: keys.append(f"accum={r.choice([1, 2, 4, 8, 32])}")
    if r.random() < 0.5: keys.append(f"precision={r.choice(['mixed', 'fp32', 'bf16'])}")
    if r.random() < 0.5: keys.append(f"optimizer={r.choice(['adamw', 'adamw8bit', 'sgd', 'sgdm', 'adafactor'])}")
    if r.random() < 0.5:
        keys.append(f"method={r.choice(['full', 'lora', 'qlora'])}")
        if r.random() < 0.5: keys.append(f"rank={r.choice([4, 8, 64])}")
    if r.random() < 0.5: keys.append(f"recompute={r.choice(['none', 'selective', 'full'])}")
    if r.random() < 0.25: keys.append("flash=0")
    if r.random() < 0.4: keys.append(f"zero={r.choice([0, 1, 2, 3])}")
    if r.random() < 0.3: keys.append("sp=1")
    if r.random() < 0.5: keys.append(f"timing={r.choice(TIMINGS)}")
    if r.random() < 0.3: keys.append(f"prof={r.choice(profs)}")
    return "&".join(keys)


def scenarios(profs):
    out = []
    # every preset in both modes, at their defaults and on one other GPU
    for m in MODELS:
        out.append(f"model={m}")
        out.append(f"mode=train&model={m}&gpu=h200&gpus=8&zero=3")
    for g in GPUS:
        out.append(f"gpu={g}&dtype=fp8&kv=int8")
        out.append(f"mode=train&gpu={g}&method=qlora&timing=roofline")
    for d in DTYPES:
        for k in DTYPES:
            out.append(f"model=llama-3.1-8b&dtype={d}&kv={k}&batch=8")
    # inputs that must fail, with their messages
    out += ["batch=-1", "model=nope", "gpu=nope", "gpus=3&tp=2", "model=custom&layers=2",
            "model=custom&layers=2&hidden=100&heads=3&ffn=10&vocab=10", "experts=2&experts_active=3",
            "kv_heads=3", "v=2", "prof=1~x", "mode=sideways", "tp=2&pp=2&gpus=2&dp=2"]
    r = random.Random(20261125)
    for _ in range(170): out.append(infer(r, profs))
    for _ in range(170): out.append(train(r, profs))
    return out


NEW_MODELS = ["deepseek-v3", "deepseek-r1", "kimi-k2", "gpt-oss-120b", "gpt-oss-20b", "qwen3-0.6b", "qwen3-1.7b",
              "qwen3-4b", "qwen3-8b", "qwen3-14b", "qwen3-32b", "qwen3-30b-a3b", "qwen3-235b-a22b", "gemma-3-1b",
              "gemma-3-4b", "gemma-3-12b", "gemma-3-27b", "llama-3.3-70b", "llama-4-scout", "llama-4-maverick",
              "mistral-small-3", "mixtral-8x22b", "phi-4"]
FORMATS = ["fp32", "fp16", "bf16", "fp8", "fp8_channel", "fp8_block", "int8", "int4", "awq", "gptq", "nf4", "nf4_dq",
           "mxfp4", "nvfp4", "q8_0", "q6_k", "q5_k_m", "q4_k_m", "q4_0", "q3_k_m", "q2_k"]
KVS = ["fp32", "fp16", "bf16", "fp8", "fp8_e5m2", "int8", "int4", "q8_0", "q4_0"]


def modern_scenarios():
    """Scenarios of the architectures, formats and keys added after the first recording (a second
    seed, so the first part of the file stays as it was)."""
    out = []
    for m in NEW_MODELS:
        out.append(f"model={m}")
        out.append(f"mode=train&model={m}&gpu=h200&gpus=64&tp=8&zero=1")
    for f in FORMATS:
        for m in ["llama-3.1-8b", "mixtral-8x7b", "deepseek-v3", "gpt-oss-120b"]:
            out.append(f"model={m}&gpu=b200&gpus=8&tp=8&dtype={f}&batch=8")
    for k in KVS:
        out.append(f"model=gemma-3-27b&kv={k}&prompt=32768")
        out.append(f"model=deepseek-v3&gpu=h200&gpus=8&tp=8&kv={k}")
    out += ["model=deepseek-v3&gpu=h200&gpus=8&tp=8&batch=32&prompt=8192&gen=256",
            "model=gemma-3-27b&prompt=131072&gen=1", "model=gpt-oss-120b&prompt=131072&gen=1",
            "model=llama-3.1-8b&dtype=Q4_K_M", "model=deepseek-v3&gpu=h200&gpus=16&tp=8&pp=2&mtp=1",
            "model=custom&name=Org%2FTiny%20MLA&layers=4&hidden=1024&heads=8&head_dim=96&kv_lora=256&q_lora=384&rope_dim=32&v_dim=64&ffn=2048&vocab=32000",
            "model=custom&layers=12&hidden=2048&heads=16&kv_heads=4&ffn=4096&vocab=50000&window=256&local=2&period=3",
            "model=custom&layers=8&hidden=1024&heads=8&ffn=2048&vocab=32000&experts=16&experts_active=2&expert_ffn=512&shared_experts=2&dense_layers=1&moe_every=2",
            "gpu=custom&gpu_mem=48&gpu_bw=864&gpu_bf16=181&gpu_fp8=362&gpu_link=64",
            "model=qwen3-30b-a3b&gpu=h100-sxm&gpus=4&tp=4&ep=4", "model=deepseek-v3&gpu=h200&gpus=8&tp=8&ep=8",
            "dtype=gptq&group=32", "dtype=awq&group=64", "dtype=nope", "kv=fp12", "group=100", "gpu=custom",
            "model=custom&layers=2&hidden=128&heads=2&ffn=256&vocab=100&kv_lora=32&rope_dim=64"]
    r = random.Random(2026112502)
    for _ in range(120):
        keys = [f"model={r.choice(NEW_MODELS)}", f"gpu={r.choice(GPUS)}"]
        keys += parallel(r, 64)
        keys.append(f"batch={r.choice([1, 4, 32, 128])}")
        if r.random() < 0.7: keys.append(f"prompt={r.choice([1, 100, 1024, 8192, 65536])}")
        if r.random() < 0.7: keys.append(f"gen={r.choice([1, 2, 200, 4096])}")
        if r.random() < 0.6: keys.append(f"dtype={r.choice(FORMATS)}")
        if r.random() < 0.4: keys.append(f"kv={r.choice(KVS)}")
        if r.random() < 0.2: keys.append(f"group={r.choice([32, 64])}")
        if r.random() < 0.2: keys.append(f"ep={r.choice([2, 4, 8])}")
        if r.random() < 0.1: keys.append("mtp=1")
        if r.random() < 0.2: keys.append("flash=0")
        if r.random() < 0.5: keys.append(f"timing={r.choice(TIMINGS)}")
        out.append("&".join(keys))
    return out


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "build/native/llmcalc")
    profs = profile_links(binary)
    lines = []
    for s in scenarios(profs) + modern_scenarios() + profile_1_1_scenarios(binary):
        rc, out, err = cli(binary, "estimate", s, "--json")
        rec = {"scenario": s}
        if rc == 0:
            assert out.endswith("\n")
            rec["json"] = out[:-1]
        else:
            assert err.startswith("llmcalc: "), err
            rec["error"] = err[len("llmcalc: "):].rstrip("\n")
        lines.append(json.dumps(rec, ensure_ascii=False))
    OUT.write_text("\n".join(lines) + "\n")
    ok = sum(1 for l in lines if '"json"' in l)
    print(f"{OUT.relative_to(ROOT)}: {len(lines)} scenarios ({ok} estimates, {len(lines) - ok} errors)")


if __name__ == "__main__":
    main()
