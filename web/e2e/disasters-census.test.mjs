// 风险普查: the administrator downloads nothing but uploads a census GeoJSON (a school, an 易涝点,
// a shelter, and a house with a bad phone) on /disasters/census: the strict import stores nothing
// and lists the bad row first, naming the row and the column; 仅导入有效行 keeps the three, the
// counts per kind are drawn and the map link turns the layers on. On a 390 px phone the same
// check reads as cards. axe-core on each.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, apiGet, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/** A census file over the first grid of the demo district. */
async function censusFile(page) {
  const fc = await apiGet(page, '/api/v1/map/regions');
  const grid = fc.features.find((f) => f.properties.level === 'grid');
  const [lon, lat] = grid.properties.center;
  const code = grid.properties.code;
  const feature = (props) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { 区划代码: code, 责任人: '王普查', 责任人电话: '13900003001', ...props } });
  const body = {
    type: 'FeatureCollection',
    features: [
      feature({ 普查编码: 'E2E-SCH', 类型: '学校', 名称: '普查实验小学' }),
      feature({ 普查编码: 'E2E-WL', 类型: '易涝点', 名称: '普查路下穿通道' }),
      feature({ 普查编码: 'E2E-SH', 类型: '避难场所', 名称: '普查公园避难场所', 地址: '普查路2号', 场所类型: '固定避难场所', 可容纳人数: 1200 }),
      feature({ 普查编码: 'E2E-RES', 类型: '居民住房', 名称: '李家老屋', 责任人电话: '12345' }),
    ],
  };
  return { name: 'census.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(body)) };
}

describe('风险普查', () => {
  test('a census file with a bad row, then its valid rows, on the desktop', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'admin');
    await page.goto(`${server.base}/disasters/census`);
    await page.getByTestId('census-pick').waitFor();
    await accessible(page, 'the census page');
    await page.locator('input[type=file]').setInputFiles(await censusFile(page));
    await page.getByTestId('census-file').waitFor();
    await page.getByTestId('census-import').click();
    const summary = page.getByTestId('census-summary');
    await summary.getByText('未导入任何数据').waitFor();
    assert.match(await summary.innerText(), /错误 1/);
    const first = page.getByTestId('census-rows').locator('tbody tr').first();
    assert.match(await first.innerText(), /第4个要素的责任人电话/);
    assert.match(await first.innerText(), /错误/);
    await accessible(page, 'the census report with errors');
    await screenshot(page, 'disasters-census-errors-1280');
    await page.getByTestId('census-valid-only').click();
    await summary.getByText('已导入').waitFor();
    assert.match(await summary.innerText(), /新增 3/);
    await page.getByTestId('census-map-link').waitFor();
    await accessible(page, 'the census report');
    await screenshot(page, 'disasters-census-1280');
    const shelters = await apiGet(page, '/api/v1/shelters?q=普查公园');
    assert.equal(shelters.items[0].capacity, 1200);
    await page.getByTestId('census-map-link').click();
    await page.waitForURL(/\/map\?layers=/);
    await ctx.close();
  });

  test('the check on a 390 px phone reads as cards', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'duty');
    await page.goto(`${server.base}/disasters/census`);
    await page.locator('input[type=file]').setInputFiles(await censusFile(page));
    await page.getByTestId('census-check').click();
    await page.getByTestId('census-summary').getByText('错误 1').waitFor();
    await page.getByTestId('census-rows').getByText('第4个要素的责任人电话', { exact: false }).waitFor();
    await accessible(page, 'the census check on a phone');
    await screenshot(page, 'disasters-census-390');
    await ctx.close();
  });
});
