// What every map page shares: a MapLibre map without a tile server (the region boundaries are the
// base map, so it works on an intranet), and fitting the view to a set of features.
import * as maplibregl from 'maplibre-gl';
import type { Map as MlMap } from 'maplibre-gl';
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

export function createMap(container: HTMLElement): MlMap {
  const map = new maplibregl.Map({
    container,
    style: { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#e8eef4' } }] },
    center: [116.0, 29.7], zoom: 11, attributionControl: false, maxPitch: 0,
  });
  // Browser tests wait on and inspect the map through this handle.
  (window as unknown as Record<string, unknown>).__yingjiMap = map;
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
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
  map.addLayer({ id: 'base-fill', type: 'fill', source: 'base-regions', filter: ['==', ['get', 'level'], 'street'], paint: { 'fill-color': '#f4f7fb', 'fill-opacity': 0.9 } });
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
