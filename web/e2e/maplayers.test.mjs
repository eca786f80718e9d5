// 一张图 layers (issue 20 item 4): the commander turns layers on and sees their features, clicks
// one and reads its card; the 风险四色图 in ranking mode; a street account's maps open on its
// street. Screenshots at 1440×900 and 390×844.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

async function newPage(width = 1440, height = 900) {
  const ctx = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
  return ctx.newPage();
}

async function openMap(page, user) {
  await login(page, server.base, user);
  if (!page.url().endsWith('/map')) await page.goto(`${server.base}/map`);
  await page.waitForSelector('.map[data-ready=true]', { timeout: 60_000 });
}

/** Rendered features of a server layer (points or their cells). */
const rendered = (page, key) => page.evaluate((k) => {
  const m = window.__yingjiMap;
  const ids = [`L-${k}`, `L-${k}-cluster`, `L-${k}-fill`].filter((id) => m.getLayer(id));
  return m.queryRenderedFeatures({ layers: ids }).length;
}, key);

async function turnOn(page, key) {
  const box = page.locator(`[data-testid=layer-${key}] input`);
  if (!(await box.isChecked())) await box.check();
  await page.waitForFunction((k) => {
    const m = window.__yingjiMap;
    const ids = [`L-${k}`, `L-${k}-cluster`, `L-${k}-fill`].filter((id) => m.getLayer(id));
    return m.queryRenderedFeatures({ layers: ids }).length > 0;
  }, key, { timeout: 15_000 });
}

/** The map's bounds as [w, s, e, n]. */
const bounds = (page) => page.evaluate(() => { const b = window.__yingjiMap.getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; });

describe('一张图图层', () => {
  test('the commander turns layers on, sees their features and opens a card', async () => {
    const page = await newPage();
    await openMap(page, 'commander');
    const layers = await apiGet(page, '/api/v1/map/layers');
    const keys = layers.map((l) => l.key);
    for (const k of ['major_hazards', 'risk_points', 'hazards', 'sensors', 'teams', 'experts', 'warehouses', 'shelters', 'protected_objects']) {
      assert.ok(keys.includes(k), `layer ${k} offered`);
    }
    // Each row shows its count over the caller's scope.
    for (const l of layers.filter((x) => x.key !== 'enterprises')) {
      const shown = await page.getByTestId(`layer-count-${l.key}`).innerText();
      assert.equal(Number(shown), l.total, `${l.key} count`);
    }
    for (const k of ['risk_points', 'hazards', 'major_hazards', 'teams', 'warehouses', 'shelters']) {
      await turnOn(page, k);
      assert.ok((await rendered(page, k)) > 0, `${k} rendered`);
    }
    // The legend of a layer that is on lists its classes with counts.
    const legend = await page.getByTestId('layer-panel').innerText();
    for (const word of ['重大风险（红）', '逾期未整改', '一级', '待命', '开放']) assert.ok(legend.includes(word), `legend has ${word}`);
    await screenshot(page, 'maplayers-desktop');
    // Click a team where it is drawn: its card, with a link to the resources page.
    await page.evaluate(() => window.__yingjiMap.setLayoutProperty('L-shelters', 'visibility', 'none'));
    const target = await page.evaluate(() => {
      const m = window.__yingjiMap;
      const f = m.queryRenderedFeatures({ layers: ['L-teams'] })[0];
      m.jumpTo({ center: f.geometry.coordinates, zoom: 15 });
      return f.properties.name;
    });
    await page.waitForFunction(() => window.__yingjiMap.queryRenderedFeatures({ layers: ['L-teams'] }).length > 0, null, { timeout: 10_000 });
    const at = await page.evaluate(() => {
      const m = window.__yingjiMap;
      const f = m.queryRenderedFeatures({ layers: ['L-teams'] })[0];
      const p = m.project(f.geometry.coordinates);
      const r = m.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y, name: f.properties.name };
    });
    assert.ok(target.length > 0);
    await page.mouse.click(at.x, at.y);
    const card = page.getByTestId('feature-card');
    await card.waitFor();
    const text = await card.innerText();
    assert.ok(text.includes('救援队伍'), text);
    assert.ok(text.includes('负责人'), text);
    await page.waitForTimeout(300);
    await screenshot(page, 'maplayers-card');
    await page.getByTestId('feature-card-link').click();
    await page.waitForURL(/\/resources/);
    await page.context().close();
  });

  test('on a phone the layers are a bottom sheet', async () => {
    const page = await newPage(390, 844);
    await openMap(page, 'commander');
    await page.getByTestId('layer-panel-open').click();
    await page.getByTestId('layer-panel').waitFor();
    await turnOn(page, 'risk_points');
    const sheet = await page.getByTestId('layer-panel').boundingBox();
    assert.ok(sheet.width <= 390 && sheet.y > 844 / 3, `a bottom sheet: ${JSON.stringify(sheet)}`);
    await screenshot(page, 'maplayers-phone');
    await page.getByTestId('layer-panel-close').click();
    await page.getByTestId('layer-panel-open').waitFor();
    await screenshot(page, 'maplayers-phone-closed');
    await page.context().close();
  });

  test('the risk map ranks the streets', async () => {
    const page = await newPage();
    await login(page, server.base, 'commander');
    await page.goto(`${server.base}/risk-map`);
    await page.waitForSelector('.map[data-ready=true]', { timeout: 60_000 });
    const colours = () => page.evaluate(() => {
      const seen = {};
      for (const f of window.__yingjiMap.querySourceFeatures('fill')) seen[f.properties.code] = f.properties.colour;
      return Object.values(seen);
    });
    const highest = await colours();
    await page.getByTestId('risk-mode-rank').click();
    await page.getByTestId('risk-formula').waitFor();
    assert.ok((await page.getByTestId('risk-formula').innerText()).includes('红×4'));
    await page.waitForTimeout(300);
    const ranked = await colours();
    const distinct = new Set(ranked.filter(Boolean));
    assert.ok(distinct.size >= 3, `ranking uses several colours: ${[...distinct]}`);
    const reds = (l) => l.filter((c) => c === '#d32f2f').length;
    assert.ok(reds(ranked) < reds(highest) || reds(highest) <= ranked.length / 4 + 1, `ranking paints fewer areas red (${reds(ranked)} vs ${reds(highest)})`);
    await screenshot(page, 'maplayers-riskmap-rank');
    // The weights and the basis are district rules, edited on the rules page.
    await page.goto(`${server.base}/prevention-rules`);
    await page.getByTestId('rules-form').waitFor();
    const form = await page.getByTestId('rules-form').innerText();
    assert.ok(form.includes('风险四色图综合排名') && form.includes('每百家企业'), 'rank rules on the rules page');
    assert.equal(await page.getByLabel('权重红').inputValue(), '4');
    await page.context().close();
    const phone = await newPage(390, 844);
    await login(phone, server.base, 'commander');
    await phone.goto(`${server.base}/risk-map`);
    await phone.waitForSelector('.map[data-ready=true]', { timeout: 60_000 });
    await phone.getByTestId('risk-mode-rank').click();
    await phone.waitForTimeout(300);
    await screenshot(phone, 'maplayers-riskmap-phone');
    await phone.context().close();
  });

  test("a street account's maps open on its street", async () => {
    const page = await newPage();
    await openMap(page, 'street');
    const street = await apiGet(page, '/api/v1/regions/360403001');
    const district = await apiGet(page, '/api/v1/regions/360403').catch(() => null);
    const [w, s, e, n] = await bounds(page);
    const [bw, bs, be, bn] = street.bbox;
    const eps = 0.002;
    assert.ok(w <= bw + eps && s <= bs + eps && e >= be - eps && n >= bn - eps, `the street fits in the view: ${[w, s, e, n]} vs ${street.bbox}`);
    // …and fills it: the view is not much wider than the street.
    assert.ok((e - w) < (be - bw) * 4 && (n - s) < (bn - bs) * 4, `the view is about the street: ${[w, s, e, n]} vs ${street.bbox}`);
    if (district?.bbox) assert.ok((e - w) < (district.bbox[2] - district.bbox[0]) * 1.2);
    await screenshot(page, 'maplayers-street');
    await page.goto(`${server.base}/risk-map`);
    await page.waitForSelector('.map[data-ready=true]', { timeout: 60_000 });
    const [w2, s2, e2, n2] = await bounds(page);
    assert.ok(w2 <= bw + eps && e2 >= be - eps && s2 <= bs + eps && n2 >= bn - eps, 'the risk map opens on the street too');
    await page.context().close();
  });
});
