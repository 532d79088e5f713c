// tests/e2e/serving.test.mjs — serving in the page: the engine's figures for a multi-user scenario
// (issue #9's must-show), the engine chosen in the inputs panel, and the validation view with its
// records, sources and errors reachable from the About page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, open, frames, screenshotPath, assertSameAsCli, cliJson } from "./helpers.mjs";

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

const mustShow = "mode=infer&model=llama-3.1-70b&gpu=h100-sxm&gpus=2&tp=2&dtype=fp8&kv=fp8&batch=32&prompt=8192&gen=256";

test("32 users of 8k prompts on 2 H100s: fits with vLLM, and the serving table shows the figures", async () => {
  const { page, errors } = await open(browser, srv.url + "#" + mustShow);
  const e = await page.evaluate(() => window.llmcalc.estimate(window.llmcalc.scenario()));
  assert.equal(e.memory.fits, true);
  assert.ok(e.memory.activations < 4e9, `activations ${e.memory.activations}`);
  assert.equal(e.serving.engine, "vllm");
  assert.ok(e.serving.max_concurrency >= 32, `max concurrency ${e.serving.max_concurrency}`);
  assert.ok(e.serving.ttft_s < e.time.ttft_s / 10, `per-request TTFT ${e.serving.ttft_s} vs batch ${e.time.ttft_s}`);
  // the serving table is drawn, above the offline-batch table
  const serving = await page.evaluate(() => window.llmcalc.widgetRect("serving-table"));
  const time = await page.evaluate(() => window.llmcalc.widgetRect("time-table"));
  assert.ok(serving && serving.height > 0, "serving table drawn");
  assert.ok(serving.y < time.y, "serving figures come before the offline batch");
  await page.screenshot({ path: screenshotPath("serving-must-show.png") });
  // the page computes what the CLI computes, for every engine
  await assertSameAsCli(page, ["sglang", "trtllm", "llamacpp", "hf", "gptfast", "none"].map((x) => `${mustShow}&engine=${x}`)
    .concat(["engine=llamacpp&model=llama-3.1-8b&gpu=rtx-4090&dtype=q4_k_m&batch=1&prompt=512&gen=128",
             "engine=trtllm&model=mixtral-8x7b&gpus=2&tp=2&dtype=fp8&batch=256&prompt=128&gen=2048&util=0.8&chunk=4096"]));
  assert.deepEqual(errors, []);
  await page.close();
});

test("old links with timing=calibrated open with the fitted time model and the same numbers", async () => {
  const { page, errors } = await open(browser, srv.url + "#model=llama-3.1-8b&timing=calibrated");
  const s = await page.evaluate(() => window.llmcalc.scenario());
  assert.ok(!s.includes("timing="), s);  // fitted is the default: not written
  const e = await page.evaluate(() => window.llmcalc.estimate(window.llmcalc.scenario()));
  assert.equal(e.time.timing, "fitted");
  assert.deepEqual(e, cliJson("model=llama-3.1-8b&timing=calibrated"));
  assert.deepEqual(errors, []);
  await page.close();
});

test("the validation view lists the records with sources and errors, linked from About", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(srv.url + "about.html");
  await page.click('a[href="validation.html"]');
  await page.waitForFunction(() => /records from \d+ sources/.test(document.getElementById("status").textContent));
  const rows = await page.$$eval("#records tr", (r) => r.length - 1);
  assert.ok(rows >= 60, `${rows} records`);
  const summary = await page.$eval("#summary", (t) => t.innerText);
  assert.match(summary, /^time\t\d+\t[\d.]+%\t[\d.]+%\t[+-][\d.]+%\t[\d.]+%/m);  // in-sample and held out
  const points = await page.$$eval("#scatter circle", (c) => c.length);
  assert.ok(points >= 50, `${points} points`);
  const links = await page.$$eval("#records a", (a) => a.map((x) => x.href));
  assert.ok(links.length >= rows * 0.9 && links.every((h) => h.startsWith("https://")), "every record links its source");
  await page.screenshot({ path: screenshotPath("validation-view.png"), fullPage: false });
  assert.deepEqual(errors, []);
  await page.close();
});
