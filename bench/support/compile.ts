// Compiles the measured code to plain JavaScript, one file per module (so CPU profiles still
// name the source file), into bench/.build/. The app never runs under tsx: electron-vite builds
// the core into its main bundle. Under tsx's loader every module is transpiled inside the
// measured process, which adds ~45 MB of RSS that the product does not carry.
import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { build } from 'esbuild'
import { REPO_ROOT } from './keyring'

export const BUILD_ROOT = join(REPO_ROOT, 'bench', '.build')

/** Compiles every non-test .ts file under `dirs` (repo-relative); returns where `entry` (a .ts path) landed. */
export async function compileForNode(dirs: string[], entry: string): Promise<string> {
  const files = dirs.flatMap((d) =>
    (readdirSync(join(REPO_ROOT, d), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
      .map((f) => join(REPO_ROOT, d, f))
  )
  await build({ entryPoints: files, outdir: BUILD_ROOT, outbase: REPO_ROOT, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'error' })
  return join(BUILD_ROOT, relative(REPO_ROOT, entry).replace(/\.ts$/, '.js'))
}
