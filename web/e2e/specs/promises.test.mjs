// Promises page: a resident reads the municipality's medborgarlöften, who is
// responsible for each commitment and its progress.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, launch, newPage, screenshot } from '../lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('promises of Kristinehamn with responsible parties and progress, chosen from the list', async () => {
  const { json } = await api('/v1/public/promises?municipality=1781');
  assert.ok(json.promises.length > 0, 'the demo has promises for Kristinehamn');
  const promise = json.promises[0];
  const done = promise.commitments.filter((c) => c.status === 'fulfilled').length;

  const page = await newPage(browser, { viewport: { width: 390, height: 800 } });
  await page.goto('/promises');
  await page.getByLabel('Kommun').selectOption({ label: 'Kristinehamn' });
  await page.locator('article.promise').first().waitFor();
  assert.match(page.url(), /municipality=1781/);
  const article = page.locator('article.promise').filter({ hasText: promise.title });
  assert.equal(await article.locator('li.commitment').count(), promise.commitments.length);
  assert.match(await article.locator('.progress').textContent(), new RegExp(`${done} av ${promise.commitments.length} åtaganden uppfyllda`));
  const bar = article.locator('progress');
  assert.equal(Number(await bar.getAttribute('max')), promise.commitments.length);
  const first = promise.commitments[0];
  const names = { polisen: 'Polisen', kommunen: 'Kommunen', both: 'Kommunen och polisen', other: 'Annan part' };
  assert.match(await article.locator('li.commitment').first().textContent(), new RegExp(`Ansvarar: ${names[first.responsible]}`));
  for (const status of new Set(promise.commitments.map((c) => c.status))) {
    assert.ok((await article.locator(`.badge.${status}`).count()) > 0, `a ${status} badge`);
  }
  await screenshot(page, 'promises');

  await page.getByRole('button', { name: 'English' }).click();
  await article.locator('.progress').filter({ hasText: `${done} of ${promise.commitments.length} commitments fulfilled` }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
