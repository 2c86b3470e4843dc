// Throwaway certificates for TLS tests, made with Debian's openssl in a temporary folder:
// a private CA, a server certificate it signed for localhost/127.0.0.1, one that has expired,
// and one issued for another host name.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from './temp'

export interface TestCerts {
  dir: string
  caPath: string
  caPem: string
  /** key + certificate for a server, by case. */
  server: Record<'valid' | 'expired' | 'otherHost', { key: string; cert: string }>
}

const openssl = (dir: string, args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
}

export function makeTestCerts(): TestCerts {
  const dir = tempDir('fbk-certs-')
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Fluxbase Keys test CA', '-days', '30'])
  const issue = (name: string, cn: string, san: string, days: string) => {
    openssl(dir, ['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`])
    writeFileSync(join(dir, `${name}.cnf`), `subjectAltName=${san}\n`)
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', days, '-extfile', `${name}.cnf`])
    return { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.pem`), 'utf8') }
  }
  return {
    dir,
    caPath: join(dir, 'ca.pem'),
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    server: {
      valid: issue('valid', 'localhost', 'DNS:localhost,IP:127.0.0.1', '30'),
      expired: issue('expired', 'localhost', 'DNS:localhost,IP:127.0.0.1', '-1'),
      otherHost: issue('other', 'fluxbase.example.com', 'DNS:fluxbase.example.com', '30')
    }
  }
}

/** A TLS front for a plain-http test server (the emulator): https://127.0.0.1:<port> -> target. */
export async function tlsFront(target: string, cert: { key: string; cert: string }): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import('node:https')
  const { request } = await import('node:http')
  const server = createServer(cert, (req, res) => {
    const upstream = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `https://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()) })
  }
}
