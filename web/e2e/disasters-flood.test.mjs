// 防汛与地灾 and 转移: the administrator opens /disasters/flood (the demo's reservoir, dike, 地灾隐患点
// and 山洪危险区 with their 三个责任人; the incomplete filter keeps the 山洪危险区 and the 地灾隐患点),
// registers the 山洪危险区's persons in the dialog (a bad phone is named first), then /disasters/
// evacuation with the 转移 order's progress and its name list, and writes a new plan (a bad phone
// named by its row); the grid worker files an 异常
// patrol on a 390 px phone; the public 公示 page without login. axe-core on each page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

describe('防汛与地灾、转移', () => {
  test('duty persons, the board and evacuation on the desktop', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'admin');
    await page.goto(`${server.base}/disasters/flood`);
    const table = page.getByTestId('flood-table');
    await table.locator('tbody tr', { hasText: '东风水库' }).waitFor();
    assert.match(await table.innerText(), /李建国/);
    await accessible(page, 'the flood duty page');
    await screenshot(page, 'disasters-flood-1280');
    await page.getByTestId('flood-incomplete').click();
    // The complete reservoir leaves the list once the filtered answer is in.
    await table.locator('tbody tr', { hasText: '东风水库' }).waitFor({ state: 'detached' });
    await table.locator('tbody tr', { hasText: '龙潭沟山洪危险区' }).waitFor();
    await table.locator('tbody tr', { hasText: '龙潭沟山洪危险区' }).getByTestId('flood-edit').click();
    const admin = page.getByTestId('flood-person-administrative');
    await admin.getByLabel('行政责任人姓名').fill('吴镇长');
    await admin.getByLabel('行政责任人电话').fill('12345');
    await page.getByTestId('flood-save').click();
    await page.getByText('第1人：电话格式不正确', { exact: false }).first().waitFor();
    await admin.getByLabel('行政责任人电话').fill('13907920501');
    await page.getByTestId('flood-person-technical').getByLabel('技术责任人姓名').fill('何工');
    await page.getByTestId('flood-person-technical').getByLabel('技术责任人电话').fill('13907920502');
    await page.getByTestId('flood-person-patrol').getByLabel('巡查责任人姓名').fill('钱巡查');
    await page.getByTestId('flood-person-patrol').getByLabel('巡查责任人电话').fill('13907920503');
    await page.getByTestId('flood-save').click();
    await table.locator('tbody tr', { hasText: '龙潭沟山洪危险区' }).waitFor({ state: 'detached' });
    const pdf = await page.request.get(`${server.base}/api/v1/disasters/flood/objects`).then((r) => r.json());
    const reservoir = pdf.items.find((o) => o.name === '东风水库');
    const board = await page.request.get(`${server.base}/api/v1/disasters/flood/objects/${reservoir.id}/board`);
    assert.equal(board.headers()['content-type'], 'application/pdf');
    await page.goto(`${server.base}/disasters/evacuation`);
    const order = page.getByTestId('evacuation-order').first();
    await order.waitFor();
    assert.match(await order.innerText(), /到达 3\/6/);
    await accessible(page, 'the evacuation page');
    await screenshot(page, 'disasters-evacuation-1280');
    await order.getByRole('button', { name: '名单与回复' }).click();
    await page.getByTestId('evacuation-person').first().waitFor();
    await screenshot(page, 'disasters-evacuation-list-1280');
    await page.keyboard.press('Escape');
    // A new plan: a bad phone in the list is named by its row, then saved.
    await page.getByTestId('plan-new').click();
    await page.getByTestId('plan-name').fill('东风水库下游群众转移预案');
    await page.getByRole('combobox', { name: '隐患点', exact: true }).click();
    await page.getByRole('listbox', { name: '隐患点' }).getByRole('option', { name: /东风水库/ }).click();
    await page.getByRole('combobox', { name: '安置点', exact: true }).click();
    await page.getByRole('listbox', { name: '安置点' }).getByRole('option').first().click();
    await page.getByRole('textbox', { name: '转移路线' }).fill('沿河堤向东至村委会');
    await page.getByTestId('plan-people').fill('钱一 13907920601 下游1号\n钱二 123 下游2号');
    await page.getByTestId('plan-save').click();
    await page.getByTestId('plan-row-errors').getByText('第2人').waitFor();
    await page.getByTestId('plan-people').fill('钱一 13907920601 下游1号\n钱二 13907920602 下游2号');
    await page.getByTestId('plan-save').click();
    await page.getByTestId('evacuation-plans').getByText('东风水库下游群众转移预案').waitFor();
    await ctx.close();
  });

  test('the grid worker files a patrol on a 390 px phone; the public board', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'grid');
    await page.goto(`${server.base}/disasters/flood/patrols`);
    await page.getByTestId('patrol-form').waitFor();
    await page.getByTestId('patrol-list').getByText('滑坡体后缘出现新裂缝').waitFor();
    await page.getByTestId('patrol-object').click();
    await page.getByRole('option', { name: /东风水库/ }).click();
    await page.getByTestId('patrol-abnormal').click();
    await page.getByLabel('发现的问题').fill('溢洪道有漂浮物堵塞');
    await page.getByTestId('patrol-submit').click();
    await page.getByTestId('patrol-list').getByText('溢洪道有漂浮物堵塞').waitFor();
    let w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `the page is ${w} px wide`);
    await accessible(page, 'the patrol page at 390 px');
    await screenshot(page, 'disasters-flood-patrol-390');
    await page.goto(`${server.base}/disasters/flood`);
    await page.getByTestId('flood-card').first().waitFor();
    w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `the page is ${w} px wide`);
    await screenshot(page, 'disasters-flood-390');
    await page.goto(`${server.base}/disasters/evacuation`);
    await page.getByTestId('evacuation-order').first().waitFor();
    w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `the page is ${w} px wide`);
    await screenshot(page, 'disasters-evacuation-390');
    await ctx.close();
    const anon = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const pub = await anon.newPage();
    await pub.goto(`${server.base}/public/flood-duty`);
    await pub.getByText('东风水库').first().waitFor();
    await accessible(pub, 'the public board');
    await screenshot(pub, 'disasters-flood-public-390');
    await anon.close();
  });
});
