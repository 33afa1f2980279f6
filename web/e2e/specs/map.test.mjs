// Map page: public layers load as tiles and render, filters change the tile
// requests, a click tells what is there, and a staff token brings exact
// reports, hot spots and density (from the hotspot vector tiles), emerging hot
// spots, the time slider and the lägesbild.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, newPage, screenshot, tokens } from '../lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const desktop = { viewport: { width: 1280, height: 800 } };

// idle waits until the map has loaded its style and every visible tile.
async function idle(page) {
  await page.waitForFunction(() => window.trygg && window.trygg.map.loaded() && window.trygg.map.areTilesLoaded(), null, { timeout: 30000 });
}

const rendered = (page, layer) => page.evaluate((l) => window.trygg.map.queryRenderedFeatures({ layers: [l] }).length, layer);

function tileLog(page) {
  const log = [];
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/tiles/') || u.pathname.startsWith('/v1/')) log.push({ path: u.pathname, query: u.searchParams, status: r.status(), auth: !!r.request().headers().authorization });
  });
  return log;
}

test('public layers: tiles load and render, filters change the requests, a click tells what is there', async () => {
  const page = await newPage(browser, desktop);
  const log = tileLog(page);
  await page.goto('/map?center=14.11,59.31&zoom=12');
  await idle(page);
  const cellTiles = log.filter((r) => r.path.startsWith('/tiles/report_cells/'));
  assert.ok(cellTiles.some((r) => r.status === 200), `report_cells tiles answered 200: ${cellTiles.map((r) => r.status)}`);
  assert.ok(log.some((r) => r.path.startsWith('/tiles/municipalities/') && r.status === 200), 'municipality outlines loaded');
  assert.ok(!log.some((r) => r.auth), 'no token is sent without login');
  assert.ok((await rendered(page, 'cells')) > 0, 'report cells are drawn');
  assert.ok((await rendered(page, 'municipality-line')) > 0, 'municipality outline is drawn');
  await screenshot(page, 'map-public');

  // A click on a drawn cell describes it.
  const point = await page.evaluate(() => {
    const map = window.trygg.map;
    const c = map.getCanvas();
    for (let y = 40; y < c.clientHeight; y += 20) {
      for (let x = 40; x < c.clientWidth; x += 20) {
        if (map.queryRenderedFeatures([x, y], { layers: ['cells'] }).length) return { x, y };
      }
    }
    return null;
  });
  assert.ok(point, 'found a drawn cell to click');
  const box = await page.locator('#map canvas').boundingBox();
  await page.mouse.click(box.x + point.x, box.y + point.y);
  await page.locator('#info li').filter({ hasText: /rapporter i rutan/ }).first().waitFor();

  // Filters: the tile requests carry them.
  const before = log.length;
  const kindTile = page.waitForResponse((r) => r.url().includes('/tiles/report_cells/') && r.url().includes('kind=felanmalan'));
  await page.getByLabel('Typ').selectOption('felanmalan');
  await kindTile;
  const periodTile = page.waitForResponse((r) => r.url().includes('/tiles/report_cells/') && r.url().includes('kind=felanmalan') && r.url().includes('from='));
  await page.getByLabel('Period').selectOption('365');
  await periodTile;
  await idle(page);
  const filtered = log.slice(before).filter((r) => r.path.startsWith('/tiles/reports_public/'));
  assert.ok(filtered.length > 0 && filtered.every((r) => r.query.get('kind') === 'felanmalan'), 'published reports tiles are filtered too');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('staff token: exact reports, Gi* and KDE from tiles, emerging hot spots, time slider and lägesbild', async () => {
  const page = await newPage(browser, desktop);
  const log = tileLog(page);
  await page.goto('/map?center=14.11,59.31&zoom=12');
  await idle(page);
  await page.getByLabel('Personalnyckel (token)').fill(tokens.analyst);
  await page.getByRole('button', { name: 'Använd nyckeln' }).click();
  await page.locator('#login-status.ok').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('trygg.staffToken')), tokens.analyst, 'the token is kept in sessionStorage');

  const exactTile = page.waitForResponse((r) => r.url().includes('/tiles/reports/') && r.status() === 200);
  await page.getByLabel('Exakta rapporter').check();
  await exactTile;
  await idle(page);
  assert.ok(log.filter((r) => r.path.startsWith('/tiles/reports/')).every((r) => r.auth), 'staff tiles carry the token');
  assert.ok(!log.filter((r) => r.path.startsWith('/tiles/reports_public/')).some((r) => r.auth), 'public tiles do not');
  assert.ok((await rendered(page, 'exact')) > 0, 'exact reports are drawn');

  // Gi* comes as vector tiles: the TileJSON (with the summary for the legend),
  // then tiles of the hotspots layer, with the token; no GeoJSON.
  await page.getByLabel('Rutstorlek').selectOption('500'); // fewer cells: quicker in a software-rendered browser
  const tilejson = page.waitForResponse((r) => new URL(r.url()).pathname === '/tiles/hotspots.json' && r.status() === 200);
  const hotTile = page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/tiles/hotspots/') && r.status() === 200);
  await page.getByLabel('Analys av synlig kommun').selectOption('gistar');
  const tj = await tilejson;
  const tjQuery = new URL(tj.url()).searchParams;
  assert.equal(tjQuery.get('municipality'), '1781');
  assert.equal(tjQuery.get('method'), 'gistar');
  assert.equal(tjQuery.get('cell'), '500');
  const summary = (await tj.json()).summary;
  const tile = new URL((await hotTile).url());
  assert.equal(tile.searchParams.get('municipality'), '1781', 'the tiles carry the analysis parameters');
  assert.equal(tile.searchParams.get('cell'), '500');
  await page.locator('#analysis-legend .swatches').waitFor();
  await idle(page);
  const hotLog = log.filter((r) => r.path.startsWith('/tiles/hotspots'));
  assert.ok(hotLog.length > 1 && hotLog.every((r) => r.auth), 'hot spot TileJSON and tiles carry the token');
  assert.ok(!log.some((r) => r.path === '/v1/hotspots'), 'no GeoJSON is fetched for Gi*');
  const fromTiles = await page.evaluate(() => window.trygg.map.querySourceFeatures('hotspots', { sourceLayer: 'hotspots' }).map((f) => f.properties.bin));
  assert.ok(fromTiles.length > 0, 'the hotspots source holds features from its tiles');
  const bins = await page.evaluate(() => window.trygg.map.queryRenderedFeatures({ layers: ['hotspot'] }).map((f) => f.properties.bin));
  assert.ok(bins.length > 0 && bins.every((b) => b !== 0), `hot spot cells drawn (bins ${[...new Set(bins)]})`);
  assert.ok(bins.includes(3), 'a 99 % hot spot cell of the demo data is drawn');
  const legendText = await page.locator('#analysis-legend').textContent();
  assert.match(legendText, new RegExp(`Hot spot 99 % \\(${summary.bins['3']}\\)`), 'the legend counts come from the TileJSON summary');
  assert.ok(legendText.includes(`${summary.reports} rapporter, ${summary.cells} rutor à 500 m.`), legendText);

  // A click on a hot spot cell tells its class and z.
  const hotPoint = await page.evaluate(() => {
    const map = window.trygg.map;
    const c = map.getCanvas();
    for (let y = 20; y < c.clientHeight; y += 10) {
      for (let x = 20; x < c.clientWidth; x += 10) {
        const f = map.queryRenderedFeatures([x, y], { layers: ['hotspot'] });
        if (f.length && f[0].properties.bin === 3) return { x, y };
      }
    }
    return null;
  });
  assert.ok(hotPoint, 'found a 99 % hot spot cell to click');
  const mapBox = await page.locator('#map canvas').boundingBox();
  await page.mouse.click(mapBox.x + hotPoint.x, mapBox.y + hotPoint.y);
  await page.locator('#info li').filter({ hasText: /Hot spot 99 %, z = \d/ }).first().waitFor();

  // Kernel density: tiles too, coloured up to the largest density in tilestats.
  const kdeJSON = page.waitForResponse((r) => new URL(r.url()).pathname === '/tiles/hotspots.json' && new URL(r.url()).searchParams.get('method') === 'kde' && r.status() === 200);
  const kdeTile = page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/tiles/hotspots/') && new URL(r.url()).searchParams.get('method') === 'kde' && r.status() === 200);
  await page.getByLabel('Analys av synlig kommun').selectOption('kde');
  const kde = await (await kdeJSON).json();
  await kdeTile;
  const maxDensity = kde.tilestats.layers[0].attributes.find((a) => a.attribute === 'density').max;
  await page.locator('#analysis-legend').filter({ hasText: 'Rapporter per km²' }).waitFor();
  assert.ok((await page.locator('#analysis-legend').textContent()).includes(String(Math.round(maxDensity))), 'the legend tops at the largest density');
  await idle(page);
  const densities = await page.evaluate(() => window.trygg.map.queryRenderedFeatures({ layers: ['hotspot'] }).map((f) => f.properties.density));
  assert.ok(densities.length > 0 && densities.every((d) => d > 0 && d <= maxDensity * 1.000001), `density cells drawn within the range (${densities.length})`);
  assert.ok(!log.some((r) => r.path === '/v1/hotspots'), 'no GeoJSON is fetched for KDE');

  await page.locator('#lagesbild table').waitFor();
  assert.match(await page.locator('#lagesbild').textContent(), /Kristinehamn/);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Ladda ner utskriftsvänlig rapport (HTML)' }).click();
  const file = await download;
  assert.match(file.suggestedFilename(), /^lagesbild-1781-\d{4}-\d\d\.html$/);
  const { readFileSync } = await import('node:fs');
  const html = readFileSync(await file.path(), 'utf8');
  assert.match(html, /<html[\s\S]*Kristinehamn/);
  await screenshot(page, 'map-staff-hotspots');

  // The time slider picks a month: the layers and the analysis follow it.
  await page.getByLabel('Välj månad med tidsreglaget').check();
  const sliderTiles = page.waitForResponse((r) => r.url().includes('/tiles/report_cells/') && /from=\d{4}-\d\d-01/.test(r.url()) && r.url().includes('to='));
  await page.getByRole('slider', { name: 'Månad' }).fill('-1');
  await sliderTiles;

  const emerging = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/hotspots/emerging' && r.status() === 200);
  await page.getByLabel('Analys av synlig kommun').selectOption('emerging');
  await emerging;
  await page.locator('#analysis-legend').filter({ hasText: 'Mönster' }).waitFor();
  await screenshot(page, 'map-staff-emerging');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
