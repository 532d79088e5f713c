// tests/e2e/training.test.mjs — training in the page (issue #10): the framework and the new
// features (fp8, context parallelism, virtual stages, expert parallelism, offloading, chunked loss,
// tokens to train) read from a link, drawn as controls, and computed exactly as the CLI does.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, open, screenshotPath, assertSameAsCli } from "./helpers.mjs";

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

const link = "mode=train&framework=megatron&model=llama-3.1-70b&gpu=h100-sxm&gpus=64&tp=4&pp=4&cp=2&vp=5&sp=1" +
             "&batch=1&seq=8192&accum=32&precision=fp8&zero=1&train_tokens=1000000000000";

test("a Megatron fp8 link with cp and virtual stages: controls drawn, figures as the CLI's", async () => {
  const { page, errors } = await open(browser, srv.url + "#" + link);
  const e = await page.evaluate(() => window.llmcalc.estimate(window.llmcalc.scenario()));
  assert.equal(e.training.framework, "megatron");
  assert.equal(e.gpu.cp, 2);
  assert.ok(e.time.mfu > 0 && e.time.mfu <= 1, `MFU ${e.time.mfu}`);
  assert.equal(e.time.global_batch, 1 * 32 * 2);  // micro-batch × accum × dp (dp = 64 / (4·4·2))
  assert.ok(e.time.train_s > 0 && e.time.gpu_hours > 0);
  for (const id of ["framework", "cp", "vp", "recompute", "train-tokens"]) {
    const r = await page.evaluate((x) => window.llmcalc.widgetRect(x), id);
    assert.ok(r && r.height > 0, `${id} drawn`);
  }
  await page.screenshot({ path: screenshotPath("training-megatron-fp8.png") });
  await assertSameAsCli(page, [
    link,
    "mode=train&framework=fsdp&model=llama-3.1-8b&gpu=h100-sxm&gpus=8&cp=8&batch=1&seq=262144&precision=fp8&recompute=full&zero=3",
    "mode=train&framework=megatron&model=qwen3-30b-a3b&gpu=b200&gpus=8&ep=8&batch=4&accum=16&seq=4096&precision=fp8&zero=1",
    "mode=train&framework=torchtune&model=llama-3.2-3b&gpu=a100-80gb&batch=2&seq=4096&precision=bf16&method=lora&rank=64&offload=1",
    "mode=train&framework=hf&model=llama-3.1-8b&gpu=rtx-4090&method=qlora&batch=2&seq=2048&ce_chunks=4",
    "mode=train&model=llama-13b&batch=1&seq=1024&precision=mixed&optimizer=adamw&recompute=none&flash=0",
  ]);
  assert.deepEqual(errors, []);
  await page.close();
});
