// 工作台, menus by role, the 消息中心 behind the bell, the 大屏 and the phone shell: three roles
// land on their own workbench with their own 待办 and menus; the bell opens the message centre and
// marking read works; the 大屏 at 1920×1080 shows its panels and refreshes by itself; at 390×844
// the menu overlays the page and field roles get a tab bar.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, apiPost, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

async function as(username, viewport = { width: 1440, height: 900 }) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await ctx.newPage();
  await login(page, server.base, username);
  return page;
}

const menuText = (page) => page.evaluate(() => [...document.querySelectorAll('[data-testid=menu]')].map((m) => m.textContent).join(' '));

describe('工作台', () => {
  test('commander, grid worker and enterprise land on their own workbench and menus', async () => {
    const roles = {
      commander: { todos: ['incident_reports', 'approve_warnings', 'approve_allocations', 'ack_alarms'], has: ['预案库', '应急资源', '综合态势大屏'], hasNot: ['用户管理', '审计日志'] },
      grid: { todos: ['answer_work_orders', 'reported_hazards'], has: ['隐患排查治理', '响应工单'], hasNot: ['用户管理', '预案库', '应急资源', '值班值守', '综合态势大屏', '事故统计'] },
      enterprise: { todos: ['ack_alarms', 'overdue_hazards', 'rectify_hazards'], has: ['隐患排查治理', '报警处置', '重大危险源'], hasNot: ['用户管理', '预案库', '值班值守', '响应工单', '综合态势大屏', '应急资源'] },
    };
    for (const [who, want] of Object.entries(roles)) {
      const page = await as(who);
      await page.waitForURL(/\/workbench$/);
      await page.locator('[data-testid=todo-total]').waitFor();
      for (const kind of want.todos) await page.locator(`[data-testid=todo-${kind}]`).waitFor();
      assert.equal(await page.locator('[data-testid^=figure-]').count(), 4, `${who}: four figures`);
      const text = await menuText(page);
      for (const label of want.has) assert.ok(text.includes(label), `${who} sees ${label}`);
      for (const label of want.hasNot) assert.ok(!text.includes(label), `${who} does not see ${label}`);
      await screenshot(page, `workbench-${who}`);
      // What the server lists is what the page shows.
      const wb = await apiGet(page, '/api/v1/workbench');
      const shown = await page.locator('[data-testid^=todo-]').evaluateAll((els) => els.map((e) => e.dataset.testid).filter((t) => t !== 'todo-total' && t !== 'todo-item'));
      assert.deepEqual([...shown].sort(), wb.todos.map((t) => `todo-${t.kind}`).sort());
      await page.context().close();
    }
  });

  test('a role is sent away from pages it does not use; an item opens its record', async () => {
    const grid = await as('grid');
    await grid.goto(`${server.base}/plans`);
    await grid.waitForURL(/\/workbench$/);
    await grid.goto(`${server.base}/screen`);
    await grid.waitForURL(/\/workbench$/);
    const me = await apiGet(grid, '/api/v1/auth/me');
    const r = await apiPost(grid, '/api/v1/hazards', { category: 'site', description: '楼道堆放电动车电池', location: '5栋一单元', region_code: me.user.region_code });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await grid.goto(`${server.base}/workbench`);
    const item = grid.locator('[data-testid=todo-reported_hazards] [data-testid=todo-item]').filter({ hasText: '楼道堆放电动车电池' });
    await item.waitFor();
    await item.click();
    await grid.waitForURL(/\/hazards\?id=/);
    await grid.locator('[data-testid=hazard-drawer]').getByText('楼道堆放电动车电池').first().waitFor();
    await screenshot(grid, 'workbench-item-opens-hazard');
    await grid.context().close();
  });
});

describe('消息中心', () => {
  test('the bell names its count, opens the message centre, and marking read works', async () => {
    // A hazard transferred to 住建局 tells its people: zjj has something unread.
    const yjj = await as('admin');
    const deps = await apiGet(yjj, '/api/v1/departments');
    const zj = (deps.items ?? deps).find((d) => d.name.includes('住房和城乡建设'));
    const ents = await apiGet(yjj, '/api/v1/enterprises?page_size=1');
    assert.ok(zj && ents.items?.length, JSON.stringify({ deps, ents }).slice(0, 300));
    for (const text of ['脚手架连墙件缺失', '塔吊限位失灵', '基坑临边无防护']) {
      const h = await apiPost(yjj, '/api/v1/hazards', { category: 'equipment', description: text, location: '工地', enterprise_id: ents.items[0].id });
      assert.equal(h.status, 201, JSON.stringify(h.body));
      const t = await apiPost(yjj, `/api/v1/hazards/${h.body.id}/actions/transfer`, { department_id: zj.id, note: '属住建领域' });
      assert.equal(t.status, 200, JSON.stringify(t.body));
    }
    await yjj.context().close();

    const page = await as('zjj');
    // The bell polls the count after the page loads.
    const bell = page.getByRole('button', { name: /^消息中心，[1-9]\d* 条未读$/ });
    await bell.waitFor();
    const before = Number((await bell.getAttribute('aria-label')).match(/(\d+)/)[1]);
    assert.ok(before >= 3, `unread ${before}`);
    await bell.click();
    await page.waitForURL(/\/messages$/);
    await page.locator('[data-testid=message]').first().waitFor();
    await screenshot(page, 'messages');
    // Unread first: the first row is unread.
    assert.ok(await page.locator('[data-testid=message]').first().evaluate((e) => e.classList.contains('unread')));
    await page.locator('[data-testid=mark-read]').first().click();
    await page.getByRole('button', { name: `消息中心，${before - 1} 条未读` }).waitFor();
    // By kind: 隐患 keeps the hazard notices.
    await page.getByRole('radio', { name: '隐患' }).click({ force: true }).catch(() => page.locator('label').filter({ hasText: /^隐患$/ }).click());
    await page.locator('[data-testid=message]').filter({ hasText: '转办' }).first().waitFor();
    // Opening one goes to its record.
    await page.locator('[data-testid=message] a.title').first().click();
    await page.waitForURL(/\/hazards\?id=/);
    await page.locator('[data-testid=hazard-drawer]').waitFor();
    await page.goto(`${server.base}/messages`);
    await page.locator('[data-testid=read-all]').click();
    await page.getByRole('button', { name: '消息中心，0 条未读' }).waitFor();
    await screenshot(page, 'messages-read');
    await page.context().close();
  });
});

describe('大屏', () => {
  test('at 1920×1080 the commander sees every panel, the map and the clock, refreshed without a mouse', async () => {
    const page = await as('commander', { width: 1920, height: 1080 });
    await page.goto(`${server.base}/screen`);
    const screen = page.locator('[data-testid=screen]');
    await screen.waitFor();
    for (const p of ['screen-alarms', 'screen-incidents', 'screen-warnings', 'screen-hazards', 'screen-resources']) {
      assert.ok(await page.locator(`[data-testid=${p}]`).isVisible(), p);
    }
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=screen]').dataset.refreshes) >= 1);
    await page.locator('.map[data-ready=true]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=screen-hazards] canvas').waitFor();
    assert.match(await page.locator('[data-testid=screen-clock]').innerText(), /\d{2}:\d{2}:\d{2}/);
    // The whole 1920×1080 design is on screen, nothing scrolls.
    const box = await screen.boundingBox();
    assert.ok(Math.abs(box.width - 1920) < 2 && Math.abs(box.height - 1080) < 2, JSON.stringify(box));
    await screenshot(page, 'screen-1920');
    // It refreshes by itself (every 15 s).
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=screen]').dataset.refreshes) >= 2, null, { timeout: 40_000 });
    // A smaller window scales the same design down.
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.waitForFunction(() => document.querySelector('[data-testid=screen]').getBoundingClientRect().width < 1300);
    await screenshot(page, 'screen-1280');
    await page.context().close();
  });
});

describe('手机外壳', () => {
  test('at 390×844 the menu overlays the page and a grid worker has the tab bar', async () => {
    const page = await as('grid', { width: 390, height: 844 });
    await page.waitForURL(/\/workbench$/);
    await page.locator('[data-testid=todo-total]').waitFor();
    const tabbar = page.locator('[data-testid=tabbar]');
    await tabbar.waitFor();
    assert.deepEqual((await tabbar.locator('a').allInnerTexts()).map((t) => t.trim()), ['工作台', '上报', '工单', '巡查', '我的']);
    // Nothing wider than the phone.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no horizontal scroll');
    const header = await page.locator('.header').boundingBox();
    assert.ok(header.width <= 390);
    await screenshot(page, 'phone-workbench');
    const mainBefore = await page.locator('.main').boundingBox();
    await page.getByRole('button', { name: '打开菜单' }).click();
    const drawer = page.locator('.menu-drawer');
    await drawer.waitFor();
    await page.waitForTimeout(400);
    const mainAfter = await page.locator('.main').boundingBox();
    assert.equal(mainAfter.x, mainBefore.x, 'the page is not pushed');
    assert.ok((await drawer.boundingBox()).width < 390);
    await screenshot(page, 'phone-menu');
    await drawer.getByText('隐患排查治理').click().catch(async () => { await drawer.getByText('双重预防').click(); await drawer.getByText('隐患排查治理').click(); });
    await page.waitForURL(/\/hazards/);
    await tabbar.getByText('工单').click();
    await page.waitForURL(/\/work-orders/);
    await screenshot(page, 'phone-work-orders-tab');
    await page.context().close();
    // A commander on a phone has the overlay menu but no field tab bar.
    const commander = await as('commander', { width: 390, height: 844 });
    await commander.locator('[data-testid=todo-total]').waitFor();
    assert.equal(await commander.locator('[data-testid=tabbar]').count(), 0);
    await screenshot(commander, 'phone-workbench-commander');
    await commander.context().close();
  });
});
