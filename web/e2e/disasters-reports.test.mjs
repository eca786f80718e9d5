// 灾情报送: the duty officer reads the demo's rainstorm process (four reports, 已核报) in the list
// and on its page with the 台账; registers a process through the API and files its 初报 with the
// report form; a grid worker (灾害信息员) files a 初报 for their township from a 390 px phone.
// axe-core on each page; screenshots at 1280 and 390 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, apiPost, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

async function newProcess(page) {
  const started = new Date(Date.now() - 30 * 60_000).toISOString();
  const r = await apiPost(page, '/api/v1/disasters/processes', { kind: 'flood', subtype: 'rainstorm', started_at: started, townships: ['360403001', '360403002'] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

async function fileInitial(page, affected) {
  await page.getByTestId('report-new').click();
  await page.getByTestId('report-form').waitFor();
  await page.getByTestId('report-row').first().getByTestId('fig-affected_people').fill(String(affected));
  await page.getByTestId('report-row').first().getByTestId('fig-loss_wan_yuan').fill('12.5');
  await page.getByTestId('report-description').fill('强降雨致低洼地带积水');
  await page.getByTestId('report-save').click();
  await page.getByTestId('report-item').first().waitFor();
}

describe('灾情报送', () => {
  test('the duty officer reads the demo process and files a 初报', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'duty');
    await page.goto(`${server.base}/disasters/reports`);
    const table = page.getByTestId('process-table');
    await table.locator('tbody tr').first().waitFor();
    assert.match(await table.innerText(), /7·10/);
    assert.match(await table.innerText(), /已核报/);
    await accessible(page, 'the process list');
    await screenshot(page, 'disasters-reports-1280');
    await table.getByTestId('process-open').first().click();
    await page.getByTestId('process-name').waitFor();
    await page.getByTestId('report-item').first().waitFor();
    assert.equal(await page.getByTestId('report-item').count(), 4);
    assert.match(await page.getByTestId('process-totals').innerText(), /4700/);
    await accessible(page, 'the process page');
    await screenshot(page, 'disasters-process-1280');
    await page.getByRole('tab', { name: '死亡失踪人口台账' }).click();
    await page.getByText('1101**********002X').waitFor();
    const id = await newProcess(page);
    await page.goto(`${server.base}/disasters/processes/${id}`);
    await page.getByTestId('process-countdown').waitFor();
    assert.match(await page.getByTestId('process-countdown').innerText(), /初报剩/);
    await fileInitial(page, 800);
    assert.match(await page.getByTestId('report-item').first().innerText(), /初报/);
    assert.match(await page.getByTestId('process-countdown').innerText(), /续报剩/);
    await screenshot(page, 'disasters-report-filed-1280');
    await ctx.close();
  });

  test('the street registers a 灾害信息员', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'street');
    await page.goto(`${server.base}/disasters/informants`);
    await page.getByTestId('informant-table').waitFor();
    await page.getByTestId('informant-new').click();
    await page.getByLabel('村（社区）代码').fill('360403001007');
    await page.getByLabel('姓名', { exact: true }).fill('周某');
    await page.getByLabel('电话', { exact: true }).fill('13912345678');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByTestId('informant-table').getByText('周某').waitFor();
    await accessible(page, 'the informants page');
    await screenshot(page, 'disasters-informants-1280');
    await ctx.close();
  });

  test('a 灾害信息员 files a 初报 from a 390 px phone', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'duty');
    const id = await newProcess(page);
    await ctx.clearCookies();
    await login(page, server.base, 'grid');
    await page.goto(`${server.base}/disasters/processes/${id}`);
    await page.getByTestId('process-name').waitFor();
    let w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `the page is ${w} px wide`);
    await accessible(page, 'the process page at 390 px');
    await screenshot(page, 'disasters-process-390');
    await page.getByTestId('report-new').click();
    await page.getByTestId('report-form').waitFor();
    await screenshot(page, 'disasters-report-form-390');
    await page.getByTestId('report-row').first().getByTestId('fig-affected_people').fill('60');
    await page.getByTestId('report-description').fill('社区低洼处积水，转移群众 12 人');
    await page.getByTestId('report-save').click();
    await page.getByTestId('report-item').first().waitFor();
    assert.match(await page.getByTestId('report-item').first().innerText(), /网格员/);
    w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `the page is ${w} px wide`);
    await screenshot(page, 'disasters-report-filed-390');
    await ctx.close();
  });
});
