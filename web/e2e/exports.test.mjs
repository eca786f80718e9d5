// 导出与打印: 导出 on two list pages downloads a valid .xlsx with the page's filters; print pages
// render as A4 under print media (screenshots and a PDF rendered with pdftoppm are looked at).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { apiGet, login, screenshot, shots, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

/** Clicks the button and answers the download's file name and bytes. */
async function downloadBy(page, button) {
  const [dl] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) };
}

describe('导出与打印', () => {
  test('导出 on the risk points and the teams downloads an .xlsx of the filtered list', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    const page = await ctx.newPage();
    await login(page, server.base, 'admin');

    await page.goto(`${server.base}/risk-points`);
    await page.locator('.toolbar .el-select', { hasText: '风险等级' }).click();
    await page.locator('.el-select-dropdown__item', { hasText: '较大风险' }).click();
    let { name, bytes } = await downloadBy(page, page.getByTestId('export'));
    assert.equal(name, '风险点清单.xlsx');
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004', 'a zip (.xlsx)');
    assert.ok(bytes.length > 2000);
    await screenshot(page, 'exports-risk-points');

    await page.goto(`${server.base}/resources`);
    await page.getByRole('tab', { name: '救援队伍' }).click();
    ({ name, bytes } = await downloadBy(page, page.getByTestId('export-teams')));
    assert.equal(name, '救援队伍.xlsx');
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');

    // The audit log reads in words.
    await page.goto(`${server.base}/audit`);
    await page.locator('.el-table__body tr').first().waitFor();
    await page.locator('.el-loading-mask').waitFor({ state: 'hidden' });
    const text = await page.locator('.el-table__body').innerText();
    assert.ok(!/\b[a-z_]+\.[a-z_]+\b/.test(text.replace(/[\w.-]+@[\w.-]+/g, '')), 'no raw action codes');
    assert.match(text, /新建|导入|登录/);
    await screenshot(page, 'exports-audit');
    await ctx.close();
  });

  test('print pages: 隐患月报 and 事故快报 as A4 under print media, and as PDF', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'admin');
    const incidents = await apiGet(page, '/api/v1/incidents?status=closed&page_size=1');
    const ids = incidents.items.length ? incidents.items : (await apiGet(page, '/api/v1/incidents?page_size=1')).items;
    assert.ok(ids.length, 'the demo has incidents');

    for (const [name, url] of [['print-hazard-report', '/print/hazard-report?kind=year'], ['print-incident', `/print/incidents/${ids[0].id}`], ['print-major-hazards', '/print/major-hazards']]) {
      await page.goto(`${server.base}${url}`);
      await page.locator('.sheet[data-ready="1"]').waitFor();
      await screenshot(page, `${name}-screen`);
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.getByTestId('print').isVisible(), false, '打印 is hidden in print');
      await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
      const pdf = path.join(shots, `${name}.pdf`);
      await page.pdf({ path: pdf, format: 'A4', printBackground: true });
      assert.ok(fs.statSync(pdf).size > 10_000);
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, path.join(shots, `${name}-pdf`)]);
      fs.rmSync(pdf);
      await page.emulateMedia({ media: 'screen' });
    }
    const text = await page.locator('.sheet').innerText();
    assert.ok(!text.includes('undefined') && !text.includes('null'));
    await ctx.close();
  });
});
