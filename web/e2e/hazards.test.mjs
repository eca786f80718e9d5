// The whole 重大隐患 loop in the browser: the enterprise reports → a criterion makes it 重大 →
// the department grades and lists it → the deadline passes (test clock) → the escalation step
// shows → plan, evaluation, rectification → the department's review closes and delists it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(['--test-clock']); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

async function as(username) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  await login(page, server.base, username);
  return page;
}

// Element Plus puts attributes on the inner input/textarea, or on a wrapper for some widgets.
const field = (id) => `input[data-testid=${id}], textarea[data-testid=${id}], [data-testid=${id}] input, [data-testid=${id}] textarea`;

const day = (n) => new Date(Date.now() + n * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

async function openHazard(page, code) {
  await page.goto(`${server.base}/hazards`);
  await page.locator('[data-testid=hazard-table] tr', { hasText: code }).first().click();
  await page.locator('[data-testid=hazard-drawer]').getByText(code).first().waitFor();
}

async function act(page, action, fill = async () => {}) {
  await page.click(`[data-testid=action-${action}]`);
  const dialog = page.locator('[data-testid=action-dialog]');
  await dialog.waitFor();
  await fill(dialog);
  await page.click('[data-testid=act-submit]');
  await dialog.waitFor({ state: 'hidden' });
}

async function date(dialog, value) {
  const input = dialog.getByPlaceholder('选择日期').first();
  await input.fill(value);
  await input.press('Enter');
}

describe('隐患闭环', () => {
  test('重大隐患: report, grade by criterion, list, escalate, rectify, review, delist', async () => {
    const ent = await as('enterprise');
    await ent.goto(`${server.base}/hazards`);
    await ent.click('[data-testid=report-hazard]');
    await ent.fill(field('hazard-description'), '二号车间电工未持证上岗');
    await ent.click('[data-testid=criteria-select]');
    await ent.locator('.el-select-dropdown__item:visible', { hasText: 'HG-2017-02' }).click();
    await ent.keyboard.press('Escape');
    await screenshot(ent, 'hazard-report');
    await ent.click('[data-testid=submit-report]');
    const drawer = ent.locator('[data-testid=hazard-drawer]');
    await drawer.getByText('重大隐患').first().waitFor();
    const code = (await drawer.locator('.el-drawer__title, header').first().innerText()).trim().split(/\s/)[0];
    assert.match(code, /^YH\d{10}/);

    // The department that supervises this enterprise (else the bureau chief).
    const cats = await ent.evaluate(async () => JSON.stringify((await (await fetch('/api/v1/enterprises')).json()).items[0].categories));
    const regulator = /hazchem|mining|industry_trade|fireworks/.test(cats) ? 'yjj' : /construction|gas/.test(cats) ? 'zjj' : 'commander';
    const gov = await as(regulator);
    await openHazard(gov, code);
    await act(gov, 'grade', async (d) => { await date(d, day(5)); await d.locator(field('act-responsible')).fill('李四'); });
    await act(gov, 'list', async (d) => {
      await d.locator(field('act-body')).fill('区安委办');
      await d.locator(field('act-doc')).fill('浔安督〔2026〕1号');
      await date(d, day(3));
    });
    await gov.locator('[data-testid=listing]').getByText('督办中').waitFor();

    // The listing deadline passes: the 函告 step fires from the durable timer.
    const admin = await as('admin');
    const moved = await admin.evaluate(async () => (await fetch('/api/v1/test/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance_days: 5 }) })).json());
    assert.ok(moved.now, JSON.stringify(moved));
    // Five days on, the earlier sessions have idled out: sign in again.
    await login(gov, server.base, regulator);
    await login(ent, server.base, 'enterprise');
    let fired = false;
    for (let i = 0; i < 20 && !fired; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const list = await gov.evaluate(async (c) => (await (await fetch(`/api/v1/hazards?q=${c}`)).json()).items[0].id, code);
      const d = await gov.evaluate(async (id) => (await fetch(`/api/v1/hazards/${id}`)).json(), list);
      fired = d.listings[0].escalations.some((e) => e.step_label === '函告');
    }
    assert.ok(fired, 'escalation step 函告 fired');
    await openHazard(gov, code);
    await gov.locator('[data-testid=listing]').getByText('函告 ✓').waitFor();
    await gov.locator('.el-timeline').getByText('督办升级').first().waitFor();
    await screenshot(gov, 'hazard-escalated');

    // Rectification by the enterprise: plan (six items), evaluation, then the request to close.
    await openHazard(ent, code);
    await act(ent, 'submit_plan', async (d) => {
      for (const k of ['goal', 'methods', 'funds_materials', 'organisation', 'timeline', 'safety_measures']) await d.locator(field(`plan-${k}`)).fill(`${k}：已落实`);
    });
    await act(ent, 'evaluate', async (d) => {
      await d.locator(field('act-evaluator')).fill('王工（注册安全工程师）');
      await d.locator(field('act-conclusion')).fill('整改到位');
    });
    await act(ent, 'submit_rectification', async (d) => { await d.locator(field('act-note')).fill('电工均已取证'); });
    await ent.locator('[data-testid=hazard-status]').getByText('待验收').waitFor();

    // The department's review closes it and takes the listing down.
    await openHazard(gov, code);
    await act(gov, 'accept', async (d) => { await d.locator(field('act-note')).fill('现场核查通过'); });
    await gov.locator('[data-testid=hazard-status]').getByText('已验收销号').waitFor();
    await gov.locator('[data-testid=listing]').getByText('已摘牌').waitFor();
    await screenshot(gov, 'hazard-closed');
    for (const p of [ent, gov, admin]) await p.context().close();
  });

  test('public report form: no login, a tracking code, progress lookup', async () => {
    const ctx = await browser.newContext({ viewport: { width: 420, height: 860 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await page.goto(`${server.base}/report`);
    await page.click('[data-testid=pub-region]');
    await page.locator('.el-select-dropdown__item:visible').first().click();
    await page.fill(field('pub-location'), '滨江路12号北门');
    await page.fill(field('pub-description'), '消防通道被车辆长期占用');
    await page.click('[data-testid=pub-submit]');
    const code = (await page.locator('[data-testid=tracking-code]').innerText()).trim();
    assert.equal(code.length, 12);
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('.el-step__title', { hasText: '已受理' }).first().waitFor();
    await screenshot(page, 'public-report');
    await ctx.close();
  });

  test('regional four-colour map drills down to risk points; the dashboard charts the hazards', async () => {
    const page = await as('admin');
    await page.goto(`${server.base}/risk-map`);
    await page.locator('[data-ready=true]').waitFor();
    const total = async (level) => Number(await page.locator(`[data-testid=risk-total-${level}]`).innerText());
    assert.ok((await total('major')) > 0, 'the demo district has 重大 risk points');
    await screenshot(page, 'risk-map');
    // District → the street with the highest risk (listed first) → its first community.
    await page.locator('[data-testid^=risk-region-]').first().click();
    await page.locator('.el-breadcrumb__item').nth(1).waitFor();
    await page.locator('[data-testid^=risk-region-]').first().click();
    await page.locator('.el-breadcrumb__item').nth(2).waitFor();
    await page.waitForFunction(() => window.__yingjiMap.querySourceFeatures('points').length > 0);
    const sum = (await total('major')) + (await total('large')) + (await total('general')) + (await total('low'));
    assert.ok(sum > 0, 'the community shows its risk points');
    await screenshot(page, 'risk-map-community');

    // An enterprise's own four-colour map starts at its grid, with its risk points.
    const ent = await as('enterprise');
    await ent.goto(`${server.base}/risk-map`);
    await ent.locator('[data-ready=true]').waitFor();
    await ent.waitForFunction(() => window.__yingjiMap.querySourceFeatures('points').length > 0);
    await screenshot(ent, 'risk-map-enterprise');
    await ent.context().close();

    await page.goto(`${server.base}/hazard-stats`);
    await page.locator('[data-testid=kpi-open-major]').waitFor();
    await page.locator('canvas').first().waitFor();
    assert.match(await page.locator('[data-testid=kpi-rate]').innerText(), /%$/);
    assert.match(await page.locator('[data-testid=figures-at]').innerText(), /统计截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await page.waitForTimeout(800); // the charts' entry animation
    await screenshot(page, 'hazard-stats');
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=stats-export]')]);
    assert.match(file.suggestedFilename(), /\.xlsx$/);
    await page.context().close();
  });

  test('district rules: a bad band is refused by field, a good one becomes a new version', async () => {
    const page = await as('admin');
    await page.goto(`${server.base}/prevention-rules`);
    // The demo may already hold versions (the 森林防火 settings are part of the same rules).
    const header = page.locator('[data-testid=rules-form] .el-card__header');
    await header.getByText(/第 \d+ 版|国家默认值/).first().waitFor();
    const before = Number((/第 (\d+) 版/.exec(await header.innerText()) ?? [0, 0])[1]);
    const major = page.locator(field('lec-major'));
    await major.fill('abc');
    await page.click('[data-testid=rules-save]');
    await page.locator('[data-testid=rules-form] .el-form-item__error').first().waitFor();
    await major.fill('300');
    // The 考评 threshold of 执法统计 is one more field of the same versioned rules.
    const zero = page.locator(field('stats-zero_penalty_min_inspections'));
    await zero.fill('10');
    await page.click('[data-testid=rules-save]');
    await page.getByText(`第 ${before + 1} 版`).first().waitFor();
    assert.equal(await zero.inputValue(), '10');
    await screenshot(page, 'prevention-rules');
    await page.getByRole('tab', { name: '重大隐患判定标准' }).click();
    await page.locator('[data-testid=criteria-table] tr', { hasText: 'HG-2017-01' }).waitFor();
    await page.context().close();
  });
});
