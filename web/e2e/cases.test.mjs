// 行政处罚案件 in the console: 法制审核员赵敏 (fzsh) opens 执法监管 → 行政处罚案件 from the menu, sees
// the demo's case awaiting 法制审核 on the board and approves it (告知; the timeline grows).
// 应急局监管科 (yjj) on a 390×844 phone sees the board in one column with each open case's
// countdown, and a decision below the discretion range without a reason is refused next to the
// amount. axe-core on the board and the drawer: no critical or serious violation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, login, screenshot as shoot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

async function context(viewport) {
  const phone = viewport === PHONE;
  return browser.newContext({ viewport, locale: 'zh-CN', isMobile: phone, hasTouch: phone });
}

describe('行政处罚案件', () => {
  test('the 法制审核员 approves a case from the board', async () => {
    const ctx = await context(DESKTOP);
    const page = await ctx.newPage();
    await login(page, server.base, 'fzsh');
    const menu = page.getByTestId('menu');
    await menu.getByText('执法监管', { exact: true }).click();
    await menu.getByText('行政处罚案件').click();
    await page.waitForURL(/\/enforcement\/cases/);
    const reviewing = page.getByTestId('case-column-reviewing');
    const card = reviewing.getByTestId('case-card').first();
    await card.waitFor();
    assert.match(await card.getByTestId('case-countdown').innerText(), /作出处罚决定 · 剩 \d+ 天/);
    await accessible(page, 'the cases board');
    await shoot(page, 'enforcement-cases-desktop');

    await card.click();
    const drawer = page.getByTestId('case-drawer');
    await drawer.getByTestId('case-timeline').waitFor();
    const before = await drawer.locator('.el-timeline-item').count();
    await drawer.getByRole('textbox', { name: '意见' }).fill('事实清楚，证据确凿');
    await accessible(page, 'the case drawer');
    await shoot(page, 'enforcement-case-drawer-desktop');
    await drawer.getByTestId('case-submit').click();
    await drawer.getByTestId('case-state').getByText('告知').waitFor();
    assert.equal(await drawer.locator('.el-timeline-item').count(), before + 1);
    await drawer.getByText('法制审核通过并送达告知书').waitFor();
    await ctx.close();
  });

  test('the bureau on a phone: countdowns, and a fine below the range refused by field', async () => {
    const ctx = await context(PHONE);
    const page = await ctx.newPage();
    await login(page, server.base, 'yjj');
    await page.goto(`${server.base}/enforcement/cases`);
    const board = page.getByTestId('case-board');
    await board.getByTestId('case-card').first().waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `the board is ${width} px wide on a ${PHONE.width} px screen`);
    await accessible(page, 'the cases board on a phone');
    await shoot(page, 'enforcement-cases-phone');

    const notified = page.getByTestId('case-column-notified').getByTestId('case-card').first();
    await notified.click();
    const drawer = page.getByTestId('case-drawer');
    await drawer.getByTestId('case-step-form').waitFor();
    await drawer.locator('.el-form-item', { hasText: '事故等级' }).locator('.el-select__wrapper').click();
    await page.locator('.el-select-dropdown__item', { hasText: '一般事故' }).click();
    const amount = drawer.locator('[data-testid=case-amount] input');
    await amount.fill('1000');
    await amount.blur();
    await drawer.getByTestId('case-submit').click();
    const amountItem = drawer.locator('.el-form-item', { hasText: '决定罚款' });
    await amountItem.locator('.el-form-item__error').getByText(/超出裁量基准/).waitFor();
    assert.equal(await drawer.getByTestId('case-state').innerText(), '告知');
    await accessible(page, 'the case drawer on a phone');
    await shoot(page, 'enforcement-case-drawer-phone');
    await ctx.close();
  });
});
