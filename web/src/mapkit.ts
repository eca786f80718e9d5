// What every map page shares: a MapLibre map without a tile server (the region boundaries are the
// base map, so it works on an intranet), and fitting the view to a set of features.
import * as maplibregl from 'maplibre-gl';
import type { Map as MlMap } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';

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
export function fitFeatures(map: MlMap, features: GeoJSON.Feature[], animate = false) {
  let minX = 180, minY = 90, maxX = -180, maxY = -90;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      minX = Math.min(minX, c[0]); maxX = Math.max(maxX, c[0]);
      minY = Math.min(minY, c[1] as number); maxY = Math.max(maxY, c[1] as number);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const f of features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  if (minX < maxX) map.fitBounds([[minX, minY], [maxX, maxY]], { padding: 40, duration: animate ? 600 : 0 });
}

export type RegionFeature = GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, {
  code: string; name: string; level: string; parent_code: string | null; center: [number | null, number | null];
}>;
