// 底图: every map page draws the base map the server serves from its tile file (here the demo
// district's, built into the binary): water, rivers, names, with its licence in the attribution.
// The public warnings page asks the public endpoints (no session).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

async function page(viewport) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
  const p = await ctx.newPage();
  const tiles = [];
  const outside = [];
  p.on('response', (r) => { if (r.url().includes('/map/tiles/')) tiles.push(r.status()); });
  // Nothing is loaded from the internet: no online source is configured.
  p.on('request', (r) => { if (!/^(https?:\/\/127\.0\.0\.1|data:|blob:)/.test(r.url())) outside.push(r.url()); });
  return { p, tiles, outside };
}

/** Waits until the base map's tiles are loaded and drawn; answers what is drawn of it. */
async function baseDrawn(p) {
  await p.waitForFunction(() => {
    const m = window.__yingjiMap;
    return m && m.getSource('basemap') && m.isSourceLoaded('basemap') && m.areTilesLoaded();
  }, null, { timeout: 60_000 });
  await p.waitForTimeout(500);
  return p.evaluate(() => {
    const m = window.__yingjiMap;
    const names = m.queryRenderedFeatures({ layers: ['basemap-water-name', 'basemap-place'] }).map((f) => f.properties.name);
    return {
      water: m.queryRenderedFeatures({ layers: ['basemap-water'] }).length,
      names,
      attribution: document.querySelector('.maplibregl-ctrl-attrib')?.textContent ?? '',
      order: m.getStyle().layers.map((l) => l.id),
    };
  });
}

describe('底图', () => {
  test('一张图 on a desktop: the Yangtze and the district names under the region layers, licence shown', async () => {
    const { p, tiles, outside } = await page({ width: 1440, height: 900 });
    await login(p, server.base);
    await p.goto(`${server.base}/map`);
    await p.waitForSelector('.map[data-ready=true]', { timeout: 60_000 });
    const drawn = await baseDrawn(p);
    assert.ok(drawn.water > 0, 'water drawn from the base map');
    assert.ok(drawn.names.some((n) => n.includes('长')), `names drawn: ${drawn.names}`);
    assert.ok(drawn.attribution.includes('GSHHG'), drawn.attribution);
    assert.ok(tiles.length > 0 && tiles.every((s) => s === 200 || s === 404), `tiles: ${tiles}`);
    // The base map lies under every layer the page draws.
    const lastBase = Math.max(...drawn.order.map((id, i) => (id.startsWith('basemap-') ? i : -1)));
    const firstOverlay = drawn.order.findIndex((id) => id !== 'bg' && !id.startsWith('basemap-'));
    assert.ok(firstOverlay > lastBase, drawn.order.join(','));
    await p.evaluate(() => window.__yingjiMap.jumpTo({ center: [116.02, 29.72], zoom: 10 }));
    await baseDrawn(p);
    await screenshot(p, 'basemap-desktop');
    assert.deepEqual(outside, [], 'nothing loaded from outside the server');
    await p.context().close();
  });

  test('on a phone (390×844) the grid worker sees the base map too', async () => {
    const { p, outside } = await page({ width: 390, height: 844 });
    await login(p, server.base, 'grid');
    await p.goto(`${server.base}/map`);
    await p.waitForSelector('.map[data-ready=true]', { timeout: 60_000 });
    await baseDrawn(p);
    await screenshot(p, 'basemap-phone');
    // Zoomed out from the grid, the Yangtze comes into view.
    await p.evaluate(() => window.__yingjiMap.jumpTo({ center: [116.0, 29.72], zoom: 11 }));
    const drawn = await baseDrawn(p);
    assert.ok(drawn.water > 0, 'water drawn on the phone');
    await screenshot(p, 'basemap-phone-out');
    assert.deepEqual(outside, [], 'nothing loaded from outside the server');
    await p.context().close();
  });

  test('应急资源 and 风险四色图 draw their layers on the base map', async () => {
    const { p, outside } = await page({ width: 1440, height: 900 });
    await login(p, server.base);
    for (const [path, name] of [['/resources', 'basemap-resources'], ['/risk-map', 'basemap-risk-map']]) {
      await p.goto(`${server.base}${path}`);
      await p.waitForFunction(() => window.__yingjiMap?.getStyle()?.layers.some((l) => !l.id.startsWith('basemap-') && l.id !== 'bg'), null, { timeout: 60_000 });
      await p.evaluate(() => window.__yingjiMap.jumpTo({ center: [116.0, 29.72], zoom: 11 }));
      const drawn = await baseDrawn(p);
      assert.ok(drawn.water > 0, `${path}: water drawn`);
      await screenshot(p, name);
    }
    assert.deepEqual(outside, [], 'nothing loaded from outside the server');
    await p.context().close();
  });

  test('the public warnings page draws the base map without a session', async () => {
    const { p, tiles, outside } = await page({ width: 390, height: 844 });
    await p.goto(`${server.base}/warnings/public`);
    const drawn = await baseDrawn(p);
    assert.ok(drawn.water > 0, 'water drawn on the public page');
    assert.ok(tiles.includes(200), `public tiles: ${tiles}`);
    await screenshot(p, 'basemap-public');
    const r = await p.evaluate(async () => (await fetch('/api/v1/map/tiles/10/842/423')).status);
    assert.equal(r, 401, 'the console endpoint wants a session');
    assert.deepEqual(outside, [], 'nothing loaded from outside the server');
    await p.context().close();
  });
});
