// Queue page: a caseworker finds a new report, opens it, changes its status,
// and meets a conflict (412) when someone else changed the report meanwhile.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { api, base, kristinehamn, launch, newPage, screenshot, tokens } from '../lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// submit files a felanmälan through the public API, as the Report page does.
async function submit(description, offset = 0) {
  const res = await api('/v1/reports', {
    method: 'POST',
    headers: { 'Idempotency-Key': randomUUID() },
    body: {
      kind: 'felanmalan', category: 'FEL.LIGHT', description,
      location: { lat: kristinehamn.latitude + offset, lon: kristinehamn.longitude + offset, accuracy_m: 5 },
    },
  });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

// attachPhoto draws a small PNG in the page's canvas and uploads it to the
// report the way a resident does, with the follow-up token.
async function attachPhoto(page, receipt) {
  const dataURL = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 80;
    c.height = 60;
    const g = c.getContext('2d');
    g.fillStyle = '#c0392b';
    g.fillRect(0, 0, 80, 60);
    g.fillStyle = '#f1c40f';
    g.fillRect(20, 15, 40, 30);
    return c.toDataURL('image/png');
  });
  const form = new FormData();
  form.append('photo', new Blob([Buffer.from(dataURL.split(',')[1], 'base64')], { type: 'image/png' }), 'lampa.png');
  const res = await fetch(`${base}/v1/reports/${receipt.id}/photos`, { method: 'POST', headers: { 'X-Follow-Up-Token': receipt.follow_up_token }, body: form });
  assert.equal(res.status, 201, await res.text());
}

const staffReport = async (id) => (await api(`/v1/staff/reports/${id}`, { token: tokens.caseworker })).json;

// login logs in through the form; search filters the queue by a word.
async function login(page) {
  await page.goto('/staff');
  await page.getByLabel('Personlig token').fill(tokens.caseworker);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.locator('#queue').waitFor();
  await page.locator('#rows tr').first().waitFor();
}

async function search(page, word) {
  await page.getByLabel('Sök i beskrivningen').fill(word);
  const searched = page.waitForResponse((r) => r.url().includes(`text=${word}`));
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await searched;
  // The list shows only what the search found (the first, unfiltered page is replaced).
  await page.waitForFunction((w) => [...document.querySelectorAll('#rows tr')].every((r) => r.textContent.includes(w)), word);
}

test('a submitted report shows in the queue; the caseworker opens it and changes its status', async () => {
  const word = `kostaff${Date.now()}`;
  const receipt = await submit(`Lampan i gångtunneln är trasig ${word}`);
  const page = await newPage(browser, { viewport: { width: 1200, height: 900 }, locale: 'sv-SE' });
  await attachPhoto(page, receipt);

  // The unfiltered queue pages on with the cursor (the demo data has thousands).
  await login(page);
  await page.getByLabel('Status', { exact: true }).selectOption('');
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('#rows tr').length === 25);
  const paged = page.waitForResponse((r) => r.url().includes('cursor='));
  await page.getByRole('button', { name: 'Visa fler' }).click();
  await paged;
  await page.waitForFunction(() => document.querySelectorAll('#rows tr').length === 50);
  const ids = await page.$$eval('#rows tr', (rs) => rs.map((r) => r.dataset.id));
  assert.equal(new Set(ids).size, 50, 'the second page continues the first');

  await search(page, word);
  const link = page.getByRole('button', { name: `Öppna ${receipt.reference}` });
  await link.waitFor();
  assert.equal(await page.locator('#rows tr').count(), 1, 'the search finds exactly the new report');
  assert.match(await page.locator('#rows tr').first().textContent(), /mottagen/);

  // Every control on the page has a label.
  const unlabelled = await page.$$eval('input, select, textarea, button', (els) =>
    els.filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !(e.textContent || '').trim()).map((e) => e.outerHTML));
  assert.deepEqual(unlabelled, []);
  await screenshot(page, 'staff-queue');

  // Open it from the keyboard: focus moves to the detail heading.
  await link.focus();
  await page.keyboard.press('Enter');
  await page.locator('#detail-h').filter({ hasText: receipt.reference }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'detail-h');
  await page.locator('#history li').first().waitFor();
  await page.locator('#detail-map canvas').waitFor({ timeout: 20000 });
  // The photo of the unpublished report, fetched with the token.
  await page.waitForFunction(() => { const i = document.querySelector('#photos img'); return i && i.complete && i.naturalWidth > 0; });
  assert.equal(await page.locator('#photos img').getAttribute('alt'), 'Foto 1 från rapporten');

  await page.getByLabel('Ny status').selectOption('triaged');
  await page.getByLabel('Anteckning', { exact: true }).fill('Bedömd, skickas till gatukontoret.');
  await page.getByLabel('Visa anteckningen för den som rapporterade').check();
  await page.getByRole('button', { name: 'Spara ändringen' }).click();
  await page.locator('#status').filter({ hasText: 'Ändringen är sparad.' }).waitFor();
  const stored = await staffReport(receipt.id);
  assert.equal(stored.status, 'triaged');
  assert.ok(stored.history.some((e) => e.note === 'Bedömd, skickas till gatukontoret.' && e.public), 'the public note is in the history');
  assert.match(await page.locator('#facts').textContent(), /bedömd/);
  await screenshot(page, 'staff-detail');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a change to a report that changed meanwhile shows the conflict (412) and can be applied again', async () => {
  const word = `konflikt${Date.now()}`;
  const receipt = await submit(`Trasig lykta vid lekplatsen ${word}`, 0.002);
  const page = await newPage(browser, { viewport: { width: 1200, height: 900 }, locale: 'sv-SE' });
  await login(page);
  await search(page, word);
  await page.getByRole('button', { name: `Öppna ${receipt.reference}` }).click();
  await page.locator('#detail-h').filter({ hasText: receipt.reference }).waitFor();

  // Another caseworker moves the report on while this page has it open.
  const seen = await staffReport(receipt.id);
  const other = await api(`/v1/staff/reports/${receipt.id}`, {
    method: 'PATCH', token: tokens.caseworker, headers: { 'If-Match': `"${seen.version}"` },
    body: { status: 'in_progress', note: 'Elektriker bokad.' },
  });
  assert.equal(other.status, 200, other.text);

  let sawPrecondition = false;
  page.on('response', (r) => {
    if (r.request().method() === 'PATCH' && r.status() === 412) sawPrecondition = true;
  });
  await page.locator('#c-visibility').selectOption('published');
  await page.getByRole('button', { name: 'Spara ändringen' }).click();
  const box = page.locator('#conflict');
  await box.waitFor();
  assert.ok(sawPrecondition, 'the server answered 412');
  const text = await box.textContent();
  assert.match(text, /påbörjad/, 'the conflict shows the status change made meanwhile');
  assert.match(text, /Elektriker bokad\./, 'and its note');
  assert.match(text, /Synlighet → publicerad/, 'and the change that was not applied');
  assert.match(await page.locator('#facts').textContent(), /påbörjad/, 'the report was reloaded');
  await screenshot(page, 'staff-conflict');

  await page.getByRole('button', { name: 'Gör min ändring igen' }).click();
  await page.locator('#status').filter({ hasText: 'Ändringen är sparad.' }).waitFor();
  assert.ok(await box.isHidden());
  const stored = await staffReport(receipt.id);
  assert.equal(stored.status, 'in_progress', 'the other change stays');
  assert.equal(stored.visibility, 'published', 'and this one is applied on top');
  assert.deepEqual(page.errors.filter((e) => !e.includes('412')), []);
  await page.context().close();
});

test('merge a duplicate from the suggestions', async () => {
  const word = `dubbel${Date.now()}`;
  const first = await submit(`Gatlampan vid skolan lyser inte ${word}`, -0.003);
  const second = await submit(`Gatlampan vid skolan lyser inte alls ${word}`, -0.003);
  const page = await newPage(browser, { viewport: { width: 1200, height: 900 }, locale: 'sv-SE' });
  await login(page);
  await search(page, word);
  await page.getByRole('button', { name: `Öppna ${second.reference}` }).click();
  await page.locator('#detail-h').filter({ hasText: second.reference }).waitFor();
  const merge = page.getByRole('button', { name: `Slå ihop: detta är en dubblett av ${first.reference}` });
  await merge.click();
  await page.locator('#status').filter({ hasText: `dubblett av ${first.reference}` }).waitFor();
  const stored = await staffReport(second.id);
  assert.equal(stored.status, 'duplicate');
  assert.equal(stored.duplicate_of, first.id);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
