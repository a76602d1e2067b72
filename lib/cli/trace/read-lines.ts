/**
 * Streams a (possibly gzipped) file line by line without loading it whole; log files can be large.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { type Readable } from 'node:stream';

// A "line" longer than this is not a log line we wrote; skip it rather than buffer without bound.
const MAX_LINE = 4 * 1024 * 1024;

/** Yields each line (without the newline). A damaged gzip file throws after its readable lines. */
export async function* readLines(path: string, gzip: boolean): AsyncGenerator<string> {
  const file = createReadStream(path);
  let source: Readable = file;
  if (gzip) {
    const gunzip = createGunzip();
    file.on('error', (err) => gunzip.destroy(err));
    source = file.pipe(gunzip);
  }
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let skipping = false;
  try {
    for await (const chunk of source) {
      pending += decoder.write(chunk as Buffer);
      let start = 0;
      let end: number;
      while ((end = pending.indexOf('\n', start)) !== -1) {
        const line = pending.slice(start, end);
        start = end + 1;
        if (skipping) skipping = false;
        else yield line.endsWith('\r') ? line.slice(0, -1) : line;
      }
      pending = pending.slice(start);
      if (pending.length > MAX_LINE) {
        pending = '';
        skipping = true;
      }
    }
    pending += decoder.end();
    if (pending.length > 0 && !skipping) yield pending;
  } finally {
    file.destroy();
    source.destroy();
  }
}
