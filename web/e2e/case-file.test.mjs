// 立案 and the case's documents in the console: 应急局监管科 (yjj) opens 行政处罚案件 → 立案, an
// empty form is refused by field (承办人, 案由, 当事企业), then files a complaint case against a
// searched enterprise with two 承办人 and its legal basis; the new case opens in the drawer.
// On a demo case in 告知 the drawer offers the documents that state allows and records the
// party's waiver of 陈述申辩. 法制审核员赵敏 (fzsh) lands on 待我审核. On a 390 px phone the form fits.
// axe-core on the form and the drawer: no critical or serious violation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, login, screenshot as shoot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

async function context(viewport) {
  const phone = viewport === PHONE;
  return browser.newContext({ viewport, locale: 'zh-CN', isMobile: phone, hasTouch: phone });
}

/** Picks `label` in the el-select of the form item labelled `item`. */
async function choose(page, scope, item, label) {
  await scope.locator('.el-form-item', { hasText: item }).locator('.el-select__wrapper').click();
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: label }).first().click();
}

describe('立案 and case documents', () => {
  test('the bureau files a case from a complaint', async () => {
    const ctx = await context(DESKTOP);
    const page = await ctx.newPage();
    await login(page, server.base, 'yjj');
    await page.goto(`${server.base}/enforcement/cases`);
    await page.getByTestId('case-board').getByTestId('case-card').first().waitFor();
    await page.getByTestId('case-file').click();
    const form = page.getByTestId('case-form');
    await form.getByTestId('case-title').waitFor();
    await form.getByTestId('case-source').getByText('投诉举报').click();
    // Nothing filled: refused by field, nothing stored.
    await form.getByTestId('case-form-submit').click();
    await form.locator('.el-form-item', { hasText: '承办人' }).locator('.el-form-item__error').getByText(/承办人不得少于两人/).waitFor();
    await form.locator('.el-form-item', { hasText: '案由' }).locator('.el-form-item__error').waitFor();
    await form.getByRole('textbox', { name: '来源编号' }).fill('JB-2026-0042');
    // The enterprise by search.
    const ent = form.locator('[data-testid=case-enterprise] input');
    await ent.click();
    await ent.fill('有限');
    await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').first().click();
    await form.getByTestId('case-title').fill('未按规定如实记录安全生产教育和培训情况');
    await choose(page, form, '承办人', '张明');
    await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '李华' }).first().click();
    await page.keyboard.press('Escape');
    await form.getByTestId('case-facts').fill('群众举报该单位新员工未经培训上岗，经核查属实。');
    await form.getByTestId('case-basis').fill('《中华人民共和国安全生产法》第九十七条');
    await accessible(page, 'the 立案 form');
    await shoot(page, 'enforcement-case-form-desktop');
    await form.getByTestId('case-form-submit').click();
    const drawer = page.getByTestId('case-drawer');
    await drawer.getByTestId('case-state').getByText('立案').waitFor();
    await drawer.getByText('《中华人民共和国安全生产法》第九十七条').waitFor();
    await drawer.getByTestId('case-issue-case_approval').waitFor();
    await ctx.close();
  });

  test('a notified case: its documents and the waiver of 陈述申辩', async () => {
    const ctx = await context(DESKTOP);
    const page = await ctx.newPage();
    await login(page, server.base, 'zfry');
    await page.goto(`${server.base}/enforcement/cases`);
    await page.getByTestId('case-column-notified').getByTestId('case-card').first().click();
    const drawer = page.getByTestId('case-drawer');
    await drawer.getByTestId('case-documents').waitFor();
    assert.equal(await drawer.getByTestId('case-issue-penalty_notice').count(), 1);
    assert.equal(await drawer.getByTestId('case-issue-penalty_decision').count(), 0, 'no 决定书 before the decision');
    // 开具 a 陈述申辩笔录 for this case: the dialog opens on the case and kind.
    await drawer.getByTestId('case-issue-statement_record').click();
    const dialog = page.getByTestId('document-dialog');
    // The case's label replaces its id once the dialog has loaded the cases.
    await dialog.getByTestId('document-case').filter({ hasText: /告知/ }).waitFor();
    await dialog.getByRole('button', { name: '取消' }).click();
    await choose(page, drawer, '办案步骤', '记录陈述申辩');
    await drawer.getByTestId('case-waived').click();
    await accessible(page, 'the case drawer with its documents');
    await shoot(page, 'enforcement-case-documents-desktop');
    await drawer.getByTestId('case-submit').click();
    await drawer.getByTestId('case-statement').getByText('放弃陈述申辩').waitFor();
    await drawer.locator('.el-timeline-item', { hasText: '记录陈述申辩' }).waitFor();
    await ctx.close();
  });

  test('the 法制审核员 lands on 待我审核; the form fits a phone', async () => {
    const ctx = await context(DESKTOP);
    const page = await ctx.newPage();
    await login(page, server.base, 'fzsh');
    await page.goto(`${server.base}/enforcement/cases`);
    await page.getByTestId('case-todo').waitFor();
    await page.getByTestId('case-column-reviewing').getByTestId('case-card').first().waitFor();
    assert.equal(await page.getByTestId('case-column-closed').getByTestId('case-card').count(), 0);
    assert.equal(await page.getByTestId('case-file').count(), 0, 'a reviewer does not file');
    await ctx.close();

    const phone = await context(PHONE);
    const p = await phone.newPage();
    await login(p, server.base, 'yjj');
    await p.goto(`${server.base}/enforcement/cases`);
    await p.getByTestId('case-file').click();
    await p.getByTestId('case-form').getByTestId('case-title').waitFor();
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `the form is ${width} px wide on a ${PHONE.width} px screen`);
    await accessible(p, 'the 立案 form on a phone');
    await shoot(p, 'enforcement-case-form-phone');
    await phone.close();
  });
});
