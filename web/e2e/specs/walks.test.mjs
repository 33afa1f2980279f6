// Walk planner: plan a route on the KTH campus street network (imported into
// Stockholm, 0180, by run.mjs), add and remove a must-visit place, download the
// route as GPX, save the walk and record an observation and a measure in walk
// mode on a phone.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { api, launch, newPage, screenshot, tokens } from '../lib.mjs';

let browser;
before(async () => {
  browser = await launch();
  // A cluster of evening reports of groups loitering north-west of the campus,
  // for the planner to find.
  for (let i = 0; i < 12; i++) {
    const res = await api('/v1/reports', {
      method: 'POST',
      headers: { 'Idempotency-Key': randomUUID() },
      body: {
        kind: 'otrygghet', category: 'OTR.SOC.GATHER', time_of_day: 'evening',
        location: { lat: 59.349 + (i % 4) * 0.00003, lon: 18.07 + Math.floor(i / 4) * 0.00005 },
        observed_at: new Date(Date.now() - (i + 1) * 864e5).toISOString(),
      },
    });
    assert.equal(res.status, 201, res.text);
  }
});
after(async () => {
  await browser?.close();
});

const start = { lat: '59.3472', lon: '18.0725' };

// parseGPX parses GPX text with the browser's XML parser and counts its parts.
const parseGPX = (page, text) => page.evaluate((xml) => {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.querySelector('parsererror')) return { error: doc.querySelector('parsererror').textContent };
  const n = (tag) => doc.getElementsByTagName(tag).length;
  return { root: doc.documentElement.localName, trk: n('trk'), rte: n('rte'), points: n('trkpt') + n('rtept'), wpt: n('wpt') };
}, text);

test('plan a walk, add and remove a must-visit place, download GPX, save it and record in walk mode', async () => {
  const page = await newPage(browser, { viewport: { width: 1200, height: 900 }, locale: 'sv-SE', acceptDownloads: true, geolocation: { latitude: 59.3478, longitude: 18.0712 }, permissions: ['geolocation'] });
  const plans = [];
  page.on('request', (r) => {
    if (r.url().includes('/v1/walks/plan') && r.method() === 'POST') plans.push(r.postDataJSON());
  });
  await page.goto('/walks');
  await page.getByLabel('Personlig token').fill(tokens.plannerStockholm);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.locator('#planner').waitFor();
  await page.locator('#map canvas').waitFor({ timeout: 20000 });

  const unlabelled = await page.$$eval('#planner input, #planner select, #planner textarea, #planner button', (els) =>
    els.filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !(e.textContent || '').trim()).map((e) => e.outerHTML));
  assert.deepEqual(unlabelled, []);

  await page.getByLabel('Latitud').fill(start.lat);
  await page.getByLabel('Longitud').fill(start.lon);
  await page.getByLabel('Longitud').press('Tab');
  await page.locator('#muni').filter({ hasText: '0180' }).waitFor();
  await page.getByLabel('Tid att gå (minuter)').fill('40');

  let planned = page.waitForResponse((r) => r.url().includes('/v1/walks/plan') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Föreslå en rutt' }).click();
  let res = await planned;
  assert.equal(res.status(), 200, await res.text());
  let plan = await res.json();
  assert.ok(plan.route.coordinates.length > 1, 'the plan has a route along the streets');
  assert.ok(plan.stops.length >= 1, 'and stops');
  await page.locator('#stops li').first().waitFor();
  assert.equal(await page.locator('#stops li').count(), plan.stops.length);
  const listed = await page.locator('#stops').textContent();
  assert.ok(plan.stops.every((s) => !s.reason || listed.includes(s.reason)), 'every stop shows its reason');
  assert.ok(plan.stops.some((s) => s.kind === 'cluster' || s.kind === 'hotspot'), `the planted cluster is a stop: ${JSON.stringify(plan.stops.map((s) => s.kind))}`);
  assert.equal(await page.locator('.stop-marker').count(), plan.stops.length, 'the stops are on the map');
  assert.equal(plans[0].municipality, '0180');
  assert.deepEqual(plans[0].start, { lat: 59.3472, lon: 18.0725 });
  assert.equal(plans[0].duration_min, 40);
  await screenshot(page, 'walks-plan');

  // Click the map (must-visit mode): the place is added and the route re-planned.
  await page.getByLabel('lägger till en plats som måste besökas').check();
  planned = page.waitForResponse((r) => r.url().includes('/v1/walks/plan') && r.request().method() === 'POST');
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.55);
  res = await planned;
  assert.equal(res.status(), 200, await res.text());
  plan = await res.json();
  assert.equal(plans.at(-1).must_visit.length, 1, 'the clicked place is sent as must_visit');
  assert.ok(plan.stops.some((s) => s.must_visit && s.kind === 'manual'), 'the route passes the must-visit place');
  await page.locator('#must-list li').filter({ hasText: 'Plats 1' }).waitFor();
  await page.locator('#stops .tag').first().waitFor();

  // Remove it again: re-planned without it.
  planned = page.waitForResponse((r) => r.url().includes('/v1/walks/plan') && r.request().method() === 'POST');
  await page.locator('#must-list').getByRole('button', { name: 'Ta bort Plats 1' }).click();
  plan = await (await planned).json();
  assert.equal(plans.at(-1).must_visit.length, 0);
  assert.ok(!plan.stops.some((s) => s.kind === 'manual'));

  // GPX of the plan: a file that parses as GPX with a track.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Ladda ner GPX' }).first().click()]);
  assert.match(dl.suggestedFilename(), /\.gpx$/);
  const gpx = await parseGPX(page, readFileSync(await dl.path(), 'utf8'));
  assert.equal(gpx.error, undefined, gpx.error);
  assert.equal(gpx.root, 'gpx');
  assert.ok(gpx.trk + gpx.rte >= 1, `a trk or rte: ${JSON.stringify(gpx)}`);
  assert.ok(gpx.points > 1, `with points: ${JSON.stringify(gpx)}`);

  // Save: walk mode opens, phone-sized.
  const title = `Kvällsvandring KTH ${Date.now()}`;
  await page.getByLabel('Namn').fill(title);
  await page.getByRole('button', { name: 'Spara vandringen' }).click();
  await page.locator('#walkmode').waitFor();
  await page.setViewportSize({ width: 360, height: 780 });
  await page.locator('#wm-h').filter({ hasText: title }).waitFor();
  assert.match(await page.locator('#stop-now').textContent(), /^Stopp 1 av \d+/);
  const walks = (await api('/v1/walks', { token: tokens.plannerStockholm })).json.walks;
  const walk = walks.find((w) => w.title === title);
  assert.ok(walk, 'the walk is stored');

  // The saved walk's route as GPX.
  const [dl2] = await Promise.all([page.waitForEvent('download'), page.locator('#gpx-walk').click()]);
  const gpx2 = await parseGPX(page, readFileSync(await dl2.path(), 'utf8'));
  assert.equal(gpx2.root, 'gpx');
  assert.ok(gpx2.trk + gpx2.rte >= 1 && gpx2.points > 1, JSON.stringify(gpx2));

  // Record an observation at stop 1 and a measure for it.
  await page.getByLabel('Otrygg', { exact: true }).check();
  await page.getByLabel('Kategori', { exact: true }).selectOption('OTR.PLACE.LIGHT');
  await page.getByLabel('belysning', { exact: true }).check();
  await page.getByLabel('växtlighet', { exact: true }).check();
  await page.getByLabel('Anteckning').fill('Mörk passage under bron, buskarna skymmer.');
  await page.getByRole('button', { name: 'Spara observationen' }).click();
  await page.locator('#status').filter({ hasText: 'Observationen är sparad' }).waitFor();
  await page.getByLabel('Vad ska göras?').fill('Röj buskarna och byt armatur');
  await page.getByLabel('Ansvarig').fill('gatukontoret');
  await page.getByRole('button', { name: 'Spara åtgärden' }).click();
  await page.locator('#status').filter({ hasText: 'Åtgärden är sparad.' }).waitFor();
  assert.equal(await page.locator('#recorded li').count(), 2);
  await screenshot(page, 'walks-walkmode');

  const protocol = (await api(`/v1/walks/${walk.id}/report`, { token: tokens.plannerStockholm })).json;
  assert.equal(protocol.observations.length, 1);
  const o = protocol.observations[0];
  assert.equal(o.rating, 'otrygg');
  assert.equal(o.category, 'OTR.PLACE.LIGHT');
  assert.deepEqual([...o.factors].sort(), ['lighting', 'vegetation']);
  assert.equal(o.stop_seq, 1);
  assert.ok(o.report_reference, 'the observation was filed as a report');
  assert.equal(protocol.measures.length, 1);
  assert.equal(protocol.measures[0].owner, 'gatukontoret');
  assert.equal(protocol.measures[0].observation_id, o.id);
  // Walk mode fits a 360 px phone: nothing wider than the screen.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no horizontal scrolling at 360 px');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
