/** A drawn signature as SVG path data (`M x y L x y ...`), the form the server stores. Pure,
 * so the recording of strokes can be tested without a canvas. */

export type Point = readonly [number, number];
export type Stroke = Point[];

/** Longest path data the server accepts (crates/domain/src/sample/signature.rs `MAX_IMAGE`). */
export const MAX_PATH_CHARS = 200_000;

/** Points closer than this (CSS px) to the last kept one are dropped. */
const MIN_STEP = 1.5;

function num(n: number): string {
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Adds a point to a stroke unless it is too close to the last one; returns whether it was kept. */
export function addPoint(stroke: Stroke, p: Point): boolean {
  const last = stroke[stroke.length - 1];
  if (last && Math.hypot(p[0] - last[0], p[1] - last[1]) < MIN_STEP) return false;
  stroke.push([p[0], p[1]]);
  return true;
}

/** SVG path data of the strokes: each starts with `M`, continues with `L`; a dot is a zero-length line. */
export function strokesToPath(strokes: readonly Stroke[]): string {
  const parts: string[] = [];
  for (const s of strokes) {
    if (s.length === 0) continue;
    parts.push(`M ${num(s[0][0])} ${num(s[0][1])}`);
    if (s.length === 1) parts.push(`L ${num(s[0][0])} ${num(s[0][1])}`);
    for (let i = 1; i < s.length; i++) parts.push(`L ${num(s[i][0])} ${num(s[i][1])}`);
  }
  return parts.join(' ');
}

/** Total length of the strokes (CSS px). */
export function inkLength(strokes: readonly Stroke[]): number {
  let n = 0;
  for (const s of strokes)
    for (let i = 1; i < s.length; i++)
      n += Math.hypot(s[i][0] - s[i - 1][0], s[i][1] - s[i - 1][1]);
  return n;
}

/** Enough ink to count as a signature (not a tap or an accidental touch). */
export function isSigned(strokes: readonly Stroke[]): boolean {
  return inkLength(strokes) >= 30;
}

/** Parses path data made by `strokesToPath` back into strokes (to redraw a signature). */
export function pathToStrokes(d: string): Stroke[] {
  const strokes: Stroke[] = [];
  const re = /([ML])\s*(-?[\d.]+)\s+(-?[\d.]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(d))) {
    const p: Point = [Number(m[2]), Number(m[3])];
    if (m[1] === 'M' || strokes.length === 0) strokes.push([p]);
    else strokes[strokes.length - 1].push(p);
  }
  return strokes;
}

/** An SVG viewBox around the path's points (with `pad` around), to show a signature scaled. */
export function pathViewBox(d: string, pad = 4): string {
  const pts = pathToStrokes(d).flat();
  if (pts.length === 0) return '0 0 100 40';
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const x0 = Math.min(...xs) - pad;
  const y0 = Math.min(...ys) - pad;
  const w = Math.max(...xs) - Math.min(...xs) + 2 * pad;
  const h = Math.max(...ys) - Math.min(...ys) + 2 * pad;
  return `${x0} ${y0} ${Math.max(w, 1)} ${Math.max(h, 1)}`;
}
