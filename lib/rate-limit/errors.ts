/** Errors the rate limiter's stores raise while serving (option mistakes are core's OptionsError). */

/** Thrown by stores when the backend cannot answer (not connected, timed out). */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  readonly code = 'ERR_RATE_LIMIT_STORE_UNAVAILABLE';
}
