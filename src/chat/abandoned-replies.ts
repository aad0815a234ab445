// A reply whose server process died mid-stream would look `streaming` forever. Every process sweeps now and
// then and ends such replies as `error`, keeping the text saved so far: a reply counts as abandoned once it has
// been quiet longer than any live one can be (a live reply saves as it grows; its provider call gives up after
// the timeout, retries included).
import type { Environment } from '../config/env.ts';
import { logError } from '../loggable-error.ts';
import type { AbandonedReply, ReplyStore } from '../store/replies.ts';

const MARGIN_MS = 60_000;
const LONGEST_SWEEP_INTERVAL_MS = 5 * 60_000;

type Timing = Pick<Environment, 'CHORUS_PROVIDER_TIMEOUT_MS' | 'CHORUS_PROVIDER_MAX_RETRIES'>;

/** How long a reply may go without a save before it is taken for abandoned. */
export function abandonedAfterMs(env: Timing): number {
  return env.CHORUS_PROVIDER_TIMEOUT_MS * (env.CHORUS_PROVIDER_MAX_RETRIES + 1) + MARGIN_MS;
}

export type SweeperOptions = {
  quietMs: number;
  /** At start-up on an embedded database no other process can be writing: every streaming reply is abandoned. */
  soleWriter: boolean;
  log: (line: string) => void;
  /** Told of the replies ended, so the people following their conversations see them end too. */
  onEnded?: (replies: AbandonedReply[]) => void;
};

/** Sweeps once now, then periodically until stopped. */
export async function startAbandonedReplySweeper(replies: ReplyStore, options: SweeperOptions) {
  const sweep = async (quietSince: Date) => {
    try {
      const ended = await replies.endAbandonedReplies({ quietSince });
      if (ended.length > 0) {
        options.log(`ended ${ended.length} replies left streaming by a stopped server`);
        options.onEnded?.(ended);
      }
    } catch (error) {
      logError('sweeping abandoned replies failed', error);
    }
  };
  await sweep(options.soleWriter ? new Date() : new Date(Date.now() - options.quietMs));
  const timer = setInterval(
    () => void sweep(new Date(Date.now() - options.quietMs)),
    Math.min(options.quietMs / 2, LONGEST_SWEEP_INTERVAL_MS),
  );
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
