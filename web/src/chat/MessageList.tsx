// The thread on screen: earlier messages on request (a button at the top, also pressed by scrolling up to it), each
// message in order, and the state of the turn under way. It follows the newest text while the reader is at the
// bottom and leaves them be when they scrolled up.
import { type RefObject, useEffect, useRef } from 'react';
import { senderOf } from '../group/GroupSummary.tsx';
import type { ChorusMessage, ConversationDetails, PickableModel } from '../types.ts';
import { AssistantTurn, type ReplyContext, UserMessage } from './MessageView.tsx';

/** What the reader may do with the messages; absent for someone who only reads a public conversation. */
export type MessageActions = {
  onEdit: (message: ChorusMessage, text: string) => void;
  onRegenerate: (messageId: string) => void;
  /** Another model answers the newest message, beside its replies: those the reader may pick. */
  anotherModels: PickableModel[];
  onAskAnother: (messageId: string, modelId: string) => void;
};

export type OlderMessages = {
  cursor: string | null;
  loading: boolean;
  problem: string | null;
  load: () => Promise<void>;
};

type Props = {
  scroller: RefObject<HTMLDivElement | null>;
  messages: ChorusMessage[];
  viewerId: string;
  /** Who is in the conversation, to name the people who wrote (null until loaded, or for a chat not saved yet). */
  details: ConversationDetails | null;
  busy: boolean;
  waiting: boolean;
  replyContext: ReplyContext;
  actions: MessageActions | null;
  older: OlderMessages;
  /** Older pages were there when the thread opened: the top says where the conversation begins. */
  paged: boolean;
  emptyHint: string;
  error: string | null;
  onDismissError: () => void;
};

export function MessageList(props: Props) {
  const { scroller, messages, viewerId, details, busy, replyContext, actions, older } = props;
  const pinned = useRef(true);
  const top = useRef<HTMLDivElement>(null);

  // After every render, whatever made the thread taller (a message, a streamed word, a reply's usage line): a
  // reader at its end stays there.
  useEffect(() => {
    const element = scroller.current;
    if (element && pinned.current) element.scrollTop = element.scrollHeight;
  });

  // Scrolling up to the top loads the page before (and the next, while the top stays in view).
  const { cursor: olderCursor, load: loadOlder } = older;
  useEffect(() => {
    const element = top.current;
    if (!element || !olderCursor) return;
    const observer = new IntersectionObserver(
      (entries) => entries.some((entry) => entry.isIntersecting) && void loadOlder(),
      { root: scroller.current },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [olderCursor, loadOlder, scroller]);

  const lastAssistantIndex = messages.findLastIndex((message) => message.role === 'assistant');
  return (
    <div
      className="messages"
      ref={scroller}
      onScroll={(event) => {
        const element = event.currentTarget;
        pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
      }}
      aria-live="polite"
    >
      {(older.cursor || props.paged) && (
        <div className="thread-top" ref={top}>
          {older.cursor ? (
            <button type="button" className="link" disabled={older.loading} onClick={() => void older.load()}>
              {older.loading ? 'Loading earlier messages…' : 'Load earlier messages'}
            </button>
          ) : (
            <span className="muted">The beginning of the conversation</span>
          )}
          {older.problem && (
            <span className="form-problem" role="alert">
              {' '}
              Earlier messages could not be loaded: {older.problem}
            </span>
          )}
        </div>
      )}
      {messages.length === 0 && (
        <div className="chat-placeholder">
          <h2>What shall we talk about?</h2>
          <p className="muted">{props.emptyHint}</p>
        </div>
      )}
      {messages.map((message, index) =>
        message.role === 'user' ? (
          <UserMessage
            key={message.id}
            message={message}
            sender={senderOf(message, details, viewerId)}
            onEdit={actions && !busy && isMine(message, viewerId) ? (text) => actions.onEdit(message, text) : undefined}
            onOpenThread={replyContext.onOpenThread && (() => replyContext.onOpenThread?.(message.id))}
          />
        ) : message.role === 'assistant' ? (
          <AssistantTurn
            key={message.id}
            message={message}
            context={replyContext}
            canRegenerate={actions !== null && index === lastAssistantIndex && !busy}
            onRegenerate={() => actions?.onRegenerate(message.id)}
            askAnother={
              actions
                ? { models: actions.anotherModels, onAsk: (modelId) => actions.onAskAnother(message.id, modelId) }
                : undefined
            }
          />
        ) : null,
      )}
      {props.waiting && <p className="muted waiting">Waiting for the first words…</p>}
      {props.error && (
        <div className="chat-error" role="alert">
          {props.error}{' '}
          <button type="button" className="link" onClick={props.onDismissError}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}

/** Messages sent from this page carry no sender; stored ones name theirs. */
const isMine = (message: ChorusMessage, viewerId: string) => (message.metadata?.senderId ?? viewerId) === viewerId;
