// 预警发布: a 暴雨橙色预警 is drafted over part of the district (drawn on the map), submitted,
// approved by a second person, and shown on the public page without login with its CAP 1.2.
// (Targeting, work orders and 叫应 of the responsible persons are still to come: issue 5.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

async function as(username) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  await login(page, server.base, username);
  return page;
}

const field = (id) => `input[data-testid=${id}], textarea[data-testid=${id}], [data-testid=${id}] input, [data-testid=${id}] textarea`;

describe('预警发布', () => {
  test('a warning drawn on the map is approved by a second person and shown to the public', async () => {
    const commander = await as('commander');
    await commander.goto(`${server.base}/warnings`);
    await commander.waitForFunction(() => window.__yingjiMap?.loaded() && window.__yingjiMap.getSource('draw'));
    await commander.click('[data-testid=new-warning]');
    await commander.locator('[data-testid=warning-dialog]').waitFor();
    await commander.click('[data-testid=w-draw]');
    await commander.getByText('在地图上依次点击预警区域的各个顶点').waitFor();
    // Four clicks around the district's centre make the polygon.
    const box = await commander.locator('[data-testid=warning-map]').boundingBox();
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
    // The dialog has faded out once the map's canvas is what a click at the centre reaches.
    await commander.waitForFunction(([x, y]) => document.elementFromPoint(x, y)?.tagName === 'CANVAS', [cx, cy]);
    for (const [dx, dy] of [[-60, -40], [60, -40], [60, 40], [-60, 40]]) await commander.mouse.click(cx + dx, cy + dy);
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
    const admin = await as('admin');
    await admin.goto(`${server.base}/warnings`);
    await admin.locator('[data-testid=warning-approve]').click();
    await admin.locator('[data-testid=warning-table]').getByText('已发布').waitFor();
    await admin.getByText('当前生效预警').waitFor();
    await admin.waitForTimeout(500);
    await screenshot(admin, 'warnings');

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
});
