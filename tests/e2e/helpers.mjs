// tests/e2e/helpers.mjs — serve dist/ on loopback and drive Debian's Chromium with playwright-core.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, "../..");
export const dist = path.join(root, "dist");
export const artifacts = path.join(root, "test-artifacts");

const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm",
  ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json", ".png": "image/png" };

// A static file server for dist/ on 127.0.0.1 (an ephemeral port). Serves under /sub/path/ too,
// to prove the site works from any sub-path.
export function serve(dir = dist) {
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
    p = p.replace(/^\/sub\/path\//, "/");
    if (p.endsWith("/")) p += "index.html";
    const file = path.join(dir, path.normalize(p));
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404); res.end("not found"); return;
    }
    res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    resolve({ server, url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) });
  }));
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--enable-unsafe-swiftshader", "--use-angle=swiftshader"
    ],  // playwright gives every launch a fresh, empty user-data dir
  });
}

// Opens the page, records console errors and page errors, waits until the app is running.
// touch: a phone (touch events, mobile viewport).
export async function open(browser, url, { width = 1280, height = 800, scale = 1, touch = false } = {}) {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: scale, hasTouch: touch, isMobile: touch });
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => window.llmcalc && window.llmcalc.firstEstimateMs() > 0, null, { timeout: 30000 });
  await frames(page, 3);
  return { page, errors };
}

// Lets the page draw n more frames.
export function frames(page, n = 2) {
  return page.evaluate((k) => new Promise((res) => {
    const step = () => (k-- <= 0 ? res() : requestAnimationFrame(step));
    requestAnimationFrame(step);
  }), n);
}

export function screenshotPath(name) {
  fs.mkdirSync(artifacts, { recursive: true });
  return path.join(artifacts, name);
}

// The native CLI's JSON for a scenario: what the page's window.llmcalc.estimate must return.
export function cliJson(scenario) {
  const cli = path.join(root, "build/native/llmcalc");
  return JSON.parse(execFileSync(cli, ["estimate", scenario, "--json"], { encoding: "utf8" }));
}

// Each scenario estimated in the page equals the CLI's JSON exactly.
export async function assertSameAsCli(page, scenarios) {
  for (const s of scenarios) assert.deepEqual(await page.evaluate((x) => window.llmcalc.estimate(x), s), cliJson(s), s);
}

// The centre of a widget the page drew (window.llmcalc.widgetRect), or a failed assertion.
export async function centre(page, name) {
  const r = await page.evaluate((n) => window.llmcalc.widgetRect(n), name);
  assert.ok(r, `${name} is on screen`);
  return { x: r.x + r.width / 2, y: r.y + r.height / 2, rect: r };
}
