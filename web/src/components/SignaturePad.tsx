import { useEffect, useRef } from 'preact/hooks';
import { addPoint, type Point, type Stroke } from '../lib/signaturePath';

/**
 * A canvas to sign on with a finger, pen or mouse (pointer events). Strokes are kept in CSS
 * pixels of the canvas and handed to `onChange` after every stroke; the parent turns them into
 * SVG path data (`strokesToPath`). Passing a new `strokes` array (e.g. `[]` for Clear) redraws.
 */
export function SignaturePad({
  strokes,
  onChange,
  label = 'Signature',
  testid = 'sign-pad',
}: {
  strokes: Stroke[];
  onChange: (strokes: Stroke[]) => void;
  label?: string;
  testid?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const current = useRef<Stroke[]>(strokes);
  const drawing = useRef<number | null>(null);

  const redraw = () => {
    const c = canvas.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    const w = c.clientWidth;
    const h = c.clientHeight;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    const g = c.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    g.strokeStyle = '#102a43';
    g.lineWidth = 2.2;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    for (const s of current.current) {
      if (s.length === 0) continue;
      g.beginPath();
      g.moveTo(s[0][0], s[0][1]);
      if (s.length === 1) g.lineTo(s[0][0] + 0.1, s[0][1]);
      for (let i = 1; i < s.length; i++) g.lineTo(s[i][0], s[i][1]);
      g.stroke();
    }
  };

  useEffect(() => {
    if (strokes !== current.current) {
      current.current = strokes;
      redraw();
    }
  }, [strokes]);

  useEffect(() => {
    redraw();
    const c = canvas.current;
    if (!c || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => redraw());
    ro.observe(c);
    return () => ro.disconnect();
  }, []);

  const at = (e: PointerEvent): Point => {
    const r = canvas.current!.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };

  const down = (e: PointerEvent) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    e.preventDefault();
    canvas.current?.setPointerCapture?.(e.pointerId);
    drawing.current = e.pointerId;
    current.current = [...current.current, [at(e)]];
    redraw();
  };
  const move = (e: PointerEvent) => {
    if (drawing.current !== e.pointerId) return;
    e.preventDefault();
    const stroke = current.current[current.current.length - 1];
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    let changed = false;
    for (const ev of events.length ? events : [e]) changed = addPoint(stroke, at(ev)) || changed;
    if (changed) redraw();
  };
  const up = (e: PointerEvent) => {
    if (drawing.current !== e.pointerId) return;
    drawing.current = null;
    onChange([...current.current]);
  };

  return (
    <canvas
      ref={canvas}
      class="sign-pad"
      role="img"
      aria-label={label}
      data-testid={testid}
      data-strokes={strokes.length}
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={up}
    />
  );
}
