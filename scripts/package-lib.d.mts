// Types of scripts/package-lib.mjs for the TypeScript tests that import it.
export function installedElectron(root: string): { binary: string; version: string } | null
export function refusal(root: string): string | null
export function isNetworkFailure(output: string): boolean
export function platformFlag(platform: NodeJS.Platform): '--linux' | '--mac' | '--win'
export const FUSE_WIRE_ORDER: readonly string[]
export function fuseProblems(wire: Record<string | number, unknown>, electronFuses: Record<string, boolean>): string[]
export function packagedExecutables(distDir: string, platform: NodeJS.Platform, names: { productName: string; executableName: string }): string[]
