/**
 * The error thrown when trace options are wrong. It carries a `code` so callers (and the config
 * loader's messages) can tell option mistakes apart from runtime failures.
 */
export class TraceOptionsError extends TypeError {
  override readonly name = 'TraceOptionsError';
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
