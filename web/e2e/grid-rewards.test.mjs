// 有奖举报 (docs/grid/rewards.md): a public report filed through the API; the demo's reward officer
// (duty) walks it through 核查 → 认定 → 奖励决定 → 发放 in the console (errors shown on the named
// field, the amount shown before confirming); the reporter follows the tracking page's link to
// the claim page on a 390 px phone, a wrong phone first. A unit user (the street) has no menu
// entry and gets 403 from the API. Screenshots desktop + 390 px, axe-core on each page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const REPORTER_PHONE = '13807920777';

async function staff(username, viewport = DESKTOP) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await ctx.newPage();
  await login(page, server.base, username);
  return page;
}

async function json(url, body) {
  const r = await fetch(`${server.base}${url}`, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  return { status: r.status, body: await r.json() };
}

/** A 随手拍 filed through the public API, with a name and a phone. */
async function publicReport() {
  const regions = (await json('/api/public/regions')).body.items;
  const community = regions.find((r) => r.code.length === 12);
  const categories = (await json('/api/public/grid-categories')).body;
  const category = categories.find((c) => c.code === 'gas') ?? categories[0];
  const r = await json('/api/public/grid-events', {
    category: category.code, description: '仓库内堆放大量液化气瓶，旁边有人吸烟', lon: 115.99, lat: 29.71,
    region_code: community.code, reporter_name: '赵晓东', reporter_phone: REPORTER_PHONE,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

const fieldError = (page, form, text) => page.getByTestId(form).locator('.el-form-item__error', { hasText: text });
const status = (page) => page.getByTestId('reward-status');

describe('举报奖励', () => {
  test('the officer walks a report through the four steps; the reporter claims', async () => {
    const { code, tracking_code: tracking } = await publicReport();

    const duty = await staff('duty');
    assert.match(await duty.getByTestId('menu').first().textContent(), /举报奖励/);
    await duty.goto(`${server.base}/grid/rewards`);
    const row = duty.getByTestId('reward-row').filter({ hasText: code });
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(REPORTER_PHONE));
    await accessible(duty, 'the reward queue');
    await screenshot(duty, 'grid-rewards-queue-1280');
    await row.click();
    await duty.getByTestId('reward-verify').waitFor();
    assert.match(await duty.getByTestId('reward-reporter').innerText(), /赵晓东 13807920777/);
    await accessible(duty, 'the 核查 form');
    await screenshot(duty, 'grid-rewards-verify-1280');

    // 核查: the note is required, shown on its field.
    await duty.getByTestId('reward-verify-save').click();
    await fieldError(duty, 'reward-verify', '核查意见').waitFor();
    await duty.getByTestId('reward-verify-note').fill('现场核查属实，液化气瓶违规存放且无防火措施');
    await duty.getByTestId('reward-verify-save').click();
    await status(duty).getByText('已核查属实').waitFor();

    // 认定: a bad fine is named; then 重大事故隐患 with a 50,000 元 fine.
    await duty.getByTestId('reward-row-code').click();
    await duty.locator('.el-select-dropdown__item:visible', { hasText: '重大事故隐患（' }).click();
    await duty.getByTestId('reward-fine').fill('1.234');
    await duty.getByTestId('reward-identify-save').click();
    await fieldError(duty, 'reward-identify', '罚款金额').waitFor();
    await duty.getByTestId('reward-fine').fill('50000');
    await duty.getByTestId('reward-identify-note').fill('依据行政处罚决定书认定');
    await duty.getByTestId('reward-identify-save').click();
    await status(duty).getByText('已认定').waitFor();

    // 奖励决定: 15% of 50,000 元, shown before confirming.
    assert.match(await duty.getByTestId('reward-proposed').innerText(), /7,500\.00 元/);
    await accessible(duty, 'the 奖励决定 step');
    await screenshot(duty, 'grid-rewards-decide-1280');
    await duty.getByTestId('reward-decide-save').click();
    await duty.locator('.el-message-box__btns button', { hasText: '确认决定' }).click();
    await status(duty).getByText('已决定奖励').waitFor();

    // 发放: the method is required; then recorded.
    await duty.getByTestId('reward-pay').locator('.el-date-editor input').fill('2026-12-04');
    await duty.getByTestId('reward-pay').locator('.el-date-editor input').press('Enter');
    await duty.getByTestId('reward-pay-save').click();
    await fieldError(duty, 'reward-pay', '发放方式').waitFor();
    await duty.getByTestId('reward-method').click();
    await duty.locator('.el-select-dropdown__item:visible', { hasText: '银行转账' }).click();
    await duty.getByTestId('reward-reference').fill('ZZ20261204018');
    await duty.getByTestId('reward-pay-save').click();
    await status(duty).getByText('已发放').waitFor();
    const timeline = await duty.getByTestId('reward-timeline').innerText();
    for (const step of ['核查属实', '认定为“重大事故隐患”', '决定奖励 7,500.00 元', '银行转账发放']) assert.ok(timeline.includes(step), `${step} in ${timeline}`);
    await accessible(duty, 'the paid reward');
    await screenshot(duty, 'grid-rewards-paid-1280');

    // The console on a phone: no sideways scroll, the drawer full width.
    const dutyPhone = await staff('duty', PHONE);
    await dutyPhone.goto(`${server.base}/grid/rewards?status=paid`);
    await dutyPhone.getByTestId('reward-row').filter({ hasText: code }).click();
    await dutyPhone.getByTestId('reward-timeline').waitFor();
    const w = await dutyPhone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `the console is ${w} px wide`);
    await accessible(dutyPhone, 'the reward drawer at 390 px');
    await screenshot(dutyPhone, 'grid-rewards-drawer-390');

    // The reporter: the tracking page links to the claim page; a wrong phone first.
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await page.goto(`${server.base}/public/grid-track?code=${tracking}`);
    await page.getByTestId('grid-track-reward').getByRole('link').click();
    await page.getByTestId('reward-claim-form').waitFor();
    assert.equal(await page.getByTestId('reward-claim-code').inputValue(), tracking);
    await page.getByTestId('reward-claim-phone').fill('13800000000');
    await page.getByTestId('reward-claim-submit').click();
    await page.getByTestId('reward-claim-error').getByText('查询码或手机号不正确').waitFor();
    await screenshot(page, 'grid-rewards-claim-wrong-390');
    await page.getByTestId('reward-claim-phone').fill(REPORTER_PHONE);
    await page.getByTestId('reward-claim-submit').click();
    const answer = page.getByTestId('reward-claim-answer');
    await answer.waitFor();
    const text = await answer.innerText();
    assert.match(text, /7,500\.00 元/);
    assert.match(text, /2026-12-04/);
    assert.ok(!text.includes('赵晓东'));
    const pw = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(pw <= PHONE.width, `the claim page is ${pw} px wide`);
    await accessible(page, 'the claim page at 390 px');
    await screenshot(page, 'grid-rewards-claim-390');
    await page.setViewportSize(DESKTOP);
    await screenshot(page, 'grid-rewards-claim-1280');
    for (const p of [duty, dutyPhone]) await p.context().close();
    await ctx.close();
  });

  test('a unit user has no menu entry and gets 403', async () => {
    const street = await staff('street');
    assert.doesNotMatch(await street.getByTestId('menu').first().textContent(), /举报奖励/);
    const s = await street.evaluate(async () => (await fetch('/api/v1/grid/rewards')).status);
    assert.equal(s, 403);
    const t = await street.evaluate(async () => (await fetch('/api/v1/grid/rewards/table')).json());
    assert.equal(t.officer, false);
    await street.goto(`${server.base}/grid/rewards`);
    await street.waitForURL(/\/workbench/);
    await street.context().close();
  });
});
