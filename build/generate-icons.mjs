// Writes resources/icon.png (256x256 app icon) and resources/tray.png (22x22) + tray@2x.png:
// a key on a rounded square, drawn with plain maths and encoded as PNG with zlib. No dependencies.
// Usage: node build/generate-icons.mjs
import { writeFileSync, mkdirSync } from 'node:fs'
import { deflateSync } from 'node:zlib'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const out = join(dirname(fileURLToPath(import.meta.url)), '../resources')

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (buf) => {
  let c = 0xffffffff
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const chunk = (type, data) => {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0 // filter: none
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel((x + 0.5) / size, (y + 0.5) / size)
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4)
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0 // 8-bit RGBA
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))])
}

/** Key shape in unit coordinates: a ring (bow) on the left, a shaft with two teeth to the right. */
function isKey(x, y) {
  const dx = x - 0.33, dy = y - 0.5, r = Math.hypot(dx, dy)
  const bow = r < 0.17 && r > 0.075
  const shaft = x > 0.47 && x < 0.82 && Math.abs(y - 0.5) < 0.045
  const tooth1 = x > 0.66 && x < 0.72 && y > 0.5 && y < 0.64
  const tooth2 = x > 0.76 && x < 0.82 && y > 0.5 && y < 0.6
  return bow || shaft || tooth1 || tooth2
}
function roundedSquare(x, y, radius) {
  const cx = Math.min(Math.max(x, radius), 1 - radius), cy = Math.min(Math.max(y, radius), 1 - radius)
  return Math.hypot(x - cx, y - cy) <= radius
}

const appIcon = (x, y) => {
  if (!roundedSquare(x, y, 0.2)) return [0, 0, 0, 0]
  if (isKey(x, y)) return [244, 247, 250, 255]
  const t = y // vertical gradient, teal to deep blue
  return [Math.round(18 + 10 * t), Math.round(140 - 70 * t), Math.round(160 - 20 * t), 255]
}
// Tray: a dark key on transparency reads on light panels; most Linux/Windows trays are dark, so use a light key with a dark outline.
const trayIcon = (x, y) => {
  if (isKey(x, y)) return [236, 240, 244, 255]
  const near = [[-0.04, 0], [0.04, 0], [0, -0.04], [0, 0.04]].some(([ox, oy]) => isKey(x + ox, y + oy))
  return near ? [20, 24, 28, 200] : [0, 0, 0, 0]
}

mkdirSync(out, { recursive: true })
writeFileSync(join(out, 'icon.png'), png(256, appIcon))
writeFileSync(join(out, 'icon-512.png'), png(512, appIcon))
writeFileSync(join(out, 'tray.png'), png(22, trayIcon))
writeFileSync(join(out, 'tray@2x.png'), png(44, trayIcon))
console.log(`icons written to ${out}`)
