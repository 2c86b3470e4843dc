// What the add-instance form needs to know about an address before the core is asked: whether
// it is plain http to another computer (the core refuses that unless the operator chooses it).
// The core decides (core/instances/transport.ts); this only says when to offer the choice.

/** localhost, *.localhost, 127.x.y.z, ::1: the hosts plain http may reach without a choice. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}

/** The address is http:// to a host other than this computer (null while it is not an address yet). */
export function plainHttpElsewhere(address: string): boolean {
  try {
    const url = new URL(address.trim())
    return url.protocol === 'http:' && !isLoopbackHost(url.hostname)
  } catch {
    return false
  }
}
