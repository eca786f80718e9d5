// 会商研判: the duty officer holds a 汛前会商 linked to the demo's rainstorm process with one
// action owned by 区应急管理局 (through the form), reads it with its countdown; the department's
// user opens it on a 390 px phone and completes the action. axe-core on each page; screenshots
// at 1280 and 390 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/** Beijing time of `ms` as `YYYY-MM-DD HH:mm`. */
const local = (ms) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

async function pick(page, scope, item, label) {
  await scope.locator('.el-form-item', { hasText: item }).locator('.el-select__wrapper').first().click();
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: label }).first().click();
}

async function fillDate(scope, item, value) {
  const input = scope.locator('.el-form-item', { hasText: item }).locator('input').first();
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}

describe('会商研判', () => {
  test('a meeting with one action, completed by its department', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'duty');
    await page.goto(`${server.base}/disasters/consultations`);
    await page.getByTestId('consult-table').waitFor();
    await page.getByTestId('consult-new').click();
    const form = page.getByTestId('consult-form');
    await form.waitFor();
    await page.getByTestId('consult-topic').fill('主汛期防御工作部署');
    await fillDate(form, '会商时间', local(Date.now() - 3600_000));
    await page.getByTestId('consult-video').click();
    await pick(page, form, '参会部门', '区应急管理局');
    await page.keyboard.press('Escape');
    await page.getByTestId('consult-link').click();
    await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '7·10' }).first().click();
    await page.getByTestId('consult-conclusions').fill('全面排查山塘水库，落实转移预案');
    const row = page.getByTestId('consult-action-row').first();
    await row.getByTestId('action-text').fill('排查辖区山塘水库');
    await pick(page, row, '责任部门', '区应急管理局');
    await fillDate(row, '完成期限', local(Date.now() + 3 * 86_400_000).slice(0, 10));
    await page.getByTestId('consult-save').click();
    await page.waitForURL(/\/disasters\/consultations\/[^/]+$/);
    await page.getByTestId('action-countdown').waitFor();
    assert.match(await page.getByTestId('action-countdown').innerText(), /剩/);
    assert.match(await page.getByTestId('consult-conclusions').innerText(), /山塘水库/);
    const url = page.url();
    await accessible(page, 'the meeting page');
    await screenshot(page, 'disasters-consult-detail-1280');
    await page.goto(`${server.base}/disasters/consultations`);
    await page.getByTestId('consult-open').first().waitFor();
    assert.match(await page.getByTestId('consult-table').innerText(), /主汛期防御工作部署/);
    await accessible(page, 'the meeting list');
    await screenshot(page, 'disasters-consult-1280');
    await ctx.close();

    const phone = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    await login(p, server.base, 'yjj');
    await p.goto(url);
    await p.getByTestId('action-complete').waitFor();
    await accessible(p, 'the meeting page on a phone');
    await screenshot(p, 'disasters-consult-detail-390');
    await p.getByTestId('action-complete').click();
    await p.locator('.el-message-box input').fill('已排查 12 座，无险情');
    await p.locator('.el-message-box').getByRole('button', { name: '完成' }).click();
    await p.getByText('已排查 12 座，无险情').waitFor();
    assert.match(await p.getByTestId('action-countdown').innerText(), /已完成/);
    await p.goto(`${server.base}/disasters/consultations`);
    await p.getByTestId('consult-open').first().waitFor();
    await screenshot(p, 'disasters-consult-390');
    await phone.close();
  });
});
