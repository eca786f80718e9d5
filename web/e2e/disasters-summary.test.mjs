// 灾情统计: the commander reads the demo district's ten years (three processes, the 7·10 rainstorm
// verified), the three indicators against the yearbook the demo filed, edits the yearbook (a bad
// line is named, a good save recomputes), exports the .xlsx; a street officer's page at 390 px
// shows their township as a card. axe-core on each; screenshots at 1280 and 390 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

describe('灾情统计', () => {
  test('the commander reads the summary, edits the yearbook and exports', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    const page = await ctx.newPage();
    await login(page, server.base, 'commander');
    await page.goto(`${server.base}/disasters/summary`);
    const kpis = page.getByTestId('summary-kpis');
    await kpis.waitFor();
    assert.match(await kpis.innerText(), /灾害过程\s*3/);
    const ind = page.getByTestId('summary-indicators');
    assert.match(await ind.innerText(), /达标/);
    await page.getByTestId('summary-townships').locator('tbody tr').first().waitFor();
    await page.waitForTimeout(800); // the charts' entry animation
    await screenshot(page, 'disaster-summary');
    await accessible(page, '灾情统计');

    await page.getByTestId('yearbook-open').click();
    const table = page.getByTestId('yearbook-table');
    await table.locator('tbody tr').first().waitFor();
    await page.getByRole('textbox', { name: '第 1 行常住人口' }).fill('-3');
    await page.getByTestId('yearbook-save').click();
    await page.getByText('第 1 行常住人口（人）不能为负数').first().waitFor();
    await page.getByRole('textbox', { name: '第 1 行常住人口' }).fill('420000');
    await page.getByTestId('yearbook-save').click();
    await page.getByText('年度统计已保存').first().waitFor();

    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    assert.match(file.suggestedFilename(), /\.xlsx$/);
    await ctx.close();
  });

  test('a street officer sees their township as a card at 390 px', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    await login(page, server.base, 'street');
    await page.goto(`${server.base}/disasters/summary`);
    const cards = page.getByTestId('summary-townships').locator('.card');
    await cards.first().waitFor();
    assert.equal(await cards.count(), 1);
    await page.waitForTimeout(800);
    await screenshot(page, 'disaster-summary-phone');
    await accessible(page, '灾情统计（手机）');
    await ctx.close();
  });
});
