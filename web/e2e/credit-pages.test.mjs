// 一企一档, 证照到期与确认 and 安责险 in the console: 应急局监管科 opens an enterprise's dossier from
// the enterprise list and the licence page; the enterprise user reads its own dossier on a 390 px
// phone; the insurer reads its policies on a phone. axe-core on each page: no critical or serious
// violation; no page wider than the phone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

async function fits(page, viewport) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= viewport.width, `the page is ${w} px wide on a ${viewport.width} px screen`);
}

describe('企业信用 pages', () => {
  test('the department opens a dossier from the enterprise list, and the licences', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'yjj');
    await page.goto(`${server.base}/enterprises`);
    await page.getByTestId('enterprise-dossier').first().click();
    await page.getByTestId('dossier').getByText('证照').first().waitFor();
    const text = await page.getByTestId('dossier').innerText();
    assert.match(text, /许可证照|证照/, text.slice(0, 400));
    await accessible(page, 'the dossier');
    await screenshot(page, 'credit-dossier-1280');
    // 信用与保险: the enterprise's face and why, and its policies.
    await page.getByRole('tab', { name: '信用与保险' }).click();
    await page.getByTestId('rating-reasons').waitFor();
    await page.getByTestId('dossier-policies').waitFor();
    await accessible(page, 'the dossier credit tab');
    await screenshot(page, 'credit-dossier-credit-1280');
    await page.goto(`${server.base}/credit/licences`);
    await page.getByTestId('credit-licences').waitFor();
    await accessible(page, 'the licences page');
    await screenshot(page, 'credit-licences-1280');
    await page.goto(`${server.base}/credit/insurance`);
    await page.getByTestId('policies-table').waitFor();
    await accessible(page, 'the insurance page');
    await screenshot(page, 'credit-insurance-1280');
    await ctx.close();
  });

  test('the enterprise user reads its own dossier on a phone', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'enterprise');
    await page.goto(`${server.base}/credit/dossier`);
    await page.getByTestId('dossier').waitFor();
    await fits(page, PHONE);
    await accessible(page, 'the own dossier at 390 px');
    await screenshot(page, 'credit-dossier-390');
    await ctx.close();
  });

  test('the insurer reads its policies on a phone', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'insurer');
    await page.goto(`${server.base}/credit/insurance`);
    await page.getByTestId('insurance-page').waitFor();
    await page.getByTestId('policies-cards').locator('.card').first().waitFor();
    await fits(page, PHONE);
    await accessible(page, 'the insurer at 390 px');
    await screenshot(page, 'credit-insurance-390');
    await ctx.close();
  });
});
