// Deep links: every record link the server gives the 工作台 and the 消息中心 opens that record's
// detail on its page — 隐患 (/hazards/{id}), 报警 (/alarms?id=), 预警 (/warnings?id=),
// 响应工单 (/work-orders?id=, desktop and phone) and 调拨单 (/resources?tab=orders&id=) — and a
// record outside the user's area says so.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, apiPost, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

async function as(username, viewport = { width: 1440, height: 900 }) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await ctx.newPage();
  await login(page, server.base, username);
  return page;
}

/** The 待办 item of `kind` on the caller's 工作台 (the one titled with `text`, if given): its link
 *  as the server gives it. */
async function todoLink(page, kind, text = '') {
  const wb = await apiGet(page, '/api/v1/workbench');
  const link = wb.todos.find((t) => t.kind === kind)?.items.find((i) => [i.title, i.code, i.place].join(' ').includes(text))?.link;
  assert.ok(link, `${kind}: ${JSON.stringify(wb.todos.map((t) => [t.kind, t.total]))}`);
  return link;
}

/** Opens `link` and waits for the detail `testid` to show `text`. */
async function opens(page, link, testid, text) {
  await page.goto(`${server.base}${link}`);
  const detail = page.locator(`[data-testid=${testid}]`);
  await detail.getByText(text).first().waitFor();
  assert.ok(await detail.first().isVisible(), `${link} shows ${testid}`);
  return detail;
}

const inHours = (h) => new Date(Date.now() + h * 3600_000).toISOString();

describe('记录链接', () => {
  test('预警待审批 and 响应工单 open their record, from the 工作台 and from the 消息中心', async () => {
    const grid = await as('grid', { width: 390, height: 844 });
    const me = await apiGet(grid, '/api/v1/auth/me');
    const admin = await as('admin');
    const region = await apiGet(admin, `/api/v1/regions/${me.scope.region_code}`);
    const [lon, lat] = region.center;
    const obj = await apiPost(admin, '/api/v1/protected-objects', { kind: 'waterlogging', name: '链接测试易涝点', lon, lat, region_code: me.scope.region_code,
      responsible_user_id: me.user.id, responsible_name: '网格员', responsible_phone: '13900000011' });
    assert.equal(obj.status, 201, JSON.stringify(obj.body));

    // The commander drafts and submits; the administrator's 待办 opens the warning itself.
    const commander = await as('commander');
    const w = await apiPost(commander, '/api/v1/warnings', { event_code: 'rainstorm', level: 2, region_codes: [me.scope.region_code.slice(0, 9)],
      expires_at: inHours(6), headline: '链接测试暴雨橙色预警', description: '预计未来6小时内将出现50毫米以上降雨', instruction: '低洼易涝区域人员及时转移' });
    assert.equal(w.status, 201, JSON.stringify(w.body));
    assert.equal((await apiPost(commander, `/api/v1/warnings/${w.body.id}/actions`, { action: 'submit' })).status, 200);
    const link = await todoLink(admin, 'approve_warnings');
    assert.equal(link, `/warnings?id=${w.body.id}`);
    const detail = await opens(admin, link, 'warning-detail', '链接测试暴雨橙色预警');
    await detail.getByText('低洼易涝区域人员及时转移').waitFor();
    await screenshot(admin, 'links-warning-detail');
    // Approved from the detail.
    await detail.locator('[data-testid=detail-warning-approve]').click();
    await detail.getByText('已发布').waitFor();

    // The grid worker's order: from the 工作台 …
    // (The demo's 防汛 orders may fill the first 待办 places: then the order's own link, as the
    // work-order list gives it, is what the 待办 would show.)
    const orderLink = await todoLink(grid, 'answer_work_orders', '链接测试易涝点').catch(async () => {
      const list = await apiGet(grid, '/api/v1/work-orders?status=open&page_size=100');
      const o = list.items.find((i) => i.object?.name === '链接测试易涝点');
      assert.ok(o, 'the order among the grid worker\'s open orders');
      return `/work-orders?id=${o.id}`;
    });
    assert.match(orderLink, /^\/work-orders\?id=/);
    const order = await opens(grid, orderLink, 'work-order-detail', '链接测试易涝点');
    await order.getByText('链接测试暴雨橙色预警').waitFor();
    await screenshot(grid, 'links-work-order-phone');
    // … and from the 消息中心: the notice opens the same order.
    await grid.goto(`${server.base}/messages`);
    const notice = grid.locator('[data-testid=message]', { hasText: '链接测试易涝点' }).first();
    await notice.locator('a.title').click();
    await grid.waitForURL((u) => u.search === orderLink.slice('/work-orders'.length));
    await grid.locator('[data-testid=work-order-detail]').getByText('链接测试易涝点').first().waitFor();
    // 收到 from the detail.
    await grid.locator('[data-testid=work-order-detail] [data-testid=order-ack]').click();
    await grid.getByText('已确认收到').waitFor();
    for (const p of [grid, admin, commander]) await p.context().close();
  });

  test('调拨单待审批, 报警 and 隐患 open their record; a record outside the area says so', async () => {
    const duty = await as('duty');
    const warehouses = await apiGet(duty, '/api/v1/warehouses?page_size=200');
    let line = null;
    for (const wh of warehouses.items.slice(1)) {
      const stock = await apiGet(duty, `/api/v1/stock?warehouse_id=${wh.id}&page_size=50`);
      const s = stock.items.find((x) => x.available >= 2);
      if (s) { line = { wh, s }; break; }
    }
    assert.ok(line, 'the demo has stock');
    const o = await apiPost(duty, '/api/v1/allocation-orders', { from_warehouse_id: line.wh.id, to_warehouse_id: warehouses.items[0].id, purpose: '链接测试调拨', lines: [{ stock_id: line.s.id, quantity: 1 }] });
    assert.equal(o.status, 201, JSON.stringify(o.body));
    const admin = await as('admin');
    const link = await todoLink(admin, 'approve_allocations');
    assert.equal(link, `/resources?tab=orders&id=${o.body.id}`);
    const detail = await opens(admin, link, 'order-detail', o.body.code);
    await detail.getByText('链接测试调拨').waitFor();
    assert.ok(await admin.getByRole('tab', { name: '调拨单', selected: true }).isVisible(), 'the 调拨单 tab is open');
    await screenshot(admin, 'links-order-detail');
    await detail.locator('[data-testid=detail-order-approve]').click();
    await admin.locator('[data-testid=step-dialog]').waitFor();
    await admin.keyboard.press('Escape');

    // 报警: a threshold crossing at the enterprise; its 待办 opens the alarm.
    const ent = await as('enterprise');
    const sensor = await apiPost(ent, '/api/v1/sensors', { code: 'LINK-E2E', name: '链接测试液位', kind: 'level', unit: 'm', object_name: '储罐区', threshold_h: '17', threshold_hh: '18.5', hysteresis: '0.5' });
    assert.equal(sensor.status, 201, JSON.stringify(sensor.body));
    const r = await apiPost(ent, '/api/v1/readings', [{ sensor: 'LINK-E2E', ts: new Date().toISOString(), value: 18.9 }]);
    assert.ok(r.body.alarms_opened >= 1, JSON.stringify(r.body));
    const alarmLink = await todoLink(ent, 'ack_alarms');
    assert.match(alarmLink, /^\/alarms\?id=/);
    await opens(ent, alarmLink, 'alarm-history', '报警');

    // 隐患: the administrator's 隐患待定级 opens the hazard's drawer.
    const hazardLink = await todoLink(admin, 'grade_hazards');
    assert.match(hazardLink, /^\/hazards\/[0-9a-f-]+$/);
    await admin.goto(`${server.base}${hazardLink}`);
    await admin.waitForURL(/\/hazards\?id=/);
    await admin.locator('[data-testid=hazard-drawer]').waitFor();

    // A hazard outside the grid worker's grid: the page says it cannot be opened.
    const grid = await as('grid');
    const gridMe = await apiGet(grid, '/api/v1/auth/me');
    const others = await apiGet(admin, '/api/v1/hazards?page_size=50');
    const foreign = others.items.find((h) => !(h.region_code ?? '').startsWith(gridMe.scope.region_code));
    assert.ok(foreign, 'a hazard elsewhere');
    await grid.goto(`${server.base}/hazards?id=${foreign.id}`);
    await grid.locator('.el-message--error').getByText(/不存在|无权/).waitFor();
    for (const p of [duty, admin, ent, grid]) await p.context().close();
  });
});
