// 现场页面 on a 390×844 phone: the grid worker reports a hazard with the pickers, "使用我的位置"
// and a photo; answers a work order with a photo; checks in on a patrol; goes offline, checks in
// again (kept as a draft, 待发送 1 条) and, back online, the draft is sent exactly once. No page
// is wider than the screen; the PWA's manifest and service worker are served.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, apiPost, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
// A 2×2 PNG, as a phone camera's picture would be checked by its signature.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGO4rK8PRAwQCgAj+gTFnahgGAAAAABJRU5ErkJggg==', 'base64');

async function desktop(username) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  await login(page, server.base, username);
  return page;
}

async function phone(username, geolocation) {
  const ctx = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', geolocation, permissions: ['geolocation'] });
  const page = await ctx.newPage();
  await login(page, server.base, username);
  return { ctx, page };
}

/** Nothing wider than the screen. */
async function fitsTheScreen(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= PHONE.width, `${what}: the page is ${w} px wide on a ${PHONE.width} px screen`);
}

const field = (id) => `input[data-testid=${id}], textarea[data-testid=${id}], [data-testid=${id}] input, [data-testid=${id}] textarea`;
const square = (lon, lat, d) => ({ type: 'Polygon', coordinates: [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]] });

describe('现场页面 (phone)', () => {
  test('report, answer, check in, and a draft sent once after the network returns', async () => {
    const admin = await desktop('admin');
    const probe = await desktop('grid');
    const me = await apiGet(probe, '/api/v1/auth/me');
    const gridCode = me.scope.region_code;
    const region = await apiGet(admin, `/api/v1/regions/${gridCode}`);
    const [lon, lat] = region.center;

    // The PWA: a manifest and a service worker, with their content types.
    const pwa = await probe.evaluate(async () => {
      const m = await fetch('/manifest.webmanifest');
      const s = await fetch('/sw.js');
      return { m: m.headers.get('content-type'), name: (await m.json()).name, s: s.headers.get('content-type') };
    });
    assert.equal(pwa.m, 'application/manifest+json');
    assert.equal(pwa.name, '应急管理综合平台');
    assert.match(pwa.s, /^text\/javascript/);

    // A work order for the grid worker: a 易涝点 they answer for, under a published warning.
    const obj = await apiPost(admin, '/api/v1/protected-objects', { kind: 'waterlogging', name: '现场测试易涝点', lon: lon + 0.0003, lat, region_code: gridCode, responsible_user_id: me.user.id, responsible_name: me.user.display_name, responsible_phone: '13900000011' });
    assert.equal(obj.status, 201, JSON.stringify(obj.body));
    const commander = await desktop('commander');
    const w = await apiPost(commander, '/api/v1/warnings', { event_code: 'rainstorm', level: 2, description: '预计未来6小时内将出现50毫米以上降雨', instruction: '低洼易涝区域人员及时转移', area: square(lon, lat, 0.004), expires_at: new Date(me.now_ms + 12 * 3600_000).toISOString() });
    assert.equal(w.status, 201, JSON.stringify(w.body));
    await apiPost(commander, `/api/v1/warnings/${w.body.id}/actions`, { action: 'submit' });
    const ok = await apiPost(admin, `/api/v1/warnings/${w.body.id}/actions`, { action: 'approve' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));

    const { ctx, page } = await phone('grid', { longitude: lon, latitude: lat, accuracy: 12 });

    // 1. A hazard: the list as cards, the form full screen with its pickers.
    await page.goto(`${server.base}/hazards`);
    await page.locator('[data-testid=hazard-table]').waitFor();
    await page.waitForTimeout(800);
    await fitsTheScreen(page, '/hazards');
    await screenshot(page, 'field-hazards-phone');
    await page.click('[data-testid=report-hazard]');
    const dialog = page.locator('[data-testid=report-dialog]');
    await dialog.waitFor();
    // The grid worker's own grid is filled in.
    await page.waitForFunction((name) => [...document.querySelectorAll('[data-testid=report-dialog] .el-cascader input')].some((i) => i.value.includes(name)), region.name);
    const box = await dialog.boundingBox();
    assert.ok(box.width <= PHONE.width && box.x >= 0, `the form is full screen: ${JSON.stringify(box)}`);
    await page.fill(field('hazard-description'), '仓库消防通道堆放纸箱');
    await page.fill(field('hazard-location'), '滨江路12号仓库东侧');
    await page.click('[data-testid=use-my-location]');
    await page.locator('[data-testid=location-coords]').getByText(lon.toFixed(5)).waitFor();
    await page.locator('[data-testid=hazard-photo]').setInputFiles({ name: '通道.png', mimeType: 'image/png', buffer: PNG });
    await dialog.locator('img[alt=待上传照片]').waitFor();
    // The enterprise, found by a part of its name.
    const ents = await apiGet(page, '/api/v1/enterprises?page_size=1');
    const ent = ents.items[0];
    if (ent) {
      await page.locator('[data-testid=enterprise-picker]').click();
      await page.keyboard.type(ent.name.slice(0, 4));
      await page.locator('.el-select-dropdown__item', { hasText: ent.name }).first().click();
    }
    await fitsTheScreen(page, 'the hazard form');
    await screenshot(page, 'field-hazard-form-phone');
    const submit = page.locator('[data-testid=submit-report]');
    const sb = await submit.boundingBox();
    assert.ok(sb && sb.y + sb.height <= PHONE.height, '提交 is on the screen');
    await submit.click();
    await page.getByText('已上报').first().waitFor();
    await page.locator('.el-drawer__body').getByText('仓库消防通道堆放纸箱').waitFor();
    // The detail drawer covers the whole screen once it has slid in.
    await page.waitForFunction(() => { const r = document.querySelector('[data-testid=hazard-drawer]')?.getBoundingClientRect(); return r && r.left <= 0.5 && r.width >= 389; });
    await page.waitForTimeout(300);
    await fitsTheScreen(page, 'the hazard drawer');
    await screenshot(page, 'field-hazard-detail-phone');
    const mine = await apiGet(page, '/api/v1/hazards?page_size=5');
    const reported = await apiGet(page, `/api/v1/hazards/${mine.items.find((h) => h.description === '仓库消防通道堆放纸箱').id}`);
    assert.equal(reported.attachments.length, 1);
    assert.ok(Math.abs(reported.lon - lon) < 1e-5 && Math.abs(reported.lat - lat) < 1e-5, 'located where the phone is');
    if (ent) assert.equal(reported.enterprise_id, ent.id);

    // 2. The work order: acknowledged, then answered with a photo.
    await page.goto(`${server.base}/work-orders`);
    const card = page.locator('[data-testid=work-order]', { hasText: '现场测试易涝点' });
    await card.getByText('请在').waitFor();
    await fitsTheScreen(page, '/work-orders');
    await card.locator('[data-testid=order-ack]').click();
    await page.getByText('已确认收到').waitFor();
    await card.locator('[data-testid=order-report]').click();
    await page.locator('[data-testid=report-photo]').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('.el-drawer img[alt=现场照片]').waitFor();
    await screenshot(page, 'field-work-order-answer-phone');
    await page.click('[data-testid=report-send]');
    await page.getByText('已反馈').first().waitFor();
    const orders = await apiGet(page, '/api/v1/work-orders?mine=true&page_size=100');
    const answered = orders.items.find((o) => o.object.name === '现场测试易涝点');
    assert.equal(answered.status, 'reported');
    assert.equal(answered.report.attachments.length, 1);

    // 3. A patrol check-in where the phone is, with a note and a photo.
    await page.goto(`${server.base}/patrol`);
    await page.locator('[data-testid=location-coords]').getByText(lat.toFixed(5)).waitFor();
    await page.fill(field('patrol-note'), '河道护栏完好');
    await page.locator('[data-testid=patrol-photo]').setInputFiles({ name: '巡查.png', mimeType: 'image/png', buffer: PNG });
    await page.click('[data-testid=patrol-submit]');
    await page.getByText('已打卡').first().waitFor();
    await page.locator('[data-testid=patrol-count]', { hasText: '1' }).waitFor();
    await page.locator('[data-testid=patrol-item] img[alt=巡查照片]').waitFor();
    await fitsTheScreen(page, '/patrol');
    await screenshot(page, 'field-patrol-phone');

    // 4. Offline: the check-in is kept on the phone …
    await ctx.setOffline(true);
    await page.fill(field('patrol-note'), '离线打卡：桥下无积水');
    await page.locator('[data-testid=patrol-photo]').setInputFiles({ name: '离线.png', mimeType: 'image/png', buffer: PNG });
    await page.click('[data-testid=patrol-submit]');
    await page.locator('[data-testid=drafts-bar]').getByText('待发送 1 条').waitFor();
    await fitsTheScreen(page, '/patrol offline');
    await screenshot(page, 'field-patrol-offline-phone');
    // … and sent once the network is back, exactly once.
    await ctx.setOffline(false);
    await page.locator('[data-testid=drafts-bar]').waitFor({ state: 'detached' });
    await page.locator('[data-testid=patrol-count]', { hasText: '2' }).waitFor();
    const patrols = await apiGet(page, '/api/v1/patrols?mine=true');
    assert.equal(patrols.total, 2, JSON.stringify(patrols.items.map((p) => p.note)));
    const offline = patrols.items.find((p) => p.note === '离线打卡：桥下无积水');
    assert.equal(offline.attachments.length, 1);
    // Sending the drafts again (a second tab, a retry) records nothing more.
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.waitForTimeout(300);
    assert.equal((await apiGet(page, '/api/v1/patrols?mine=true')).total, 2);

    // The street's view of the patrols of its area, desktop and phone.
    const street = await desktop('street');
    await street.goto(`${server.base}/patrol`);
    await street.locator('.el-radio-button', { hasText: '本辖区' }).click();
    await street.locator('[data-testid=patrol-item]').nth(1).waitFor();
    await screenshot(street, 'field-patrol-street-desktop');

    // The list pages as cards on the commander's phone.
    const { page: cmd } = await phone('commander', { longitude: lon, latitude: lat });
    for (const [path, sel, name] of [['/alarms', '[data-testid=alarm-table]', 'field-alarms-phone'], ['/incidents', '[data-testid=incident-table]', 'field-incidents-phone'], ['/hazards', '[data-testid=hazard-table]', 'field-hazards-commander-phone']]) {
      await cmd.goto(`${server.base}${path}`);
      await cmd.locator(sel).waitFor();
      await cmd.waitForTimeout(1500);
      await fitsTheScreen(cmd, path);
      await screenshot(cmd, name);
    }
  });
});
