// 每日安全承诺 and 准入负面清单: 应急局监管科 opens the 承诺公告板 (the demo has 7 days of
// commitments, some late or missing), filters it and opens a commitment; the enterprise user,
// made a committing one by the district's rules, fills today's form on a 390 px phone and sees it
// once submitted; the administrator edits the 准入负面清单 and the enterprise list tags a match.
// Screenshots at 1280 and 390 px; axe-core on each page: no critical or serious violation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, apiGet, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/** PUTs the district rules with `change` applied, as the page's session. */
async function changeRules(page, change) {
  return page.evaluate(async (c) => {
    const cur = await (await fetch('/api/v1/rules')).json();
    const rules = cur.rules;
    for (const [k, v] of Object.entries(c)) rules[k] = { ...rules[k], ...v };
    const r = await fetch('/api/v1/rules', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ region: cur.region_code, rules, note: 'e2e' }) });
    return r.status;
  }, change);
}

describe('每日安全承诺', () => {
  for (const [name, viewport] of [['1280', DESKTOP], ['390', PHONE]]) {
    test(`the department's board at ${name} px`, async () => {
      const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
      const page = await ctx.newPage();
      await login(page, server.base, 'yjj');
      const yesterday = new Date(Date.now() - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
      await page.goto(`${server.base}/credit/commitments?day=${yesterday}`);
      await page.getByTestId('board-required').waitFor();
      const required = Number(await page.getByTestId('board-required').innerText());
      assert.ok(required > 0, 'the demo has committing enterprises');
      const text = await page.getByTestId('commitments-board').innerText();
      assert.match(text, /已承诺/);
      assert.match(text, /未承诺/);
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(w <= viewport.width, `the page is ${w} px wide on a ${viewport.width} px screen`);
      await accessible(page, `the board at ${name} px`);
      await screenshot(page, `credit-commitments-board-${name}`);
      if (name === '1280') {
        await page.locator('[data-testid=board-table] .el-table__row').filter({ hasText: '已承诺' }).first().click();
        await page.getByTestId('commitment-detail').waitFor();
        const d = await page.getByTestId('commitment-detail').innerText();
        assert.match(d, /承诺人（主要负责人）/);
        assert.match(d, /装置运行情况/);
        await accessible(page, 'the commitment drawer');
        await screenshot(page, 'credit-commitment-detail-1280');
      }
      await ctx.close();
    });
  }

  test('the enterprise fills today\'s commitment on a phone', async () => {
    const admin = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const ap = await admin.newPage();
    await login(ap, server.base, 'enterprise');
    const own = (await apiGet(ap, '/api/v1/enterprises?page_size=1')).items[0];
    await login(ap, server.base, 'admin');
    assert.equal(await changeRules(ap, { credit_commitments: { categories: [...new Set(['hazchem', ...own.categories])] } }), 200);
    await admin.close();
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'enterprise');
    await page.goto(`${server.base}/credit/commitments/today`);
    await page.getByTestId('commitment-form').waitFor();
    await page.getByLabel('值班人员').fill('王五');
    await page.getByLabel('承诺人').fill('张三');
    await page.getByLabel('值班电话').fill('13800000001');
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `the form is ${w} px wide on a phone`);
    await accessible(page, 'the commitment form');
    await screenshot(page, 'credit-commitment-form-390');
    await page.getByTestId('commitment-submit').click();
    await page.getByTestId('commitment-detail').waitFor();
    const status = await page.getByTestId('commitment-status').innerText();
    assert.match(status, /已承诺|逾期补交/);
    assert.match(await page.getByTestId('commitment-detail').innerText(), /张三/);
    await accessible(page, 'today\'s commitment');
    await screenshot(page, 'credit-commitment-done-390');
    await ctx.close();
  });
});

describe('准入负面清单', () => {
  test('the administrator edits the catalogue; the enterprise list tags a match', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'admin');
    await page.goto(`${server.base}/prevention-rules`);
    await page.getByRole('tab', { name: '准入负面清单' }).click();
    await page.getByTestId('admission-add').click();
    await page.getByTestId('admission-save').click();
    await page.getByText('第1条：依据不能为空').first().waitFor();
    await page.getByLabel('第1条匹配内容').fill('C26');
    await page.getByLabel('第1条依据').fill('《九江市安全生产准入负面清单》第3条');
    await page.getByTestId('admission-save').click();
    await page.getByText(/已保存为第 \d+ 版/).waitFor();
    await accessible(page, 'the catalogue');
    await screenshot(page, 'credit-admission-rules-1280');
    await page.goto(`${server.base}/enterprises?q=化工`);
    await page.getByTestId('admission-tag').first().waitFor();
    await accessible(page, 'the enterprise list');
    await screenshot(page, 'credit-admission-list-1280');
    await ctx.close();
  });
});
