// 应急资源: teams, experts, warehouses and their stock ledgers, shelters, allocation orders, the
// code lists and the material catalogue.
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type Team = Schemas['Team'];
export type Expert = Schemas['Expert'];
export type Warehouse = Schemas['Warehouse'];
export type Shelter = Schemas['Shelter'];
export type StockLine = Schemas['StockLine'];
export type Movement = Schemas['Movement'];
export type Order = Schemas['Order'];
export type OrderLine = Schemas['OrderLine'];
export type ResourceMeta = Schemas['ResourceMeta'];
export type SearchResult = Schemas['SearchResult'];
export type SearchHit = Schemas['SearchHit'];
/** A located resource of any register, as the forms edit it. */
export type Resource = Team | Expert | Warehouse | Shelter;

export const resourceMeta = () => api.get<ResourceMeta>('/api/v1/resources/meta');

// The registers.
export const listTeams = (params: Record<string, unknown>) => api.get<List<Team>>(`/api/v1/teams${qs(params)}`);
export const listExperts = (params: Record<string, unknown>) => api.get<List<Expert>>(`/api/v1/experts${qs(params)}`);
export const listWarehouses = () => api.get<List<Warehouse>>('/api/v1/warehouses?page_size=200');
export const listShelters = (params: Record<string, unknown>) => api.get<List<Shelter>>(`/api/v1/shelters${qs(params)}`);
/** `path` is the register's collection (`/api/v1/teams`, …), as the form's table names it. */
export const createResource = (path: string, body: unknown) => api.post<Resource>(path, body);
export const updateResource = (path: string, id: string, body: unknown) => api.put<Resource>(`${path}/${id}`, body);

// Stock and its ledger.
export const listStock = (params: Record<string, unknown>) => api.get<List<StockLine>>(`/api/v1/stock${qs(params)}`);
export const createStockLine = (body: unknown) => api.post<StockLine>('/api/v1/stock', body);
export const updateStockLine = (id: string, body: unknown) => api.put<StockLine>(`/api/v1/stock/${id}`, body);
export const stockMovements = (id: string) => api.get<Movement[]>(`/api/v1/stock/${id}/movements`);
export const recordMovement = (id: string, body: { kind: string; quantity: number; note?: string }) => api.post<StockLine>(`/api/v1/stock/${id}/movements`, body);

// Shelters: people in and out, opening and closing.
export const shelterMovement = (id: string, body: { kind: string; people?: number }) => api.post<Shelter>(`/api/v1/shelters/${id}/movements`, body);

// Allocation orders.
export const listOrders = (params: Record<string, unknown>) => api.get<List<Order>>(`/api/v1/allocation-orders${qs(params)}`);
export const getOrder = (id: string) => api.get<Order>(`/api/v1/allocation-orders/${id}`);
export const createOrder = (body: unknown) => api.post<Order>('/api/v1/allocation-orders', body);
export const orderAction = (id: string, body: { action: string; quantities?: number[]; note?: string }) => api.post<Order>(`/api/v1/allocation-orders/${id}/actions`, body);

// Search around a point (the command view).
export const searchResources = (params: URLSearchParams) => api.get<SearchResult>(`/api/v1/resources/search?${params}`);
