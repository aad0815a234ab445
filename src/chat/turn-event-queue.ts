// One turn's events for a reader that comes later: a listener given to the turn from its start queues every event,
// and the reader takes them in order, live, until the turn's last. Held only for the turn's lifetime; for a caller
// that reads in the same process (the /v1 API), where the stream log's replay across processes is not needed.
import { endsTurn, type TurnEvent, type TurnListener } from './turn-events.ts';

export class TurnEventQueue {
  private readonly waiting: TurnEvent[] = [];
  private wake: (() => void) | undefined;
  private ended = false;

  /** Give to the turn (TurnRequest.listeners): queues each event. */
  readonly listener: TurnListener = (event) => {
    if (this.ended) return;
    this.waiting.push(event);
    if (endsTurn(event)) this.ended = true;
    this.wake?.();
  };

  /** The turn's events from its first, until its last or until `signal` aborts. Read it once. */
  async *events(signal?: AbortSignal): AsyncGenerator<TurnEvent> {
    const aborted = () => this.wake?.();
    signal?.addEventListener('abort', aborted, { once: true });
    try {
      while (!signal?.aborted) {
        const event = this.waiting.shift();
        if (event) {
          yield event;
          if (endsTurn(event)) return;
          continue;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    } finally {
      signal?.removeEventListener('abort', aborted);
    }
  }
}
