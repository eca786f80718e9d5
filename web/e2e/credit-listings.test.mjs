// 严重失信主体名单: 应急局监管科 opens /credit/listings (the demo has one enterprise listed and
// one repaired), opens a listing's drawer with its documents and timeline; the public page
// /public/credit (no login) shows the listed enterprise and the published risk, at 1280 px and
// on a 390 px phone. axe-core on each page: no critical or serious violation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

describe('严重失信主体名单', () => {
  test('the department works the listings; the drawer shows the documents', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'yjj');
    await page.goto(`${server.base}/credit/listings`);
    await page.getByTestId('listing-card').first().waitFor();
    const cards = await page.getByTestId('listing-card').allInnerTexts();
    assert.ok(cards.some((c) => c.includes('已列入')), cards.join('\n'));
    assert.ok(cards.some((c) => c.includes('已移出')), cards.join('\n'));
    await accessible(page, 'the listings page');
    await screenshot(page, 'credit-listings-1280');
    await page.getByTestId('listing-card').filter({ hasText: '已列入' }).first().click();
    await page.getByTestId('listing-timeline').waitFor();
    const drawer = await page.getByTestId('listing-drawer').innerText();
    assert.match(drawer, /浔应急失信决/);
    assert.match(drawer, /管理期限/);
    await accessible(page, 'the listing drawer');
    await screenshot(page, 'credit-listing-drawer-1280');
    await ctx.close();
  });

  for (const [name, viewport] of [['1280', DESKTOP], ['390', PHONE]]) {
    test(`the public page at ${name} px`, async () => {
      const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
      const page = await ctx.newPage();
      await page.goto(`${server.base}/public/credit`);
      await page.getByTestId('public-listing').first().waitFor();
      await page.getByTestId('public-risk').first().waitFor();
      const text = await page.locator('main').innerText();
      assert.match(text, /瞒报、谎报生产安全事故/);
      assert.doesNotMatch(text, /许可被暂扣/, 'the repaired enterprise is not shown');
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(w <= viewport.width, `the page is ${w} px wide on a ${viewport.width} px screen`);
      await accessible(page, `the public page at ${name} px`);
      await screenshot(page, `credit-public-${name}`);
      await ctx.close();
    });
  }
});
