// 联合检查 and the 一公开 outcomes in the console: 住建局 (zjj) has an item and is in its pool; the
// 局长 (commander) opens 执法监管 › 联合检查, is told which field is wrong when only one department
// is chosen, then arranges a joint inspection of the bureau and 住建局 with 张明 and 住建局安全科 —
// the task is listed; the tab on a 390 px phone. The public page (no login) shows each drawn
// enterprise's outcome of the demo's year (检查日期, 检查结果). axe-core: nothing critical or serious.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, apiGet, apiPost, login, screenshot, settled, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

async function context(viewport) {
  const phone = viewport === PHONE;
  return browser.newContext({ viewport, locale: 'zh-CN', isMobile: phone, hasTouch: phone });
}

async function fitsThePhone(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= PHONE.width, `${what}: the page is ${w} px wide on a ${PHONE.width} px screen`);
}

/** Picks an option of an open Element Plus select by its text. */
async function pick(page, text) {
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

describe('联合检查', () => {
  test('the leader arranges a joint inspection; the public page shows outcomes', async () => {
    // 住建局: an item with 检查内容 and its 安全科 in the pool.
    const z = await context(DESKTOP);
    const zp = await z.newPage();
    await login(zp, server.base, 'zjj');
    const item = await apiPost(zp, '/api/v1/enforcement/items', { name: '建筑施工安全检查', legal_basis: '《建设工程安全生产管理条例》', method: 'special', content: '脚手架搭设、临边防护' });
    assert.equal(item.status, 201, JSON.stringify(item.body));
    const people = await apiGet(zp, '/api/v1/enforcement/people');
    const me = people.items[0];
    const reg = await apiPost(zp, '/api/v1/enforcement/inspectors', { user_id: me.user_id, cert_no: 'ZJJ-E2E-001', cert_valid_until: '2030-12-31' });
    assert.equal(reg.status, 201, JSON.stringify(reg.body));
    await z.close();

    const ctx = await context(DESKTOP);
    const page = await ctx.newPage();
    await login(page, server.base, 'commander');
    const ents = await apiGet(page, '/api/v1/enterprises?page_size=5');
    const enterprise = ents.items[0].name;
    await page.goto(`${server.base}/enforcement?tab=joint`);
    await page.getByTestId('joint-table').waitFor();
    await page.getByTestId('new-joint').click();
    const dialog = page.getByTestId('joint-dialog');
    await dialog.getByTestId('joint-enterprise').click();
    await page.keyboard.type(enterprise.slice(0, 4));
    await pick(page, enterprise);
    await dialog.getByTestId('joint-items').click();
    await pick(page, '工贸企业安全生产监督检查');
    await page.keyboard.press('Escape');
    await dialog.getByTestId('joint-team').click();
    await pick(page, '执法队员张明');
    await page.keyboard.press('Escape');
    await dialog.getByTestId('joint-submit').click();
    await dialog.locator('.el-form-item__error', { hasText: /2 至 8/ }).waitFor();
    await dialog.locator('.el-form-item__error', { hasText: /执法人员应为/ }).waitFor();
    await settled(page);
    await screenshot(page, 'enforcement-joint-form');
    await dialog.getByTestId('joint-items').click();
    await pick(page, '建筑施工安全检查');
    await page.keyboard.press('Escape');
    await dialog.getByTestId('joint-team').click();
    await pick(page, me.display_name);
    await page.keyboard.press('Escape');
    await dialog.getByTestId('joint-submit').click();
    await page.getByTestId('joint-table').locator('tbody tr', { hasText: enterprise }).waitFor();
    await settled(page);
    await screenshot(page, 'enforcement-joint-desktop');
    await accessible(page, 'the 联合检查 tab');
    await ctx.close();

    const phone = await context(PHONE);
    const pp = await phone.newPage();
    await login(pp, server.base, 'commander');
    await pp.goto(`${server.base}/enforcement?tab=joint`);
    await pp.getByTestId('joint-table').locator('tbody tr', { hasText: enterprise }).waitFor();
    await fitsThePhone(pp, 'the 联合检查 tab');
    await settled(pp);
    await screenshot(pp, 'enforcement-joint-phone');
    await accessible(pp, 'the 联合检查 tab on a phone');
    await phone.close();

    // The public page: the past published draw's enterprises with their outcomes.
    for (const viewport of [PHONE, DESKTOP]) {
      const pctx = await context(viewport);
      const pub = await pctx.newPage();
      await pub.goto(`${server.base}/public/draws`);
      const outcomes = pub.getByTestId('public-outcome');
      await outcomes.first().waitFor();
      const text = await pub.getByTestId('public-draws').innerText();
      assert.match(text, /检查日期：\d{4}-\d{2}-\d{2}/);
      assert.match(text, /未发现问题|发现隐患 \d+ 项/);
      const past = pub.getByTestId('public-draw').nth(1);
      await past.scrollIntoViewIfNeeded();
      await accessible(pub, `/public/draws at ${viewport.width} px`);
      if (viewport === PHONE) await fitsThePhone(pub, '/public/draws');
      await screenshot(pub, viewport === PHONE ? 'enforcement-outcomes-phone' : 'enforcement-outcomes-desktop');
      await pctx.close();
    }
  });
});
