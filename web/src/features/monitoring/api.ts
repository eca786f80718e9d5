// 监测预警: sensors and their trends, alarms and their 叫应, MQTT gateways and ingest figures, the
// external notification channels and what was delivered through them, alarm analytics.
import { api, qs, type List, type Schemas } from '../../kernel/http';

export type Sensor = Schemas['Sensor'];
export type AlarmEvent = Schemas['AlarmEvent'];
export type Delivery = Schemas['Delivery'];
export type GatewayView = Schemas['GatewayView'];
export type GatewaySecret = Schemas['GatewaySecret'];
export type StatsSnapshot = Schemas['StatsSnapshot'];
export type AlarmStats = Schemas['AlarmStats'];
export type Trend = Schemas['Trend'];
export type Channel = Schemas['Channel'];
export type MonitoredObject = Schemas['MonitoredObject'];
export type ChannelInput = Schemas['ChannelInput'];
/** A 叫应 step of the alarm's policy (the document leaves `policy` open; its steps are core's PolicyStep). */
export type PolicyStep = Schemas['PolicyStep'];
export type Alarm = Omit<Schemas['Alarm'], 'policy'> & { policy: PolicyStep[] };

// Alarms.
export const listAlarms = (open: boolean) => api.get<List<Alarm>>(`/api/v1/alarms?open=${open}&page_size=200`);
export const getAlarm = (id: string) => api.get<Alarm>(`/api/v1/alarms/${id}`);
export const alarmEvents = (id: string) => api.get<AlarmEvent[]>(`/api/v1/alarms/${id}/events`);
export const alarmDeliveries = (id: string) => api.get<Delivery[]>(`/api/v1/alarms/${id}/deliveries`);
export const alarmAction = (id: string, body: { action: string } & Record<string, unknown>) => api.post<Alarm>(`/api/v1/alarms/${id}/actions`, body);
export const alarmToHazard = (id: string, description: string | null) => api.post<Alarm>(`/api/v1/alarms/${id}/hazard`, { description });
export const alarmAnalytics = (params: { from?: string; to?: string }) => api.get<AlarmStats>(`/api/v1/alarms/analytics${qs(params)}`);

// Monitored objects (enterprises and public objects with sensors) and their colour.
export const monitoringStatus = () => api.get<MonitoredObject[]>('/api/v1/monitoring/status');

// Sensors.
export const listSensors = () => api.get<List<Sensor>>('/api/v1/sensors?page_size=200');
export const createSensor = (body: unknown) => api.post<Sensor>('/api/v1/sensors', body);
export const updateSensor = (id: string, body: unknown) => api.put<Sensor>(`/api/v1/sensors/${id}`, body);
/** `end` is '' or `&to_ms=…` (the end of the span). */
export const sensorTrend = (id: string, spanMs: number, end: string) => api.get<Trend>(`/api/v1/sensors/${id}/trend?span_ms=${spanMs}${end}`);

// Gateways and ingest.
export const listGateways = () => api.get<List<GatewayView>>('/api/v1/gateways?page_size=200');
export const createGateway = (body: { code: string; name: string }) => api.post<GatewaySecret>('/api/v1/gateways', body);
export const rotateGatewaySecret = (id: string) => api.post<GatewaySecret>(`/api/v1/gateways/${id}/secret`, {});
export const setGatewayActive = (id: string, active: boolean) => api.patch<GatewayView>(`/api/v1/gateways/${id}`, { active });
export const ingestStats = () => api.get<StatsSnapshot>('/api/v1/ingest/stats');

// Notification channels.
export const listChannels = () => api.get<List<Channel>>('/api/v1/notify-channels?page_size=200');
export const createChannel = (body: unknown) => api.post<Channel>('/api/v1/notify-channels', body);
export const updateChannel = (id: string, body: unknown) => api.put<Channel>(`/api/v1/notify-channels/${id}`, body);
export const testChannel = (id: string) => api.post<Schemas['Queued']>(`/api/v1/notify-channels/${id}/test`, {});
export const channelDeliveries = (id: string) => api.get<Delivery[]>(`/api/v1/notify-channels/${id}/deliveries`);
