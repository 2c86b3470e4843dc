import type { z } from 'zod'

/** One operation of the contract: what the UI may send, and what it gets back. */
export const op = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output })
