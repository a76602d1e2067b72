/**
 * Runs one benchmark app in its own process (so autocannon, in the harness, never shares an event
 * loop with the server under test) and prints `{"url": ...}` once it listens.
 */
import { resolve } from 'node:path';

interface BenchApp {
  url: string;
  close(): Promise<void>;
}

const name = process.argv[2];
if (!name || !/^[a-z0-9-]+$/.test(name)) {
  console.error('usage: serve.ts <app-name>');
  process.exit(2);
}
const mod = (await import(resolve(import.meta.dirname, 'apps', `${name}.ts`))) as { start(): Promise<BenchApp> };
const app = await mod.start();
process.stdout.write(`${JSON.stringify({ url: app.url })}\n`);

const stop = async () => {
  await app.close().catch(() => undefined);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
