/**
 * The replay buffer of a session: the last N pushes sent to it, so a resume can replay what the
 * client missed (docs/protocol.md §7).
 */

/** A ring of encoded pushes with consecutive sequence numbers. */
export class ReplayBuffer {
  private readonly ring: (string | undefined)[];
  private lastSeq = 0;
  private size = 0;

  /** @param capacity - how many pushes to keep; 0 keeps none (every resume becomes a snapshot). */
  constructor(readonly capacity: number) {
    this.ring = new Array<string | undefined>(capacity);
  }

  /** Stores the push numbered `seq`, which must be one more than the previous one. */
  add(seq: number, text: string): void {
    if (seq !== this.lastSeq + 1 && this.size > 0) {
      // Sequence numbers of a session are consecutive by construction; a gap would make a replay
      // silently wrong, so start over rather than keep a broken ring.
      this.size = 0;
    }
    this.lastSeq = seq;
    if (this.capacity === 0) return;
    this.ring[seq % this.capacity] = text;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /**
   * The pushes after `seq` up to the last one, oldest first, or `undefined` when some of them are
   * no longer held (or `seq` is ahead of the last push).
   */
  since(seq: number): string[] | undefined {
    if (seq > this.lastSeq || seq < 0) return undefined;
    const missing = this.lastSeq - seq;
    if (missing > this.size) return undefined;
    const out: string[] = [];
    for (let s = seq + 1; s <= this.lastSeq; s++) {
      const text = this.ring[s % this.capacity];
      if (text === undefined) return undefined;
      out.push(text);
    }
    return out;
  }
}
