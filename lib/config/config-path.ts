/** Config paths as ASP.NET Core writes them (`ConnectionStrings:Issuetrak-Databse`), e.g. in Doctor.RequiredKeys. */

export const CONFIG_PATH_HINT =
  'use a config path with ":" between sections, e.g. "ConnectionStrings:Issuetrak-Databse" or "SessionSigningKey"';

/** The sections of a config path; undefined when a section is empty or padded with spaces. */
export function parseConfigPath(text: string): string[] | undefined {
  const segments = text.split(':');
  return segments.every((s) => s !== '' && s.trim() === s) ? segments : undefined;
}
