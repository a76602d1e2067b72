/**
 * Which environment is in effect: option → ASPNETCORE_ENVIRONMENT → DOTNET_ENVIRONMENT → NODE_ENV →
 * `Production`, as ASP.NET Core chooses it. In core because the config loader, the error mapper and
 * requireHttps all decide by it, and must decide alike.
 */

/** How the environment name was chosen. */
export type EnvironmentSource = 'option' | 'ASPNETCORE_ENVIRONMENT' | 'DOTNET_ENVIRONMENT' | 'NODE_ENV' | 'default';

export interface ResolveEnvironmentOptions {
  /** Wins over every variable when given and not blank. */
  readonly environment?: string;
  /** Variables to read. Defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const VARIABLES = ['ASPNETCORE_ENVIRONMENT', 'DOTNET_ENVIRONMENT', 'NODE_ENV'] as const;

/** Option → ASPNETCORE_ENVIRONMENT → DOTNET_ENVIRONMENT → NODE_ENV → `Production`. */
export function resolveEnvironment(options: ResolveEnvironmentOptions = {}): {
  name: string;
  source: EnvironmentSource;
} {
  if (options.environment !== undefined && options.environment.trim() !== '') {
    return { name: options.environment.trim(), source: 'option' };
  }
  const env = options.env ?? process.env;
  for (const variable of VARIABLES) {
    const value = env[variable];
    if (value !== undefined && value.trim() !== '') return { name: value.trim(), source: variable };
  }
  return { name: 'Production', source: 'default' };
}

/** True when `environment` names Development, in any case (ASPNETCORE_ENVIRONMENT=development is common). */
export function isDevelopment(environment: string): boolean {
  return environment.trim().toLowerCase() === 'development';
}

