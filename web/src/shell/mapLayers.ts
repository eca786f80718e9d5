// The 一张图's layers as the console draws them: a colour per legend class, what a click card
// shows, and the page a record opens in. The layers, their classes and counts come from the
// server (GET /api/v1/map/layers); only the palette and the card's fields live here.
import type { ExpressionSpecification, Map as MlMap } from 'maplibre-gl';
import { RISK_COLOURS, formatTime } from '../kernel/session';

export const CLASS_COLOURS: Record<string, Record<string, string>> = {
  enterprises: { major_hazard: '#b71c1c', other: '#1e88e5' },
  major_hazards: { l1: '#b71c1c', l2: '#e65100', l3: '#f9a825', l4: '#1565c0' },
  risk_points: RISK_COLOURS,
  hazards: { overdue: '#8e0038', major: '#e53935', general: '#fb8c00' },
  protected_objects: {
    special_person: '#00897b', nursing_home: '#00897b', school: '#00897b', hospital: '#00897b',
    geohazard: '#6d4c41', waterlogging: '#0277bd', dangerous_house: '#6d4c41', deep_pit: '#6d4c41',
    construction: '#616161', tower_crane: '#616161', billboard: '#616161', outdoor_work: '#616161',
    crowded_place: '#5e35b1', hazchem_enterprise: '#5e35b1',
    reservoir: '#01579b', dike: '#0288d1', flash_flood: '#00838f', forest_fire_zone: '#2e7d32',
    residence: '#8d6e63', bridge: '#455a64', road: '#78909c',
  },
  warnings: { red: '#d32f2f', orange: '#f57c00', yellow: '#fbc02d', blue: '#1976d2' },
  incidents: { extra_major: '#4a148c', major: '#b71c1c', larger: '#e65100', general: '#f9a825' },
  sensors: { alarming: '#d32f2f', offline: '#9e9e9e', online: '#43a047' },
  teams: { standby: '#c62828', dispatched: '#ff7043', resting: '#bcaaa4', unavailable: '#757575' },
  experts: { available: '#6a1b9a', dispatched: '#ce93d8' },
  warehouses: { district: '#e65100', street: '#fb8c00', community: '#ffb74d' },
  shelters: { open: '#2e7d32', closed: '#a5d6a7' },
  grid_overlays: { emergency: '#c62828', safety: '#b35400' },
  forest_areas: { l5: '#c62828', l4: '#c2410c', l3: '#f9a825', l2: '#1565c0', l1: '#2e7d32', none: '#90a4ae' },
};

/** Layers whose features are areas (drawn filled and outlined), not points. */
export const AREA_LAYERS = new Set(['warnings', 'forest_areas', 'grid_overlays']);

export const colourOf = (layer: string, cls: string) => CLASS_COLOURS[layer]?.[cls] ?? '#607d8b';

/** The MapLibre colour expression of a layer: by the feature's `class`. */
export function classColour(layer: string): ExpressionSpecification {
  const m: unknown[] = ['match', ['get', 'class']];
  for (const [k, v] of Object.entries(CLASS_COLOURS[layer] ?? {})) m.push(k, v);
  m.push('#607d8b');
  return m as ExpressionSpecification;
}

type Fmt = (v: unknown, p: Record<string, unknown>) => string;
const time: Fmt = (v) => formatTime(typeof v === 'number' ? v : null);
const people: Fmt = (v) => (v == null ? '' : `${v} 人`);
/** A stored code list `,a,b,` as `a、b`. */
const list: Fmt = (v) => String(v ?? '').split(',').filter(Boolean).join('、');

/** The card of a feature: figures (label, property, format) and the page of its record. */
export const CARDS: Record<string, { fields: [string, string, Fmt?][]; link: (p: Record<string, unknown>) => { path: string; query?: Record<string, string> } }> = {
  major_hazards: {
    fields: [['编号', 'code'], ['企业', 'enterprise_name'], ['R 值', 'r_value'], ['危险化学品', 'chemicals'], ['责任人', 'responsible_name'], ['电话', 'responsible_phone']],
    link: () => ({ path: '/major-hazards' }),
  },
  risk_points: {
    fields: [['单位', 'enterprise_name'], ['位置', 'location'], ['危险因素', 'hazard_factors'], ['评价', 'score', (v, p) => `${String(p.method ?? '').toUpperCase()} ${v ?? ''}`], ['责任人', 'responsible_name']],
    link: () => ({ path: '/risk-points' }),
  },
  hazards: {
    fields: [['编号', 'code'], ['等级', 'level_label'], ['状态', 'status_label'], ['逾期', 'overdue', (v) => (v ? '已逾期' : '否')], ['隐患描述', 'description'], ['整改期限', 'deadline'], ['整改责任人', 'responsible_name']],
    link: (p) => ({ path: '/hazards', query: { q: String(p.code ?? '') } }),
  },
  protected_objects: {
    fields: [['类型', 'kind_label'], ['地址', 'address'], ['责任人', 'responsible_name'], ['电话', 'responsible_phone']],
    link: () => ({ path: '/protected-objects' }),
  },
  forest_areas: {
    fields: [['面积（公顷）', 'area_ha'], ['感知覆盖（公顷）', 'covered_ha'], ['今日火险等级', 'level', (v) => (v ? `${v}级` : '未发布')]],
    link: () => ({ path: '/disasters/forest' }),
  },
  grid_overlays: {
    fields: [['类型', 'kind_label'], ['编码', 'code']],
    link: () => ({ path: '/grid/overlays' }),
  },
  warnings: {
    fields: [['事件', 'event_text'], ['区域', 'area_desc'], ['发布单位', 'sender_name'], ['生效', 'effective_ms', time], ['有效至', 'expires_ms', time]],
    link: () => ({ path: '/warnings' }),
  },
  incidents: {
    fields: [['编号', 'code'], ['地点', 'location'], ['发生时间', 'occurred_ms', time], ['死亡', 'deaths', people], ['失踪', 'missing', people], ['被困', 'trapped', people], ['重伤', 'serious_injuries', people]],
    link: (p) => ({ path: `/incidents/${String(p.id)}` }),
  },
  sensors: {
    fields: [['编号', 'code'], ['监测对象', 'object_name'], ['报警级别', 'active_levels', (v) => String(v ?? '').replace(/OFFLINE/g, '离线') || '无'], ['最近数据', 'last_ms', time]],
    link: () => ({ path: '/alarms' }),
  },
  teams: {
    fields: [['类型', 'kind_label'], ['人数', 'headcount', people], ['专长', 'specialties', list], ['负责人', 'leader'], ['电话', 'phone'], ['驻地', 'base_address']],
    link: () => ({ path: '/resources' }),
  },
  experts: {
    fields: [['职称', 'title'], ['单位', 'employer'], ['专长', 'specialties', list], ['电话', 'phone']],
    link: () => ({ path: '/resources' }),
  },
  warehouses: {
    fields: [['地址', 'address'], ['物资品种', 'stock_lines', (v) => `${v ?? 0} 种`], ['管理员', 'manager'], ['电话', 'phone']],
    link: () => ({ path: '/resources' }),
  },
  shelters: {
    fields: [['类型', 'kind_label'], ['容量', 'capacity', people], ['在住', 'occupancy', people], ['地址', 'address'], ['管理员', 'manager'], ['电话', 'phone']],
    link: () => ({ path: '/resources' }),
  },
};

/** Layers MapView draws itself (enterprises by category, with region counts). */
export const OWN_DRAWN = new Set(['enterprises']);

/** Adds the sources and map layers of one server layer: points, cells, or (warnings) areas. */
export function addServerLayer(map: MlMap, key: string, before?: string) {
  const src = `L-${key}`;
  map.addSource(src, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  const colour = classColour(key);
  if (AREA_LAYERS.has(key)) {
    map.addLayer({ id: `${src}-fill`, type: 'fill', source: src, paint: { 'fill-color': colour, 'fill-opacity': 0.16 } }, before);
    map.addLayer({ id: src, type: 'line', source: src, paint: { 'line-color': colour, 'line-width': 2.5 } }, before);
    return;
  }
  const first = Object.values(CLASS_COLOURS[key] ?? {})[0] ?? '#607d8b';
  map.addLayer({ id: `${src}-cluster`, type: 'circle', source: src, filter: ['has', 'count'],
    paint: { 'circle-color': first, 'circle-opacity': 0.8, 'circle-radius': ['interpolate', ['linear'], ['get', 'count'], 1, 10, 200, 20, 2000, 30], 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 } }, before);
  map.addLayer({ id: `${src}-count`, type: 'symbol', source: src, filter: ['has', 'count'],
    layout: { 'text-field': ['to-string', ['get', 'count']], 'text-size': 11, 'text-font': ['sans-serif'] }, paint: { 'text-color': '#fff' } }, before);
  const big = key === 'incidents' || key === 'warnings';
  const ring = key === 'hazards' ? ['case', ['==', ['get', 'class'], 'overdue'], '#000000', '#ffffff'] : key === 'incidents' ? '#212121' : '#ffffff';
  map.addLayer({ id: src, type: 'circle', source: src, filter: ['!', ['has', 'count']],
    paint: {
      'circle-color': colour,
      'circle-radius': big ? 10 : key === 'hazards' ? ['case', ['==', ['get', 'class'], 'overdue'], 6.5, 5] : 6,
      'circle-stroke-color': ring as ExpressionSpecification,
      'circle-stroke-width': big ? 3 : key === 'hazards' ? ['case', ['==', ['get', 'class'], 'overdue'], 2, 1.2] : 1.5,
    } }, before);
}

/** The map layer ids of a server layer (for visibility and clicks). */
export const layerIds = (key: string) => (AREA_LAYERS.has(key) ? [`L-${key}-fill`, `L-${key}`] : [`L-${key}-cluster`, `L-${key}-count`, `L-${key}`]);
