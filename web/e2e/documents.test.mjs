// 执法文书 in the console: 应急局监管科 (yjj) opens 执法监管 → 执法文书, issues a 责令限期整改指令书 for a
// task of the demo's draw through 开具文书 (a missing 整改期限 is refused next to its field), sees it
// numbered in the list and opens its PDF in the drawer; 执法队员张明 (zfry) on a 390×844 phone sees
// the list as cards. axe-core on the tab: no critical or serious violation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, axeViolations, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

async function noToasts(page) {
  await page.waitForFunction(() => !document.querySelector('.el-message'));
}

describe('执法文书', () => {
  test('开具 a 责令限期整改指令书, numbered, its PDF in the drawer; the list on the phone', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'yjj');
    await page.goto(`${server.base}/enforcement?tab=documents`);
    await page.getByTestId('document-table').waitFor();

    await page.getByTestId('new-document').click();
    const dialog = page.getByTestId('document-dialog');
    await dialog.getByTestId('document-kind').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '责令限期整改指令书' }).click();
    await dialog.getByTestId('document-task').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '工贸企业安全生产监督检查' }).first().click();
    await dialog.locator('textarea[data-testid=document-field-facts], [data-testid=document-field-facts] textarea').fill('1. 有限空间作业未审批；\n2. 粉尘清扫记录缺失。');
    await dialog.locator('textarea[data-testid=document-field-basis], [data-testid=document-field-basis] textarea').fill('《中华人民共和国安全生产法》第一百零二条');
    await dialog.getByTestId('document-submit').click();
    await dialog.getByText('整改期限不能为空').waitFor();

    await dialog.getByLabel('整改期限').fill('2099-12-31');
    await dialog.getByLabel('整改期限').press('Enter');
    await dialog.getByTestId('document-submit').click();
    const drawer = page.getByTestId('document-drawer');
    await drawer.getByText('PDF SHA-256').waitFor();
    await noToasts(page);
    const list = await apiGet(page, '/api/v1/enforcement/documents');
    assert.equal(list.total, 1);
    assert.match(list.items[0].number, /^〔\d{4}〕.+责改〔0001〕号$/);
    await page.waitForTimeout(500);
    await screenshot(page, 'enforcement-documents-drawer-desktop');
    await drawer.locator('.el-drawer__close-btn').click();
    await page.getByTestId('document-table').getByText(list.items[0].number).waitFor();
    // A fresh page (the drawer's fading mask is read by axe-core as part of the header's colours).
    await page.reload();
    await page.getByTestId('document-table').getByText(list.items[0].number).waitFor();
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
    const found = await axeViolations(page);
    assert.deepEqual(found, [], `axe-core on 执法文书:\n${found.join('\n')}`);
    await screenshot(page, 'enforcement-documents-desktop');
    await ctx.close();

    const phone = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    await login(p, server.base, 'zfry');
    await p.goto(`${server.base}/enforcement?tab=documents`);
    await p.getByTestId('document-table').waitFor();
    await p.waitForLoadState('networkidle');
    const w = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `the page is ${w} px wide on a ${PHONE.width} px screen`);
    await screenshot(p, 'enforcement-documents-phone');
    await phone.close();
  });
});
