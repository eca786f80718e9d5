// 预警发布 and 靶向预警: a 暴雨橙色预警 is drawn on the map over the demo grid worker's grid,
// submitted, approved by a second person, shown on the public page; work orders appear for the
// 易涝点 and 危房 inside; the grid worker acknowledges one on the phone page; the other escalates
// when the clock passes its 15-minute deadline.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, apiPost, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(['--test-clock']); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

async function as(username, viewport = { width: 1440, height: 900 }) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await ctx.newPage();
  await login(page, server.base, username);
  return page;
}

const field = (id) => `input[data-testid=${id}], textarea[data-testid=${id}], [data-testid=${id}] input, [data-testid=${id}] textarea`;

describe('预警发布', () => {
  test('a drawn 暴雨橙色预警 is approved, targets the objects inside, and unanswered orders escalate', async () => {
    const grid = await as('grid', { width: 390, height: 844 });
    const me = await apiGet(grid, '/api/v1/auth/me');
    const admin = await as('admin');
    const region = await apiGet(admin, `/api/v1/regions/${me.scope.region_code}`);
    const [lon, lat] = region.center;
    const mine = await apiPost(admin, '/api/v1/protected-objects', { kind: 'waterlogging', name: '测试下穿通道易涝点', lon: lon + 0.0003, lat, region_code: me.scope.region_code, responsible_user_id: me.id ?? me.user?.id, responsible_name: me.display_name ?? '网格员', responsible_phone: '13900000001' });
    assert.equal(mine.status, 201, JSON.stringify(mine.body));
    const house = await apiPost(admin, '/api/v1/protected-objects', { kind: 'dangerous_house', name: '测试老街危房', lon: lon - 0.0003, lat, region_code: me.scope.region_code, responsible_name: '房屋安全员', responsible_phone: '13900000002' });
    assert.equal(house.status, 201, JSON.stringify(house.body));

    const commander = await as('commander');
    await commander.goto(`${server.base}/warnings`);
    await commander.waitForFunction(() => window.__yingjiMap?.loaded() && window.__yingjiMap.getSource('draw'));
    await commander.evaluate(([x, y]) => window.__yingjiMap.jumpTo({ center: [x, y], zoom: 15 }), [lon, lat]);
    await commander.click('[data-testid=new-warning]');
    await commander.locator('[data-testid=warning-dialog]').waitFor();
    await commander.click('[data-testid=w-draw]');
    await commander.getByText('在地图上依次点击预警区域的各个顶点').waitFor();
    const box = await commander.locator('[data-testid=warning-map]').boundingBox();
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
    // The dialog has faded out once the map's canvas is what a click at the centre reaches.
    await commander.waitForFunction(([x, y]) => document.elementFromPoint(x, y)?.tagName === 'CANVAS', [cx, cy]);
    for (const [dx, dy] of [[-120, -80], [120, -80], [120, 80], [-120, 80]]) await commander.mouse.click(cx + dx, cy + dy);
    await commander.click('[data-testid=draw-finish]');
    await commander.locator('[data-testid=warning-dialog]').getByText('已绘制 4 个顶点的多边形').waitFor();
    await commander.fill(field('w-description'), '预计未来6小时内将出现50毫米以上降雨');
    await commander.fill(field('w-instruction'), '低洼易涝区域人员及时转移');
    await commander.click('[data-testid=w-save]');
    const table = commander.locator('[data-testid=warning-table]');
    await table.getByText('草稿').waitFor();
    await table.locator('[data-testid=warning-submit]').click();
    await table.getByText('待审核').waitFor();
    // The author cannot approve; the administrator does.
    await table.locator('[data-testid=warning-approve]').click();
    await commander.getByText('预警须由起草人以外的另一人审核发布').waitFor();
    await admin.goto(`${server.base}/warnings`);
    await admin.locator('[data-testid=warning-approve]').click();
    await admin.locator('[data-testid=warning-table]').getByText('已发布').waitFor();
    await admin.locator('[data-testid=warning-response]').first().click();
    const orders = admin.locator('[data-testid=response-orders]');
    await orders.getByText('易涝点 · 测试下穿通道易涝点').waitFor();
    await orders.getByText('危房 · 测试老街危房').waitFor();
    await screenshot(admin, 'warning-response');

    // The grid worker answers on the phone page.
    await grid.goto(`${server.base}/work-orders`);
    const card = grid.locator('[data-testid=work-order]', { hasText: '测试下穿通道易涝点' });
    await card.getByText('请在').waitFor();
    await screenshot(grid, 'work-orders-phone');
    await card.locator('[data-testid=order-ack]').click();
    await grid.getByText('已确认收到').waitFor();

    // Sixteen minutes later the house's order has passed its deadline unanswered: it escalates.
    const moved = await apiPost(admin, '/api/v1/test/clock', { advance_minutes: 16 });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    let escalated = false;
    for (let i = 0; i < 40 && !escalated; i++) {
      const r = await apiGet(admin, `/api/v1/work-orders?status=open&page_size=100`);
      escalated = r.items.some((o) => o.object.name === '测试老街危房' && o.escalation === 1);
      if (!escalated) await admin.waitForTimeout(250);
    }
    assert.ok(escalated, 'the unanswered order escalated');
    await admin.reload();
    await admin.locator('[data-testid=warning-response]').first().click();
    await admin.locator('[data-testid=response-orders]').getByText('已升级至社区').or(admin.locator('[data-testid=response-orders]').getByText('超时未叫应')).first().waitFor();
    await admin.locator('[data-testid=response-drawer]').getByText('按时叫应').waitFor();
    await admin.waitForTimeout(300);
    await screenshot(admin, 'warning-escalated');

    const publicPage = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })).newPage();
    await publicPage.goto(`${server.base}/warnings/public`);
    const list = publicPage.locator('[data-testid=public-warnings]');
    await list.getByText('暴雨橙色预警').first().waitFor();
    await list.getByText('低洼易涝区域人员及时转移').waitFor();
    const cap = await publicPage.evaluate(async () => {
      const items = await (await fetch('/api/public/warnings')).json();
      return (await fetch(items[0].cap_url)).text();
    });
    assert.match(cap, /<severity>Severe<\/severity>/);
    assert.match(cap, /\+08:00<\/sent>/);
    await publicPage.waitForTimeout(500);
    await screenshot(publicPage, 'public-warnings');
  });
});
