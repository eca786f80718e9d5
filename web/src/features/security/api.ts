// security: 统一身份认证（单点登录） (issue 26 item 4).
import { api, type Schemas } from '../../kernel/http';

export type SsoProvider = Schemas['SsoProvider'];
export type SsoProviders = Schemas['SsoProviders'];

/** The login page's single sign-on buttons (public; empty when none is configured). */
export const ssoProviders = () => api.get<SsoProviders>('/api/v1/security/sso');
