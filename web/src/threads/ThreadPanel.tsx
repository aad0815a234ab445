// A thread beside the chat: the message it hangs on, its messages, and a composer of its own. Loaded on demand. Live
// like the chat: the conversation's events (handed over by ChatView, which follows them) bring other people's
// messages and every model's reply; a reply's text is patched in as it streams, anything else refetches the thread.
// On a narrow screen it covers the chat until closed.
import type { FileUIPart } from 'ai';
import { type RefObject, useEffect, useRef, useState } from 'react';
import type { AnsweringModel } from '../chat/answering-models.ts';
import type { ReplyContext } from '../chat/MessageView.tsx';
import { useStopReplies } from '../chat/use-stop-replies.ts';
import type { WebSearchSetting } from '../chat/WebSearchControl.tsx';
import { withReplyDelta } from '../group/live-thread.ts';
import type { ChatRequestExtras, ConversationDetails, ConversationEvent } from '../types.ts';
import { fetchSideThread, postInThread, type SideThread } from './thread-api.ts';
import type { ThreadViews } from './thread-views.ts';

/** Events of one burst lead to one refetch. */
const REFETCH_DELAY_MS = 120;

export type ThreadEventListener = (event: ConversationEvent) => void;

export type ThreadPanelProps = {
  conversationId: string;
  /** The message whose thread this is (or one inside it). */
  messageId: string;
  viewerId: string;
  details: ConversationDetails | null;
  replyContext: ReplyContext;
  /** False for someone who only reads: no composer. */
  canWrite: boolean;
  answering: AnsweringModel[];
  /** The models the chat would ask now (none in a group: its own models answer). */
  requestExtras: () => ChatRequestExtras;
  /** Where ChatView hands over each event of the conversation while the panel is open. */
  events: RefObject<ThreadEventListener | undefined>;
  /** The chat's components (see thread-views.ts). */
  views: ThreadViews;
  onClose: () => void;
};

export function ThreadPanel(props: ThreadPanelProps) {
  const { conversationId, messageId, viewerId, details, replyContext, events } = props;
  const { Composer, AssistantTurn, UserMessage, webSearchRequest, senderOf } = props.views;
  const [thread, setThread] = useState<SideThread | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const [sending, setSending] = useState<AbortController | null>(null);
  const [webSearch, setWebSearch] = useState<WebSearchSetting>({ on: false, contextSize: 'medium' });
  const live = useRef({ thread, replies: new Set<string>(), timer: undefined as number | undefined });
  live.current.thread = thread;

  // biome-ignore lint/correctness/useExhaustiveDependencies(reloads): a trigger, deliberately not read
  useEffect(() => {
    let current = true;
    fetchSideThread(conversationId, messageId)
      .then((found) => current && setThread(found))
      .catch((error: unknown) => current && setProblem(error instanceof Error ? error.message : String(error)));
    return () => {
      current = false;
    };
  }, [conversationId, messageId, reloads]);

  useEffect(() => {
    const state = live.current;
    const reloadSoon = () => {
      window.clearTimeout(state.timer);
      state.timer = window.setTimeout(() => setReloads((count) => count + 1), REFETCH_DELAY_MS);
    };
    events.current = (event) => {
      const rootId = state.thread?.rootId;
      if (!rootId) return;
      if (event.type === 'message-created' && event.message.threadRootId === rootId) reloadSoon();
      else if (event.type === 'reply-created' && event.threadRootId === rootId) {
        state.replies.add(event.messageId);
        reloadSoon();
      } else if (event.type === 'reply-delta' && state.replies.has(event.messageId)) {
        const patched = state.thread && withReplyDelta(state.thread.messages, event.messageId, event.delta);
        if (patched) setThread({ ...state.thread!, messages: patched });
        else reloadSoon();
      } else if (event.type === 'reply-finished' && state.replies.has(event.messageId)) reloadSoon();
      else if (event.type === 'messages-deleted' || event.type === 'reset') reloadSoon();
    };
    return () => {
      events.current = undefined;
      window.clearTimeout(state.timer);
    };
  }, [events]);

  const stop = useStopReplies(conversationId, sending !== null, async () => sending?.abort());

  async function send(text: string, files: FileUIPart[]) {
    if (!thread) return;
    const controller = new AbortController();
    setSending(controller);
    setProblem(null);
    const parts = [...(text.trim() ? [{ type: 'text' as const, text }] : []), ...files];
    const extras = { ...props.requestExtras(), webSearch: webSearchRequest(webSearch, props.answering) };
    try {
      await postInThread({ conversationId, threadId: thread.rootId, parts, extras, signal: controller.signal });
    } catch (error) {
      if (!controller.signal.aborted) setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setSending(null);
      setReloads((count) => count + 1);
    }
  }

  const context: ReplyContext = {
    ...replyContext,
    modelNames: new Map([...(thread?.names ?? []), ...replyContext.modelNames]),
    modelAvatars: new Map([...(thread?.avatars ?? []), ...replyContext.modelAvatars]),
    votes: new Map([...(thread?.votes ?? []), ...replyContext.votes]),
    onOpenThread: undefined,
  };
  const show = (message: SideThread['messages'][number]) =>
    message.role === 'user' ? (
      <UserMessage key={message.id} message={message} sender={senderOf(message, details, viewerId)} />
    ) : (
      <AssistantTurn key={message.id} message={message} context={context} canRegenerate={false} onRegenerate={noop} />
    );

  return (
    <aside className="thread-panel" aria-label="Thread">
      <header className="thread-panel-header">
        <h2>Thread</h2>
        <button type="button" className="secondary" onClick={props.onClose}>
          Close thread
        </button>
      </header>
      {problem && (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      )}
      {thread ? (
        <div className="thread-messages">
          {thread.root.map(show)}
          <p className="muted thread-count">
            {thread.messages.length === 0 ? 'No replies yet: start the thread.' : 'In this thread'}
          </p>
          {thread.messages.map(show)}
        </div>
      ) : (
        !problem && <p className="muted">Loading…</p>
      )}
      {props.canWrite && thread && (
        <Composer
          busy={sending !== null}
          disabled={false}
          answering={props.answering}
          webSearch={webSearch}
          onWebSearchChange={setWebSearch}
          onSend={(text, files) => void send(text, files)}
          onStop={() => void stop()}
        />
      )}
    </aside>
  );
}

const noop = () => {};
