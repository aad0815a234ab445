// Follows every turn for the metrics: a turn counted when it starts, each reply when it ends. Every other event
// (the streamed text above all) passes through one comparison and nothing else.
import type { TurnListener, TurnSubscriber } from '../chat/turn-events.ts';
import type { ServerMetrics } from './server-metrics.ts';

export function measureTurns(metrics: ServerMetrics): TurnSubscriber {
  const listener: TurnListener = (event) => {
    if (event.type === 'reply-finished') {
      metrics.countReply({ ...event.summary, firstTextMs: event.firstTextMs, failure: event.failure });
    } else if (event.type === 'turn-started') {
      metrics.countTurn();
    }
  };
  // Nothing per turn to remember: every turn shares the one listener.
  return () => listener;
}
