// The completion scripts come from the command tree; bash's is also run for real.
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { bashCompletion, commandTree, fishCompletion, zshCompletion } from './completion'
import type { Io } from './io'
import { buildProgram } from './program'
import { CliRun } from './run'

const io = { argv: [], env: {}, platform: 'linux', cwd: '/', stdin: process.stdin, stdout: process.stdout, stderr: process.stderr } as unknown as Io
const program = buildProgram(new CliRun(io), { outputError: () => undefined })

function complete(line: string): string[] {
  const words = line.split(' ')
  const script = `${bashCompletion(program)}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})
COMP_CWORD=${words.length - 1}
_fluxbase_keys
printf '%s\\n' "\${COMPREPLY[@]}"`
  return execFileSync('bash', ['-c', script], { encoding: 'utf8' }).split('\n').filter(Boolean).sort()
}

describe('shell completion', () => {
  it('knows every command of the tree, with its aliases', () => {
    const tree = commandTree(program)
    const names = tree.subs.flatMap((s) => s.names)
    for (const command of ['instances', 'sync', 'ls', 'list', 'show', 'history', 'create', 'update', 'disable', 'enable', 'deprecate',
      'rotate', 'finish', 'revoke', 'delete', 'export', 'copy', 'check', 'status', 'settings', 'tenants', 'completion']) {
      expect(names).toContain(command)
      expect(bashCompletion(program)).toContain(command)
      expect(zshCompletion(program)).toContain(command)
      expect(fishCompletion(program)).toContain(`-a '${command}'`)
    }
  })

  it('bash completes commands, subcommands, options and option values', () => {
    expect(complete('fluxbase-keys ro')).toEqual(['rotate'])
    expect(complete('fluxbase-keys instances ')).toEqual(['add', 'list', 'ls', 'remove', 'rm', 'test'])
    expect(complete('fluxbase-keys rotate --gr')).toEqual(['--grace', '--grace-ending-within'])
    expect(complete('fluxbase-keys ls --dr')).toEqual([])
    expect(complete('fluxbase-keys create --type ')).toEqual(['anon', 'service'])
    expect(complete('fluxbase-keys completion ')).toEqual([])
    expect(complete('fluxbase-keys ls --tenant acme --js')).toEqual(['--json'])
    // An alias leads to the same options.
    expect(complete('fluxbase-keys list --cs')).toEqual(['--csv'])
  })

  it('bash accepts the script', () => {
    expect(() => execFileSync('bash', ['-n', '-c', bashCompletion(program)])).not.toThrow()
  })
})
