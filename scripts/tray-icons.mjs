// Draws the tray (menu-bar) icons into resources/tray/: `node scripts/tray-icons.mjs`. The PNGs are committed; run it
// again only to change them. Each shape is sampled 8x8 times per pixel for smooth edges, at 16 px and 32 px (@2x).
//   tray-recording.png     a red dot (recording; keeps its colour on every platform)
//   tray-idleTemplate.png  a record symbol in black, which macOS recolours for light and dark menu bars
//   tray-idle.png          the same symbol in mid grey for Windows and Linux trays, readable on light and dark panels
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';

const OUT = new URL('../resources/tray/', import.meta.url);
const SAMPLES = 8;

/** The record symbol: a ring and a dot inside it, in units of the icon's size. */
const idleShape = (x, y) => {
  const r = Math.hypot(x - 0.5, y - 0.5);
  return (r <= 0.4375 && r >= 0.34) || r <= 0.1875;
};
/** The recording dot. */
const recordingShape = (x, y) => Math.hypot(x - 0.5, y - 0.5) <= 0.375;

/** One PNG chunk: length, type, data, CRC of type and data. */
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** An RGBA PNG of `size` pixels, `shape` filled with `rgb` and its edge coverage as alpha. */
function drawIcon(size, shape, rgb) {
  const rows = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let px = 0; px < size; px++) {
      let inside = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          if (shape((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size)) inside++;
        }
      }
      row.set([...rgb, Math.round((255 * inside) / SAMPLES ** 2)], 1 + px * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const ICONS = {
  'tray-recording': [recordingShape, [229, 57, 53]],
  'tray-idleTemplate': [idleShape, [0, 0, 0]],
  'tray-idle': [idleShape, [128, 128, 128]],
};

mkdirSync(OUT, { recursive: true });
for (const [name, [shape, rgb]] of Object.entries(ICONS)) {
  writeFileSync(new URL(`${name}.png`, OUT), drawIcon(16, shape, rgb));
  writeFileSync(new URL(`${name}@2x.png`, OUT), drawIcon(32, shape, rgb));
}
