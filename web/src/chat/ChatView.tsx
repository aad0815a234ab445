// The chat: the AI SDK's useChat over POST /api/chat, with the picked models named in each request. An existing
// conversation is loaded first (GET /api/conversations/:id/messages); a reply still running is re-attached to.
import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport } from 'ai';
import { useEffect, useMemo, useRef, useState } from 'react';
import { apiRequest } from '../api.ts';
import { isGroup, leadModelIdOf } from '../group/conversation-api.ts';
import { ConversationPanel } from '../group/ConversationPanel.tsx';
import { GroupSummary, senderOf } from '../group/GroupSummary.tsx';
import { useConversationDetails } from '../group/use-conversation.ts';
import { useLiveThread } from '../group/use-live-thread.ts';
import type { ChorusMessage, PickableModel, VoteValue } from '../types.ts';
import { Composer } from './Composer.tsx';
import { AssistantTurn, type ReplyContext, UserMessage } from './MessageView.tsx';
import { ModelPicker, modelLabel } from './ModelPicker.tsx';
import { repliesOf } from './replies.ts';
import { castVote, emptyThread, fetchThread, type Thread } from './thread.ts';
/** A stop request ends the replies on the server, which then closes the stream; past this, stop reading anyway. */
const STOP_GRACE_MS = 3_000;

type ScreenProps = {
  conversationId: string;
  /** The signed-in person: their own messages can be edited, others' are named. */
  viewerId: string;
  /** Started in this tab: nothing to load yet. */
  fresh: boolean;
  models: PickableModel[];
  onStarted: (conversationId: string) => void;
  onFinished: () => void;
};

export function ChatScreen({ conversationId, viewerId, fresh, models, onStarted, onFinished }: ScreenProps) {
  const [loaded, setLoaded] = useState<Thread | null>(fresh ? emptyThread() : null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (fresh) return;
    let current = true;
    fetchThread(conversationId)
      .then((thread) => current && setLoaded(thread))
      .catch((error: unknown) => current && setProblem(error instanceof Error ? error.message : String(error)));
    return () => {
      current = false;
    };
  }, [conversationId, fresh]);

  if (problem) {
    return (
      <div className="chat-placeholder" role="alert">
        This conversation cannot be opened: {problem}
      </div>
    );
  }
  if (!loaded) return <div className="chat-placeholder">Loading…</div>;
  return (
    <ChatSession
      conversationId={conversationId}
      viewerId={viewerId}
      exists={!fresh}
      initialThread={loaded}
      models={models}
      onStarted={onStarted}
      onFinished={onFinished}
    />
  );
}

type SessionProps = {
  conversationId: string;
  viewerId: string;
  /** Saved on the server already (else its details and events are not there until the first turn). */
  exists: boolean;
  initialThread: Thread;
  models: PickableModel[];
  onStarted: (conversationId: string) => void;
  onFinished: () => void;
};

function ChatSession({ conversationId, viewerId, exists: existedAtStart, initialThread, models, onStarted, onFinished }: SessionProps) {
  const initialMessages = initialThread.messages;
  const [selected, setSelected] = useState<string[]>(() => initialModelIds(initialMessages, models));
  const [exists, setExists] = useState(existedAtStart);
  const { details, reload: reloadDetails } = useConversationDetails(conversationId, exists);
  const group = isGroup(details);
  const [panelOpen, setPanelOpen] = useState(false);
  const [stored, setStored] = useState({ names: initialThread.names, avatars: initialThread.avatars });
  const [votes, setVotes] = useState<ReadonlyMap<string, VoteValue>>(initialThread.votes);
  // A group's own models answer (its panel sets them); a one-person chat names the models picked here.
  const groupRef = useRef(group);
  groupRef.current = group;
  // The transport is made once per chat; it reads the models picked at the moment a request leaves.
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChorusMessage>({
        api: '/api/chat',
        // The server reads only the newest message (it keeps the history), so only that one is sent.
        prepareSendMessagesRequest: ({ id, messages, trigger, messageId }) => {
          const last = messages.at(-1);
          // Only what the server reads: an edit's message also carries useChat's `messageId`.
          const message = last && { id: last.id, role: last.role, parts: last.parts };
          return { body: { id, message, trigger, messageId, ...(groupRef.current ? {} : { modelIds: selectedRef.current }) } };
        },
      }),
    [],
  );
  const chat = useChat<ChorusMessage>({
    id: conversationId,
    messages: initialMessages,
    transport,
    onFinish: () => {
      setExists(true);
      onFinished();
    },
  });
  const busy = chat.status === 'submitted' || chat.status === 'streaming';

  useLiveThread({
    conversationId,
    enabled: exists,
    busy,
    messages: chat.messages,
    setMessages: chat.setMessages,
    onThread: (thread) => {
      setStored({ names: thread.names, avatars: thread.avatars });
      setVotes(thread.votes);
    },
    onMembersChanged: () => void reloadDetails(),
  });

  // The models picked once the picker knows them (GET /api/models may answer after the chat opened).
  useEffect(() => {
    if (models.length > 0 && !selected.some((id) => models.some((model) => model.id === id))) {
      setSelected(initialModelIds(initialMessages, models));
    }
  }, [models, selected, initialMessages]);

  // A reply that was still being written when the page loaded: follow it to its end.
  useEffect(() => {
    const last = initialMessages.at(-1);
    if (last?.role === 'assistant' && repliesOf(last).some((reply) => reply.streaming)) void chat.resumeStream();
    // Once, when the chat opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const modelNames = useMemo(() => {
    const names = new Map(stored.names);
    for (const model of models) names.set(model.id, modelLabel(model));
    return names;
  }, [models, stored.names]);
  const modelAvatars = useMemo(() => {
    const avatars = new Map(stored.avatars);
    for (const model of [...models, ...(details?.models ?? [])]) {
      const id = 'modelId' in model ? model.modelId : model.id;
      if (model.avatar) avatars.set(id, model.avatar);
    }
    return avatars;
  }, [models, details, stored.avatars]);

  function vote(messageId: string, value: VoteValue) {
    const next = votes.get(messageId) === value ? null : value;
    const previous = votes;
    setVotes((current) => withVote(current, messageId, next));
    castVote(conversationId, messageId, next).catch(() => setVotes(previous));
  }
  const replyContext: ReplyContext = { modelNames, modelAvatars, leadModelId: leadModelIdOf(details), votes, onVote: vote };

  const stopTimer = useRef<number | undefined>(undefined);
  async function stop() {
    // The server keeps what each model said (status stopped) and ends the stream; the local abort is a fallback.
    window.clearTimeout(stopTimer.current);
    stopTimer.current = window.setTimeout(() => void chat.stop(), STOP_GRACE_MS);
    try {
      await apiRequest('POST', `/api/chat/${conversationId}/stop`);
    } catch {
      void chat.stop();
    }
  }
  useEffect(() => {
    if (!busy) window.clearTimeout(stopTimer.current);
  }, [busy]);

  // Esc stops the replies, wherever the focus is.
  const stopRef = useRef(stop);
  stopRef.current = stop;
  useEffect(() => {
    if (!busy) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !document.querySelector('dialog[open], details[open]')) void stopRef.current();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [busy]);

  // Follows the newest text while the reader is at the bottom; leaves them be when they scrolled up.
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const element = scroller.current;
    if (element && pinned.current) element.scrollTop = element.scrollHeight;
  }, [chat.messages]);

  function send(text: string) {
    if (chat.messages.length === 0) onStarted(conversationId);
    void chat.sendMessage({ text });
  }

  const lastAssistantIndex = chat.messages.findLastIndex((message) => message.role === 'assistant');
  return (
    <div className="chat">
      <div className="chat-toolbar">
        {group && details ? <GroupSummary details={details} /> : <ModelPicker models={models} selected={selected} onChange={setSelected} />}
        {details && (
          <button type="button" className="secondary panel-toggle" aria-expanded={panelOpen} onClick={() => setPanelOpen((open) => !open)}>
            {panelOpen ? 'Close settings' : 'Group settings'}
          </button>
        )}
      </div>
      {panelOpen && details && <ConversationPanel details={details} models={models} onChanged={() => void reloadDetails()} />}
      <div
        className="messages"
        ref={scroller}
        onScroll={(event) => {
          const element = event.currentTarget;
          pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
        }}
        aria-live="polite"
      >
        {chat.messages.length === 0 && (
          <div className="chat-placeholder">
            <h2>What shall we talk about?</h2>
            <p className="muted">Pick one model, or several to see their answers side by side.</p>
          </div>
        )}
        {chat.messages.map((message, index) =>
          message.role === 'user' ? (
            <UserMessage
              key={message.id}
              message={message}
              sender={group ? senderOf(message, details, viewerId) : undefined}
              onEdit={!busy && isMine(message, viewerId) ? (text) => void chat.sendMessage({ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }], messageId: message.id }) : undefined}
            />
          ) : message.role === 'assistant' ? (
            <AssistantTurn
              key={message.id}
              message={message}
              context={replyContext}
              canRegenerate={index === lastAssistantIndex && !busy}
              onRegenerate={() => void chat.regenerate({ messageId: message.id })}
            />
          ) : null,
        )}
        {chat.status === 'submitted' && <p className="muted waiting">Waiting for the first words…</p>}
        {chat.error && (
          <div className="chat-error" role="alert">
            {describeChatError(chat.error)}{' '}
            <button type="button" className="link" onClick={() => chat.clearError()}>
              Dismiss
            </button>
          </div>
        )}
      </div>
      <Composer busy={busy} disabled={models.length === 0} onSend={send} onStop={() => void stop()} />
    </div>
  );
}

/** Messages sent from this page carry no sender; stored ones name theirs. */
const isMine = (message: ChorusMessage, viewerId: string) => (message.metadata?.senderId ?? viewerId) === viewerId;

function withVote(votes: ReadonlyMap<string, VoteValue>, messageId: string, value: VoteValue | null): Map<string, VoteValue> {
  const next = new Map(votes);
  if (value) next.set(messageId, value);
  else next.delete(messageId);
  return next;
}

/** The last turn's models when they can still answer; else the first real model (the offline echo last). */
function initialModelIds(messages: ChorusMessage[], models: PickableModel[]): string[] {
  const pickable = new Set(models.map((model) => model.id));
  const lastTurn = messages.findLast((message) => message.role === 'assistant');
  const previous = lastTurn ? repliesOf(lastTurn).flatMap((reply) => (reply.modelId && pickable.has(reply.modelId) ? [reply.modelId] : [])) : [];
  if (previous.length > 0) return [...new Set(previous)];
  const fallback = models.find((model) => model.provider !== 'local') ?? models[0];
  return fallback ? [fallback.id] : [];
}

/** The transport's error carries the response body: show the API's message, not its JSON. */
function describeChatError(error: Error): string {
  try {
    const body = JSON.parse(error.message) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // Not JSON: the message is already words.
  }
  return error.message || 'The reply failed.';
}
