// tests/e2e/page13.test.mjs — issue #13 in the browser, part two: touch (a swipe scrolls, a tap in
// a number field opens the phone's keyboard through a DOM input), keyboard (Tab, Enter in the
// searches), nothing clipped at phone, laptop and desktop widths, fixes that apply with one tap,
// compare (A pinned, the link carries both) and export (text, Markdown, JSON, CSV, print).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, open, frames, screenshotPath, centre } from "./helpers.mjs";

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

const scenario = (page) => page.evaluate(() => window.llmcalc.scenario());

test("touch: a vertical swipe scrolls the panel, a tap in a number field focuses a DOM input that types into it", async () => {
  const { page, errors } = await open(browser, srv.url + "#model=llama-3.1-8b", { width: 390, height: 844, touch: true });
  const before = await centre(page, "prompt");
  const cdp = await page.context().newCDPSession(page);
  const touch = (type, y) => cdp.send("Input.dispatchTouchEvent", { type, touchPoints: type === "touchEnd" ? [] : [{ x: 200, y }] });
  await touch("touchStart", 700);
  for (let y = 680; y >= 400; y -= 20) { await touch("touchMove", y); await frames(page, 1); }
  await touch("touchEnd", 400);
  await frames(page, 3);
  const after = await centre(page, "prompt");
  assert.ok(before.y - after.y > 150, `the panel scrolled: prompt field from y=${before.y} to y=${after.y}`);
  assert.equal(await scenario(page), "v=1", "a swipe changes nothing");
  // a tap in the prompt field: the DOM input has the focus (a phone opens its keyboard for it)
  await page.touchscreen.tap(after.rect.x + 20, after.y);
  await frames(page, 4);
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), "text-input");
  // what a phone keyboard types arrives as input events on it; the field takes "8k"
  await page.evaluate(() => {
    const t = document.getElementById("text-input");
    const type = (data) => { t.value += data; t.dispatchEvent(new InputEvent("input", { data, inputType: "insertText", bubbles: true })); };
    type("8"); type("k");
  });
  await frames(page, 3);
  assert.equal(await scenario(page), "v=1&prompt=8192");
  await page.screenshot({ path: screenshotPath("page-phone-touch.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("nothing is clipped at 390, 1024 and 1400 px, whatever is on screen", async () => {
  const links = [
    "model=llama-3.1-8b&batch=4",
    "mode=train&model=llama-3.1-70b&gpus=1&train_tokens=1e12&framework=megatron",
    "model=llama-3.1-70b&gpu=h100-sxm&gpus=2",  // does not fit: fixes, a note, warnings
    "model=llama-3-70b&gpu=H100&prompt=8k",       // did you mean
    "model=deepseek-v3&gpu=h200&gpus=8&tp=8&batch=32&prompt=8192&gen=256&vs=" + encodeURIComponent("v=1&model=deepseek-v3&gpu=b200&gpus=8&tp=8"),
  ];
  for (const [width, height] of [[390, 844], [1024, 700], [1400, 900]]) {
    for (const link of links) {
      const { page, errors } = await open(browser, srv.url + "#" + link, { width, height, touch: width < 500 });
      await frames(page, 3);
      assert.deepEqual(await page.evaluate(() => window.llmcalc.clipped()), [], `${width}px: ${link}`);
      if (link.includes("vs=")) await page.screenshot({ path: screenshotPath(`page-compare-${width}.png`) });
      assert.deepEqual(errors, []);
      await page.close();
    }
  }
});

test("keyboard: Tab goes to the next field, Enter picks the search's match", async () => {
  const { page, errors } = await open(browser, srv.url + "#model=llama-3.1-8b");
  const batch = await centre(page, "batch");
  await page.mouse.click(batch.rect.x + 20, batch.y);
  await frames(page, 2);
  await page.keyboard.press("Tab");
  await frames(page, 3);
  await page.keyboard.press("Control+A");
  await page.keyboard.type("2k");
  await page.keyboard.press("Enter");
  await frames(page, 3);
  assert.equal(await scenario(page), "v=1&prompt=2048", "Tab from Users went to Prompt tokens");
  // a list opened by a click, then keys: text typed into its search, or arrow keys; then Enter
  const choose = async (widget, keys) => {
    const w = await centre(page, widget);
    await page.mouse.click(w.x, w.y);
    await frames(page, 3);
    for (const k of keys) {
      if (k.startsWith("Arrow")) await page.keyboard.press(k);
      else await page.keyboard.type(k);
      await frames(page, 2);
    }
    await page.keyboard.press("Enter");
  };
  await choose("gpu", ["h200"]);
  await frames(page, 3);
  assert.equal(await scenario(page), "v=1&gpu=h200&prompt=2048");
  await choose("model", ["qwen3-235"]);
  await frames(page, 3);
  assert.match(await scenario(page), /model=qwen3-235b-a22b/);
  // arrow keys move through a list, Enter picks: the third GPU of the list
  await choose("gpu", ["ArrowDown", "ArrowDown", "ArrowDown"]);
  await frames(page, 3);
  assert.match(await scenario(page), /gpu=a100-pcie-40gb/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a scenario that does not fit offers fixes; one tap applies one", async () => {
  const { page, errors } = await open(browser, srv.url + "#model=llama-3.1-70b&gpu=h100-sxm&gpus=2");
  const e = await page.evaluate(() => window.llmcalc.estimate(window.llmcalc.scenario()));
  assert.equal(e.verdict.state, "does not fit");
  const tp = e.verdict.fixes.findIndex((f) => f.change.startsWith("tensor parallel 2"));
  assert.ok(tp >= 0, JSON.stringify(e.verdict.fixes));
  const text = await page.evaluate(() => document.body.innerText);
  assert.match(text, /It fits with any one of: .*tensor parallel 2 \(2 GPUs\)/);
  assert.match(text, /each of the 2 GPUs holds the whole model/);
  const b = await centre(page, `fix-${tp}`);
  await page.mouse.click(b.x, b.y);
  await frames(page, 3);
  assert.equal(await scenario(page), e.verdict.fixes[tp].scenario);
  assert.equal(await page.evaluate(() => window.location.hash.slice(1)), e.verdict.fixes[tp].scenario);
  const after = await page.evaluate(() => window.llmcalc.estimate(window.llmcalc.scenario()));
  assert.ok(after.memory.fits);
  assert.deepEqual(errors, []);
  await page.close();
});

test("compare: pin A, change B, the link carries both and reopens them", async () => {
  const { page, errors } = await open(browser, srv.url + "#model=llama-3.1-8b&batch=8");
  const pin = await centre(page, "pin");
  await page.mouse.click(pin.x, pin.y);
  await frames(page, 3);
  assert.equal(await page.evaluate(() => window.location.hash.slice(1)), "v=1&batch=8&vs=v%3D1%26batch%3D8");
  // B: another weight format, chosen in the page
  const prompt = await centre(page, "prompt");
  await page.mouse.click(prompt.rect.x + 20, prompt.y);
  await frames(page, 2);
  await page.keyboard.press("Control+A");
  await page.keyboard.type("4k");
  await page.keyboard.press("Enter");
  await frames(page, 3);
  const hash = await page.evaluate(() => window.location.hash.slice(1));
  assert.equal(hash, "v=1&batch=8&prompt=4096&vs=v%3D1%26batch%3D8");
  const text = await page.evaluate(() => document.body.innerText);
  assert.match(text, /Compared with A \(Llama 3\.1 8B on 1 × NVIDIA H100 SXM 80GB\): Memory per GPU [0-9.]+ GiB → [0-9.]+ GiB;/);
  assert.ok(await page.evaluate(() => window.llmcalc.widgetRect("compare-table")), "the compare table is drawn");
  // the link reopens the same comparison in a new page
  const other = await open(browser, srv.url + "#" + hash);
  assert.equal(await other.page.evaluate(() => window.location.hash.slice(1)), hash);
  assert.ok(await other.page.evaluate(() => window.llmcalc.widgetRect("compare-table")));
  await other.page.close();
  // unpin: the link holds B only
  const unpin = await centre(page, "unpin");
  await page.mouse.click(unpin.x, unpin.y);
  await frames(page, 3);
  assert.equal(await page.evaluate(() => window.location.hash.slice(1)), "v=1&batch=8&prompt=4096");
  assert.deepEqual(errors, []);
  await page.close();
});

test("export: JSON and CSV downloads, text and Markdown copies, a print view", async () => {
  const { page, errors } = await open(browser, srv.url + "#model=llama-3.1-8b&batch=8");
  const pick = async (item) => {
    const b = await centre(page, "export");
    await page.mouse.click(b.x, b.y);
    await frames(page, 3);
    const i = await centre(page, item);
    await page.mouse.click(i.x, i.y);
    await frames(page, 3);
  };
  await page.evaluate(() => { window.print = () => {}; });  // headless: no print dialog
  await pick("export-json");
  const dl = await page.evaluate(() => window.llmcalcHost.lastDownload);
  assert.match(dl.name, /^llmcalc-llama-3\.1-8b-h100-sxm\.json$/);
  // the hook's JSON (the CLI's), with every figure's explanation (as `--json --explain`)
  const json = JSON.parse(dl.text);
  assert.ok(json.explain["serving.ttft_s"].formula.length > 0);
  delete json.explain;
  assert.deepEqual(json, await page.evaluate(() => window.llmcalc.estimate(window.llmcalc.scenario())));
  await pick("export-csv");
  const csv = await page.evaluate(() => window.llmcalcHost.lastDownload);
  assert.match(csv.text, /^figure,value\nmodel\.params,/);
  await pick("export-markdown");
  assert.match(await page.evaluate(() => window.llmcalcHost.lastCopied), /^## Llama 3\.1 8B on 1 × NVIDIA H100 SXM 80GB, inference \(vLLM\)/);
  await pick("export-text");
  assert.match(await page.evaluate(() => window.llmcalcHost.lastCopied), /^Llama 3\.1 8B on 1 × NVIDIA H100 SXM 80GB/);
  await pick("export-print");
  assert.equal(await page.evaluate(() => window.llmcalcHost.printed), 1);
  const report = await page.evaluate(() => document.getElementById("print-report").textContent);
  assert.match(report, /memory per GPU/);
  assert.match(report, /Link: http:\/\/127\.0\.0\.1:\d+\/#v=1&batch=8/);
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById("canvas")).display), "none");
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById("print-report")).display), "block");
  assert.deepEqual(errors, []);
  await page.close();
});
