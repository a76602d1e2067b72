/**
 * Environment-name rules the middleware share with the config loader: the same variable precedence,
 * and `Development` matched case-insensitively (ASPNETCORE_ENVIRONMENT=development is common).
 */

/** The environment in effect when none is passed: ASPNETCORE_ENVIRONMENT → DOTNET_ENVIRONMENT → NODE_ENV → `Production`. */
export function defaultEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): string {
  for (const name of ['ASPNETCORE_ENVIRONMENT', 'DOTNET_ENVIRONMENT', 'NODE_ENV']) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return 'Production';
}

/** True when `environment` names Development (any case). */
export function isDevelopment(environment: string): boolean {
  return environment.trim().toLowerCase() === 'development';
}
