// The comment line that keeps quiet event streams open: proxies and load balancers close a connection that has
// been silent for a while (often 30 to 60 s), and a live stream may be quiet for much longer.
import { commentFrame } from './sse-frames.ts';

export const KEEP_ALIVE_FRAME = commentFrame('keep-alive');

/**
 * One timer for every open stream (a timer per connection drifts under load), unref'd so it never keeps the
 * process alive, and stopped while no stream is open.
 */
export class KeepAlive {
  private readonly beats = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs: number) {}

  /** Calls `beat` every interval until the returned function is called. */
  add(beat: () => void): () => void {
    this.beats.add(beat);
    if (!this.timer) {
      this.timer = setInterval(() => {
        for (const beat of this.beats) beat();
      }, this.intervalMs);
      this.timer.unref();
    }
    return () => {
      this.beats.delete(beat);
      if (this.beats.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }
}
