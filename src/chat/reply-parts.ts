// What a reply stores as AI SDK UI message parts: its text, cut where it called tools so each call sits after the
// words that led to it, then the pages it cites; and the saver that offers the growing reply to be written.
import type { MessagePart } from '../db/schema/index.ts';
import type { PartialReplySaves } from './partial-reply-saves.ts';

/** A web page the reply cites, as the AI SDK UI part. */
export type SourceUrlPart = { type: 'source-url'; sourceId: string; url: string; title?: string };

/** A tool part, and how much of the reply's text came before the call. */
export type PlacedToolPart = { at: number; part: MessagePart };

/** The reply's parts: text and tool calls in the order they came, then the pages it cites. */
export function replyParts(text: string, sources: SourceUrlPart[], tools: PlacedToolPart[] = []): MessagePart[] {
  const parts: MessagePart[] = [];
  let start = 0;
  for (const { at, part } of tools) {
    const end = Math.min(at, text.length);
    if (end > start) parts.push({ type: 'text', text: text.slice(start, end) });
    start = Math.max(start, end);
    parts.push(part);
  }
  if (text.length > start) parts.push({ type: 'text', text: text.slice(start) });
  return [...parts, ...sources];
}

/**
 * Offers the growing reply to be saved (see partial-reply-saves.ts), never blocking the stream; nothing before the
 * pending row exists (`created`), nothing after `settle`. `sources` and `tools` are the reply's own lists, read
 * when the write is made.
 */
export function createPartialSaver(
  saves: PartialReplySaves,
  messageId: string,
  created: Promise<void>,
  { sources, tools }: { sources: SourceUrlPart[]; tools: PlacedToolPart[] },
) {
  let exists = false;
  let settled = false;
  created.then(
    () => (exists = true),
    () => {},
  );
  let text = '';
  // One reader for the reply's whole life: offering a chunk allocates nothing.
  const current = () => ({ content: text, parts: replyParts(text, sources, tools) });
  return {
    offer(latest: string) {
      if (!exists || settled) return;
      text = latest;
      saves.offer(messageId, current);
    },
    settle: () => {
      settled = true;
      return saves.settle(messageId);
    },
  };
}
