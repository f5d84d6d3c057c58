/**
 * Per-connection flood protection (docs/protocol.md §8): a token bucket, plus a count of frames
 * refused in a row that tells when to give up on the connection.
 */

/** What the connection should do with one incoming frame. */
export type RateVerdict = 'accept' | 'reject' | 'close';

/**
 * A token bucket of `burst` tokens refilled at `rate` per second. A frame takes a token; without
 * one it is rejected (`RATE_LIMITED`). When `burst` frames in a row have been rejected the sender
 * is not slowing down, so the verdict becomes `close` (1008).
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private rejectedInARow = 0;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Accounts one frame. */
  take(): RateVerdict {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.rate) / 1000);
    this.last = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.rejectedInARow = 0;
      return 'accept';
    }
    this.rejectedInARow += 1;
    return this.rejectedInARow > this.burst ? 'close' : 'reject';
  }
}
