// 森林防火: the forest authority (应急局监管科 in the demo) opens /disasters/forest — today's level, the
// level calendar, the forest areas drawn by today's level, the indicators — and approves a pending
// 野外用火 in the review drawer; the public 野外用火 form and its tracking page at 1280 and 390 px.
// axe-core on each page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

describe('森林防火', () => {
  test('the authority reads the page and approves an application', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'yjj');
    await page.goto(`${server.base}/disasters/forest`);
    await page.getByTestId('forest-areas').locator('tbody tr').first().waitFor();
    assert.match(await page.getByTestId('today-level').innerText(), /级/);
    assert.match(await page.getByTestId('indicator-coverage').innerText(), /%/);
    await page.getByTestId('forest-outlines').waitFor();
    await accessible(page, 'the 森林防火 page');
    await screenshot(page, 'forest-1280');
    await page.getByRole('tab', { name: /野外用火审批/ }).click();
    const list = page.getByTestId('fire-use-list');
    await list.locator('tbody tr').first().waitFor();
    const text = await list.innerText();
    assert.match(text, /已暂停/);
    assert.match(text, /不予批准/);
    await list.locator('tbody tr', { hasText: '待审批' }).first().click();
    await page.getByTestId('fire-use-detail').waitFor();
    await screenshot(page, 'forest-fire-use-1280');
    await page.getByTestId('decide-approve').click();
    await page.getByTestId('fire-use-detail').getByText('已批准').waitFor();
    await ctx.close();
  });

  test('street staff read the page on a 390 px phone', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'street');
    await page.goto(`${server.base}/disasters/forest`);
    await page.getByTestId('forest-areas').locator('tbody tr').first().waitFor();
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `the page is ${w} px wide`);
    await accessible(page, 'the 森林防火 page at 390 px');
    await screenshot(page, 'forest-390');
    await ctx.close();
  });

  test('the 护林员 records a patrol on a 390 px phone', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'grid');
    await page.goto(`${server.base}/disasters/forest/ranger`);
    await page.getByTestId('ranger-patrol').waitFor();
    await page.getByText('巡查 琵琶湖北岸林区').first().waitFor();
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `the page is ${w} px wide`);
    await accessible(page, 'the 护林巡查 page at 390 px');
    await screenshot(page, 'forest-ranger-390');
    await page.getByTestId('ranger-patrol').click();
    await page.getByTestId('ranger-patrol').getByText('结束巡查并提交').waitFor();
    await page.getByTestId('ranger-patrol').click();
    await page.getByText('巡查记录已提交').waitFor();
    await page.getByText('巡查 琵琶湖北岸林区').nth(1).waitFor();
    await ctx.close();
  });

  for (const [name, viewport] of [['1280', DESKTOP], ['390', PHONE]]) {
    test(`the public form and tracking at ${name} px`, async () => {
      const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
      const page = await ctx.newPage();
      await page.goto(`${server.base}/public/fire-use`);
      await page.getByTestId('fire-submit').waitFor();
      await accessible(page, `the public 野外用火 form at ${name} px`);
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(w <= viewport.width, `the page is ${w} px wide`);
      await screenshot(page, `forest-public-form-${name}`);
      // A bad phone is named on its field; nothing else is filled yet.
      await page.getByTestId('fire-name').fill('赵大山');
      await page.getByTestId('fire-phone').fill('12345');
      await page.getByTestId('fire-submit').click();
      await page.getByText('联系电话格式不正确', { exact: false }).first().waitFor();
      await page.getByTestId('fire-phone').fill(name === '390' ? '13807921390' : '13807921280');
      await page.getByTestId('fire-area').click();
      await page.locator('.el-select-dropdown__item').first().click();
      await page.getByTestId('fire-measures').fill('开设隔离带，备扑火工具，2人看守');
      await page.getByTestId('fire-submit').click();
      const code = (await page.getByTestId('fire-tracking-code').innerText()).trim();
      assert.equal(code.length, 12);
      await page.getByTestId('fire-track').click();
      await page.getByTestId('fire-progress').waitFor();
      assert.match(await page.getByTestId('fire-progress').innerText(), /待审批/);
      await accessible(page, `the tracking page at ${name} px`);
      await screenshot(page, `forest-public-tracking-${name}`);
      await ctx.close();
    });
  }
});
