// 群众随手拍 (issue 24): a reporter on a 390 px phone files a 燃气 event with a point picked on the
// map and a phone number, gets a tracking code; the duty room dispatches it to a street, the
// street 签收s, 处置s and answers (through the API with their sessions); the reporter opens the
// tracking page, sees the answer and makes the 回访 with the phone's last 4 digits. The form at
// 1280 px too. Screenshots and axe-core on each page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, apiGet, apiPost, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

async function staff(username) {
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
  const page = await ctx.newPage();
  await login(page, server.base, username);
  return page;
}

describe('随手拍', () => {
  test('the form at 1280 px', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await page.goto(`${server.base}/public/grid-report`);
    await page.getByTestId('grid-submit').waitFor();
    await accessible(page, 'the 随手拍 form at 1280 px');
    await screenshot(page, 'grid-public-form-1280');
    await ctx.close();
  });

  test('随手拍 → dispatch → 处置 → the reporter\'s 回访 on a 390 px phone', async () => {
    // The phone's location (inside the demo district).
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', geolocation: { longitude: 115.99, latitude: 29.71 }, permissions: ['geolocation'] });
    const page = await ctx.newPage();
    await page.goto(`${server.base}/public/grid-report`);
    await page.getByTestId('grid-submit').waitFor();
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `the page is ${w} px wide`);
    await accessible(page, 'the 随手拍 form at 390 px');
    await screenshot(page, 'grid-public-form-390');
    await page.getByTestId('grid-region').click();
    await page.locator('.el-select-dropdown__item:visible').first().click();
    await page.getByTestId('grid-category').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '燃气安全' }).click();
    await page.getByTestId('pub-locate').click();
    await page.getByTestId('pub-coords').waitFor();
    await page.getByTestId('grid-description').fill('楼道里燃气味很重，怀疑管道泄漏');
    await page.getByTestId('grid-phone').fill('13807920390');
    await page.getByTestId('grid-submit').click();
    await page.getByTestId('grid-tracking-code').waitFor({ timeout: 5000 }).catch(async () => { await screenshot(page, 'grid-public-debug'); throw new Error(await page.locator('.el-form-item__error, .el-message').allInnerTexts().then((t) => t.join(' / '))); });
    const tracking = (await page.getByTestId('grid-tracking-code').innerText()).trim();
    assert.equal(tracking.length, 12);
    const code = (await page.getByTestId('grid-receipt').innerText()).match(/SJ\d+/)[0];
    await screenshot(page, 'grid-public-receipt-390');

    // The duty room sends it to the street of the street staff, who 签收, 处置 and answer.
    const duty = await staff('duty');
    const street = await staff('street');
    const events = await apiGet(duty, `/api/v1/grid/events?q=${code}`);
    const id = events.items[0].id;
    const me = await apiGet(street, '/api/v1/auth/me');
    let r = await apiPost(duty, `/api/v1/grid/events/${id}/dispatch`, { unit_kind: 'street', unit_id: me.user.region_code.slice(0, 9) });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    r = await apiPost(street, `/api/v1/grid/events/${id}/accept`, {});
    assert.equal(r.status, 200, JSON.stringify(r.body));
    r = await apiPost(street, `/api/v1/grid/events/${id}/handle`, { result: '联系燃气公司关阀检修', answer: '已关阀检修，更换老化软管' });
    assert.equal(r.status, 200, JSON.stringify(r.body));

    // The reporter follows the code, reads the answer and is satisfied.
    await page.getByTestId('grid-track-link').click();
    await page.getByTestId('grid-track-answer').waitFor();
    assert.match(await page.getByTestId('grid-track-status').innerText(), /已答复/);
    await accessible(page, 'the tracking page at 390 px');
    await screenshot(page, 'grid-public-tracking-390');
    await page.getByTestId('grid-visit-phone').fill('0390');
    await page.getByTestId('grid-visit-satisfied').click();
    await page.getByTestId('grid-track-status').getByText('已办结').waitFor();
    const steps = await page.getByTestId('grid-track-steps').innerText();
    assert.match(steps, /回访满意，办结/);
    await screenshot(page, 'grid-public-closed-390');
    for (const p of [duty, street]) await p.context().close();
    await ctx.close();
  });
});
