// The way into a message's thread, under the message: "Reply in thread" while it has none, then how many messages the
// thread holds and when the newest came, which opens it beside the conversation.
import type { ThreadSummary } from '../types.ts';

export function ThreadLink({ thread, onOpen }: { thread?: ThreadSummary | null; onOpen: () => void }) {
  return (
    <button type="button" className="link thread-link" onClick={onOpen}>
      {thread
        ? `${thread.replyCount} ${thread.replyCount === 1 ? 'reply' : 'replies'} · last reply ${whenShort(thread.lastReplyAt)}`
        : 'Reply in thread'}
    </button>
  );
}

/** The time of day for today, else the date. */
function whenShort(iso: string): string {
  const at = new Date(iso);
  const today = at.toDateString() === new Date().toDateString();
  return today
    ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : at.toLocaleDateString([], { day: 'numeric', month: 'short' });
}
