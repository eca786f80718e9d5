// 执法统计 in the console: 应急局监管科 (yjj) opens 执法监管 › 执法统计 — the figures, the monthly chart,
// the department table with its plan completion and flags, the inspector and category tables, the
// cases past their deadline — and downloads the workbook; the 局长 (commander) reads it on a 390 px
// phone. axe-core on the page: no critical or serious violation. An enterprise user has no such page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { accessible, apiGet, login, screenshot, settled, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

describe('执法统计', () => {
  test('the department reads its figures and downloads the workbook', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    const page = await ctx.newPage();
    await login(page, server.base, 'yjj');
    await page.goto(`${server.base}/enforcement/stats`);
    const depts = page.getByTestId('stats-departments');
    await depts.locator('tbody tr').first().waitFor();
    assert.match(await depts.innerText(), /区应急管理局/);
    const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
    const api = await apiGet(page, `/api/v1/enforcement/stats?year=${year}`);
    assert.equal(await page.getByTestId('kpi-inspections').innerText(), String(api.totals.inspections));
    assert.equal(await page.getByTestId('kpi-cases').innerText(), String(api.totals.cases));
    assert.ok(await page.locator('.echart canvas').count() > 0, 'the monthly chart is drawn');
    assert.match(await page.getByTestId('stats-thresholds').innerText(), /零处罚/);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('stats-export').click()]);
    assert.match(dl.suggestedFilename(), /^执法统计-.*\.xlsx$/);
    const bytes = fs.readFileSync(await dl.path());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an xlsx (zip) file');
    await settled(page);
    await screenshot(page, 'enforcement-stats');
    await accessible(page, 'the statistics page');
    await ctx.close();
  });

  test('the leader reads it on a phone; an enterprise user has no page', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    await login(page, server.base, 'commander');
    await page.goto(`${server.base}/enforcement/stats`);
    await page.getByTestId('stats-departments').locator('tbody tr').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no sideways scrolling at 390 px (${overflow}px)`);
    await settled(page);
    await screenshot(page, 'enforcement-stats-phone');
    await accessible(page, 'the statistics page on a phone');
    await phone.close();

    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const ent = await ctx.newPage();
    await login(ent, server.base, 'enterprise');
    const r = await ent.evaluate(async (y) => (await fetch(`/api/v1/enforcement/stats?year=${y}`)).status, new Date().getFullYear());
    assert.equal(r, 403);
    await ctx.close();
  });
});
