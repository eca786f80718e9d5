// 信用脸谱: 应急局监管科 opens /credit/ratings (the demo rates every enterprise, in every tier),
// filters by a tier, opens a face and reads why, switches to the map; the enterprise user reads its
// own face at 390 px. axe-core on each page: no critical or serious violation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

describe('信用脸谱', () => {
  test('the department sees every tier, filters, and reads why', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'yjj');
    await page.goto(`${server.base}/credit/ratings`);
    await page.getByTestId('rating-card').first().waitFor();
    const tiers = await page.getByTestId('rating-tiers').innerText();
    for (const t of ['A', 'B', 'C', 'D']) assert.match(tiers, new RegExp(`${t}\\s`), tiers);
    await accessible(page, 'the ratings page');
    await screenshot(page, 'credit-ratings-1280');
    // The lowest score comes first, with its reason.
    const first = await page.getByTestId('rating-card').first().innerText();
    assert.match(first, /分/, first);
    await page.getByTestId('rating-card').first().click();
    await page.getByTestId('rating-reasons').waitFor();
    const why = await page.getByTestId('rating-detail').innerText();
    assert.match(why, /评定依据/);
    assert.match(why, /[−+]\d+/, why);
    await accessible(page, 'the rating drawer');
    await screenshot(page, 'credit-rating-drawer-1280');
    await page.keyboard.press('Escape');
    // A tier filters the list.
    await page.locator('.tier').filter({ hasText: 'D' }).first().click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=rating-card] .face')].every((f) => f.textContent.trim() === 'D'));
    await page.getByRole('radio', { name: '地图' }).click({ force: true });
    await page.getByTestId('rating-map').locator('canvas').waitFor();
    await screenshot(page, 'credit-ratings-map-1280');
    await ctx.close();
  });

  test('the enterprise user reads its own face on a phone', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'enterprise');
    await page.goto(`${server.base}/credit/rating`);
    await page.getByTestId('rating-reasons').waitFor();
    const text = await page.getByTestId('rating-detail').innerText();
    assert.match(text, /对评价结果提出异议/);
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `the page is ${w} px wide on a ${PHONE.width} px screen`);
    await accessible(page, 'the own rating at 390 px');
    await screenshot(page, 'credit-my-rating-390');
    await ctx.close();
  });
});
