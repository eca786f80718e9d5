// Security in the console (issue 26): the console runs under its CSP with no violation (pages with
// charts, the map, tables, dialogs), the security headers are on the page and the API; pages with
// personal data carry the viewer's watermark (name and time, aria-hidden, clicks pass through),
// other pages do not; `[security] watermark = false` turns it off. Desktop and 390 px, axe-core.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, login, screenshot, settled, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

/** Records CSP violations (events and console messages) of every page of the context. */
async function watchCsp(ctx) {
  const found = [];
  await ctx.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  ctx.on('page', (p) => p.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) found.push(m.text()); }));
  return found;
}

async function violations(page, found) {
  const events = await page.evaluate(() => window.__csp ?? []);
  return [...found, ...events];
}

describe('security', () => {
  test('no CSP violation across the console; headers on page and API; the watermark on personal pages', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const found = await watchCsp(ctx);
    const page = await ctx.newPage();
    const first = await page.goto(`${server.base}/login`);
    const h = first.headers();
    assert.match(h['content-security-policy'], /script-src 'self'(;|$)/);
    assert.match(h['content-security-policy'], /frame-ancestors 'none'/);
    assert.equal(h['x-frame-options'], 'DENY');
    assert.equal(h['x-content-type-options'], 'nosniff');
    assert.ok(h['referrer-policy']);
    await login(page, server.base, 'admin');
    const api = await page.evaluate(async () => {
      const r = await fetch('/api/v1/users');
      return { csp: r.headers.get('content-security-policy'), cache: r.headers.get('cache-control'), frame: r.headers.get('x-frame-options') };
    });
    assert.equal(api.cache, 'no-store');
    assert.equal(api.frame, 'DENY');
    assert.match(api.csp, /frame-ancestors 'none'/);
    // Pages with charts (ECharts), the map (MapLibre workers), tables and dialogs.
    for (const path of ['/workbench', '/map', '/grid/stats', '/hazards', '/enterprises', '/users']) {
      await page.goto(`${server.base}${path}`);
      await page.waitForLoadState('networkidle');
      assert.deepEqual(await violations(page, found), [], `CSP violations on ${path}`);
    }
    // /users shows accounts: the watermark names the viewer.
    const mark = page.getByTestId('watermark');
    await mark.waitFor({ state: 'attached' });
    const me = await page.evaluate(async () => (await (await fetch('/api/v1/auth/me')).json()).user);
    const text = await mark.getAttribute('data-text');
    assert.ok(text.includes(me.display_name) && text.includes(me.username), text);
    assert.match(text, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    assert.equal(await mark.getAttribute('aria-hidden'), 'true');
    assert.equal(await mark.evaluate((el) => getComputedStyle(el).pointerEvents), 'none');
    assert.match(await mark.evaluate((el) => getComputedStyle(el).backgroundImage), /^url\("data:image\/svg\+xml/);
    await settled(page);
    await screenshot(page, 'security-watermark');
    await accessible(page, 'the users page with its watermark');
    // The page still takes clicks through the overlay.
    await page.getByRole('button', { name: /新建|新增/ }).first().click({ trial: true });
    // Not on a page without personal data.
    await page.goto(`${server.base}/workbench`);
    await page.waitForLoadState('networkidle');
    assert.equal(await page.getByTestId('watermark').count(), 0);
    assert.deepEqual(await violations(page, found), []);
    // Pages marked personal by their route (meta.personal) since the list moved there: the
    // 承灾体 register (特殊群体) and a print page (值班日报, names and phones), outside the frame.
    for (const path of ['/protected-objects', '/print/duty']) {
      await page.goto(`${server.base}${path}`);
      await page.waitForLoadState('networkidle');
      await page.getByTestId('watermark').waitFor({ state: 'attached' });
      assert.ok((await page.getByTestId('watermark').getAttribute('data-text')).includes(me.username), path);
    }
    await ctx.close();
  });

  test('the watermark on a 390 px phone', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const found = await watchCsp(phone);
    const page = await phone.newPage();
    await login(page, server.base, 'duty');
    await page.goto(`${server.base}/grid/events`);
    await page.getByTestId('watermark').waitFor({ state: 'attached' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no sideways scrolling at 390 px (${overflow}px)`);
    await settled(page);
    assert.deepEqual(await violations(page, found), []);
    await screenshot(page, 'security-watermark-phone');
    await accessible(page, 'the grid events page with its watermark on a phone');
    await phone.close();
  });

  test('[security] watermark = false: none', async () => {
    process.env.YINGJI_SECURITY__WATERMARK = 'false';
    const off = await startServer();
    delete process.env.YINGJI_SECURITY__WATERMARK;
    try {
      const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
      const page = await ctx.newPage();
      await login(page, off.base, 'admin');
      await page.goto(`${off.base}/users`);
      await page.waitForLoadState('networkidle');
      const s = await page.evaluate(async () => (await fetch('/api/v1/security/settings')).json());
      assert.equal(s.watermark, false);
      assert.equal(await page.getByTestId('watermark').count(), 0);
      await ctx.close();
    } finally {
      off.stop();
    }
  });
});
