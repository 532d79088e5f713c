// tests/e2e/everyone.test.mjs — issue #13 in the browser: links as people type them (8k, H100,
// Llama-3.1-70B), "did you mean" with no green verdict for a scenario that was not asked, a text
// summary of the verdict and times in the page's DOM, a field that takes "8k", and cost figures.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, open, frames, screenshotPath } from "./helpers.mjs";

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

const summary = (page) => page.evaluate(() => document.body.innerText);

test("a link as people type it opens what they meant", async () => {
  const { page, errors } = await open(browser, srv.url + "#model=Llama-3.1-70B&gpu=H100&prompt=8k");
  assert.equal(await page.evaluate(() => window.llmcalc.scenario()), "v=1&model=llama-3.1-70b&prompt=8192");
  const e = await page.evaluate(() => window.llmcalc.estimate(window.llmcalc.scenario()));
  assert.equal(e.model.name, "Llama 3.1 70B");
  assert.equal(e.gpu.id, "h100-sxm");
  assert.deepEqual(await page.evaluate(() => window.llmcalc.notes()), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test("an unknown model says did you mean and shows no green verdict", async () => {
  const { page, errors } = await open(browser, srv.url + "#model=llama-3-70b&gpu=h100-sxm");
  const notes = await page.evaluate(() => window.llmcalc.notes());
  assert.ok(notes.some((n) => n.includes("unknown model 'llama-3-70b'; did you mean llama-3.1-70b")), notes.join("|"));
  const text = await summary(page);
  assert.match(text, /Not the scenario the link asked for: model: unknown model 'llama-3-70b'/);
  assert.doesNotMatch(text, /\bFits:/);
  // the address still shows what was asked, so it can be fixed
  assert.equal(await page.evaluate(() => window.location.hash.slice(1)), "model=llama-3-70b&gpu=h100-sxm");
  await frames(page, 2);
  await page.screenshot({ path: screenshotPath("page-did-you-mean.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("the page's text holds the verdict and the times, and follows changes", async () => {
  const { page, errors } = await open(browser, srv.url + "#model=llama-3.1-8b&batch=4");
  let text = await summary(page);
  assert.match(text, /Llama 3\.1 8B on 1 × NVIDIA H100 SXM 80GB, inference\. Fits: /);
  const e = await page.evaluate(() => window.llmcalc.estimate(window.llmcalc.scenario()));
  assert.ok(text.includes("TTFT "), text);
  assert.ok(text.includes("TPOT "), text);
  assert.match(text, /Cost \$[0-9.]+ per million output tokens/);
  assert.equal(await page.evaluate(() => document.getElementById("summary").getAttribute("aria-live")), "polite");
  // a change: training; the text follows
  await page.evaluate(() => { window.location.hash = "mode=train&model=llama-3.1-70b&gpus=1"; });
  await page.waitForFunction(() => document.body.innerText.includes("training"));
  text = await summary(page);
  assert.match(text, /Does not fit: .* Step time .* MFU .*Times are for a scenario that does not fit as asked\./);
  assert.ok(e.cost.usd_per_million_output_tokens > 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a number field takes 8k", async () => {
  const { page, errors } = await open(browser, srv.url + "#model=llama-3.1-8b");
  const r = await page.evaluate(() => window.llmcalc.widgetRect("prompt"));
  assert.ok(r, "the prompt field is on screen");
  await page.mouse.click(r.x + 20, r.y + r.height / 2);
  await frames(page, 2);
  await page.keyboard.press("Control+A");
  await page.keyboard.type("8k");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.location.hash.includes("prompt=8192"), null, { timeout: 5000 });
  assert.equal(await page.evaluate(() => window.llmcalc.scenario()), "v=1&prompt=8192");
  assert.deepEqual(errors, []);
  await page.close();
});

// The colour of one pixel of the page, from a 1×1 screenshot (PNG: inflate the image data; one
// filter byte, then RGB(A)).
import zlib from "node:zlib";
async function pixel(page, x, y) {
  const png = await page.screenshot({ clip: { x, y, width: 1, height: 1 } });
  let off = 8, idat = [];
  while (off < png.length) {
    const len = png.readUInt32BE(off), type = png.toString("ascii", off + 4, off + 8);
    if (type === "IDAT") idat.push(png.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  return [raw[1], raw[2], raw[3]];
}

test("light scheme: with prefers-color-scheme light the page is light, and the toggle switches", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: "light" });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(srv.url + "#model=llama-3.1-8b");
  await page.waitForFunction(() => window.llmcalc && window.llmcalc.firstEstimateMs() > 0, null, { timeout: 30000 });
  await frames(page, 3);
  assert.equal(await page.evaluate(() => window.llmcalc.theme()), "light");
  const bg = await pixel(page, 640, 795);
  assert.ok(bg.every((c) => c > 200), `background ${bg}`);
  await page.screenshot({ path: screenshotPath("page-light.png") });
  const b = await page.evaluate(() => window.llmcalc.widgetRect("theme"));
  await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
  await page.waitForFunction(() => window.llmcalc.theme() === "dark");
  await frames(page, 2);
  const dark = await pixel(page, 640, 795);
  assert.ok(dark.every((c) => c < 60), `background ${dark}`);
  assert.deepEqual(errors, []);
  await page.close();
});
