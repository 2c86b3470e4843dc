import { describe, expect, it } from 'vitest'
import { highlight } from './highlight'

describe('highlight', () => {
  it('marks every case-insensitive match', () => {
    expect(highlight('Billing-worker billing', 'BILL')).toEqual([
      { text: 'Bill', hit: true }, { text: 'ing-worker ', hit: false }, { text: 'bill', hit: true }, { text: 'ing', hit: false }
    ])
  })
  it('leaves text alone without a query or a match', () => {
    expect(highlight('payments', '')).toEqual([{ text: 'payments', hit: false }])
    expect(highlight('payments', 'zz')).toEqual([{ text: 'payments', hit: false }])
  })
  it('trims the query as the search does', () => {
    expect(highlight('a cat', ' cat ')).toEqual([{ text: 'a ', hit: false }, { text: 'cat', hit: true }])
  })
})
