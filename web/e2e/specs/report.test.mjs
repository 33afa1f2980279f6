// Report page: a resident reports from a phone (360 px), by mouse and by keyboard.
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, base, kristinehamn, launch, newPage, screenshot, transferred } from '../lib.mjs';

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
