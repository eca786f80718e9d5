// Browser tests of the web console in headless Debian Chromium: login, the map page, and the
// enterprise form refusing a wrong 统一社会信用代码.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, apiPost, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

async function newPage() {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  return ctx.newPage();
}

describe('登录', () => {
  test('wrong password shows a Chinese error; right password opens the map', async () => {
    const page = await newPage();
    await page.goto(`${server.base}/`);
    await page.waitForURL(/\/login/);
    await screenshot(page, 'login');
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'wrong-password-1');
    await page.click('button[type=submit]');
    await page.getByText('用户名或密码错误').waitFor();
    await page.fill('input[name=password]', 'Yingji@2026');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/workbench/);
    await page.getByText('系统管理员 · 全部', { exact: true }).waitFor();
    await page.context().close();
  });
});

describe('一张图', () => {
  test('shows the district and opens an enterprise card on click', async () => {
    const page = await newPage();
    await login(page, server.base);
    await page.goto(`${server.base}/map`);
    await page.waitForSelector('.map[data-ready=true]', { timeout: 60_000 });
    const layers = await page.evaluate(() => {
      const m = window.__yingjiMap;
      return {
        district: m.queryRenderedFeatures({ layers: ['district-line'] }).length,
        streets: new Set(m.queryRenderedFeatures({ layers: ['street-fill'] }).map((f) => f.properties.code)).size,
        points: m.queryRenderedFeatures({ layers: ['enterprises'] }).length,
      };
    });
    assert.ok(layers.district > 0, 'district outline rendered');
    assert.ok(layers.streets >= 8, `streets rendered: ${layers.streets}`);
    assert.ok(layers.points > 50, `enterprise points rendered: ${layers.points}`);
    await screenshot(page, 'map');
    // Click a rendered enterprise point where it is drawn on the canvas.
    const target = await page.evaluate(() => {
      const m = window.__yingjiMap;
      const f = m.queryRenderedFeatures({ layers: ['enterprises'] })[0];
      const p = m.project(f.geometry.coordinates);
      const box = m.getCanvas().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y, id: f.properties.id, name: f.properties.name };
    });
    await page.mouse.click(target.x, target.y);
    const card = page.getByTestId('enterprise-card');
    await card.waitFor();
    const text = await card.innerText();
    assert.ok(text.includes('统一社会信用代码'), text);
    const detail = await apiGet(page, `/api/v1/enterprises/${target.id}`);
    const shown = await card.locator('.card-head b').innerText();
    // Overlapping points: the card shows one of the enterprises under the cursor.
    assert.ok(shown.length > 0 && text.includes(shown), `card shows ${shown}`);
    assert.equal(typeof detail.name, 'string');
    await page.waitForTimeout(400);
    await screenshot(page, 'map-card');
    await page.context().close();
  });

  test('a street account sees only its street', async () => {
    const page = await newPage();
    await login(page, server.base, 'street');
    await page.goto(`${server.base}/map`);
    await page.waitForSelector('.map[data-ready=true]', { timeout: 60_000 });
    const codes = await page.evaluate(() => window.__yingjiMap.querySourceFeatures('regions').map((f) => f.properties.code));
    assert.ok(codes.length > 0);
    assert.ok(codes.every((c) => c.startsWith('360403001')), 'only 甘棠街道 regions');
    await screenshot(page, 'map-street');
    await page.context().close();
  });
});

describe('企业管理', () => {
  test('a wrong 统一社会信用代码 shows the Chinese error and stores nothing', async () => {
    const page = await newPage();
    await login(page, server.base);
    await page.goto(`${server.base}/enterprises`);
    await page.getByTestId('enterprise-table').waitFor();
    const before = (await apiGet(page, '/api/v1/enterprises?page_size=1')).total;
    await screenshot(page, 'enterprises');
    await page.getByTestId('new-enterprise').click();
    const form = page.getByTestId('enterprise-form');
    await form.waitFor();
    await form.locator('input[name=name]').fill('浏览器测试化工有限公司');
    await form.locator('input[name=uscc]').fill('91350100M000100Y44');
    await form.locator('input[name=industry_code]').fill('C2614');
    await form.getByText('危险化学品').click();
    await form.locator('input[name=address]').fill('九江市浔阳区测试路9号');
    await page.getByTestId('save').click();
    // The message shows under the field itself, and the form's summary names the missing grid too.
    await page.locator('.el-form-item__error', { hasText: '统一社会信用代码校验位错误，请核对后重新输入' }).waitFor();
    await page.getByTestId('form-error').getByText('所属网格不能为空').waitFor();
    await screenshot(page, 'enterprise-form-error');
    const afterCount = (await apiGet(page, '/api/v1/enterprises?page_size=1')).total;
    assert.equal(afterCount, before, 'nothing stored');
    await page.context().close();
  });

  test('the import dialog, regions, users and audit pages render', async () => {
    const page = await newPage();
    await login(page, server.base);
    await page.goto(`${server.base}/enterprises`);
    await page.getByRole('button', { name: '批量导入' }).click();
    await page.getByText('下载导入模板').waitFor();
    await screenshot(page, 'import-dialog');
    for (const [route, text] of [['regions', '区划树'], ['departments', '区应急管理局'], ['users', 'commander']]) {
      await page.goto(`${server.base}/${route}`);
      await page.getByText(text).first().waitFor();
      await screenshot(page, route);
    }
    await page.context().close();
    // The audit log is the 安全审计员's (三员分立, ADR 0029).
    const audit = await newPage();
    await login(audit, server.base, 'auditor');
    await audit.getByText('校验审计链').first().waitFor();
    await screenshot(audit, 'audit');
    await audit.context().close();
  });
});

describe('重大危险源', () => {
  test('an enterprise registers a unit; S, R and the level are computed as it types', async () => {
    const page = await newPage();
    await login(page, server.base, 'enterprise');
    await page.goto(`${server.base}/major-hazards`);
    await page.click('[data-testid=new-major-hazard]');
    const dialog = page.locator('[data-testid=mh-dialog]');
    await dialog.locator('input[placeholder=重大危险源编码]').fill('MH-E2E-01');
    await dialog.locator('input[placeholder^=单元名称]').fill('液氯储罐区');
    // Pick each chemical by typing into the select's filter (the list is long): its Q and β fill in.
    const rows = dialog.locator('.el-table tbody tr');
    const pick = async (row, text, option, q) => {
      await rows.nth(row).locator('.el-select').click();
      await page.keyboard.type(text);
      // The filtered list of the open dropdown; the typed text itself is offered too (allow-create).
      await page.locator('.el-select-dropdown__item:visible', { hasText: option }).click();
      await page.waitForFunction(([r, v]) => {
        const inputs = document.querySelectorAll('[data-testid=mh-dialog] .el-table tbody tr')[r]?.querySelectorAll('input');
        return inputs && inputs[2]?.value === v;
      }, [row, q]);
    };
    await pick(0, '液氯', /^氯（液氯、氯气）$/, '5');
    await rows.nth(0).locator('input').nth(1).fill('21.4');
    await dialog.getByRole('button', { name: '添加化学品' }).click();
    await pick(1, '液化石油气', /^液化石油气\(含丙烷/, '50');
    await rows.nth(1).locator('input').nth(1).fill('96.0');
    // G13: exactly R = 10 at α = 0.5 → 三级.
    await dialog.locator('[data-testid=mh-result]', { hasText: 'R = 10.00' }).waitFor();
    assert.match(await dialog.locator('[data-testid=mh-result]').innerText(), /三级重大危险源/);
    await page.locator(`${'[data-testid=mh-responsible]'} input, input[data-testid=mh-responsible]`).first().fill('王安全');
    await screenshot(page, 'major-hazard-dialog');
    await page.click('[data-testid=mh-save]');
    await page.locator('[data-testid=mh-table] tr', { hasText: 'MH-E2E-01' }).waitFor();
    assert.match(await page.locator('[data-testid=mh-table] tr', { hasText: 'MH-E2E-01' }).innerText(), /三级/);
    await page.locator('[data-testid=mh-count-3]', { hasText: /^[1-9]/ }).waitFor();
    await page.locator('[data-testid=mh-dialog]').waitFor({ state: 'hidden' });
    await screenshot(page, 'major-hazards');
    await page.context().close();
  });
});

describe('报警处置', () => {
  test('a threshold crossing appears on the open board without reloading; 确认 stops the 叫应 chain', async () => {
    const page = await newPage();
    await login(page, server.base, 'enterprise');
    const post = (url, body) => apiPost(page, url, body);
    const sensor = await post('/api/v1/sensors', { code: 'LT-E2E', name: '1#液氯储罐液位', kind: 'level', unit: 'm', object_name: '液氯储罐区',
      threshold_h: '17', threshold_hh: '18.5', hysteresis: '0.5' });
    assert.equal(sensor.status, 201, JSON.stringify(sensor.body));
    await page.goto(`${server.base}/alarms`);
    await page.locator('[data-testid=live]', { hasText: '已连接' }).waitFor();
    const r = await post('/api/v1/readings', [{ sensor: 'LT-E2E', ts: new Date().toISOString(), value: 18.9 }]);
    assert.equal(r.body.alarms_opened, 2, JSON.stringify(r.body));
    // Pushed over SSE: no reload.
    const hhRow = page.locator('[data-testid=alarm-table] tr', { has: page.locator('.el-tag', { hasText: /^高高报$/ }) });
    await hhRow.waitFor();
    await page.locator('[data-testid=alarm-count-unacked]', { hasText: '2' }).waitFor();
    await screenshot(page, 'alarms');
    await hhRow.locator('[data-testid=ack]').click();
    await page.locator('[data-testid=alarm-count-acked]', { hasText: '1' }).waitFor();
    // The incident's history names the 叫应 step that reached the enterprise.
    await hhRow.click();
    await page.locator('[data-testid=alarm-history]', { hasText: '叫应通知' }).waitFor();
    await page.waitForTimeout(600);
    await screenshot(page, 'alarm-detail');
    // 转为隐患: once, with the alarm on the hazard's record.
    await page.click('[data-testid=to-hazard]');
    await page.locator('[data-testid=alarm-hazard]').waitFor();
    await page.locator('[data-testid=alarm-history]', { hasText: '转为隐患' }).waitFor();
    await page.keyboard.press('Escape');
    // 统计分析: one of the two was acknowledged within the first step → 叫应率 50%.
    await page.getByRole('tab', { name: '统计分析' }).click();
    await page.locator('[data-testid=response-rate]', { hasText: '50.0%' }).waitFor();
    await page.waitForTimeout(500);
    await screenshot(page, 'alarm-analytics');
    await page.context().close();
  });

  test('a sensor trend draws its readings against the thresholds; longer spans come as buckets', async () => {
    const page = await newPage();
    await login(page, server.base, 'enterprise');
    const post = (url, body) => apiPost(page, url, body);
    // Registered in the form: thresholds out of order are refused with the field named, then fixed.
    await page.goto(`${server.base}/alarms`);
    await page.getByRole('tab', { name: '监测点' }).click();
    await page.locator('[data-testid=sensor-new]').click();
    const form = page.locator('[data-testid=sensor-form]');
    await form.locator('[data-testid=sensor-code]').fill('PT-E2E');
    await form.locator('[data-testid=sensor-name]').fill('2#反应釜压力');
    await form.locator('[data-testid=sensor-object]').fill('聚合车间');
    await form.locator('[data-testid=sensor-kind]').click();
    await page.locator('.el-select-dropdown__item', { hasText: /^压力$/ }).click();
    await form.getByPlaceholder('低报 L', { exact: true }).fill('0.6');
    await form.locator('[data-testid=sensor-h]').fill('2.5');
    await form.locator('[data-testid=sensor-hh]').fill('2.0');
    await form.getByPlaceholder('回差，如 0.5').fill('0.05');
    await form.locator('[data-testid=sensor-save]').click();
    await form.locator('.el-form-item__error').first().waitFor();
    await screenshot(page, 'sensor-form-error');
    await form.locator('[data-testid=sensor-h]').fill('1.6');
    await form.locator('[data-testid=sensor-save]').click();
    await page.locator('[data-testid=sensor-table] tr', { hasText: 'PT-E2E' }).waitFor();
    // 50 minutes of readings every 30 s, rising through 高报 towards the end.
    const now = Date.now();
    const batch = Array.from({ length: 100 }, (_, i) => ({ sensor: 'PT-E2E', ts: now - (100 - i) * 30_000,
      value: Number((1.1 + 0.15 * Math.sin(i / 6) + (i > 85 ? (i - 85) * 0.04 : 0)).toFixed(3)) }));
    const r = await post('/api/v1/readings', batch);
    assert.equal(r.body.accepted, 100, JSON.stringify(r.body));
    await page.reload();
    await page.getByRole('tab', { name: '监测点' }).click();
    await page.locator('[data-testid=trend-PT-E2E]').click();
    const drawer = page.locator('[data-testid=trend-drawer]');
    await drawer.locator('[data-testid=trend-resolution]', { hasText: '原始数据 · 100 个点' }).waitFor();
    await drawer.locator('canvas').first().waitFor();
    await page.waitForTimeout(600);
    await screenshot(page, 'sensor-trend');
    await drawer.getByText('24 小时').click();
    await drawer.locator('[data-testid=trend-resolution]', { hasText: '5 分钟聚合' }).waitFor();
    await page.waitForTimeout(600);
    await screenshot(page, 'sensor-trend-24h');
    await page.context().close();
  });

  test('a monitored object turns red on the map within a second, without reloading', async () => {
    const page = await newPage();
    await login(page, server.base);
    await page.goto(`${server.base}/map`);
    await page.waitForSelector('.map[data-ready=true]', { timeout: 60_000 });
    await page.locator('[data-testid=monitoring-live]', { hasText: '实时' }).waitFor();
    const red = async () => Number(await page.locator('[data-testid=status-count-red]').innerText());
    const before = await red();
    const post = (url, body) => apiPost(page, url, body);
    const sensor = await post('/api/v1/sensors', { code: 'WL-E2E', name: '下穿通道积水', kind: 'water_level', unit: 'cm', object_name: '浔阳路下穿通道易涝点',
      region_code: '360403001001001', threshold_h: '15', threshold_hh: '30', hysteresis: '1', lon: 115.99, lat: 29.715 });
    assert.equal(sensor.status, 201, JSON.stringify(sensor.body));
    // The sensor registers green (after the 15 s refresh or the next alarm); its HH turns it red at once.
    const r = await post('/api/v1/readings', [{ sensor: 'WL-E2E', ts: new Date().toISOString(), value: 42 }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    // Pushed over the live stream: no reload, no waiting for the periodic refresh.
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=status-count-red]')?.textContent) === n, before + 1, { timeout: 10_000 });
    await page.evaluate(() => window.__yingjiMap.jumpTo({ center: [115.99, 29.715], zoom: 14 }));
    await page.waitForTimeout(800);
    const at = await page.evaluate(() => { const m = window.__yingjiMap; const p = m.project([115.99, 29.715]); const r = m.getCanvas().getBoundingClientRect(); return { x: r.left + p.x, y: r.top + p.y }; });
    await page.mouse.click(at.x, at.y);
    await page.locator('[data-testid=monitoring-card]', { hasText: '浔阳路下穿通道易涝点' }).waitFor();
    await screenshot(page, 'map-monitoring');
    await page.context().close();
  });

  test('a webhook channel is registered, a test message reaches the receiver, and the log shows it delivered', async () => {
    const http = await import('node:http');
    const got = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => { got.push({ headers: req.headers, body }); res.writeHead(200).end('ok'); });
    });
    await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${receiver.address().port}/hook`;
    const page = await newPage();
    await login(page, server.base, 'enterprise');
    await page.goto(`${server.base}/alarms`);
    await page.getByRole('tab', { name: '通知渠道' }).click();
    await page.locator('[data-testid=channel-new]').click();
    await page.getByText('Webhook', { exact: true }).click();
    await page.locator('[data-testid=channel-name]').fill('集团安全平台');
    await page.locator('[data-testid=channel-endpoint]').fill('ftp://nope');
    await page.locator('[data-testid=channel-save]').click();
    await page.getByText('须为 http:// 或 https:// 开头的网址').first().waitFor();
    await page.locator('[data-testid=channel-endpoint]').fill(url);
    await page.locator('input[type=password]').fill('whsec-e2e');
    await page.locator('[data-testid=channel-save]').click();
    const row = page.locator('[data-testid=channel-table] tr', { hasText: '集团安全平台' });
    await row.waitFor();
    await row.locator('[data-testid=channel-test]').click();
    for (let i = 0; i < 50 && !got.length; i++) await page.waitForTimeout(100);
    assert.equal(got.length, 1, 'the receiver got the test message');
    assert.match(got[0].headers['x-yingji-signature'], /^sha256=[0-9a-f]{64}$/);
    assert.equal(JSON.parse(got[0].body).event, 'channel.test');
    await row.click();
    await page.locator('[data-testid=delivery-table] .el-tag', { hasText: '已送达' }).waitFor();
    await page.waitForTimeout(600); // the drawer's slide-in
    await screenshot(page, 'notify-channels');
    await page.context().close();
    receiver.close();
  });

  test('a gateway is registered, its secret shown once, and its readings arrive under its credentials', async () => {
    const page = await newPage();
    await login(page, server.base, 'enterprise');
    await page.goto(`${server.base}/alarms`);
    await page.getByRole('tab', { name: '采集网关' }).click();
    await page.locator('[data-testid=gateway-new]').click();
    await page.locator('[data-testid=gateway-code]').fill('GW 坏编码');
    await page.locator('[data-testid=gateway-save]').click();
    await page.getByText('网关编码为 1 至 40 个字母').waitFor();
    await page.locator('[data-testid=gateway-code]').fill('GW-E2E');
    await page.locator('[data-testid=gateway-name]').fill('储罐区采集网关');
    await page.locator('[data-testid=gateway-save]').click();
    const secret = (await page.locator('[data-testid=gateway-secret]').innerText()).trim();
    assert.ok(secret.length >= 40, secret);
    await screenshot(page, 'gateway-secret');
    await page.getByRole('button', { name: '已记录' }).click();
    // The gateway reports over HTTP with its own credentials (as it would over MQTT).
    const status = await page.evaluate(async ([s]) => {
      const r = await fetch('/api/v1/readings', { method: 'POST', credentials: 'omit',
        headers: { 'content-type': 'application/json', authorization: `Basic ${btoa(`GW-E2E:${s}`)}` },
        body: JSON.stringify([{ sensor: 'NOT-MINE', ts: Date.now(), value: 1 }]) });
      return r.status;
    }, [secret]);
    assert.equal(status, 200);
    await page.reload();
    await page.getByRole('tab', { name: '采集网关' }).click();
    const row = page.locator('[data-testid=gateway-table] tr', { hasText: 'GW-E2E' });
    await row.waitFor();
    await screenshot(page, 'gateways');
    await page.context().close();
  });
});
