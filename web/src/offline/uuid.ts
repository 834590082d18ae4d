/** UUIDv7 (RFC 9562): 48-bit Unix ms timestamp, version 7, 12 + 62 random bits, variant 10.
 * Ids from one client sort by creation time (monotonic within the same millisecond). */

let lastMs = -1;
let lastRand = new Uint8Array(10);

function randomBytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  globalThis.crypto.getRandomValues(b);
  return b;
}

/** Adds one to the low 56 random bits (bytes 3..9 of `r`); false on overflow. */
function increment(r: Uint8Array): boolean {
  for (let i = r.length - 1; i >= 3; i--) {
    if (r[i] < 0xff) {
      r[i]++;
      return true;
    }
    r[i] = 0;
  }
  return false;
}

export function uuidv7(now: number = Date.now()): string {
  let ms = Math.max(0, Math.floor(now));
  let rand: Uint8Array;
  if (ms <= lastMs) {
    // Same (or earlier: clock went back) millisecond: keep the last timestamp and count up.
    ms = lastMs;
    rand = lastRand.slice();
    if (!increment(rand)) {
      ms = lastMs + 1;
      rand = randomBytes(10);
    }
  } else {
    rand = randomBytes(10);
  }
  rand[0] &= 0x0f; // 12 bits rand_a (low nibble of byte 6 + byte 7)
  rand[2] &= 0x3f; // variant bits go on top of byte 8
  lastMs = ms;
  lastRand = rand.slice();
  const b = new Uint8Array(16);
  // 48-bit big-endian timestamp.
  let t = ms;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = 0x70 | rand[0];
  b[7] = rand[1];
  b[8] = 0x80 | (rand[2] & 0x3f);
  for (let i = 9; i < 16; i++) b[i] = rand[i - 6];
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The millisecond timestamp of a UUIDv7. */
export function uuidv7Time(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
