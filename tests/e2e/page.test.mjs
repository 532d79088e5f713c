// tests/e2e/page.test.mjs — the built site (dist/) in real headless Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, open, frames, screenshotPath, assertSameAsCli } from "./helpers.mjs";

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

const hash = (page) => page.evaluate(() => window.location.hash.slice(1));

test("loads with zero console errors and a default estimate through the hook", async () => {
  const { page, errors } = await open(browser, srv.url);
  const e = await page.evaluate(() => window.llmcalc.estimate(window.llmcalc.scenario()));
  assert.equal(e.scenario, "v=1");
  assert.ok(e.memory.total > 0 && e.time.ttft_s > 0);
  assert.equal(await page.title(), "llmcalc — LLM GPU memory and speed calculator");
  assert.equal(await page.locator("#status").isHidden(), true, "the loading message is gone");
  await page.screenshot({ path: screenshotPath("page-default-1280x800.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("the page's numbers equal the native CLI's JSON exactly", async () => {
  const { page, errors } = await open(browser, srv.url);
  const scenarios = [
    "mode=train&model=llama-13b&batch=1&seq=1024&precision=mixed&optimizer=adamw&recompute=none&flash=0",
    "mode=infer&model=llama-7b&gpu=a100-40gb&batch=1&prompt=768&gen=256&dtype=fp16&kv=fp16",
    "mode=infer&model=llama-7b&gpu=a100-40gb&batch=1&prompt=1024&gen=1&dtype=fp16&timing=additive",
    "mode=infer&model=llama-7b&gpu=a100-40gb&batch=1&prompt=1024&gen=256&dtype=fp16&timing=roofline",
    "mode=infer&model=mixtral-8x7b&gpu=h100-sxm&gpus=4&tp=2&batch=48&dtype=fp8&kv=fp8",
    "mode=infer&model=llama-3.1-405b&gpu=h200&gpus=8&tp=8&dtype=int4&prompt=32000&gen=2000&batch=16",
    "mode=train&model=llama-3.1-70b&gpu=h100-sxm&gpus=64&tp=8&pp=2&sp=1&zero=1&accum=16&recompute=selective",
    "mode=train&model=qwen2.5-7b&gpu=rtx-4090&method=qlora&rank=64&optimizer=adamw8bit&recompute=full&seq=4096",
    "mode=train&model=mistral-7b&gpu=a100-80gb&gpus=8&zero=3&optimizer=adafactor&precision=bf16",
    "mode=infer&model=custom&layers=4&hidden=512&heads=8&kv_heads=2&ffn=1536&vocab=32000&foo=1",
  ];
  await assertSameAsCli(page, scenarios);
  // errors come back as exceptions naming the key, as the CLI's stderr does
  const err = await page.evaluate(() => { try { window.llmcalc.estimate("mode=train&batch=-1"); } catch (e) { return e.message; } });
  assert.match(err, /^batch: /);
  assert.deepEqual(errors, []);
  await page.close();
});

test("opening a link restores the scenario exactly; editing the fragment re-applies it", async () => {
  const s = "v=1&mode=train&model=llama-2-70b&gpu=a100-80gb&gpus=16&tp=8&pp=2&seq=4096&accum=8&recompute=selective&zero=1";
  const { page, errors } = await open(browser, srv.url + "#" + s);
  assert.equal(await page.evaluate(() => window.llmcalc.scenario()), s);
  assert.equal(await hash(page), s);
  assert.deepEqual(await page.evaluate(() => window.llmcalc.notes()), []);
  await page.evaluate(() => { window.location.hash = "model=mistral-7b&batch=4"; });
  await page.waitForFunction(() => window.llmcalc.scenario() === "v=1&model=mistral-7b&batch=4");
  assert.equal(await hash(page), "v=1&model=mistral-7b&batch=4");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a malformed link shows what is wrong and keeps what could be read", async () => {
  const { page, errors } = await open(browser, srv.url + "#mode=train&batch=abc&model=llama-2-70b&seq=-5&zz=1");
  assert.equal(await page.evaluate(() => window.llmcalc.scenario()), "v=1&mode=train&model=llama-2-70b");
  const notes = await page.evaluate(() => window.llmcalc.notes());
  assert.match(notes[0], /could not be read in full/);
  assert.ok(notes.some((n) => n.startsWith("batch: must be a whole number")), notes.join("|"));
  assert.ok(notes.some((n) => n.startsWith("seq: ")));
  assert.ok(notes.some((n) => n.includes("'zz'")));
  await page.screenshot({ path: screenshotPath("page-malformed-link.png") });
  // an unknown model keeps the user's model and takes the rest of the link
  await page.evaluate(() => { window.location.hash = "mode=train&model=gpt-9&gpu=l40s"; });
  await page.waitForFunction(() => window.llmcalc.scenario() === "v=1&mode=train&model=llama-2-70b&gpu=l40s");
  assert.ok((await page.evaluate(() => window.llmcalc.notes())).some((n) => n.includes("unknown model 'gpt-9'")));
  // a link of a future format version is refused by name, and the page still works
  await page.evaluate(() => { window.location.hash = "v=2&batch=3"; });
  await page.waitForFunction(() => window.llmcalc.notes().some((n) => n.startsWith("v: ")));
  assert.deepEqual(errors, []);
  await page.close();
});

// Real input: mouse clicks and key presses on the canvas, read back through the URL.
test("real mouse and keyboard events change the batch, the URL and the estimate", async () => {
  const { page, errors } = await open(browser, srv.url + "#model=llama-7b&gpu=a100-40gb");
  const before = await page.evaluate(() => window.llmcalc.estimate(window.llmcalc.scenario()));
  const r = await page.evaluate(() => window.llmcalc.widgetRect("batch"));
  assert.ok(r, "the batch field is on screen");
  await page.mouse.click(r.x + 30, r.y + r.height / 2);
  await frames(page, 2);
  await page.keyboard.press("Control+A");
  await page.keyboard.type("8");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.location.hash.includes("batch=8"), null, { timeout: 5000 });
  assert.equal(await page.evaluate(() => window.llmcalc.scenario()), "v=1&model=llama-7b&gpu=a100-40gb&batch=8");
  const after = await page.evaluate(() => window.llmcalc.estimate(window.llmcalc.scenario()));
  assert.equal(after.memory.kv_cache, 8 * before.memory.kv_cache);
  // the "+" button next to the field: one click, batch 9
  await page.mouse.click(r.x + r.width - 10, r.y + r.height / 2);
  await page.waitForFunction(() => window.location.hash.includes("batch=9"), null, { timeout: 5000 });
  // switch to training with a click on the mode button
  const t = await page.evaluate(() => window.llmcalc.widgetRect("mode-train"));
  await page.mouse.click(t.x + t.width / 2, t.y + t.height / 2);
  await page.waitForFunction(() => window.location.hash.includes("mode=train"), null, { timeout: 5000 });
  await page.screenshot({ path: screenshotPath("page-after-input.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("Copy link puts the page's address with the scenario on the clipboard", async () => {
  const { page, errors } = await open(browser, srv.url + "#model=qwen2.5-72b&gpus=4&tp=4");
  const b = await page.evaluate(() => window.llmcalc.widgetRect("copy-link"));
  await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
  await page.waitForFunction(() => window.llmcalcHost.lastCopied !== null);
  assert.equal(await page.evaluate(() => window.llmcalcHost.lastCopied), srv.url + "#v=1&model=qwen2.5-72b&gpus=4&tp=4");
  assert.deepEqual(errors, []);
  await page.close();
});

test("hovering a figure shows its formula with the inputs substituted", async () => {
  const { page, errors } = await open(browser, srv.url + "#model=llama-7b&gpu=a100-40gb&prompt=768&dtype=fp16");
  assert.equal((await page.evaluate(() => window.llmcalc.tooltip())).id, "");
  // the weights segment starts the memory bar
  const v = await page.evaluate(() => window.llmcalc.widgetRect("memory-bar"));
  await page.mouse.move(v.x + 5, v.y + v.height / 2);
  await page.waitForFunction(() => window.llmcalc.tooltip().id === "memory.weights", null, { timeout: 5000 });
  const t = await page.evaluate(() => window.llmcalc.tooltip());
  assert.match(t.formula, /^32 layers × \(134\.2 MB attention bytes\/block \+ 270\.5 MB MLP bytes\/block\) ÷ 1 tp \+ .*131\.1 M embedding params × 2 B\/param \(fp16\).* = 13\.48 GB$/);
  await page.screenshot({ path: screenshotPath("page-hover-formula.png") });
  // the verdict explains the total; moving away hides the tooltip
  const w = await page.evaluate(() => window.llmcalc.widgetRect("verdict"));
  await page.mouse.move(w.x + 10, w.y + w.height / 2);
  await page.waitForFunction(() => window.llmcalc.tooltip().id === "memory.total", null, { timeout: 5000 });
  assert.match((await page.evaluate(() => window.llmcalc.tooltip())).formula,
               /^13\.48 GB weights \+ [\d.]+ MB activations \+ [\d.]+ MB KV cache \+ 1\.342 GB overhead = [\d.]+ GB$/);
  await page.mouse.move(2, 700);
  await page.waitForFunction(() => window.llmcalc.tooltip().id === "", null, { timeout: 5000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test("high-DPI screens: input still lands on the right widget", async () => {
  const { page, errors } = await open(browser, srv.url + "#model=llama-7b", { width: 1000, height: 700, scale: 2 });
  const t = await page.evaluate(() => window.llmcalc.widgetRect("mode-train"));
  await page.mouse.click(t.x + t.width / 2, t.y + t.height / 2);
  await page.waitForFunction(() => window.location.hash.includes("mode=train"), null, { timeout: 5000 });
  await page.screenshot({ path: screenshotPath("page-dpr2.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("works narrow, and hosted under a sub-path", async () => {
  const narrow = await open(browser, srv.url + "#mode=train", { width: 420, height: 860 });
  await narrow.page.screenshot({ path: screenshotPath("page-narrow-420.png") });
  assert.deepEqual(narrow.errors, []);
  await narrow.page.close();
  const sub = await open(browser, srv.url + "sub/path/#model=llama-3.1-8b&batch=2");
  assert.equal(await sub.page.evaluate(() => window.llmcalc.scenario()), "v=1&batch=2");
  assert.deepEqual(sub.errors, []);
  await sub.page.close();
});
