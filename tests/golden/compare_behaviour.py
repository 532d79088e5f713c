#!/usr/bin/env python3
"""Compare today's CLI output with tests/golden/behaviour.jsonl number by number.

Before re-recording the behaviour file after a change meant to move numbers, run this to see
exactly which figures moved and by how much (a refactor should move none beyond rounding):
    python3 tests/golden/compare_behaviour.py build/native/llmcalc [--tolerance 1e-12]
Prints the largest relative change per JSON path, every non-numeric difference (warnings, errors),
and exits 1 when anything moved more than the tolerance.
"""
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def leaves(j, prefix=""):
    if isinstance(j, dict):
        for k, v in j.items():
            yield from leaves(v, f"{prefix}.{k}" if prefix else k)
    elif isinstance(j, list):
        yield prefix, json.dumps(j, ensure_ascii=False)
    else:
        yield prefix, j


def main():
    args = sys.argv[1:]
    tol = 1e-12
    if "--tolerance" in args:
        i = args.index("--tolerance")
        tol = float(args[i + 1])
        del args[i:i + 2]
    binary = args[0] if args else str(HERE.parent.parent / "build/native/llmcalc")
    worst = {}
    other = []
    for line in (HERE / "behaviour.jsonl").read_text().splitlines():
        rec = json.loads(line)
        p = subprocess.run([binary, "estimate", rec["scenario"], "--json"], capture_output=True, text=True)
        if "json" not in rec or p.returncode != 0:
            got = p.stdout[:-1] if p.returncode == 0 else p.stderr.removeprefix("llmcalc: ").rstrip("\n")
            want = rec.get("json", rec.get("error"))
            if got != want:
                other.append((rec["scenario"], "outcome", want[:120], got[:120]))
            continue
        old = dict(leaves(json.loads(rec["json"])))
        new = dict(leaves(json.loads(p.stdout)))
        for k in sorted(set(old) | set(new)):
            a, b = old.get(k), new.get(k)
            if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
                rel = abs(b - a) / max(abs(a), 1e-300) if a != b else 0.0
                if rel > worst.get(k, (0, ""))[0]:
                    worst[k] = (rel, rec["scenario"])
            elif a != b:
                other.append((rec["scenario"], k, str(a)[:120], str(b)[:120]))
    moved = {k: v for k, v in worst.items() if v[0] > tol}
    for k, (rel, s) in sorted(worst.items(), key=lambda kv: -kv[1][0]):
        if rel > 0:
            print(f"{rel:10.3g}  {k}  (largest in: {s[:100]})")
    for s, k, a, b in other[:40]:
        print(f"CHANGED {k} in {s[:80]}\n   was: {a}\n   now: {b}")
    if len(other) > 40:
        print(f"... {len(other) - 40} more non-numeric changes")
    print(f"{len(moved)} figures moved more than {tol:g}; {len(other)} other changes")
    sys.exit(1 if moved or other else 0)


if __name__ == "__main__":
    main()
