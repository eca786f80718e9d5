// 执法监管 in the console: 应急局监管科 (yjj) opens 执法监管 from the menu, finds the demo's published
// draw and runs 复核 (复核一致); a ratio over 100 % is refused next to its field; a draw with seed 42
// and 3 enterprises gives each a team of two inspectors, and is published. The public page shows
// it without a login and its 复核 agrees. 执法队员张明 (zfry) on a 390×844 phone finds his tasks as
// cards from the 工作台. A grid worker has no 执法监管. axe-core on every new page: no critical or
// serious violation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, login, screenshot as shoot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const DEMO_DRAW = '2026年第四季度工贸企业“双随机”抽查';
const NEW_DRAW = '浏览器测试：工贸企业专项抽查';

async function context(viewport) {
  const phone = viewport === PHONE;
  return browser.newContext({ viewport, locale: 'zh-CN', isMobile: phone, hasTouch: phone });
}

/** No toast (a toast fading in or out is read by axe-core at part opacity, and hides the title). */
async function noToasts(page) {
  await page.waitForFunction(() => !document.querySelector('.el-message'));
}

/** A screenshot once the toasts are gone and the drawers have slid in. */
async function screenshot(page, name) {
  await noToasts(page);
  await page.waitForFunction(() => [...document.querySelectorAll('.el-drawer.rtl')].map((d) => d.getBoundingClientRect()).every((r) => !r.width || Math.abs(r.right - window.innerWidth) < 1));
  await shoot(page, name);
}

/** A form field by its test id (Element Plus puts the id on the input or on its wrapper). */
const field = (id) => `input[data-testid=${id}], [data-testid=${id}] input`;

/** Nothing wider than the phone's screen. */
async function fitsThePhone(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= PHONE.width, `${what}: the page is ${w} px wide on a ${PHONE.width} px screen`);
}

describe('执法监管', () => {
  test('复核 of the demo draw, a new draw with seed 42, published, on the public page; tasks on the phone', async () => {
    const ctx = await context(DESKTOP);
    const page = await ctx.newPage();
    await login(page, server.base, 'yjj');

    // The menu: 执法监管 → 双随机与名录库.
    const menu = page.getByTestId('menu');
    await menu.getByText('执法监管', { exact: true }).click();
    await menu.getByText('双随机与名录库').click();
    await page.waitForURL(/\/enforcement$/);
    const draws = page.getByTestId('draw-table');
    const demo = draws.locator('.el-table__body tr', { hasText: DEMO_DRAW });
    await demo.waitFor();
    await demo.getByText('已公开').waitFor();
    await accessible(page, '/enforcement (双随机抽取)');
    await screenshot(page, 'enforcement-draws-desktop');

    // 复核 of the demo draw.
    await demo.click();
    const drawer = page.getByTestId('draw-drawer');
    await drawer.getByTestId('draw-hash').waitFor();
    assert.match(await drawer.getByTestId('draw-hash').innerText(), /^[0-9a-f]{64}$/);
    assert.equal(await drawer.getByTestId('draw-seed-value').innerText(), '20261201');
    await drawer.getByTestId('verify').click();
    await drawer.getByTestId('verify-result').getByText(/复核一致/).waitFor();
    assert.match(await drawer.getByTestId('verify-result').getAttribute('class'), /el-alert--success/);
    await accessible(page, 'the draw drawer');
    await screenshot(page, 'enforcement-verify-desktop');
    await drawer.getByRole('button', { name: /关闭/ }).click();
    await drawer.waitFor({ state: 'hidden' });

    // A ratio over 100 % is refused next to its field, nothing drawn.
    await page.getByTestId('new-draw').click();
    const dialog = page.getByTestId('draw-dialog');
    await page.locator(field('draw-title')).fill(NEW_DRAW);
    await dialog.getByText('按比例').click();
    await page.locator(field('draw-ratio')).fill('150');
    await page.getByTestId('draw-submit').click();
    const ratioItem = dialog.locator('.el-form-item', { hasText: '抽查比例' });
    await ratioItem.locator('.el-form-item__error').waitFor();
    await accessible(page, 'the 发起抽取 dialog');
    await screenshot(page, 'enforcement-draw-form-desktop');

    // Seed 42, 3 enterprises, teams of two.
    await dialog.getByText('按数量').click();
    const count = page.locator(field('draw-count'));
    await count.fill('3');
    await count.blur();
    await page.locator(field('draw-seed')).fill('42');
    await page.getByTestId('draw-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    await drawer.getByText(NEW_DRAW).waitFor();
    assert.equal(await drawer.getByTestId('draw-seed-value').innerText(), '42');
    const picks = drawer.getByTestId('draw-pick');
    assert.equal(await picks.count(), 3);
    for (let i = 0; i < 3; i++) {
      const team = picks.nth(i).getByTestId('team-member');
      assert.equal(await team.count(), 2, `enterprise ${i + 1} has a team of two`);
      assert.match(await team.first().innerText(), /执法证 \d+/);
    }
    assert.equal(await drawer.getByTestId('draw-published').innerText(), '未公开');

    // 公开, after a confirmation.
    await drawer.getByTestId('publish').click();
    await page.locator('.el-message-box').getByRole('button', { name: '公开' }).click();
    await drawer.getByTestId('draw-published').getByText(/已公开/).waitFor();
    assert.equal(await drawer.getByTestId('publish').count(), 0);
    await screenshot(page, 'enforcement-new-draw-desktop');
    await drawer.getByRole('button', { name: /关闭/ }).click();
    await draws.locator('.el-table__body tr', { hasText: NEW_DRAW }).getByText('已公开').waitFor();

    // The catalogue and the pool (王强's 回避 as a tag).
    await page.getByRole('tab', { name: '执法事项目录' }).click();
    await page.getByTestId('item-table').getByText('工贸企业安全生产监督检查').waitFor();
    assert.equal(await page.getByTestId('item-table').locator('.el-table__body tr').count(), 3);
    await accessible(page, '/enforcement?tab=items');
    await screenshot(page, 'enforcement-items-desktop');
    await page.getByRole('tab', { name: '执法人员名录库' }).click();
    const pool = page.getByTestId('inspector-table');
    await pool.getByText('执法队员王强').waitFor();
    assert.equal(await pool.locator('.el-table__body tr').count(), 4);
    assert.equal(await pool.locator('.el-table__body tr', { hasText: '执法队员王强' }).getByTestId('conflict-tag').count(), 1);

    // 续期 with a last day already past: 已过期 in red.
    const yjj = pool.locator('.el-table__body tr', { hasText: '应急局监管科' });
    await yjj.getByRole('button', { name: '续期' }).click();
    const renew = page.getByTestId('inspector-dialog');
    await renew.getByText('执法证续期：应急局监管科').waitFor();
    const until = renew.locator('.el-form-item', { hasText: '有效期至' }).locator('input');
    await until.fill('2020-01-01');
    await until.press('Enter');
    await page.getByTestId('inspector-submit').click();
    await renew.waitFor({ state: 'hidden' });
    await yjj.getByTestId('cert-expired').waitFor();
    assert.match(await yjj.getByTestId('cert-expired').getAttribute('class'), /el-tag--danger/);

    // A 回避 for 张明, the enterprise found by a search.
    const zhang = pool.locator('.el-table__body tr', { hasText: '执法队员张明' });
    await zhang.getByTestId('add-conflict').click();
    const conflict = page.getByTestId('conflict-dialog');
    await page.getByTestId('conflict-submit').click();
    await conflict.locator('.el-form-item__error').first().waitFor();
    await page.locator(field('conflict-enterprise')).fill('纺织');
    await page.locator('.el-select-dropdown__item:visible').first().click();
    await page.locator(field('conflict-reason')).fill('曾在该企业任职');
    await page.getByTestId('conflict-submit').click();
    await conflict.waitFor({ state: 'hidden' });
    await zhang.getByTestId('conflict-tag').waitFor();
    await accessible(page, '/enforcement?tab=inspectors');
    await screenshot(page, 'enforcement-inspectors-desktop');

    // The department's tasks (a table at desktop width).
    await page.goto(`${server.base}/enforcement/tasks`);
    await page.getByTestId('task-table').locator('.el-table__body tr').first().waitFor();
    await accessible(page, '/enforcement/tasks (部门)');
    await screenshot(page, 'enforcement-tasks-desktop');

    // The same page on a phone: no wider than the screen.
    await page.setViewportSize(PHONE);
    await page.goto(`${server.base}/enforcement`);
    await draws.locator('.el-table__body tr', { hasText: NEW_DRAW }).waitFor();
    await fitsThePhone(page, '/enforcement');
    await accessible(page, '/enforcement at 390 px');
    await screenshot(page, 'enforcement-draws-phone');
    await page.getByRole('tab', { name: '执法人员名录库' }).click();
    await pool.locator('.el-table__body tr').first().waitFor();
    await fitsThePhone(page, '/enforcement?tab=inspectors');
    await accessible(page, '/enforcement?tab=inspectors at 390 px');
    await screenshot(page, 'enforcement-inspectors-phone');
    await page.getByRole('tab', { name: '双随机抽取' }).click();
    await draws.locator('.el-table__body tr', { hasText: NEW_DRAW }).click();
    await drawer.getByTestId('draw-pick').first().waitFor();
    await fitsThePhone(page, '/enforcement, the drawer');
    await screenshot(page, 'enforcement-draw-phone');
    await ctx.close();

    // The public page, without a login: both draws, the newest open, its 复核 agrees.
    for (const viewport of [PHONE, DESKTOP]) {
      const pctx = await context(viewport);
      const pub = await pctx.newPage();
      await pub.goto(`${server.base}/public/draws`);
      const cards = pub.getByTestId('public-draw');
      await cards.first().getByText(NEW_DRAW).waitFor();
      assert.equal(await cards.count(), 3, 'the new draw, the demo draw and the demo year’s published draw');
      assert.equal(await cards.first().getByTestId('draw-pick').count(), 3);
      await cards.first().getByTestId('verify').click();
      await cards.first().getByTestId('verify-result').getByText(/复核一致/).waitFor();
      assert.equal(pub.url(), `${server.base}/public/draws`, 'no login asked');
      await accessible(pub, `/public/draws at ${viewport.width} px`);
      if (viewport === PHONE) await fitsThePhone(pub, '/public/draws');
      await screenshot(pub, viewport === PHONE ? 'enforcement-public-phone' : 'enforcement-public-desktop');
      await pctx.close();
    }

    // 执法队员张明 on a phone: 我的检查任务 from the 工作台, as cards.
    const zctx = await context(PHONE);
    const zf = await zctx.newPage();
    await login(zf, server.base, 'zfry');
    await zf.getByTestId('shortcut-enforcement-tasks').click();
    await zf.waitForURL(/\/enforcement\/tasks$/);
    const tasks = zf.getByTestId('task-table').locator('.el-table__body tr');
    await tasks.first().waitFor();
    assert.ok(await tasks.count() >= 1);
    const card = tasks.first();
    assert.match(await card.innerText(), /执法队员张明/);
    assert.match(await card.getByTestId('task-status').innerText(), /待检查/);
    assert.equal(await zf.getByTestId('task-table').locator('.el-table__header-wrapper').isVisible(), false, 'cards, not a table');
    await fitsThePhone(zf, '/enforcement/tasks');
    await accessible(zf, '/enforcement/tasks (执法人员, 390 px)');
    await screenshot(zf, 'enforcement-tasks-phone');
    // The tab bar's fourth tab is 检查 for an inspector.
    assert.equal(await zf.getByTestId('tabbar').getByText('检查', { exact: true }).count(), 1);
    await zctx.close();
  });

  test('a grid worker has no 执法监管', async () => {
    const ctx = await context(DESKTOP);
    const page = await ctx.newPage();
    await login(page, server.base, 'grid');
    assert.equal(await page.getByTestId('menu').getByText('执法监管').count(), 0);
    await page.goto(`${server.base}/enforcement`);
    await page.waitForURL(/\/workbench$/);
    await ctx.close();
  });
});
