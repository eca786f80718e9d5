// 履职报告 and 两单两卡: 应急局监管科 opens /credit/duty-reports (the demo has reports of the last
// two quarters, one returned), filters by status and accepts a waiting one in the review dialog;
// opens /credit/post-cards, picks an enterprise in the completeness table and reads its cards;
// the enterprise user's form and editor on a 390 px phone. axe-core on each page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

describe('履职报告与两单两卡', () => {
  test('the department reviews reports and reads the cards', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'yjj');
    await page.goto(`${server.base}/credit/duty-reports`);
    const table = page.getByTestId('duty-table');
    await table.locator('tbody tr').first().waitFor();
    const text = await table.innerText();
    assert.match(text, /已退回/);
    assert.match(text, /待审核/);
    await accessible(page, 'the duty reports page');
    await screenshot(page, 'credit-duty-reports-1280');
    await table.locator('tbody tr', { hasText: '待审核' }).first().getByTestId('duty-open').click();
    await page.getByTestId('duty-report-text').waitFor();
    await screenshot(page, 'credit-duty-review-1280');
    await page.getByTestId('duty-accept').click();
    await page.getByText('已通过', { exact: true }).first().waitFor();
    await page.goto(`${server.base}/credit/post-cards`);
    const summary = page.getByTestId('post-completeness');
    await summary.locator('tbody tr').first().waitFor();
    await summary.locator('tbody tr').first().click();
    await page.getByTestId('post-card').first().waitFor();
    assert.match(await page.getByTestId('post-card').first().innerText(), /责任清单/);
    await accessible(page, 'the post cards page');
    await screenshot(page, 'credit-post-cards-1280');
    await ctx.close();
  });

  test('the enterprise user on a 390 px phone', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'enterprise');
    await page.goto(`${server.base}/credit/duty-reports`);
    await page.getByTestId('duty-form').waitFor();
    let w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `the page is ${w} px wide`);
    await accessible(page, 'the duty report form at 390 px');
    await screenshot(page, 'credit-duty-reports-390');
    await page.goto(`${server.base}/credit/post-cards`);
    await page.getByTestId('post-add').click();
    await page.getByTestId('post-name').waitFor();
    w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `the page is ${w} px wide`);
    await screenshot(page, 'credit-post-editor-390');
    await ctx.close();
  });
});
