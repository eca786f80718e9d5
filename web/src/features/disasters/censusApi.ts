// 风险普查 (issue 23 item 1): the census results imported into the 承灾体 and resource registers,
// with a report per row, counts per kind, and the colours the map draws each kind in.
import { api, type Schemas } from '../../kernel/http';
import { CLASS_COLOURS } from '../../shell/mapLayers';

export type CensusKind = Schemas['CensusKind'];
export type CensusReport = Schemas['CensusImportReport'];
export type CensusRow = Schemas['CensusRowReport'];

export const IMPORT_URL = '/api/v1/disasters/census/import';
export const TEMPLATE_URL = '/api/v1/disasters/census/template';
export const listKinds = () => api.get<CensusKind[]>('/api/v1/disasters/census/kinds');

/** The 减灾能力 kinds' map layers and colours (the 承灾体 kinds take the 承灾体 layer's). */
const REGISTER_COLOURS: Record<string, string> = { team: '#c62828', shelter: '#2e7d32', warehouse: '#e65100' };
export const kindColour = (kind: string) => REGISTER_COLOURS[kind] ?? CLASS_COLOURS.protected_objects?.[kind] ?? '#607d8b';

/** The map with the census layers on. */
export const MAP_LINK = { path: '/map', query: { layers: 'protected_objects,shelters,teams,warehouses' } };

/** The request's content type by the file's name. */
export function contentType(name: string): string {
  const n = name.toLowerCase();
  if (n.endsWith('.geojson') || n.endsWith('.json')) return 'application/geo+json';
  if (n.endsWith('.csv')) return 'text/csv';
  if (n.endsWith('.xls')) return 'application/vnd.ms-excel';
  return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
}

export const OUTCOME_TAGS: Record<string, 'success' | 'primary' | 'danger'> = { created: 'success', updated: 'primary', error: 'danger' };
