/** The log-file value languages shared by the config schema and createLogger (winston-daily-rotate-file's). */

/** `20m`, `1g`, `500k`, `0.5g`: a number with a unit, as winston-daily-rotate-file takes. */
export function isFileSize(text: unknown): boolean {
  // Exactly what file-stream-rotator (under winston-daily-rotate-file) and createLogger accept: a unit
  // is required. A bare byte count used to pass here and then made createApiGuard fail at startup.
  return typeof text === 'string' && /^(?:0\.)?\d+[kmg]$/i.test(text.trim());
}

/** `14d` (days) or a file count. */
export function isMaxFiles(text: unknown): boolean {
  return (typeof text === 'string' && /^[1-9]\d*d?$/i.test(text.trim())) || (typeof text === 'number' && Number.isInteger(text) && text > 0);
}
