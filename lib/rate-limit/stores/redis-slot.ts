/**
 * Redis Cluster key slots: CRC16-XMODEM of the hash tag, modulo 16384 (the Redis Cluster spec).
 * RedisStore keys are `<prefix>{<client>}:<rule>`, so a client's slot is the slot of its key text.
 */

export const SLOT_COUNT = 16384;

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

/** The slot of a hash tag's content (the text between `{` and `}`), as `CLUSTER KEYSLOT` computes it. */
export function slotOfTag(tag: string): number {
  const bytes = Buffer.from(tag, 'utf8');
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ (bytes[i] as number)) & 0xff] as number);
  return crc % SLOT_COUNT;
}
