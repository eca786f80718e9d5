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

    // The audit log reads in words (the 安全审计员's page, ADR 0029).
    await page.evaluate(() => fetch('/api/v1/auth/logout', { method: 'POST' }));
    await login(page, server.base, 'auditor');
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

  test('隐患年报 by 行业领域 and 国民经济行业, and its 导出 as .xlsx', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    const page = await ctx.newPage();
    await login(page, server.base, 'admin');
    await page.goto(`${server.base}/print/hazard-report?kind=year`);
    await page.locator('.sheet[data-ready="1"]').waitFor();
    const year = new Date().getFullYear();
    const report = await apiGet(page, `/api/v1/hazards/report?kind=year&year=${year}`);
    const cats = page.getByTestId('print-by-category');
    assert.ok(report.by_category.length > 0, 'the demo has hazards by category');
    for (const r of report.by_category) await cats.locator('tr', { hasText: r.name }).first().waitFor();
    assert.equal(await cats.locator('tr').count(), report.by_category.length + 1);
    const header = await cats.locator('tr').first().innerText();
    for (const h of ['一般', '重大', '已整改', '整改率', '逾期']) assert.ok(header.includes(h), `${h} in ${header}`);
    await page.getByTestId('print-by-industry').locator('tr.sum').waitFor();
    const { name, bytes } = await downloadBy(page, page.getByTestId('print-export'));
    assert.equal(name, `隐患年报-${year}年度.xlsx`);
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004', 'a zip (.xlsx)');
    await ctx.close();
  });

  test('every print page at 390×844: nothing runs past the screen, wide tables scroll inside the sheet', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    await login(page, server.base, 'admin');
    const incident = (await apiGet(page, '/api/v1/incidents?page_size=1')).items[0];
    const pages = [['hazard-report', '/print/hazard-report?kind=year'], ['incident', `/print/incidents/${incident.id}`], ['duty', '/print/duty'],
      ['warning-stats', '/print/warning-stats'], ['resources', '/print/resources'], ['major-hazards', '/print/major-hazards']];
    for (const [name, url] of pages) {
      await page.goto(`${server.base}${url}`);
      await page.locator('.sheet[data-ready="1"]').waitFor();
      // The page itself never scrolls sideways; a table wider than the sheet scrolls in its box.
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), `${name}: no sideways page`);
      const cut = await page.evaluate(() => [...document.querySelectorAll('.sheet table')].filter((t) => {
        const box = t.closest('.print-table') ?? t;
        return t.getBoundingClientRect().right > box.getBoundingClientRect().right + 1 && getComputedStyle(box).overflowX !== 'auto';
      }).length);
      assert.equal(cut, 0, `${name}: a table runs past the sheet`);
      await page.screenshot({ path: path.join(shots, `print-${name}-phone.png`), fullPage: true });
    }
    await ctx.close();
  });
});
