// tests/e2e/profile.test.mjs — importing a GPU profile into the page: by the file input and by a
// drop; bad files change nothing; the shared link reproduces the profile's numbers.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { serve, launch, open, frames, screenshotPath, root } from "./helpers.mjs";

const fixture = path.join(root, "tests/fixtures/synthetic-h100-profile.json");
let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

const current = (page) => page.evaluate(() => window.llmcalc.estimate(window.llmcalc.scenario()));

// A drop event carrying a file, as a browser fires it when a file is dropped on the canvas.
function drop(page, name, text) {
  return page.evaluate(([n, t]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], n, { type: "application/json" }));
    document.getElementById("canvas").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [name, text]);
}
const settled = (page) => page.waitForFunction(() => ["ok", "failed"].includes(window.llmcalc.profileStatus().state));

test("Import profile (file chooser): calibrated times change and the link reproduces them", async () => {
  const { page, errors } = await open(browser, srv.url + "#model=llama-3.1-8b&gpu=a100-80gb&batch=8");
  const before = await current(page);
  const chooser = page.waitForEvent("filechooser");
  const b = await page.evaluate(() => window.llmcalc.widgetRect("import-profile"));
  await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
  await (await chooser).setFiles(fixture);
  await settled(page);
  assert.equal((await page.evaluate(() => window.llmcalc.profileStatus())).state, "ok");
  const scenario = await page.evaluate(() => window.llmcalc.scenario());
  assert.match(scenario, /&prof=1~NVIDIA_H100_80GB_HBM3_synthetic~2026-01-01~/);
  const after = await current(page);
  assert.equal(after.gpu.id, "h100-sxm", "the profile's device becomes the GPU");
  assert.notEqual(after.time.ttft_s, before.time.ttft_s);
  assert.notEqual(after.time.tpot_s, before.time.tpot_s);
  await frames(page, 3);
  await page.screenshot({ path: screenshotPath("page-profile-imported.png") });
  // the receiver: a fresh page from the link alone shows the same numbers
  const link = await page.evaluate(() => window.location.href);
  const other = await open(browser, link);
  assert.equal(await other.page.evaluate(() => window.llmcalc.scenario()), scenario);
  assert.deepEqual(await current(other.page), after);
  assert.deepEqual(other.errors, []);
  await other.page.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test("dropping a profile on the page imports it", async () => {
  const { page, errors } = await open(browser, srv.url + "#mode=train&model=llama-7b&gpu=h100-sxm");
  const before = await current(page);
  await drop(page, "h100.json", fs.readFileSync(fixture, "utf8"));
  await settled(page);
  assert.equal((await page.evaluate(() => window.llmcalc.profileStatus())).state, "ok");
  assert.notEqual((await current(page)).time.step_s, before.time.step_s);
  assert.deepEqual(errors, []);
  await page.close();
});

test("dropping a model's config.json estimates that model", async () => {
  const { page, errors } = await open(browser, srv.url + "#gpu=a100-80gb&batch=2");
  const config = { model_type: "llama", hidden_size: 4096, intermediate_size: 14336, num_attention_heads: 32,
    num_hidden_layers: 32, num_key_value_heads: 8, vocab_size: 128256, _name_or_path: "my-org/my-8b" };
  await drop(page, "config.json", JSON.stringify(config));
  await settled(page);
  assert.equal((await page.evaluate(() => window.llmcalc.profileStatus())).message, "Model from my-org/my-8b");
  const e = await current(page);
  assert.equal(e.model.id, "custom");
  const preset = await page.evaluate(() => window.llmcalc.estimate("model=llama-3.1-8b&gpu=a100-80gb&batch=2"));
  assert.equal(e.model.params, preset.model.params);
  assert.deepEqual(e.memory, preset.memory);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a bad file shows its error and changes nothing", async () => {
  const { page, errors } = await open(browser, srv.url + "#model=mistral-7b&batch=3");
  const scenario = await page.evaluate(() => window.llmcalc.scenario());
  const cases = [
    ["notes.txt", "hello", /not valid JSON/],
    ["old.json", JSON.stringify({ schema: "llmcalc.gpu-profile", schema_version: "2.0" }), /schema_version 2\.0 is not supported/],
    ["config.json", JSON.stringify({ hidden_size: 4096, num_hidden_layers: 2, num_attention_heads: 3, vocab_size: 10 }), /model config: /],
    ["typed.json", fs.readFileSync(fixture, "utf8").replace('"memory_bytes": 85520809984', '"memory_bytes": "80GB"'), /device\.memory_bytes must be a number/],
  ];
  for (const [name, text, want] of cases) {
    await drop(page, name, text);
    await page.waitForFunction(() => window.llmcalc.profileStatus().state === "failed");
    const st = await page.evaluate(() => window.llmcalc.profileStatus());
    assert.match(st.message, want);
    assert.ok(st.message.startsWith(name + ": "), st.message);
    assert.equal(await page.evaluate(() => window.llmcalc.scenario()), scenario);
    await page.evaluate(() => window.llmcalc.notes());  // still responsive
  }
  await frames(page, 3);
  await page.screenshot({ path: screenshotPath("page-profile-error.png") });
  assert.deepEqual(errors, []);
  await page.close();
});
