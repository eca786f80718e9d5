// Stored XSS: markup typed into any free-text field — a sensor's unit and name, an enterprise's
// name, hazards, incidents, the duty log, risk points, warnings, 承灾体, resources, a street's
// name — shows as text wherever the console renders it: ECharts tooltips, map cards, the alarm
// notification, tables and both print windows. The console is served under a CSP without inline
// scripts, so markup that did get in could not run either; the test watches both layers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

// What the enterprise user typed as the unit (at most 20 characters), and a longer payload for
// the other fields. `f` is defined below as the page's own function, as in the incident.
const IFR = '<iframe/onload=f()>';
const IMG = '<img src=x onerror="window.__xss=1">';

/** Everything that shows markup from user data was parsed or ran, from any page or popup. */
const incidents = [];

async function as(username) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  await ctx.exposeBinding('__yjReport', ({ page }, msg) => { incidents.push(`${username} ${page?.url() ?? ''}: ${msg}`); });
  await ctx.addInitScript(() => {
    const report = (m) => window.__yjReport?.(m);
    window.f = () => report('f() ran');
    let xss;
    Object.defineProperty(window, '__xss', { configurable: true, get: () => xss, set: (v) => { xss = v; report('window.__xss was set'); } });
    // A handler blocked by the CSP still means the markup was parsed into elements.
    document.addEventListener('securitypolicyviolation', (e) => report(`CSP ${e.violatedDirective} blocked ${e.sample || e.blockedURI}`));
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) {
        if (n.nodeType !== 1) continue;
        for (const e of [n, ...n.querySelectorAll('iframe, img')]) {
          if (e.tagName === 'IFRAME' || (e.tagName === 'IMG' && e.getAttribute('src') === 'x')) report(`element ${e.outerHTML}`);
        }
      }
    }).observe(document, { childList: true, subtree: true });
  });
  ctx.on('dialog', (d) => { incidents.push(`${username}: dialog ${d.type()} ${d.message()}`); d.dismiss().catch(() => {}); });
  const page = await ctx.newPage();
  await login(page, server.base, username);
  return page;
}

/** Nothing ran, no element was made from user data, no dialog opened — so far. */
async function clean(page, where) {
  const stray = await page.evaluate(() => [...document.querySelectorAll('iframe, img[src="x"]')].map((e) => e.outerHTML));
  assert.deepEqual(stray, [], `${where}: elements made from user data`);
  assert.equal(await page.evaluate(() => window.__xss), undefined, `${where}: window.__xss`);
  assert.deepEqual(incidents, [], where);
}

/** JSON with the page's session; answers the body, asserting a 2xx status. */
async function call(page, method, url, body) {
  const r = await page.evaluate(async ([m, u, b]) => {
    const res = await fetch(u, { method: m, headers: b === undefined ? {} : { 'content-type': 'application/json' }, body: b === undefined ? undefined : JSON.stringify(b) });
    return { status: res.status, body: await res.json().catch(() => null) };
  }, [method, url, body]);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Moves the mouse across `chart` (an .echart element) until its tooltip shows `text`; answers the tooltip's text. */
async function hoverUntil(page, chart, text, { rows = false } = {}) {
  await chart.locator('canvas').first().waitFor();
  const steps = 24;
  for (let n = 0; n < 2 * steps; n++) {
    // Two sweeps, the box measured afresh: a drawer may still have been sliding in.
    const i = (n % steps) || 1;
    const box = await chart.boundingBox();
    // Axis tooltips answer to x on a time axis, to y on a category axis drawn across (near the
    // right edge: long names push the plot there).
    const [x, y] = rows ? [box.x + box.width - 40, box.y + (box.height * i) / steps] : [box.x + (box.width * i) / steps, box.y + box.height * 0.45];
    await page.mouse.move(x, y);
    await page.waitForTimeout(120);
    assert.deepEqual(incidents, [], 'markup from user data in a chart tooltip');
    const shown = await chart.innerText();
    if (shown.includes(text)) return shown;
  }
  assert.fail(`the tooltip never showed ${text}: ${await chart.innerText()}`);
}

/** Centres the page's map on [lon, lat] and clicks there. */
async function clickMapAt(page, lon, lat, zoom = 16) {
  await page.evaluate(([x, y, z]) => window.__yingjiMap.jumpTo({ center: [x, y], zoom: z }), [lon, lat, zoom]);
  await page.waitForFunction(() => window.__yingjiMap.loaded() && !window.__yingjiMap.isMoving());
  await page.waitForTimeout(600);
  const at = await page.evaluate(([x, y]) => { const m = window.__yingjiMap; const p = m.project([x, y]); const r = m.getCanvas().getBoundingClientRect(); return { x: r.left + p.x, y: r.top + p.y }; }, [lon, lat]);
  await page.mouse.click(at.x, at.y);
}

/** Clicks 打印 and answers the print window once it holds the copy. */
async function printWindow(page, button) {
  const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
  await popup.waitForFunction(() => document.body && document.body.innerText.trim().length > 0);
  return popup;
}

async function printedAsText(popup, ...texts) {
  const body = await popup.evaluate(() => ({ text: document.body.innerText, stray: [...document.querySelectorAll('iframe, img, script')].map((e) => e.outerHTML) }));
  assert.deepEqual(body.stray, [], 'no elements from user data in the print window');
  for (const t of texts) assert.ok(body.text.includes(t), `the print window shows ${t} as text:\n${body.text}`);
  assert.equal(await popup.evaluate(() => window.__xss), undefined);
}

const beijingDay = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
const iso = (ms) => new Date(ms).toISOString();

describe('存储型 XSS', () => {
  test('the console is served under a Content-Security-Policy without inline scripts', async () => {
    for (const p of ['/', '/map', '/login']) {
      const r = await fetch(`${server.base}${p}`);
      const csp = r.headers.get('content-security-policy') ?? '';
      const directive = (name) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? '';
      assert.equal(directive('script-src'), "script-src 'self'", `${p}: ${csp}`);
      assert.equal(directive('object-src'), "object-src 'none'", csp);
      assert.equal(directive('base-uri'), "base-uri 'none'", csp);
      assert.equal(directive('frame-ancestors'), "frame-ancestors 'none'", csp);
      assert.equal(directive('default-src'), "default-src 'self'", csp);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      // Every script of the built page is a file of its own.
      const html = await r.text();
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /\bsrc=/, tag);
    }
    // The console's own files carry it too (a worker started from one takes the file's policy).
    const entry = (await (await fetch(`${server.base}/`)).text()).match(/<script\b[^>]*\bsrc="([^"]+)"/)[1];
    const js = await fetch(`${server.base}${entry}`);
    assert.match(js.headers.get('content-type'), /^text\/javascript/);
    assert.ok(js.headers.get('content-security-policy'));
    // The API documentation still loads (it has its own files, served without the console's policy).
    const ctx = await browser.newContext();
    const docs = await ctx.newPage();
    await docs.goto(`${server.base}/api/docs/`);
    await docs.locator('.swagger-ui .info .title').waitFor();
    await ctx.close();
  });

  test('monitoring: a hostile unit, sensor and enterprise name show as text in the trend tooltip, the alarm board, the analytics and the map', async () => {
    const admin = await as('admin');
    const ent = await as('enterprise');
    const me = await call(ent, 'GET', '/api/v1/auth/me');
    const eid = me.scope.enterprise_id;
    const e = await call(admin, 'GET', `/api/v1/enterprises/${eid}`);
    const entName = `瑞丰${IMG}`;
    await call(admin, 'PUT', `/api/v1/enterprises/${eid}`, {
      name: entName, uscc: e.uscc, industry_code: e.industry_code, categories: e.categories, flags: e.flags, scale: e.scale, status: e.status,
      address: `甘棠北路${IMG}`, lon: e.lon, lat: e.lat, grid_code: e.grid_code, principal_name: e.principal_name, principal_phone: e.principal_phone,
      safety_officer_name: e.safety_officer_name, safety_officer_phone: e.safety_officer_phone, employees: e.employees,
    });
    // Another enterprise, away from the first, for the map's enterprise card.
    const other = (await call(admin, 'GET', '/api/v1/enterprises?page_size=50')).items
      .find((o) => o.id !== eid && o.lon != null && Math.abs(o.lon - e.lon) + Math.abs(o.lat - e.lat) > 0.01);
    const otherName = `化工${IMG}`;
    await call(admin, 'PUT', `/api/v1/enterprises/${other.id}`, {
      name: otherName, uscc: other.uscc, industry_code: other.industry_code, categories: other.categories, flags: other.flags, scale: other.scale,
      status: other.status, address: other.address, lon: other.lon, lat: other.lat, grid_code: other.grid_code,
    });
    const sensorName = `储罐液位${IMG}`;
    await call(ent, 'POST', '/api/v1/sensors', { code: 'XSS-LT', name: sensorName, kind: 'level', unit: IFR, object_name: `储罐区${IMG}`,
      threshold_h: '17', threshold_hh: '18.5', hysteresis: '0.5' });
    // A public object's sensor, registered by the bureau: the map names the object.
    const [plon, plat] = [e.lon + 0.006, e.lat + 0.004];
    const objectName = `下穿通道${IMG}`;
    await call(admin, 'POST', '/api/v1/sensors', { code: 'XSS-WL', name: `积水${IMG}`, kind: 'water_level', unit: IFR, object_name: objectName,
      region_code: e.grid_code, threshold_h: '15', threshold_hh: '30', hysteresis: '1', lon: plon, lat: plat });

    await ent.goto(`${server.base}/alarms`);
    await ent.locator('[data-testid=live]', { hasText: '已连接' }).waitFor();
    const now = Date.now();
    const r = await call(ent, 'POST', '/api/v1/readings', Array.from({ length: 12 }, (_, i) => ({ sensor: 'XSS-LT', ts: iso(now - (12 - i) * 60_000), value: i < 11 ? 10 + i * 0.3 : 18.9 })));
    assert.equal(r.alarms_opened, 2, JSON.stringify(r));
    // The live notification names the enterprise, the sensor and the unit.
    const note = ent.locator('.el-notification', { hasText: IFR }).first();
    await note.waitFor();
    assert.ok((await note.innerText()).includes(entName));
    const row = ent.locator('[data-testid=alarm-table] tr', { hasText: sensorName }).first();
    await row.waitFor();
    await clean(ent, 'alarm board');

    // The alarm's detail draws the trend around its opening.
    await row.click();
    const detail = ent.locator('[data-testid=alarm-detail]');
    await detail.locator('[data-testid=trend-resolution]', { hasText: '原始数据' }).waitFor();
    await ent.waitForTimeout(400); // the drawer's slide-in
    assert.ok((await hoverUntil(ent, detail.locator('.echart'), IFR)).includes(IFR));
    await clean(ent, 'alarm detail trend');
    await ent.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });

    // The trend drawer of 监测点: the tooltip shows the unit as typed.
    await ent.getByRole('tab', { name: '监测点' }).click();
    await ent.locator('[data-testid=sensor-table] tr', { hasText: sensorName }).waitFor();
    await ent.locator('[data-testid=trend-XSS-LT]').click();
    const drawer = ent.locator('[data-testid=trend-drawer]');
    await drawer.locator('[data-testid=trend-resolution]', { hasText: '原始数据 · 12 个点' }).waitFor();
    await ent.waitForTimeout(400); // the drawer's slide-in
    const tip = await hoverUntil(ent, drawer.locator('.echart'), IFR);
    assert.match(tip, /\n[\d.]+ <iframe\/onload=f\(\)>$/);
    await screenshot(ent, 'xss-trend-tooltip');
    // Longer spans come as buckets, with their own tooltip.
    await drawer.getByText('24 小时').click();
    await drawer.locator('[data-testid=trend-resolution]', { hasText: '分钟聚合' }).waitFor();
    assert.match(await hoverUntil(ent, drawer.locator('.echart'), IFR), /均值 [\d.]+ <iframe\/onload=f\(\)>/);
    await clean(ent, 'trend tooltip');
    await ent.keyboard.press('Escape');

    // 统计分析: the enterprise and the sensor head the bar charts' tooltips.
    await ent.getByRole('tab', { name: '统计分析' }).click();
    const analytics = ent.locator('[data-testid=alarm-analytics]');
    await analytics.locator('.echart').nth(3).waitFor();
    await hoverUntil(ent, analytics.locator('.echart').nth(2), entName, { rows: true });
    await hoverUntil(ent, analytics.locator('.echart').nth(3), sensorName, { rows: true });
    await clean(ent, 'alarm analytics');

    // 一张图: the monitored enterprise's and public object's cards, and an enterprise's card.
    await admin.goto(`${server.base}/map`);
    await admin.waitForSelector('.map[data-ready=true]', { timeout: 60_000 });
    await clickMapAt(admin, e.lon, e.lat);
    await admin.locator('[data-testid=monitoring-card]', { hasText: entName }).waitFor();
    await clickMapAt(admin, plon, plat);
    await admin.locator('[data-testid=monitoring-card]', { hasText: objectName }).waitFor();
    await clean(admin, 'monitoring cards');
    await clickMapAt(admin, other.lon, other.lat, 17);
    await admin.locator('[data-testid=enterprise-card]', { hasText: otherName }).waitFor();
    await screenshot(admin, 'xss-enterprise-card');
    await clean(admin, 'enterprise card');
    await admin.goto(`${server.base}/enterprises`);
    await admin.locator('[data-testid=enterprise-table]', { hasText: entName }).waitFor();
    await clean(admin, 'enterprise list');
    for (const p of [admin, ent]) await p.context().close();
  });

  test('hazards, incidents, the duty log, risk points and a street name show as text on their pages, in the charts and both print windows', async () => {
    const admin = await as('admin');
    const ent = await as('enterprise');
    const duty = await as('duty');

    // A street renamed by the administrator: every map, cascader, table and chart names it.
    const street = (await call(admin, 'GET', '/api/v1/regions?parent=360403')).items[0];
    const streetName = `${street.name}${IFR}`; // short enough to leave the bar chart room
    await call(admin, 'PUT', `/api/v1/regions/${street.code}`, { name: streetName });

    const description = `阀门泄漏${IMG}`;
    await call(ent, 'POST', '/api/v1/hazards', { category: 'equipment', description, location: `罐区${IFR}` });
    await ent.goto(`${server.base}/hazards`);
    await ent.locator('[data-testid=hazard-table] tr', { hasText: description }).first().click();
    await ent.locator('[data-testid=hazard-drawer]', { hasText: description }).waitFor();
    await clean(ent, 'hazard drawer');

    await admin.goto(`${server.base}/hazard-stats`);
    await admin.locator('[data-testid=kpi-open-major]').waitFor();
    const charts = admin.locator('.echart');
    await charts.nth(4).waitFor();
    let regionChart = null;
    for (let i = 0; i < await charts.count(); i++) {
      // The chart of open hazards by street.
      const c = charts.nth(i);
      await c.scrollIntoViewIfNeeded();
      if ((await c.evaluate((el) => el.closest('.el-card')?.innerText ?? '')).includes('街道')) { regionChart = c; break; }
    }
    assert.ok(regionChart, 'the chart by street');
    await admin.waitForTimeout(800);
    await hoverUntil(admin, regionChart, streetName, { rows: true });
    await clean(admin, 'hazard stats');
    await admin.goto(`${server.base}/regions`);
    await admin.locator('.el-tree-node__content').first().click(); // the district opens on its streets
    await admin.locator('.el-tree', { hasText: streetName }).waitFor();
    await admin.goto(`${server.base}/risk-map`);
    await admin.locator('[data-ready=true]').waitFor();
    await admin.getByText(streetName).first().waitFor();
    await clean(admin, 'regions and the risk map');

    // An incident, the roster and the duty log, then the 值班日报 and its print window.
    const title = `内涝${IMG}`;
    const incident = await call(duty, 'POST', '/api/v1/incidents', {
      title, category: 'natural', subtype: 'rainstorm', occurred_at: iso(Date.now() - 30 * 60_000), region_code: street.code,
      lon: 115.99, lat: 29.71, assessed_severity: 'general', location: `低洼小区${IMG}`, account: `积水${IMG}`, casualties: { trapped: 2 },
    });
    const leader = `张局${IMG}`;
    await call(duty, 'PUT', '/api/v1/duty/shifts', { day: beijingDay(), shift: 'day', leader, officer: `李${IFR}` });
    const logText = `接报${IMG}`;
    await call(duty, 'POST', '/api/v1/duty/log', { kind: 'report', text: logText });
    await duty.goto(`${server.base}/incidents`);
    await duty.locator('[data-testid=incident-table]', { hasText: title }).waitFor();
    await duty.goto(`${server.base}/incidents/${incident.id}`);
    await duty.getByText(title).first().waitFor();
    await clean(duty, 'incident');
    await duty.goto(`${server.base}/duty`);
    await duty.locator('[data-testid=roster]', { hasText: leader }).waitFor();
    await duty.locator('[data-testid=duty-log]', { hasText: logText }).waitFor();
    await duty.click('[data-testid=daily-report]');
    const daily = duty.locator('[data-testid=daily]');
    await daily.getByText(title).first().waitFor();
    const popup = await printWindow(duty, duty.getByRole('button', { name: '打印', exact: true }));
    await printedAsText(popup, title, leader, `李${IFR}`, logText);
    assert.match(await popup.title(), /^值班日报 \d{4}-\d\d-\d\d$/);
    await popup.close();
    await clean(duty, 'duty daily report');

    // A risk point's 告知牌 and its print window.
    const meta = await call(ent, 'GET', '/api/v1/risk/meta');
    const rpName = `储罐区风险点${IMG}`;
    const measures = `定期巡检${IFR}`;
    await call(ent, 'POST', '/api/v1/risk-points', {
      name: rpName, location: `罐区${IMG}`, hazard_factors: `液氯泄漏${IMG}`, accident_types: [meta.accident_types[0]],
      assessment: { method: 'lec', l: '3', e: '6', c: '7' }, control_measures: measures, emergency_measures: `疏散${IMG}`,
      control_level: 'workshop', responsible_name: `王${IMG}`, responsible_phone: '13900000000',
    });
    await ent.goto(`${server.base}/risk-points`);
    const rp = ent.locator('[data-testid=risk-table] tr', { hasText: rpName }).first();
    await rp.getByRole('button', { name: '告知牌' }).click();
    await ent.locator('#risk-card', { hasText: measures }).waitFor();
    const sign = await printWindow(ent, ent.getByRole('button', { name: '打印', exact: true }));
    await printedAsText(sign, rpName, measures, `液氯泄漏${IMG}`);
    await sign.close();
    await clean(ent, 'risk sign');
    for (const p of [admin, ent, duty]) await p.context().close();
  });

  test('warnings, 承灾体 and resources show as text in their lists, on the maps, in the response drawer and on the public page', async () => {
    const admin = await as('admin');
    const commander = await as('commander');
    const grid = (await call(admin, 'GET', '/api/v1/regions?level=grid')).items[0];
    const g = await call(admin, 'GET', `/api/v1/regions/${grid.code}`);
    const [lon, lat] = g.center;

    const objName = `易涝点${IMG}`;
    await call(admin, 'POST', '/api/v1/protected-objects', { kind: 'waterlogging', name: objName, address: `地下通道${IMG}`, lon, lat,
      region_code: grid.code, responsible_name: `赵${IFR}`, responsible_phone: '13900000003' });
    const d = 0.01;
    const headline = `暴雨预警${IMG}`;
    const w = await call(commander, 'POST', '/api/v1/warnings', {
      event_code: 'rainstorm', level: 2, headline, description: `强降雨${IMG}`, instruction: `转移${IMG}`,
      area: { type: 'Polygon', coordinates: [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]] },
      area_desc: `浔阳区${IMG}`, expires_at: iso(Date.now() + 12 * 3_600_000),
    });
    await call(commander, 'POST', `/api/v1/warnings/${w.id}/actions`, { action: 'submit' });
    await call(admin, 'POST', `/api/v1/warnings/${w.id}/actions`, { action: 'approve' });

    await admin.goto(`${server.base}/warnings`);
    await admin.locator('[data-testid=warning-table]', { hasText: headline }).waitFor();
    await admin.locator('[data-testid=warning-response]').first().click();
    await admin.locator('[data-testid=response-orders]', { hasText: objName }).waitFor();
    await clean(admin, 'warnings');
    await admin.goto(`${server.base}/protected-objects`);
    await admin.locator('[data-testid=objects-table]', { hasText: objName }).waitFor();
    await admin.goto(`${server.base}/warning-analysis`);
    await admin.locator('[data-testid=analysis-table]').waitFor();
    await clean(admin, '承灾体 and analysis');
    const pub = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const publicPage = await pub.newPage();
    await publicPage.goto(`${server.base}/warnings/public`);
    await publicPage.locator('[data-testid=public-warnings]', { hasText: `转移${IMG}` }).waitFor();
    assert.deepEqual(await publicPage.evaluate(() => [window.__xss, document.querySelectorAll('iframe, img[src="x"]').length]), [undefined, 0]);
    await pub.close();

    // Resources at known points, each opened from the resource map.
    const at = (i) => [lon + 0.02 + i * 0.01, lat + 0.01];
    const common = { region_code: grid.code, phone: '13900000004' };
    const team = { name: `冲锋舟队${IMG}`, kind: 'professional', specialties: [`水上救援${IFR}`], headcount: 12, equipment: `冲锋舟${IMG}`, base_address: `江边${IMG}`, leader: `钱${IFR}` };
    const warehouse = { name: `物资库${IMG}`, level: 'street', address: `仓库路${IMG}`, manager: `孙${IFR}` };
    const shelter = { name: `避难所${IMG}`, kind: 'emergency', address: `广场${IMG}`, capacity: 200, area_m2: 400, facilities: [`供水${IFR}`], manager: `周${IFR}` };
    const made = [];
    for (const [i, [path, body]] of [['/api/v1/teams', team], ['/api/v1/warehouses', warehouse], ['/api/v1/shelters', shelter]].entries()) {
      const [x, y] = at(i);
      await call(admin, 'POST', path, { ...common, ...body, lon: x, lat: y });
      made.push({ name: body.name, lon: x, lat: y });
    }
    await admin.goto(`${server.base}/resources`);
    await admin.locator('[data-testid=resource-map][data-ready=true]').waitFor({ timeout: 60_000 });
    for (const m of made) {
      await clickMapAt(admin, m.lon, m.lat);
      await admin.locator('.pick', { hasText: m.name }).waitFor();
    }
    await screenshot(admin, 'xss-resource-card');
    await clean(admin, 'resource map');
    await admin.getByRole('tab', { name: '救援队伍' }).click();
    await admin.locator('[data-testid=team-table]', { hasText: team.name }).waitFor();
    await admin.getByRole('tab', { name: '避难场所' }).click();
    await admin.locator('[data-testid=shelter-table]', { hasText: shelter.name }).waitFor();
    await clean(admin, 'resource tables');

    // The command view finds them around an incident and draws them on its map.
    const incident = await call(admin, 'POST', '/api/v1/incidents', {
      title: `险情${IMG}`, category: 'natural', subtype: 'rainstorm', occurred_at: iso(Date.now() - 10 * 60_000), region_code: grid.code.slice(0, 9),
      lon: at(0)[0], lat: at(0)[1], assessed_severity: 'general', location: '江边', account: '积水', casualties: { trapped: 1 },
    });
    await admin.goto(`${server.base}/incidents/${incident.id}`);
    await admin.locator('[data-testid=search-go]').click();
    await admin.locator('[data-testid=search-hits]', { hasText: team.name }).waitFor();
    await clean(admin, 'incident command resources');
    for (const p of [admin, commander]) await p.context().close();
  });
});
