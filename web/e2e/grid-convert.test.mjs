// 网格事件 转办 and 舆情: the duty room registers a Ⅱ级 舆情 in the console and turns it into an
// incident through the 接报 form filled from the event; a street turns a 燃气 event it has in hand
// into a hazard from a 390 px phone. axe-core on each page; screenshots at 1280 and 390 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, apiGet, apiPost, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

describe('网格事件转办', () => {
  test('a 舆情 registered and turned into an incident', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const u = await ctx.newPage();
    await login(u, server.base, 'duty');
    await u.goto(`${server.base}/grid/events`);
    await u.getByTestId('grid-opinion-new').click();
    const dlg = u.getByTestId('opinion-dialog');
    await dlg.getByText('Ⅱ级 重大').click();
    await u.getByTestId('opinion-platform').click();
    await u.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '微博' }).click();
    await u.getByTestId('opinion-url').fill('https://weibo.com/1234567890/abc');
    await u.getByTestId('opinion-title').fill('网传化工园区异味扰民');
    await u.getByTestId('opinion-summary').fill('网友发帖称园区周边夜间异味明显，转发评论较多');
    // axe before the region cascader opens: Element Plus leaves aria-expanded on its plain input.
    await accessible(u, 'the 舆情 dialog');
    await dlg.getByPlaceholder('街道 / 社区 / 网格').click();
    for (let level = 0; level < 3; level++) {
      await u.locator('.el-cascader-menu').nth(level).locator('.el-cascader-node').first().click();
    }
    await screenshot(u, 'grid-opinion-dialog-1280');
    await u.getByTestId('opinion-save').click();
    await u.getByTestId('grid-opinion-level').waitFor();
    assert.match(await u.getByTestId('grid-opinion-level').innerText(), /重大/);
    await accessible(u, 'the 舆情 event page');
    await screenshot(u, 'grid-opinion-1280');
    const eventId = u.url().split('/').pop();

    await u.getByTestId('grid-to-incident').click();
    await u.getByTestId('incident-dialog').waitFor();
    assert.equal(await u.getByTestId('incident-title').inputValue(), '网传化工园区异味扰民');
    await u.getByTestId('incident-subtype').click();
    await u.locator('.el-select-dropdown:visible .el-select-dropdown__item').first().click();
    await u.getByTestId('incident-measures').fill('通知属地街道和生态环境部门现场核查');
    await u.getByTestId('incident-other').fill('无');
    await screenshot(u, 'grid-to-incident-1280');
    await u.getByTestId('incident-save').click();
    await u.waitForURL(/\/incidents\/[0-9a-f-]+$/);
    const e = await apiGet(u, `/api/v1/grid/events/${eventId}`);
    assert.equal(e.event.status, 'closed');
    assert.ok(e.event.incident_id);
    await ctx.close();
  });

  test('a 燃气 event turned into a hazard on the phone', async () => {
    const g = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const gp = await g.newPage();
    await login(gp, server.base, 'grid');
    const me = await apiGet(gp, '/api/v1/auth/me');
    const filed = await apiPost(gp, '/api/v1/grid/events', {
      category: 'gas', description: '甘棠北路小区液化气瓶与明火距离过近', lon: 115.99, lat: 29.71,
      region_code: me.user.region_code, address: '甘棠北路 12 号',
    });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const id = filed.body.event.id;
    await g.close();

    const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const p = await phone.newPage();
    await login(p, server.base, 'street');
    await p.goto(`${server.base}/grid/events/${id}`);
    await p.getByTestId('grid-accept').click();
    await p.getByTestId('grid-hazard-category').waitFor();
    await p.getByTestId('grid-hazard-category').click();
    await p.locator('.el-select-dropdown:visible .el-select-dropdown__item').first().click();
    await accessible(p, 'the event page with 转办 on a phone');
    await screenshot(p, 'grid-to-hazard-390');
    await p.getByTestId('grid-to-hazard').click();
    await p.getByTestId('grid-hazard-link').waitFor();
    assert.match(await p.getByTestId('grid-status').innerText(), /待反馈/);
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scroll (${width})`);
    await phone.close();
  });
});
