// 网格事件 — overlay grids: the demo's 应急格 and 安监格 on the console's map (1280 px), a new one
// pasted as GeoJSON, an overlapping one refused naming the other; the grid worker's 我的网格 on a
// 390 px phone with their grids, counts and patrol tasks, finishing one. axe-core on each page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, apiGet, apiPost, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

const square = (c, d) => ({ type: 'Polygon', coordinates: [[[c[0] - d, c[1] - d], [c[0] + d, c[1] - d], [c[0] + d, c[1] + d], [c[0] - d, c[1] + d], [c[0] - d, c[1] - d]]] });

describe('应急格与安监格', () => {
  test('the console page: demo overlays, a pasted one, an overlap refused', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'street');
    await page.goto(`${server.base}/grid/overlays`);
    await page.getByTestId('overlay-row').first().waitFor();
    const before = await page.getByTestId('overlay-row').count();
    assert.ok(before >= 2, `demo overlays: ${before}`);
    // A new 应急格 where none lies: find a point of the street outside the demo's emergency grids.
    const me = (await apiGet(page, '/api/v1/auth/me')).user;
    const grids = (await apiGet(page, `/api/v1/regions?level=grid`)).items.filter((g) => g.code.startsWith(me.region_code));
    let free = null;
    for (const g of grids) {
      const l = await apiGet(page, `/api/v1/grid/locate?lon=${g.center[0]}&lat=${g.center[1]}`);
      if (!l.items.some((x) => x.kind === 'emergency')) { free = g.center; break; }
    }
    assert.ok(free, 'a grid without an emergency overlay');
    await page.getByTestId('overlay-new').click();
    await page.getByTestId('overlay-code').fill('YJ-E2E-01');
    await page.getByTestId('overlay-name').fill('测试应急格');
    await page.getByTestId('overlay-boundary').fill(JSON.stringify(square(free, 0.0004)));
    await page.getByTestId('overlay-save').click();
    await page.getByTestId('overlay-row').filter({ hasText: '测试应急格' }).waitFor();
    // Overlapping it: refused, naming it.
    const r = await apiPost(page, '/api/v1/grid/overlays', { code: 'YJ-E2E-02', name: '重叠应急格', kind: 'emergency', street_code: me.region_code, boundary: square(free, 0.0002) });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /测试应急格/);
    await accessible(page, 'the overlays page');
    await screenshot(page, 'grid-overlays-1280');
    await page.getByTestId('overlay-row').first().getByTestId('overlay-members').click();
    await page.getByTestId('member-pick').waitFor();
    await accessible(page, 'the members dialog');
    await page.keyboard.press('Escape');
    // 巡查任务: the list and the dialog that gives one.
    await page.goto(`${server.base}/grid/patrol-tasks`);
    await page.getByTestId('task-row').first().waitFor();
    await page.getByTestId('task-new').click();
    await page.getByTestId('task-title').waitFor();
    await accessible(page, 'the patrol task dialog');
    await screenshot(page, 'grid-patrol-tasks-1280');
    await ctx.close();
    // The overlays page on a phone: the map above the list, nothing sideways.
    const phone = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    await login(p, server.base, 'street');
    await p.goto(`${server.base}/grid/overlays`);
    await p.getByTestId('overlay-row').first().waitFor();
    assert.ok(await p.evaluate(() => document.documentElement.scrollWidth) <= 390);
    await accessible(p, 'the overlays page on a phone');
    await screenshot(p, 'grid-overlays-390');
    await phone.close();
  });

  test('我的网格 on the phone: grids, counts, a patrol task finished', async () => {
    const phone = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    await login(p, server.base, 'grid');
    await p.goto(`${server.base}/grid/mine`);
    await p.getByTestId('my-grid').first().waitFor();
    const grids = await p.getByTestId('my-grid').allInnerTexts();
    assert.ok(grids.some((g) => g.includes('综合网格')), grids.join(','));
    assert.ok(grids.some((g) => g.includes('应急格') || g.includes('安监格')), grids.join(','));
    await p.getByTestId('my-task').first().waitFor();
    assert.ok(await p.getByTestId('my-task').count() >= 2);
    const open = p.getByTestId('my-task').filter({ hasText: '待巡查' }).first();
    await open.getByTestId('task-finish').click();
    await p.getByTestId('my-task').filter({ hasText: '沿街店铺' }).filter({ hasText: '已完成' }).waitFor();
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scroll: ${width}`);
    await accessible(p, 'my grids');
    await screenshot(p, 'grid-mine-390');
    await phone.close();
  });
});
