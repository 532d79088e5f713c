// tests/e2e/schema.test.mjs — GPU profiles against docs/gpu-profile.schema.json with a real JSON
// Schema validator (ajv, draft 2020-12): the synthetic fixture, a profile written by core's writer
// (the Catch2 suite leaves it in build/native), and malformed ones that must fail.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { root } from "./helpers.mjs";

const schema = JSON.parse(fs.readFileSync(path.join(root, "docs/gpu-profile.schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const load = (p) => JSON.parse(fs.readFileSync(path.join(root, p), "utf8"));

test("the synthetic fixture and a profile from core's writer satisfy the schema", () => {
  for (const p of ["tests/fixtures/synthetic-h100-profile.json", "build/native/written-profile.json"]) {
    const ok = validate(load(p));
    assert.ok(ok, p + ": " + JSON.stringify(validate.errors));
  }
});

test("malformed profiles fail the schema", () => {
  const good = load("tests/fixtures/synthetic-h100-profile.json");
  const broken = [
    (j) => { j.schema_version = "2.0"; },
    (j) => { delete j.device.name; },
    (j) => { j.gemm[0].dtype = "fp4"; },
    (j) => { j.bandwidth[0].seconds = 0; },
    (j) => { j.gemm = []; },
    // schema 1.1 sections
    (j) => { j.status = "finished"; },
    (j) => { j.attention.decode[0].context = 0; },
    (j) => { j.weight_only[0].format = "w3a16"; },
    (j) => { j.small_kernels[0].kernel = "softmax"; },
    (j) => { j.collectives[0].ranks = 1; },
    (j) => { j.memory = { free_after_context_bytes: 1 }; },
    (j) => { j.methods.gemm.flush = "magic"; },
    (j) => { j.gemm[0].seconds_without_fast_accum = -1; },
  ];
  for (const edit of broken) {
    const j = structuredClone(good);
    edit(j);
    assert.equal(validate(j), false, edit.toString());
  }
});
