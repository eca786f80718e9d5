// 照片: a hazard reported with two photos shows their thumbnails in its detail; a click opens the
// viewer on the display version (arrow keys on a desktop, a swipe on a phone move to the next);
// a PDF stays a link. An incident's 初报 photo shows with its report on the command page.
// Desktop 1440×900 and phone 390×844.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { apiPost, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

function crc32(buf) {
  let c = ~0;
  for (const b of buf) { c ^= b; for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xEDB88320 & -(c & 1)); }
  return ~c >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A w×h RGB PNG: a sky, a ground and a red sign, with a tint so two photos differ. */
function photo(w, h, tint) {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      const sign = Math.abs(x - w / 2) < w / 8 && Math.abs(y - h / 2) < h / 6;
      const rgb = sign ? [210, 40, 40] : y < h / 2 ? [120 + tint, 170, 230 - (y * 60) / h] : [90, 110 + tint, 70];
      raw[o] = rgb[0]; raw[o + 1] = rgb[1]; raw[o + 2] = rgb[2];
    }
  }
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'binary'), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

async function as(username, viewport) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', hasTouch: viewport.width < 600 });
  const page = await ctx.newPage();
  await login(page, server.base, username);
  return page;
}

async function upload(page, name, bytes) {
  return page.evaluate(async ([n, b64]) => {
    const body = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const r = await fetch(`/api/v1/attachments?filename=${encodeURIComponent(n)}`, { method: 'POST', body });
    return { status: r.status, body: await r.json() };
  }, [name, bytes.toString('base64')]);
}

/** A hazard of the enterprise with two photos and a PDF; answers its code. */
async function hazardWithPhotos(page) {
  const ids = [];
  for (const [name, bytes] of [['通道堆物.png', photo(1800, 1200, 0)], ['配电箱.png', photo(900, 1200, 60)], ['整改方案.pdf', Buffer.from('%PDF-1.7\n%%EOF')]]) {
    const r = await upload(page, name, bytes);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.push(r.body.id);
  }
  const h = await apiPost(page, '/api/v1/hazards', { category: 'site', description: '安全出口堆放纸箱，配电箱门未关', location: '一号车间东侧', attachments: ids });
  assert.equal(h.status, 201, JSON.stringify(h.body));
  return h.body.code;
}

async function openDetail(page, code) {
  await page.goto(`${server.base}/hazards`);
  await page.locator('[data-testid=hazard-table] tr', { hasText: code }).first().click();
  const drawer = page.locator('[data-testid=hazard-drawer]');
  await drawer.getByText(code).first().waitFor();
  const thumbs = drawer.locator('[data-testid=hazard-photos] [data-testid=attachment-thumb] img');
  await thumbs.nth(1).waitFor();
  assert.equal(await thumbs.count(), 2);
  // The thumbnails are the small versions, loaded.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=hazard-photos] [data-testid=attachment-thumb] img')].every((i) => i.complete && i.naturalWidth > 0));
  const w = await thumbs.first().evaluate((i) => [i.naturalWidth, i.getAttribute('src')]);
  assert.equal(w[0], 320);
  assert.match(w[1], /size=thumb/);
  await drawer.locator('[data-testid=attachment-file]', { hasText: '整改方案.pdf' }).waitFor();
  return drawer;
}

const viewerImage = (page) => page.locator('.el-image-viewer__canvas img').first();
async function viewerShows(page, n) {
  await page.locator('[data-testid=attachment-original]', { hasText: `${n}/2` }).waitFor();
  await page.waitForFunction(() => { const i = document.querySelector('.el-image-viewer__canvas img'); return i && i.complete && i.naturalWidth > 0; });
  await page.waitForFunction(() => !document.querySelector('.viewer-fade-enter-active, .viewer-fade-leave-active'));
}

describe('照片', () => {
  test('desktop: thumbnails in the hazard detail open the viewer; arrow keys move on', async () => {
    const page = await as('enterprise', { width: 1440, height: 900 });
    const code = await hazardWithPhotos(page);
    const drawer = await openDetail(page, code);
    await screenshot(page, 'photos-hazard-desktop');
    await drawer.locator('[data-testid=attachment-thumb]').first().click();
    await viewerShows(page, 1);
    assert.match(await viewerImage(page).getAttribute('src'), /size=display/);
    assert.equal(await viewerImage(page).evaluate((i) => i.naturalWidth), 1600);
    await screenshot(page, 'photos-viewer-desktop');
    await page.keyboard.press('ArrowRight');
    await viewerShows(page, 2);
    await page.keyboard.press('Escape');
    await page.locator('.el-image-viewer__wrapper').waitFor({ state: 'detached' });
    await page.context().close();
  });

  test('phone: the viewer fills the screen and a swipe shows the next photo', async () => {
    const page = await as('enterprise', { width: 390, height: 844 });
    const code = await hazardWithPhotos(page);
    const drawer = await openDetail(page, code);
    await drawer.locator('[data-testid=hazard-photos]').scrollIntoViewIfNeeded();
    await screenshot(page, 'photos-hazard-phone');
    await drawer.locator('[data-testid=attachment-thumb]').first().click();
    await viewerShows(page, 1);
    await screenshot(page, 'photos-viewer-phone');
    const cdp = await page.context().newCDPSession(page);
    const touch = (type, x) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y: 420 }] });
    await touch('touchStart', 320);
    for (const x of [280, 220, 160, 100]) await touch('touchMove', x);
    await touch('touchEnd', 100);
    await viewerShows(page, 2);
    await screenshot(page, 'photos-viewer-phone-swiped');
    await page.context().close();
  });

  test('incident: the 初报 photo shows with its report on the command page', async () => {
    const page = await as('duty', { width: 1440, height: 900 });
    const me = await page.evaluate(async () => (await fetch('/api/v1/enterprises?page=1')).json());
    const up = await upload(page, '快报现场.png', photo(1200, 800, 30));
    assert.equal(up.status, 201, JSON.stringify(up.body));
    const now = Date.now();
    const iso = (ms) => new Date(ms).toISOString().slice(0, 16) + ':00Z';
    const body = {
      title: '仓库火情', category: 'accident', subtype: 'fire', occurred_at: iso(now - 40 * 60_000),
      enterprise_id: me.items[0].id, casualties: {}, unit_overview: '仓储企业', location: '成品仓库', scene: '明火已扑灭',
      account: '仓库电气线路短路起火', measures: '消防到场处置', other: '无', attachments: [up.body.id],
    };
    const r = await apiPost(page, '/api/v1/incidents', body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await page.goto(`${server.base}/incidents/${r.body.id}`);
    const card = page.locator('[data-testid=report-photos]');
    await card.locator('[data-testid=attachment-thumb] img').waitFor();
    await page.waitForFunction(() => { const i = document.querySelector('[data-testid=report-photos] img'); return i && i.complete && i.naturalWidth === 320; });
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'photos-incident-desktop');
    await page.context().close();
  });
});
