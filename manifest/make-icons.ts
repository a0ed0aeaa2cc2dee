/**
 * Draws the app's two icons at the sizes Teams requires and writes them beside this file:
 * color.png 192×192 (full colour) and outline.png 32×32 (white on transparent).
 *   npx tsx manifest/make-icons.ts
 * A speech bubble with three dots: "ask here". Drawn from shapes, 4×4 supersampled for smooth edges.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BLUE = [0x00, 0x5a, 0x9c] as const;
const WHITE = [0xff, 0xff, 0xff] as const;

/** Inside a rounded rectangle (x, y, w, h, corner radius r), in units of the icon's size. */
function inRoundedRect(
  px: number,
  py: number,
  x: number,
  y: number,
  w: number,
  h: number,
  r: number,
) {
  const cx = Math.min(Math.max(px, x + r), x + w - r);
  const cy = Math.min(Math.max(py, y + r), y + h - r);
  return (
    (px - cx) ** 2 + (py - cy) ** 2 <= r * r && px >= x && px <= x + w && py >= y && py <= y + h
  );
}

/** The bubble: a rounded box with a tail at its lower left. */
function inBubble(px: number, py: number, inset = 0) {
  const box = inRoundedRect(
    px,
    py,
    0.16 + inset,
    0.2 + inset,
    0.68 - 2 * inset,
    0.46 - 2 * inset,
    0.12 - inset,
  );
  // Tail: triangle (0.3,0.6) (0.46,0.64) (0.26,0.82), shrunk towards its centre by `inset`.
  const t = [
    [0.3, 0.6],
    [0.46, 0.6],
    [0.26, 0.82],
  ].map(([x, y]) => [x + (0.34 - x) * inset * 4, y + (0.67 - y) * inset * 4]);
  const sign = (a: number[], b: number[]) =>
    (px - b[0]) * (a[1] - b[1]) - (a[0] - b[0]) * (py - b[1]);
  const d1 = sign(t[0], t[1]);
  const d2 = sign(t[1], t[2]);
  const d3 = sign(t[2], t[0]);
  const tail = !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
  return box || tail;
}

const inDot = (px: number, py: number, r: number) =>
  [0.34, 0.5, 0.66].some((cx) => (px - cx) ** 2 + (py - 0.43) ** 2 <= r * r);

type Paint = (u: number, v: number) => readonly [number, number, number, number] | undefined;

function draw(size: number, paint: Paint): PNG {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  const S = 4;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < S; sy++)
        for (let sx = 0; sx < S; sx++) {
          const c = paint((x + (sx + 0.5) / S) / size, (y + (sy + 0.5) / S) / size);
          if (!c) continue;
          r += c[0] * c[3];
          g += c[1] * c[3];
          b += c[2] * c[3];
          a += c[3];
        }
      const i = (y * size + x) * 4;
      png.data[i] = a ? Math.round(r / a) : 0;
      png.data[i + 1] = a ? Math.round(g / a) : 0;
      png.data[i + 2] = a ? Math.round(b / a) : 0;
      png.data[i + 3] = Math.round(a / (S * S));
    }
  return png;
}

// Colour: blue rounded square, white bubble, blue dots.
const color = draw(192, (u, v) => {
  if (!inRoundedRect(u, v, 0, 0, 1, 1, 0.18)) return undefined;
  if (inBubble(u, v) && !inDot(u, v, 0.055)) return [...WHITE, 255];
  return [...BLUE, 255];
});

// Outline: white bubble border and dots on transparent, as Teams requires.
const outline = draw(32, (u, v) => {
  const border = inBubble(u, v) && !inBubble(u, v, 0.07);
  return border || inDot(u, v, 0.06) ? [...WHITE, 255] : undefined;
});

fs.writeFileSync(path.join(HERE, 'color.png'), PNG.sync.write(color));
fs.writeFileSync(path.join(HERE, 'outline.png'), PNG.sync.write(outline));
process.stdout.write('manifest/color.png 192×192, manifest/outline.png 32×32\n');
