// What every map page shares: a MapLibre map on the bureau's base map (ADR 0022) — vector or
// raster tiles the server serves from its tile file, or the online source it is configured with
// (天地图 or the bureau's GIS) — and fitting the view to a set of features. Labels use local fonts
// (no glyph server), so the map works on an intranet.
import * as maplibregl from 'maplibre-gl';
import type { LayerSpecification, Map as MlMap, SourceSpecification } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { api, qs, type Schemas } from './http';
import { session } from './session';

/** The regions as GeoJSON (the document gives these answers no schema: they are GeoJSON). */
export const mapRegions = (url = '/api/v1/map/regions') => api.get<GeoJSON.FeatureCollection>(url);
/** Enterprises in a box: points, or clusters (`kind` says which) at low zoom. */
export const mapEnterprises = (params: { bbox: string; zoom: string; max_points: number }) =>
  api.get<GeoJSON.FeatureCollection & { kind: string }>(`/api/v1/map/enterprises${qs(params)}`);

maplibregl.setWorkerUrl(workerUrl);

/** What `/api/v1/map/basemap` answers: the file's tiles, or the online source's. */
export type Basemap = Schemas['Basemap'];

const LAND = '#f3f1ec';
const WATER = '#a9cbe6';
const nameOf = ['coalesce', ['get', 'name:zh'], ['get', 'name']];

/** The vector base map's layers, in the OpenMapTiles schema (the demo map and planetiler's output). */
function vectorLayers(): LayerSpecification[] {
  const src = { source: 'basemap' } as const;
  const road = (cls: string[], colour: string, w: number, min: number): LayerSpecification => ({
    id: `basemap-road-${cls[0]}`, type: 'line', ...src, 'source-layer': 'transportation', minzoom: min,
    filter: ['in', ['get', 'class'], ['literal', cls]],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': colour, 'line-width': ['interpolate', ['exponential', 1.5], ['zoom'], 8, w * 0.3, 16, w * 4] },
  });
  return [
    { id: 'basemap-landcover', type: 'fill', ...src, 'source-layer': 'landcover', filter: ['in', ['get', 'class'], ['literal', ['wood', 'grass', 'farmland']]], paint: { 'fill-color': '#e3ecd9', 'fill-opacity': 0.6 } },
    { id: 'basemap-park', type: 'fill', ...src, 'source-layer': 'park', paint: { 'fill-color': '#dcead2', 'fill-opacity': 0.6 } },
    { id: 'basemap-water', type: 'fill', ...src, 'source-layer': 'water', paint: { 'fill-color': WATER } },
    { id: 'basemap-waterway', type: 'line', ...src, 'source-layer': 'waterway', layout: { 'line-cap': 'round' },
      paint: { 'line-color': WATER, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, ['match', ['get', 'class'], 'river', 1.2, 0.6], 14, ['match', ['get', 'class'], 'river', 4, 1.5]] } },
    { id: 'basemap-building', type: 'fill', ...src, 'source-layer': 'building', minzoom: 14, paint: { 'fill-color': '#e2ddd5' } },
    road(['minor', 'service', 'track', 'path'], '#ffffff', 0.8, 13),
    road(['secondary', 'tertiary'], '#fdf6d8', 1.2, 10),
    road(['trunk', 'primary'], '#fbe3a6', 1.6, 8),
    road(['motorway'], '#f6c27a', 2, 7),
    road(['rail', 'transit'], '#b8b8b8', 0.6, 10),
    { id: 'basemap-boundary', type: 'line', ...src, 'source-layer': 'boundary', filter: ['<=', ['get', 'admin_level'], 8],
      paint: { 'line-color': '#9b96ad', 'line-width': ['match', ['get', 'admin_level'], 2, 1.6, 4, 1.2, 0.8], 'line-dasharray': [3, 2] } },
    { id: 'basemap-road-name', type: 'symbol', ...src, 'source-layer': 'transportation_name', minzoom: 14,
      layout: { 'symbol-placement': 'line', 'text-field': nameOf as never, 'text-size': 11, 'text-font': ['sans-serif'] },
      paint: { 'text-color': '#7a6e5a', 'text-halo-color': '#fff', 'text-halo-width': 1 } },
    { id: 'basemap-water-name', type: 'symbol', ...src, 'source-layer': 'place', filter: ['==', ['get', 'class'], 'water'],
      layout: { 'text-field': nameOf as never, 'text-size': 13, 'text-font': ['sans-serif'], 'text-letter-spacing': 0.2 },
      paint: { 'text-color': '#3f78a8', 'text-halo-color': 'rgba(255,255,255,0.8)', 'text-halo-width': 1 } },
    { id: 'basemap-water-name-omt', type: 'symbol', ...src, 'source-layer': 'water_name',
      layout: { 'text-field': nameOf as never, 'text-size': 13, 'text-font': ['sans-serif'] },
      paint: { 'text-color': '#3f78a8', 'text-halo-color': 'rgba(255,255,255,0.8)', 'text-halo-width': 1 } },
    { id: 'basemap-place', type: 'symbol', ...src, 'source-layer': 'place', filter: ['!=', ['get', 'class'], 'water'],
      layout: { 'text-field': nameOf as never, 'text-size': ['match', ['get', 'class'], ['city', 'district'], 14, 12], 'text-font': ['sans-serif'] },
      paint: { 'text-color': '#5c5a66', 'text-halo-color': '#fff', 'text-halo-width': 1.4 } },
  ];
}

const absolute = (t: string) => (t.startsWith('/') ? `${location.origin}${t}` : t);

const described = new Map<boolean, Promise<Basemap | null>>();
/** The base map's description, asked once per page load (null when it cannot be had). */
function basemap(isPublic: boolean): Promise<Basemap | null> {
  let p = described.get(isPublic);
  if (!p) {
    p = fetch(isPublic ? '/api/public/map/basemap' : '/api/v1/map/basemap', { credentials: 'same-origin' })
      .then((r) => (r.ok ? (r.json() as Promise<Basemap>) : null))
      .catch(() => null);
    described.set(isPublic, p);
  }
  return p;
}

/** The datum of a point picked on the base map, as the APIs' `datum` field takes it. */
export async function basemapDatum(isPublic = false): Promise<string> {
  return (await basemap(isPublic))?.datum || 'cgcs2000';
}

/** Puts the base map under whatever the page has drawn (or draws later). */
async function addBasemap(map: MlMap, isPublic: boolean, styleReady: Promise<unknown>) {
  const b = await basemap(isPublic);
  if (!b || b.kind === 'none' || !b.layers.length) return;
  await styleReady;
  const before = map.getStyle().layers.find((l) => l.id !== 'bg' && !l.id.startsWith('basemap-'))?.id;
  const range = { minzoom: b.min_zoom, maxzoom: Math.max(b.max_zoom, b.min_zoom), ...(b.bounds ? { bounds: b.bounds as [number, number, number, number] } : {}) };
  if (b.kind === 'vector') {
    map.addSource('basemap', { type: 'vector', tiles: b.layers[0]!.tiles.map(absolute), attribution: b.attribution, ...range } as SourceSpecification);
    map.setPaintProperty('bg', 'background-color', LAND);
    // The licence stays one tap away (the "i" button) instead of covering a phone's map.
    map.once('idle', () => map.getContainer().querySelector('.maplibregl-compact-show')?.classList.remove('maplibregl-compact-show'));
    for (const l of vectorLayers()) map.addLayer(l, before);
  } else {
    b.layers.forEach((l, i) => {
      const id = i === 0 ? 'basemap' : `basemap-${l.id}`;
      map.addSource(id, { type: 'raster', tiles: l.tiles.map(absolute), tileSize: 256, ...(i === 0 ? { attribution: b.attribution } : {}), ...range });
      map.addLayer({ id: `basemap-${l.id}-layer`, type: 'raster', source: id }, before);
    });
  }
}

/** A map on the base map; `public` pages (no session) ask the public base-map endpoints. */
export function createMap(container: HTMLElement, opts: { public?: boolean } = {}): MlMap {
  const map = new maplibregl.Map({
    container,
    style: { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#e8eef4' } }] },
    center: [116.0, 29.7], zoom: 11, attributionControl: false, maxPitch: 0,
  });
  // Browser tests wait on and inspect the map through this handle.
  (window as unknown as Record<string, unknown>).__yingjiMap = map;
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  map.addControl(new maplibregl.AttributionControl({ compact: true }), 'bottom-right');
  // MapLibre opens the compact attribution expanded; on a phone it would cover the map's corner.
  if (container.clientWidth < 600) {
    map.once('load', () => container.querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show'));
  }
  // Taken before the page can register its own 'load' work, so that the base map goes under it.
  const styleReady = new Promise((resolve) => map.once('load', resolve));
  void addBasemap(map, opts.public ?? false, styleReady);
  return map;
}

/** Fits the map to the features' extent; does nothing for an empty list. */
export function fitFeatures(map: MlMap, features: GeoJSON.Feature[], animate = false, padding: number | { top: number; bottom: number; left: number; right: number } = 40) {
  let minX = 180, minY = 90, maxX = -180, maxY = -90;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      minX = Math.min(minX, c[0]); maxX = Math.max(maxX, c[0]);
      minY = Math.min(minY, c[1] as number); maxY = Math.max(maxY, c[1] as number);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const f of features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  if (minX < maxX) map.fitBounds([[minX, minY], [maxX, maxY]], { padding, duration: animate ? 600 : 0 });
}

export type RegionFeature = GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, {
  code: string; name: string; level: string; parent_code: string | null; center: [number | null, number | null];
}>;

/** The district, its streets and their names as the base of a small map; answers the features. */
export async function addRegionBase(map: MlMap, url = '/api/v1/map/regions'): Promise<GeoJSON.Feature[]> {
  const fc = await mapRegions(url);
  const top = fc.features.filter((f) => ['district', 'street'].includes(f.properties?.level));
  map.addSource('base-regions', { type: 'geojson', data: { type: 'FeatureCollection', features: top } });
  map.addLayer({ id: 'base-fill', type: 'fill', source: 'base-regions', filter: ['==', ['get', 'level'], 'street'], paint: { 'fill-color': '#f4f7fb', 'fill-opacity': 0.3 } });
  map.addLayer({ id: 'base-street', type: 'line', source: 'base-regions', filter: ['==', ['get', 'level'], 'street'], paint: { 'line-color': '#9aa5b1', 'line-width': 1 } });
  map.addLayer({ id: 'base-district', type: 'line', source: 'base-regions', filter: ['==', ['get', 'level'], 'district'], paint: { 'line-color': '#c62828', 'line-width': 2.4 } });
  const labels = top.filter((f) => f.properties?.level === 'street' && Array.isArray(f.properties?.center) && f.properties.center[0] != null)
    .map((f) => ({ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: f.properties!.center }, properties: { name: f.properties!.name } }));
  map.addSource('base-labels', { type: 'geojson', data: { type: 'FeatureCollection', features: labels } });
  map.addLayer({ id: 'base-label', type: 'symbol', source: 'base-labels', layout: { 'text-field': ['get', 'name'], 'text-size': 12, 'text-font': ['sans-serif'] }, paint: { 'text-color': '#7b8794', 'text-halo-color': '#fff', 'text-halo-width': 1.2 } });
  return top;
}

/** Colours of the resource kinds on every map: teams red, experts purple, warehouses orange, shelters green. */
export const RESOURCE_COLOURS: Record<string, string> = { team: '#c62828', expert: '#6a1b9a', warehouse: '#ef6c00', material: '#ef6c00', shelter: '#2e7d32', incident: '#212121' };
export const RESOURCE_LABELS: Record<string, string> = { team: '救援队伍', expert: '专家', warehouse: '储备库', material: '物资', shelter: '避难场所', incident: '事发地' };

/** A circle layer of points coloured by their `kind` property. */
export function addPointLayer(map: MlMap, id: string) {
  map.addSource(id, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  const colour: unknown[] = ['match', ['get', 'kind']];
  for (const [k, c] of Object.entries(RESOURCE_COLOURS)) colour.push(k, c);
  colour.push('#607d8b');
  map.addLayer({ id, type: 'circle', source: id, paint: {
    'circle-color': colour as never,
    'circle-radius': ['case', ['==', ['get', 'kind'], 'incident'], 11, ['boolean', ['get', 'highlight'], false], 9, 6],
    'circle-stroke-color': '#fff', 'circle-stroke-width': ['case', ['==', ['get', 'kind'], 'incident'], 3, 1.5],
  } });
}

export function points(items: { kind: string; lon: number; lat: number; [k: string]: unknown }[]): GeoJSON.FeatureCollection {
  return { type: 'FeatureCollection', features: items.map((i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [i.lon, i.lat] }, properties: { ...i } })) };
}

// ---- 一张图 layers and the caller's own area (helper maplayers; createMap above is basemap's) ----

/** A legend class of a layer, with the records the caller may see. */
export type MapLegendClass = Schemas['MapLegendClass'];
/** A layer of the 一张图 the caller may turn on (GET /api/v1/map/layers). */
export type MapLayerInfo = Schemas['MapLayer'];
/** A layer's features (the document gives GeoJSON no schema): points, or counts per cell. */
export type MapLayerData = GeoJSON.FeatureCollection & { layer: string; kind: 'points' | 'clusters'; total: number; legend: MapLegendClass[] };

export const mapLayerList = () => api.get<MapLayerInfo[]>('/api/v1/map/layers');
export const mapLayer = (key: string, params: { bbox?: string; zoom?: string; max_points?: number }) =>
  api.get<MapLayerData>(`/api/v1/map/layers/${encodeURIComponent(key)}${qs(params)}`);

export type Bounds = [[number, number], [number, number]];

/** About 1 km around an enterprise: its own premises and neighbours. */
function around(lon: number, lat: number, km = 1): Bounds {
  const dLat = km / 111;
  const dLon = dLat / Math.max(Math.cos((lat * Math.PI) / 180), 0.2);
  return [[lon - dLon, lat - dLat], [lon + dLon, lat + dLat]];
}

/**
 * The caller's own area from the session's scope: an enterprise user's enterprise (a point and
 * about 1 km around it), else the bounds of the user's region (district for the bureau and
 * departments, the street, the grid); null for a caller without one (an administrator).
 */
export async function homeBounds(): Promise<Bounds | null> {
  const user = session.user;
  if (!user) return null;
  try {
    if (user.enterprise_id) {
      const e = await api.get<{ lon?: number | null; lat?: number | null }>(`/api/v1/enterprises/${encodeURIComponent(user.enterprise_id)}`);
      if (e.lon != null && e.lat != null) return around(e.lon, e.lat);
    }
    if (user.region_code) {
      const r = await api.get<{ bbox?: number[] | null }>(`/api/v1/regions/${encodeURIComponent(user.region_code)}`);
      if (r.bbox?.length === 4) return [[r.bbox[0], r.bbox[1]], [r.bbox[2], r.bbox[3]]];
    }
  } catch {
    // An area the caller cannot read: the page fits to what it shows instead.
  }
  return null;
}

/** Opens the map on the caller's own area; false when there is none (fit to the data instead). */
export async function fitHome(map: MlMap, animate = false, padding: number | { top: number; bottom: number; left: number; right: number } = 40): Promise<boolean> {
  const b = await homeBounds();
  if (!b) return false;
  map.fitBounds(b, { padding, duration: animate ? 600 : 0 });
  return true;
}
