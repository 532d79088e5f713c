// tests/e2e/models.test.mjs — this year's models in the page: a Hugging Face id fetched from the Hub
// (mocked: CI has no network), its failures, a nested config.json dropped, the model's name in the
// shared link, and the page ≡ CLI for modern architectures and formats.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, open, frames, screenshotPath, assertSameAsCli } from "./helpers.mjs";

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

const current = (page) => page.evaluate(() => window.llmcalc.estimate(window.llmcalc.scenario()));
const settled = (page) => page.waitForFunction(() => ["ok", "failed"].includes(window.llmcalc.profileStatus().state));

// Gemma 3 27B's config.json as the Hub serves it: the language model nested under text_config.
const gemma3 = JSON.stringify({
  architectures: ["Gemma3ForConditionalGeneration"], model_type: "gemma3",
  text_config: { model_type: "gemma3_text", hidden_size: 5376, intermediate_size: 21504, num_hidden_layers: 62,
    num_attention_heads: 32, num_key_value_heads: 16, head_dim: 128, sliding_window: 1024, sliding_window_pattern: 6,
    vocab_size: 262208, query_pre_attn_scalar: 168 },
  vision_config: { hidden_size: 1152, num_hidden_layers: 27 },
});

// The Hub, mocked: every request to huggingface.co is answered here (or fails like a dead network).
async function mockHub(page, answers) {
  await page.route("https://huggingface.co/**", (route) => {
    const url = route.request().url();
    for (const [id, answer] of Object.entries(answers)) {
      if (url !== `https://huggingface.co/${id}/resolve/main/config.json`) continue;
      if (answer === "offline") return route.abort("internetdisconnected");
      if (typeof answer === "number") return route.fulfill({ status: answer, body: "" });
      return route.fulfill({ status: 200, contentType: "application/json", body: answer });
    }
    return route.fulfill({ status: 404, body: "" });
  });
}

// Types an id into the model panel's Hugging Face field (a click selects what is there) and
// presses Enter.
async function fetchId(page, id) {
  const before = (await page.evaluate(() => window.llmcalc.profileStatus())).attempts;
  const r = await page.evaluate(() => window.llmcalc.widgetRect("hub-id"));
  await page.mouse.click(r.x + r.width / 2, r.y + r.height / 2);
  await frames(page, 3);
  // as a person types: keys held over a frame (ImGui 1.86 reads key state per frame)
  await page.keyboard.type(id, { delay: 20 });
  await frames(page, 3);
  await page.keyboard.down("Enter");
  await frames(page, 2);
  await page.keyboard.up("Enter");
  await page.waitForFunction((n) => {
    const st = window.llmcalc.profileStatus();
    return st.attempts > n && ["ok", "failed"].includes(st.state);
  }, before, { timeout: 10000 });
}

test("a Hugging Face id fetches the model's config from the Hub, and the link keeps its name", async () => {
  const { page, errors } = await open(browser, srv.url + "#gpu=h200&prompt=131072&gen=1");
  await mockHub(page, { "google/gemma-3-27b-it": gemma3 });
  await fetchId(page, "google/gemma-3-27b-it");
  assert.equal((await page.evaluate(() => window.llmcalc.profileStatus())).state, "ok");
  const e = await current(page);
  assert.equal(e.model.name, "google/gemma-3-27b-it");
  assert.ok(Math.abs(e.model.params / 27.0e9 - 1) < 0.002, `language model ≈ 27.0 B, got ${e.model.params}`);
  assert.ok(Math.abs(e.memory.kv_cache / 11.17e9 - 1) < 0.002, "10 global layers × 128k + 52 local × 1024");
  const scenario = await page.evaluate(() => window.llmcalc.scenario());
  assert.match(scenario, /model=custom&name=google%2Fgemma-3-27b-it&layers=62/);
  await frames(page, 3);
  await page.screenshot({ path: screenshotPath("page-hub-model.png") });
  // the receiver needs no Hub: the link alone gives the same model, name and numbers
  const link = await page.evaluate(() => window.location.href);
  const other = await open(browser, link);
  assert.deepEqual(await current(other.page), e);
  assert.deepEqual(other.errors, []);
  await other.page.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test("Hub failures say what to do and change nothing", async () => {
  const { page, errors } = await open(browser, srv.url + "#model=qwen3-8b");
  await mockHub(page, { "meta-llama/Llama-3.3-70B-Instruct": 401, "org/gone": 404, "org/net": "offline" });
  const before = await page.evaluate(() => window.llmcalc.scenario());
  for (const [id, message] of [["meta-llama/Llama-3.3-70B-Instruct", /gated or private: .*drop it here/],
                               ["org/gone", /was not found on huggingface.co/],
                               ["org/net", /could not reach huggingface.co/],
                               ["not an id", /is not a Hugging Face model id/]]) {
    await fetchId(page, id);
    const st = await page.evaluate(() => window.llmcalc.profileStatus());
    assert.equal(st.state, "failed", id);
    assert.match(st.message, message);
    assert.equal(await page.evaluate(() => window.llmcalc.scenario()), before, "the scenario is kept");
  }
  assert.deepEqual(errors.filter((m) => !/net::ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(m)), []);
  await page.close();
});

test("dropping a nested config.json (Gemma 3) estimates its language model", async () => {
  const { page, errors } = await open(browser, srv.url + "#gpu=h100-sxm");
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], "config.json", { type: "application/json" }));
    document.getElementById("canvas").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, gemma3);
  await settled(page);
  assert.equal((await page.evaluate(() => window.llmcalc.profileStatus())).state, "ok");
  const e = await current(page);
  assert.equal(e.model.id, "custom");
  assert.ok(Math.abs(e.model.params / 27.0e9 - 1) < 0.002, "the tied embedding counted once");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the page's numbers equal the CLI's for latent attention, windows, MoE and every weight format", async () => {
  const { page, errors } = await open(browser, srv.url);
  const scenarios = [
    "model=deepseek-v3&gpu=h200&gpus=8&tp=8&batch=32&prompt=8192&gen=256",
    "model=deepseek-v3&gpu=h200&gpus=8&tp=8&ep=8&mtp=1&kv=fp8",
    "model=gpt-oss-120b&prompt=131072&gen=1",
    "model=gemma-3-27b&prompt=131072&gen=1&dtype=Q4_K_M",
    "model=llama-4-maverick&gpu=b200&gpus=8&tp=8&dtype=nvfp4",
    "model=qwen3-30b-a3b&gpu=rtx-5090&dtype=awq&group=64&kv=q8_0",
    "mode=train&model=qwen3-235b-a22b&gpu=h200&gpus=64&tp=8&ep=8&zero=1",
    "model=custom&name=Org%2FX&layers=4&hidden=1024&heads=8&head_dim=96&kv_lora=256&rope_dim=32&ffn=2048&vocab=32000&gpu=custom&gpu_mem=48&gpu_bw=864&gpu_bf16=181",
  ];
  await assertSameAsCli(page, scenarios);
  assert.deepEqual(errors, []);
  await page.close();
});
