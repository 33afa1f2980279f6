// Helpers for the browser specs: Debian's Chromium through playwright-core
// (never a downloaded browser), the server's address and tokens from run.mjs.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const chromiumPath = process.env.TRYGG_CHROMIUM || '/usr/bin/chromium';
export const base = process.env.E2E_BASE_URL;
export const tokens = {
  analyst: process.env.E2E_TOKEN_ANALYST,
  caseworker: process.env.E2E_TOKEN_CASEWORKER,
  planner: process.env.E2E_TOKEN_PLANNER,
  plannerStockholm: process.env.E2E_TOKEN_PLANNER_STOCKHOLM, // the KTH campus street network is imported there
  admin: process.env.E2E_TOKEN_ADMIN,
};
// A point in Kristinehamn (kommun 1781), where the demo data lies.
export const kristinehamn = { latitude: 59.3096, longitude: 14.1086 };

const artifacts = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');

// launch starts headless Chromium. WebGL (for MapLibre) runs on SwiftShader,
// as there is no GPU.
export async function launch() {
  if (!base) throw new Error('E2E_BASE_URL is not set: run the specs through `npm test` (e2e/run.mjs)');
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
}

// newPage opens a page in a fresh context; errors the page logs fail nothing by
// themselves but are kept in page.errors for the spec to check.
export async function newPage(browser, contextOptions = {}) {
  const context = await browser.newContext({ baseURL: base, ...contextOptions });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && page.errors.push(m.text()));
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

// api calls the server directly (setting up or checking what a page did).
export async function api(path, { method = 'GET', token, body, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const res = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text, headers: res.headers };
}

// transferred sums the bytes a response took on the wire (headers and the
// body as sent, i.e. compressed when it was).
export async function transferred(response) {
  const s = await response.request().sizes();
  return s.responseHeadersSize + s.responseBodySize;
}
