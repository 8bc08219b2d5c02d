/**
 * A minimal PNG encoder: 8-bit RGB, no compression (stored deflate blocks),
 * so the bytes are the same on every runtime without a zlib. Enough for the
 * small images the generated web links to.
 *
 * @example
 * encodePng(16, 16, (x, y) => [x * 16, y * 16, 128]); // a 16×16 gradient, ~850 bytes
 */
import { Buffer } from "node:buffer";

const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * A PNG image of `width` × `height` pixels coloured by `pixel`.
 *
 * @throws RangeError when the image would not fit one stored deflate block (64 KiB).
 */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Uint8Array {
  const raw = Buffer.alloc(height * (1 + 3 * width));
  if (raw.length > 0xffff) throw new RangeError(`Cannot encode a ${width}×${height} image: at most 64 KiB of pixels`);
  for (let y = 0, at = 0; y < height; y++) {
    raw[at++] = 0;
    for (let x = 0; x < width; x++) for (const channel of pixel(x, y)) raw[at++] = channel;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const stored = Buffer.alloc(5);
  stored.writeUInt8(1, 0);
  stored.writeUInt16LE(raw.length, 1);
  stored.writeUInt16LE(raw.length ^ 0xffff, 3);
  const zlib = Buffer.concat([Buffer.from([0x78, 0x01]), stored, raw, uint32(adler32(raw))]);
  return Buffer.concat([Buffer.from(signature), chunk("IHDR", header), chunk("IDAT", zlib), chunk("IEND", Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
  return Buffer.concat([uint32(data.length), typed, uint32(crc32(typed))]);
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0, 0);
  return bytes;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
