// The one UUID pattern of the app (tenant and key ids are UUIDs; the contract checks with zod's guid()).
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isUuid(s: string): boolean {
  return UUID_PATTERN.test(s)
}
