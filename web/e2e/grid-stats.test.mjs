// 网格事件统计 in the console: the 值班员 (duty) opens 网格事件 › 事件统计 over the demo district's
// month of events — the figures, the charts by source, category and street, the on-time rates, the
// hot-spot map — and downloads the workbook; the street's staff read their own on a 390 px phone.
// axe-core on the page: no critical or serious violation. A grid worker has no such page (403).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { accessible, apiGet, login, screenshot, settled, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const day = (ms) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

describe('网格事件统计', () => {
  test('the duty room reads the figures and downloads the workbook', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    const page = await ctx.newPage();
    await login(page, server.base, 'duty');
    await page.goto(`${server.base}/grid/stats`);
    await page.getByTestId('kpi-events').waitFor();
    const now = Date.now();
    const api = await apiGet(page, `/api/v1/grid/stats?from=${day(now - 29 * 86_400_000)}&to=${day(now)}`);
    assert.equal(await page.getByTestId('kpi-events').innerText(), String(api.totals.events));
    assert.equal(await page.getByTestId('kpi-accept').innerText(), api.totals.accept.percent);
    assert.ok(api.totals.events > 0, 'the demo district has events');
    assert.ok(await page.locator('.echart canvas').count() >= 4, 'the charts are drawn');
    await page.getByTestId('stats-units').locator('tbody tr').first().waitFor();
    await page.waitForFunction(() => window.__yingjiMap?.loaded?.());
    assert.match(await page.getByTestId('stats-rule').innerText(), /按时率/);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('stats-export').click()]);
    assert.match(dl.suggestedFilename(), /^网格事件统计-.*\.xlsx$/);
    const bytes = fs.readFileSync(await dl.path());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an xlsx (zip) file');
    await settled(page);
    await screenshot(page, 'grid-stats');
    await accessible(page, 'the grid statistics page');
    await ctx.close();
  });

  test('the street reads its own on a phone; a grid worker may not', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    await login(page, server.base, 'street');
    await page.goto(`${server.base}/grid/stats`);
    await page.getByTestId('kpi-events').waitFor();
    await page.getByTestId('stats-units').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no sideways scrolling at 390 px (${overflow}px)`);
    await settled(page);
    await screenshot(page, 'grid-stats-phone');
    await accessible(page, 'the grid statistics page on a phone');
    await phone.close();

    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const grid = await ctx.newPage();
    await login(grid, server.base, 'grid');
    const r = await grid.evaluate(async () => (await fetch('/api/v1/grid/stats')).status);
    assert.equal(r, 403);
    await ctx.close();
  });
});
