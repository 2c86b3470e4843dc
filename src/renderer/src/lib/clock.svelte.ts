// One shared ticking clock for countdowns and relative times: a single interval for the
// whole UI, so 40 visible rows do not each run their own timer.
class Clock {
  now = $state(Date.now())
  constructor() {
    setInterval(() => { this.now = Date.now() }, 1000)
  }
  /** Re-read the time now (after the test clock jumps, or on focus). */
  tick(): void { this.now = Date.now() }
}

export const clock = new Clock()
