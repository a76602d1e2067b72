// Copies what the compiled example reads at run time next to it (dist/app/examples/issuetrak-style/),
// as `dotnet publish` copies appsettings*.json: the config files (the app's defaults; production adds
// its own appsettings.{Environment}.json or points CONFIG_DIR elsewhere) and the docs page's initializer.
import { cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const from = dirname(fileURLToPath(import.meta.url));
const to = join(from, '..', '..', 'dist', 'app', 'examples', 'issuetrak-style');
for (const name of ['appsettings.json', 'appsettings.Development.json', 'docs-page']) {
  cpSync(join(from, name), join(to, name), { recursive: true });
}
