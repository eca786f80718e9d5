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

// A 2×2 PNG, as a phone camera's picture would be checked by its signature.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGO4rK8PRAwQCgAj+gTFnahgGAAAAABJRU5ErkJggg==', 'base64');

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
    // Then reports back with a photo taken on the spot.
    await card.locator('[data-testid=order-report]').click();
    await grid.locator('[data-testid=report-photo]').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: PNG });
    await grid.locator('.el-drawer img[alt=现场照片]').waitFor();
    await grid.click('[data-testid=report-send]');
    await grid.getByText('已反馈').first().waitFor();
    // Reported, it leaves 待处理; under 全部 it shows the photo.
    await grid.locator('.el-radio-button', { hasText: '全部' }).click();
    await card.locator('img').first().waitFor();

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

  test('a bureau feed registered in the console is polled; 叫应效能分析 and the targeting rules are shown', async () => {
    const http = await import('node:http');
    const fs = await import('node:fs');
    const path = await import('node:path');
    const data = path.join(import.meta.dirname, '..', '..', 'crates', 'cap', 'tests', 'data');
    const feed = http.createServer((req, res) => {
      if (req.url === '/feed.xml') {
        res.setHeader('content-type', 'application/atom+xml');
        res.end(`<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:qxt</id><title>市气象台</title><updated>2026-07-01T08:00:00+08:00</updated>
<entry><id>urn:w1</id><updated>2026-07-01T08:00:00+08:00</updated><title>weather</title><link type="application/cap+xml" href="/cap/weather.cap"/></entry>
<entry><id>urn:bad</id><updated>2026-07-01T07:00:00+08:00</updated><title>bad</title><link type="application/cap+xml" href="/cap/invalid.cap"/></entry></feed>`);
      } else if (req.url.startsWith('/cap/')) {
        res.setHeader('content-type', 'application/cap+xml');
        res.end(fs.readFileSync(path.join(data, path.basename(req.url))));
      } else { res.statusCode = 404; res.end(); }
    });
    await new Promise((ok) => feed.listen(0, '127.0.0.1', ok));
    try {
      const duty = await as('duty');
      await duty.goto(`${server.base}/warnings`);
      const card = duty.locator('[data-testid=warning-feeds]');
      await card.getByText('尚未登记订阅源').waitFor();
      await duty.click('[data-testid=feed-new]');
      await duty.fill(field('feed-name'), '市气象台预警信息');
      await duty.fill(field('feed-url'), 'ftp://nowhere');
      await duty.click('[data-testid=feed-save]');
      await duty.getByText('订阅地址须为 http:// 或 https:// 开头的网址').waitFor();
      await duty.fill(field('feed-url'), `http://127.0.0.1:${feed.address().port}/feed.xml`);
      await duty.click('[data-testid=feed-save]');
      await card.getByText('市气象台预警信息').waitFor();
      await card.locator('[data-testid=feed-poll]').click();
      // The feed is active, so the background loop may have polled it first: then nothing is new.
      await duty.getByText(/条目 2 条|正在轮询/).first().waitFor();
      await card.getByText('正常').waitFor();
      // The sample's warning is in the list, from the bureau that sent it.
      await duty.locator('[data-testid=warning-table]').getByText('NWS GreatFalls (Central Montana)').first().waitFor();
      await duty.waitForTimeout(300);
      await screenshot(duty, 'warning-feeds');

      // 叫应效能分析: the first test's orders — the 网格员 answered, the house's person did not.
      const admin = await as('admin');
      await admin.goto(`${server.base}/warning-analysis`);
      const table = admin.locator('[data-testid=analysis-table]');
      await table.getByText('网格员').first().waitFor();
      await table.getByText('责任人类型').first().waitFor();
      await admin.waitForTimeout(600);
      await screenshot(admin, 'warning-analysis');

      // 承灾体 are registered with a point picked on the map and their grid.
      await admin.goto(`${server.base}/protected-objects`);
      await admin.waitForFunction(() => window.__yingjiMap?.loaded() && window.__yingjiMap.getSource('objects'));
      await admin.locator('[data-testid=objects-table]').getByText('易涝点').first().waitFor();
      await admin.click('[data-testid=object-new]');
      await admin.fill(field('o-name'), '界面登记的易涝点');
      await admin.click('[data-testid=o-pick]');
      await admin.getByText('在地图上点击承灾体的位置').waitFor();
      const box = await admin.locator('[data-testid=objects-map]').boundingBox();
      const [px, py] = [box.x + box.width / 2, box.y + box.height / 2];
      await admin.waitForFunction(([x, y]) => document.elementFromPoint(x, y)?.tagName === 'CANVAS', [px, py]);
      await admin.mouse.click(px, py);
      await admin.locator('[data-testid=object-dialog]').waitFor();
      await admin.locator('[data-testid=object-dialog]').getByPlaceholder('街道 / 社区 / 网格').click();
      for (let level = 0; level < 3; level++) {
        await admin.locator('.el-cascader-menu').nth(level).locator('.el-cascader-node').first().click();
      }
      await admin.fill(field('o-rname'), '王网格');
      await admin.fill(field('o-rphone'), '13900000009');
      await admin.click('[data-testid=o-save]');
      await admin.getByText('已登记').waitFor();
      await admin.locator('[data-testid=objects-table]').getByText('界面登记的易涝点').waitFor();
      await admin.waitForTimeout(500);
      await screenshot(admin, 'protected-objects');

      await admin.goto(`${server.base}/prevention-rules`);
      await admin.getByRole('tab', { name: '靶向预警规则' }).click();
      const rules = admin.locator('[data-testid=targeting-rules]');
      await rules.getByText('易涝点').first().waitFor();
      await admin.fill(field('publisher-name'), '九江市浔阳区应急管理局');
      await admin.click('[data-testid=warning-rules-save]');
      await admin.getByText(/已保存为第 \d+ 版/).waitFor();
      await screenshot(admin, 'targeting-rules');
    } finally {
      feed.close();
    }
  });
});
