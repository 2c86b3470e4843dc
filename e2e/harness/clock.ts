// The app's clock in the harness: real time plus an offset tests can move. Tests move the
// emulator's clock, this one and the page's clock together (HarnessRun.advance).
export class HarnessClock {
  private offset = 0
  now = (): number => Date.now() + this.offset
  advance(ms: number): void {
    this.offset += ms
  }
}
