// Splits a cell's text around the search text, so the matches can be marked (case-insensitive,
// as the core's search is). Plain TypeScript, unit-tested in Node (highlight.test.ts).

export interface Segment { text: string; hit: boolean }

export function highlight(text: string, query: string): Segment[] {
  const q = query.trim().toLowerCase()
  if (!q || !text) return [{ text, hit: false }]
  const lower = text.toLowerCase()
  // toLowerCase may change a string's length (rare letters): then mark nothing rather than the wrong span.
  if (lower.length !== text.length) return [{ text, hit: false }]
  const out: Segment[] = []
  let from = 0
  for (let at = lower.indexOf(q); at !== -1; at = lower.indexOf(q, at + q.length)) {
    if (at > from) out.push({ text: text.slice(from, at), hit: false })
    out.push({ text: text.slice(at, at + q.length), hit: true })
    from = at + q.length
  }
  if (from < text.length) out.push({ text: text.slice(from), hit: false })
  return out.length > 0 ? out : [{ text, hit: false }]
}
