// What a CLI run touches of its process: arguments, environment, the three streams. Passed in,
// so nothing below reads `process` directly.
export interface Io {
  argv: string[]
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  cwd: string
  stdin: NodeJS.ReadableStream & { isTTY?: boolean }
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
}

export const processIo = (): Io => ({
  argv: process.argv,
  env: process.env,
  platform: process.platform,
  cwd: process.cwd(),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr
})

/** Colours only on a terminal, never with NO_COLOR (any non-empty value), TERM=dumb or --no-color. */
export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, optionOff: boolean): boolean {
  if (optionOff) return false
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true
  return stream.isTTY === true && env['TERM'] !== 'dumb'
}

/** Reads all of stdin (a piped token or password); one trailing newline is dropped. */
export async function readAllStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
}
