/**
 * TABLES[k * 256 + n] is the CRC-32 (the ZIP polynomial) of byte n followed by k zero bytes, for
 * slicing by 8: eight bytes folded per step instead of one (verification inflates and checks every
 * byte of a backup, and the byte-at-a-time loop was a tenth of its profile).
 */
const TABLES = new Int32Array(256 * 8);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLES[n] = c;
}
for (let n = 0; n < 256; n++) {
  for (let k = 1; k < 8; k++) {
    const previous = TABLES[(k - 1) * 256 + n]!;
    TABLES[k * 256 + n] = (previous >>> 8) ^ TABLES[previous & 255]!;
  }
}

/** Incremental CRC-32 (the ZIP polynomial): feed chunks with `update`, read the unsigned value. */
export class Crc32 {
  private crc = -1;

  update(bytes: Uint8Array): this {
    const t = TABLES;
    let crc = this.crc;
    let i = 0;
    for (const whole = bytes.length - 7; i < whole; i += 8) {
      const low = crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
      crc =
        t[1792 + (low & 255)]! ^
        t[1536 + ((low >>> 8) & 255)]! ^
        t[1280 + ((low >>> 16) & 255)]! ^
        t[1024 + (low >>> 24)]! ^
        t[768 + bytes[i + 4]!]! ^
        t[512 + bytes[i + 5]!]! ^
        t[256 + bytes[i + 6]!]! ^
        t[bytes[i + 7]!]!;
    }
    for (; i < bytes.length; i++) crc = t[(crc ^ bytes[i]!) & 255]! ^ (crc >>> 8);
    this.crc = crc;
    return this;
  }

  get value(): number {
    return ~this.crc >>> 0;
  }
}

export function crc32(bytes: Uint8Array): number {
  return new Crc32().update(bytes).value;
}
