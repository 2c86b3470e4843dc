// Builds the CLI (src/cli) to plain JavaScript for Node: out/cli/index.js, run by
// bin/fluxbase-keys.js. Part of `npm run build`; also `npm run build:cli` on its own.
// Everything is bundled except the native modules (keytar, better-sqlite3), which load from
// node_modules as in the app. The file is written to a temporary name and renamed, so a CLI
// started while a build runs never reads half a file.
import { build } from 'esbuild'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outfile = join(root, 'out', 'cli', 'index.js')

export async function buildCli({ quiet = false } = {}) {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const result = await build({
    entryPoints: [join(root, 'src', 'cli', 'index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['keytar', 'better-sqlite3'],
    define: { 'process.env.FLUXBASE_KEYS_BUILD_VERSION': JSON.stringify(version) },
    legalComments: 'none',
    write: false,
    logLevel: quiet ? 'error' : 'warning'
  })
  const [file] = result.outputFiles
  mkdirSync(dirname(outfile), { recursive: true })
  const temporary = `${outfile}.${process.pid}.tmp`
  writeFileSync(temporary, file.contents)
  renameSync(temporary, outfile)
  if (!quiet) console.log(`cli: ${outfile} (${(file.contents.length / 1024).toFixed(0)} kB)`)
  return outfile
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli()
