/** Public face of lib/https: HTTPS enforcement and HSTS. */
export { requireHttps, HTTPS_REQUIRED_MESSAGE } from './require-https.js';
export type { RequireHttpsOptions } from './require-https.js';
export { isLoopbackAddress, isDirectLoopbackRequest } from './loopback.js';
