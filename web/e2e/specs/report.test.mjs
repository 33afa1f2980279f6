// Report page: a resident reports from a phone (360 px), by mouse and by keyboard.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, kristinehamn, launch, newPage, screenshot, tokens, transferred } from '../lib.mjs';

const require = createRequire(import.meta.url);
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const phone = { viewport: { width: 360, height: 760 }, geolocation: kristinehamn, permissions: ['geolocation'], locale: 'sv-SE' };

function countReports(description) {
  const sql = `SELECT count(*) FROM reports WHERE description = '${description.replace(/'/g, "''")}'`;
  return Number(execFileSync('psql', [process.env.E2E_DATABASE_URL, '-qAtc', sql]).toString().trim());
}

test('the Report page is light: under 300 KB compressed on load, without MapLibre', async () => {
  const page = await newPage(browser, phone);
  const sizes = [];
  page.on('response', (r) => sizes.push(transferred(r).then(async (n) => {
    const js = r.url().endsWith('.js') ? await r.text() : '';
    return { url: r.url(), n, maplibre: js.includes('maplibre-gl-worker') };
  })));
  await page.goto('/', { waitUntil: 'networkidle' });
  await page.locator('#category option[value]:not([value=""])').first().waitFor({ state: 'attached' });
  const all = await Promise.all(sizes);
  const counted = all.filter((s) => !new URL(s.url).pathname.startsWith('/tiles/'));
  const total = counted.reduce((a, s) => a + s.n, 0);
  console.log(`Report page weight: ${total} bytes in ${counted.length} responses`);
  assert.ok(counted.some((s) => s.url.endsWith('/assets/report.js')), 'report.js was loaded');
  assert.ok(!counted.some((s) => s.maplibre || s.url.includes('maplibre')), 'MapLibre is not loaded eagerly');
  assert.ok(total > 1000 && total < 300 * 1024, `page weight ${total} bytes`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('submit a felanmälan: located, double tap and a lost answer give one report, then follow it', async () => {
  const page = await newPage(browser, phone);
  const description = `Gatlampan vid busshållplatsen är trasig (e2e ${Date.now()})`;
  // Every form control has a label.
  await page.goto('/');
  const unlabelled = await page.$$eval('input, select, textarea, button', (els) =>
    els.filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !(e.textContent || '').trim()).map((e) => e.outerHTML));
  assert.deepEqual(unlabelled, []);

  await page.getByRole('button', { name: 'Använd min position' }).click();
  await page.locator('#place').filter({ hasText: 'Kristinehamn' }).waitFor();
  await page.getByLabel('Något är trasigt').check();
  await page.locator('#category option[value="FEL.LIGHT"]').waitFor({ state: 'attached' });
  await page.getByLabel('Kategori').selectOption('FEL.LIGHT');
  await page.getByLabel('Beskrivning').fill(description);

  // The first POST reaches the server, but its answer is lost on the way back.
  const keys = [];
  let first = true;
  await page.route('**/v1/reports', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    if (first) {
      first = false;
      await route.fetch();
      await route.abort('connectionreset');
      return;
    }
    await route.continue();
  });
  await page.getByRole('button', { name: 'Skicka' }).dblclick();
  await page.locator('#receipt').waitFor();
  const reference = (await page.locator('#reference').textContent()).trim();
  assert.match(reference, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  assert.equal(keys.length, 2, `two attempts (the lost one and its retry), got ${keys.length}`);
  assert.ok(keys[0] && keys[0] === keys[1], `the retry carries the same Idempotency-Key: ${keys}`);
  assert.equal(countReports(description), 1, 'exactly one report stored');
  await screenshot(page, 'report-receipt');

  await page.getByRole('link', { name: 'Följ ärendets status' }).click();
  await page.locator('#reference').filter({ hasText: reference }).waitFor();
  assert.equal((await page.locator('#state').textContent()).trim(), 'mottagen');
  await screenshot(page, 'follow');
  assert.deepEqual(page.errors.filter((e) => !e.includes('ERR_CONNECTION_RESET') && !e.includes('Failed to load resource')), []);
  await page.context().close();
});

// A 16×16 PNG, made here so the spec needs no fixture file.
function png() {
  const zlib = require('node:zlib');
  const crc = (buf) => {
    let c = ~0;
    for (const b of buf) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return ~c >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(16, 0);
  ihdr.writeUInt32BE(16, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc(16 * (1 + 16 * 3), 0x80);
  for (let y = 0; y < 16; y++) rows[y * 49] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

test('already reported nearby: "me too" confirms it; a photo goes with a new report', async () => {
  // A published, open felanmälan right where the resident stands.
  const at = { lat: 59.3301, lon: 14.1301 };
  const created = await api('/v1/reports', { method: 'POST', headers: { 'Idempotency-Key': `e2e-nearby-${Date.now()}` },
    body: { kind: 'felanmalan', category: 'FEL.LIGHT', location: at, description: 'Lampan är släckt (e2e)' } });
  assert.equal(created.status, 201, created.text);
  const patched = await api(`/v1/staff/reports/${created.json.id}`, { method: 'PATCH', token: tokens.caseworker, headers: { 'If-Match': '"1"' },
    body: { status: 'triaged', visibility: 'published' } });
  assert.equal(patched.status, 200, patched.text);

  const page = await newPage(browser, { ...phone, geolocation: { latitude: at.lat, longitude: at.lon } });
  await page.goto('/');
  await page.getByRole('button', { name: 'Använd min position' }).click();
  await page.getByLabel('Något är trasigt').check();
  await page.locator('#category option[value="FEL.LIGHT"]').waitFor({ state: 'attached' });
  await page.getByLabel('Kategori').selectOption('FEL.LIGHT');
  const item = page.locator('#nearby-list li').filter({ hasText: 'Gatubelysning' });
  await item.first().waitFor();
  const before = Number((await item.first().locator('.muted').textContent()).match(/\d+/)[0]);
  const confirm = page.waitForResponse((r) => r.url().endsWith(`/v1/reports/${created.json.id}/confirmations`));
  await item.first().getByRole('button', { name: 'Jag ser det också' }).click();
  assert.equal((await confirm).status(), 201);
  await item.first().getByRole('button', { name: 'Tack, noterat' }).waitFor();
  assert.match(await item.first().textContent(), new RegExp(`${before + 1} har sett det`));
  await screenshot(page, 'report-nearby');

  // A new report with a photo.
  await page.getByLabel('Beskrivning').fill(`En lampa till är trasig (e2e ${Date.now()})`);
  await page.getByLabel('Foto (JPEG eller PNG)').setInputFiles({ name: 'lampa.png', mimeType: 'image/png', buffer: png() });
  await page.getByRole('button', { name: 'Skicka' }).click();
  await page.locator('#photo-status').filter({ hasText: 'Fotot är skickat.' }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('text contrast on the Report page is at least 4.5:1', async () => {
  const page = await newPage(browser, phone);
  await page.goto('/');
  await page.locator('#category option[value]:not([value=""])').first().waitFor({ state: 'attached' });
  const low = await page.evaluate(() => {
    const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (e) => {
      for (; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const bad = [];
    for (const e of document.querySelectorAll('body *')) {
      const own = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || !e.getClientRects().length) continue;
      const st = getComputedStyle(e);
      if (st.visibility === 'hidden') continue;
      const fg = rgb(st.color).slice(0, 3);
      const [a, b] = [lum(fg), lum(background(e))].sort((x, y) => y - x);
      const ratio = (a + 0.05) / (b + 0.05);
      if (ratio < 4.5) bad.push(`${e.tagName}#${e.id} "${e.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
    }
    return bad;
  });
  assert.deepEqual(low, []);
  await page.context().close();
});

test('tap the map: the picker loads MapLibre on demand and a tap sets the place', async () => {
  const page = await newPage(browser, { ...phone, permissions: [] });
  await page.goto('/');
  await page.getByRole('button', { name: 'Välj på kartan' }).click();
  await page.waitForFunction(() => document.querySelector('#picker canvas'));
  await page.getByText('Tryck på kartan där det gäller.').waitFor();
  // Zoomed out over Sweden: tap the middle of the map, which lies inside a municipality.
  const box = await page.locator('#picker canvas').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.locator('#place.ok').waitFor();
  assert.match(await page.locator('#place').textContent(), /Vald plats: \d+\.\d{5}, \d+\.\d{5}/);
  await screenshot(page, 'report-picker');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('keyboard only, in English: an anonymous otrygghet report with a feeling', async () => {
  const page = await newPage(browser, phone);
  const description = `Dark underpass, feels unsafe at night (e2e ${Date.now()})`;
  await page.goto('/');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('button', { name: 'Use my location' }).focus();
  await page.keyboard.press('Enter');
  await page.locator('#place').filter({ hasText: 'Kristinehamn' }).waitFor();
  await page.locator('#category option[value]:not([value=""])').first().waitFor({ state: 'attached' });
  const code = await page.locator('#category option[value]:not([value=""])').first().getAttribute('value');
  assert.match(code, /^OTR\./);
  await page.getByLabel('Category').focus();
  await page.getByLabel('Category').selectOption(code);
  await page.getByLabel('How unsafe does it feel?').selectOption('2');
  await page.getByLabel('Description').focus();
  await page.keyboard.type(description);
  // Tab onwards to the send button and press Enter: the focus order reaches it.
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement && document.activeElement.id === 'submit')) break;
  }
  assert.equal(await page.evaluate(() => document.activeElement.id), 'submit', 'Tab reaches the send button');
  await page.keyboard.press('Enter');
  await page.locator('#receipt').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'receipt', 'focus moves to the receipt');
  assert.equal(countReports(description), 1);
  const stored = execFileSync('psql', [process.env.E2E_DATABASE_URL, '-qAtc',
    `SELECT r.kind || ' ' || r.feeling || ' ' || count(c.*) FROM reports r LEFT JOIN report_contacts c ON c.report_id = r.id
     WHERE r.description = '${description}' GROUP BY r.kind, r.feeling`]).toString().trim();
  assert.equal(stored, 'otrygghet 2 0', 'an otrygghet report, feeling 2, no contact');
  await screenshot(page, 'report-keyboard-en');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
