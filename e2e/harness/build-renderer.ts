// Builds only the renderer (out/renderer) with the same settings as electron.vite.config.ts.
// Used by `npm start` when out/renderer is missing and the full `electron-vite build` is not
// possible (for example while main or core do not compile).
import { resolve } from 'node:path'

export async function buildRenderer(root = process.cwd()): Promise<void> {
  const { build } = await import('vite')
  const { svelte } = await import('@sveltejs/vite-plugin-svelte')
  await build({
    configFile: false,
    logLevel: 'warn',
    root: resolve(root, 'src/renderer'),
    base: './',
    plugins: [svelte()],
    build: { outDir: resolve(root, 'out/renderer'), emptyOutDir: true }
  })
}
