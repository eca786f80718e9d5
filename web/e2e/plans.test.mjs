// 年度检查计划 in the console: 应急局监管科 (yjj) drafts the year's plan on 执法监管 › 年度检查计划
// (a ratio over 100 % is refused on its category's row), the drawer shows the 重点检查 list with how
// often and why and the 双随机 line per category; the 局长 (commander) approves it, on a 390 px
// phone too. axe-core on the tab and the drawer: no critical or serious violation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, login, screenshot, settled, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

describe('年度检查计划', () => {
  test('drafted by the department, refused rows named, approved by the leader', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'yjj');
    await page.goto(`${server.base}/enforcement?tab=plans`);
    await page.getByTestId('new-plan').click();
    const trade = page.getByTestId('plan-quota-industry_trade');
    await trade.locator('.num input').fill('120');
    await page.getByTestId('plan-submit').click();
    await trade.locator('.err').waitFor();
    assert.match(await trade.locator('.err').innerText(), /比例/);
    await trade.locator('.num input').fill('5');
    await page.getByTestId('plan-submit').click();
    const drawer = page.getByTestId('plan-drawer');
    await drawer.getByTestId('plan-key').waitFor();
    const keyRows = await drawer.locator('[data-testid=plan-key] tbody tr').count();
    assert.ok(keyRows > 0, 'the 重点检查 list has enterprises');
    assert.match(await drawer.innerText(), /次\/年/);
    assert.match(await drawer.innerText(), /有重大危险源|有红色或橙色风险点|有未销号的重大事故隐患/);
    assert.match(await drawer.locator('[data-testid=plan-categories]').innerText(), /5%（向上取整）/);
    await settled(page);
    await screenshot(page, 'enforcement-plan-drawer');
    await accessible(page, 'the plan drawer');
    await ctx.close();

    const phone = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const leader = await phone.newPage();
    await login(leader, server.base, 'commander');
    await leader.goto(`${server.base}/enforcement?tab=plans`);
    await leader.getByTestId('plan-table').locator('tbody tr').first().click();
    await leader.getByTestId('plan-approve').click();
    await leader.getByText('已批准').first().waitFor();
    const width = await leader.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `the plan drawer is ${width} px wide on a phone`);
    await settled(leader);
    await screenshot(leader, 'enforcement-plan-phone');
    await accessible(leader, 'the plan drawer on a phone');
    await phone.close();
  });
});
