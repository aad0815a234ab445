// The chat: the AI SDK's useChat over POST /api/chat, with the picked models named in each request. An existing
// conversation is loaded first (GET /api/conversations/:id/messages); a reply still running is re-attached to.
import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport } from 'ai';
import { useEffect, useMemo, useRef, useState } from 'react';
import { apiRequest } from '../api.ts';
import type { ChorusMessage, ModelNames, Page, PickableModel, StoredMessage } from '../types.ts';
import { Composer } from './Composer.tsx';
import { AssistantTurn, UserMessage } from './MessageView.tsx';
import { ModelPicker, modelLabel } from './ModelPicker.tsx';
import { repliesOf } from './replies.ts';
import { modelNamesOf, toChatMessages } from './stored-messages.ts';

/** The newest messages shown when a conversation opens. */
const HISTORY_PAGE_SIZE = 100;
/** A stop request ends the replies on the server, which then closes the stream; past this, stop reading anyway. */
const STOP_GRACE_MS = 3_000;

type ScreenProps = {
  conversationId: string;
  /** Started in this tab: nothing to load yet. */
  fresh: boolean;
  models: PickableModel[];
  onStarted: (conversationId: string) => void;
  onFinished: () => void;
};

export function ChatScreen({ conversationId, fresh, models, onStarted, onFinished }: ScreenProps) {
  const [loaded, setLoaded] = useState<{ messages: ChorusMessage[]; names: Map<string, string> } | null>(
    fresh ? { messages: [], names: new Map() } : null,
  );
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (fresh) return;
    let current = true;
    apiRequest<Page<StoredMessage>>('GET', `/api/conversations/${conversationId}/messages?limit=${HISTORY_PAGE_SIZE}`)
      .then((page) => {
        if (!current) return;
        const oldestFirst = [...page.items].reverse();
        setLoaded({ messages: toChatMessages(oldestFirst), names: modelNamesOf(oldestFirst) });
      })
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
      initialMessages={loaded.messages}
      storedModelNames={loaded.names}
      models={models}
      onStarted={onStarted}
      onFinished={onFinished}
    />
  );
}

type SessionProps = {
  conversationId: string;
  initialMessages: ChorusMessage[];
  storedModelNames: ModelNames;
  models: PickableModel[];
  onStarted: (conversationId: string) => void;
  onFinished: () => void;
};

function ChatSession({ conversationId, initialMessages, storedModelNames, models, onStarted, onFinished }: SessionProps) {
  const [selected, setSelected] = useState<string[]>(() => initialModelIds(initialMessages, models));
  // The transport is made once per chat; it reads the models picked at the moment a request leaves.
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChorusMessage>({
        api: '/api/chat',
        // The server reads only the newest message (it keeps the history), so only that one is sent.
        prepareSendMessagesRequest: ({ id, messages, trigger, messageId }) => ({
          body: { id, message: messages.at(-1), trigger, messageId, modelIds: selectedRef.current },
        }),
      }),
    [],
  );
  const chat = useChat<ChorusMessage>({ id: conversationId, messages: initialMessages, transport, onFinish: () => onFinished() });
  const busy = chat.status === 'submitted' || chat.status === 'streaming';

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
    const names = new Map(storedModelNames);
    for (const model of models) names.set(model.id, modelLabel(model));
    return names;
  }, [models, storedModelNames]);

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
        <ModelPicker models={models} selected={selected} onChange={setSelected} />
      </div>
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
            <UserMessage key={message.id} message={message} />
          ) : message.role === 'assistant' ? (
            <AssistantTurn
              key={message.id}
              message={message}
              modelNames={modelNames}
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
