// The scaling series: sync and cache figures at 250, 500, 1,000 and 2,000 tenants (100 keys
// each), as a small table, a least-squares line per figure (the growth per tenant, and R²:
// how straight the cost grows), and a PNG chart drawn as SVG in the same Chromium the UI
// bench uses (bench/results/scaling.png).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from '../../e2e/harness/chromium'
import { RESULTS_DIR } from './report'
import { fitLine } from './stats'

export interface SeriesLine {
  name: string
  unit: 'ms' | 'MB'
  points: Array<{ tenants: number; value: number }>
}

export interface SeriesFit { name: string; unit: string; perTenant: number; intercept: number; r2: number; lastOverFirst: number; tenantsRatio: number }

export function fitsOf(lines: readonly SeriesLine[]): SeriesFit[] {
  return lines.map((l) => {
    const f = fitLine(l.points.map((p) => p.tenants), l.points.map((p) => p.value))
    const first = l.points[0]
    const last = l.points[l.points.length - 1]
    return {
      name: l.name, unit: l.unit, perTenant: f.slope, intercept: f.intercept, r2: f.r2,
      lastOverFirst: first && last ? last.value / first.value : Number.NaN,
      tenantsRatio: first && last ? last.tenants / first.tenants : Number.NaN
    }
  })
}

/** One row per figure, one column per size, then the fitted growth per tenant. */
export function renderSeries(lines: readonly SeriesLine[]): string {
  const sizes = [...new Set(lines.flatMap((l) => l.points.map((p) => p.tenants)))].sort((a, b) => a - b)
  const fits = fitsOf(lines)
  const header = ['figure', ...sizes.map((n) => `${n.toLocaleString('en-US')} t`), 'per tenant', 'R²', 'growth']
  const rows = lines.map((l, i) => {
    const fit = fits[i]
    const unit = l.unit
    return [
      `${l.name} (${unit})`,
      ...sizes.map((n) => {
        const v = l.points.find((p) => p.tenants === n)?.value
        return v === undefined ? '-' : v.toLocaleString('en-US', { maximumFractionDigits: v >= 100 ? 0 : 1 })
      }),
      fit ? `${fit.perTenant.toFixed(unit === 'MB' ? 3 : 2)} ${unit}` : '-',
      fit ? fit.r2.toFixed(3) : '-',
      fit ? `${fit.lastOverFirst.toFixed(1)}x for ${fit.tenantsRatio.toFixed(1)}x` : '-'
    ]
  })
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n')
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#17becf', '#7f7f7f']

function panel(lines: readonly SeriesLine[], title: string, unit: string, x0: number, width: number, height: number): string {
  const pad = { left: 64, right: 16, top: 36, bottom: 44 }
  const xs = lines.flatMap((l) => l.points.map((p) => p.tenants))
  const ys = lines.flatMap((l) => l.points.map((p) => p.value))
  const xMax = Math.max(...xs) * 1.05
  const yMax = Math.max(...ys) * 1.1 || 1
  const px = (x: number) => x0 + pad.left + (x / xMax) * (width - pad.left - pad.right)
  const py = (y: number) => pad.top + (1 - y / yMax) * (height - pad.top - pad.bottom)
  const step = 10 ** Math.floor(Math.log10(yMax / 4))
  const yStep = [1, 2, 5, 10].map((m) => m * step).find((s) => yMax / s <= 6) ?? step * 10
  const out: string[] = [`<text x="${x0 + pad.left}" y="22" font-size="15" font-weight="600">${title}</text>`]
  for (let y = 0; y <= yMax; y += yStep) {
    out.push(`<line x1="${px(0)}" x2="${px(xMax)}" y1="${py(y)}" y2="${py(y)}" stroke="#e5e5e5"/>`)
    out.push(`<text x="${px(0) - 6}" y="${py(y) + 4}" font-size="11" text-anchor="end">${y.toLocaleString('en-US')}</text>`)
  }
  for (const x of [...new Set(xs)]) {
    out.push(`<line x1="${px(x)}" x2="${px(x)}" y1="${py(0)}" y2="${py(0) + 4}" stroke="#333"/>`)
    out.push(`<text x="${px(x)}" y="${py(0) + 17}" font-size="11" text-anchor="middle">${x.toLocaleString('en-US')}</text>`)
  }
  out.push(`<text x="${px(xMax / 2)}" y="${height - 6}" font-size="12" text-anchor="middle">tenants (100 keys each)</text>`)
  out.push(`<text x="${x0 + 14}" y="${py(yMax / 2)}" font-size="12" text-anchor="middle" transform="rotate(-90 ${x0 + 14} ${py(yMax / 2)})">${unit}</text>`)
  out.push(`<line x1="${px(0)}" x2="${px(xMax)}" y1="${py(0)}" y2="${py(0)}" stroke="#333"/>`)
  lines.forEach((l, i) => {
    const color = COLORS[i % COLORS.length] ?? '#000'
    const pts = [...l.points].sort((a, b) => a.tenants - b.tenants)
    const fit = fitLine(pts.map((p) => p.tenants), pts.map((p) => p.value))
    // The fitted line, dashed: where the points leave it, the cost is not linear.
    out.push(`<line x1="${px(0)}" y1="${py(Math.max(0, fit.intercept))}" x2="${px(xMax)}" y2="${py(fit.intercept + fit.slope * xMax)}" stroke="${color}" stroke-dasharray="4 4" stroke-opacity="0.6"/>`)
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((p) => `${px(p.tenants)},${py(p.value)}`).join(' ')}"/>`)
    for (const p of pts) out.push(`<circle cx="${px(p.tenants)}" cy="${py(p.value)}" r="3.5" fill="${color}"/>`)
    out.push(`<rect x="${x0 + pad.left + 8}" y="${pad.top + 6 + i * 17}" width="12" height="3" fill="${color}"/>`)
    out.push(`<text x="${x0 + pad.left + 26}" y="${pad.top + 11 + i * 17}" font-size="11">${l.name} (${fit.slope.toFixed(unit === 'MB' ? 3 : 2)} ${unit}/tenant, R² ${fit.r2.toFixed(2)})</text>`)
  })
  return out.join('\n')
}

/** Writes bench/results/scaling.png; resolves to its path, or null (with the reason) when Chromium is missing. */
export async function writeSeriesChart(lines: readonly SeriesLine[], subtitle: string): Promise<{ file: string | null; note: string }> {
  const time = lines.filter((l) => l.unit === 'ms')
  const memory = lines.filter((l) => l.unit === 'MB')
  const width = 1280
  const height = 520
  const half = memory.length > 0 ? width * 0.62 : width
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 24}" font-family="DejaVu Sans, sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
${panel(time, 'Sync and cache write time vs tenants', 'ms', 0, half, height)}
${memory.length > 0 ? panel(memory, 'Peak RSS of the syncing process', 'MB', half, width - half, height) : ''}
<text x="12" y="${height + 16}" font-size="11" fill="#555">${subtitle.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text>
</svg>`
  let browser
  try {
    browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--headless', ...CHROMIUM_ARGS] })
  } catch (error) {
    return { file: null, note: `no chart: Chromium did not start (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` }
  }
  try {
    const page = await browser.newPage({ viewport: { width, height: height + 24 } })
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`)
    const file = join(RESULTS_DIR, 'scaling.png')
    writeFileSync(file, await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width, height: height + 24 } }))
    return { file, note: `chart: ${file}` }
  } finally {
    await browser.close()
  }
}
