// The chat: the AI SDK's useChat over POST /api/chat, with the picked models (and web search) named in each request.
// An existing conversation is loaded first (its newest page of messages, older ones on request); a reply still
// running is re-attached to. Someone who reads a public conversation without being in it gets no composer.
import { useChat } from '@ai-sdk/react';
import type { FileUIPart } from 'ai';
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api.ts';
import { useDocumentPanel } from '../documents/use-document-panel.ts';
import { isGroup, leadModelIdOf } from '../group/conversation-api.ts';
import { useConversationDetails } from '../group/use-conversation.ts';
import { type Departure, useLiveThread } from '../group/use-live-thread.ts';
import { ThreadPanelSlot, useThreadPanel } from '../threads/thread-panel-slot.tsx';
import type { ChorusMessage, PickableModel, VoteValue } from '../types.ts';
import { answeringModels } from './answering-models.ts';
import { ChatToolbar } from './ChatToolbar.tsx';
import { Composer } from './Composer.tsx';
import { createChatTransport, describeChatError } from './chat-transport.ts';
import { MessageList } from './MessageList.tsx';
import type { ReplyContext } from './MessageView.tsx';
import { modelLabel } from './ModelPicker.tsx';
import { initialModelIds } from './model-choice.ts';
import { repliesOf } from './replies.ts';
import { castVote, emptyThread, fetchThread, type Thread } from './thread.ts';
import { useMessageActions } from './use-message-actions.ts';
import { useMessageJump } from './use-message-jump.ts';
import { useOlderMessages } from './use-older-messages.ts';
import { useStopReplies } from './use-stop-replies.ts';
import { type WebSearchSetting, webSearchRequest } from './WebSearchControl.tsx';

// Opened on demand: loaded then, not with the first screen.
const DocumentPanel = lazy(() =>
  import('../documents/DocumentPanel.tsx').then((module) => ({ default: module.DocumentPanel })),
);

type ScreenProps = {
  conversationId: string;
  /** The signed-in person: their own messages can be edited, others' are named. */
  viewerId: string;
  /** Started in this tab: nothing to load yet. */
  fresh: boolean;
  models: PickableModel[];
  /** The person's default models (preferences), for a chat with no turn yet. */
  defaultModelIds: readonly string[];
  onStarted: (conversationId: string) => void;
  onFinished: () => void;
  /** The reader left the conversation (it is no longer theirs to show). */
  onLeft: () => void;
};

export function ChatScreen({ conversationId, fresh, ...session }: ScreenProps) {
  const [loaded, setLoaded] = useState<Thread | null>(fresh ? emptyThread() : null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (fresh) return;
    let current = true;
    fetchThread(conversationId)
      .then((thread) => current && setLoaded(thread))
      .catch((error: unknown) => {
        if (!current) return;
        if (error instanceof ApiError && error.status === 404)
          setProblem('it does not exist, or it is private and you are not in it.');
        else setProblem(error instanceof Error ? error.message : String(error));
      });
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
  return <ChatSession conversationId={conversationId} exists={!fresh} initialThread={loaded} {...session} />;
}

type SessionProps = Omit<ScreenProps, 'fresh'> & {
  /** Saved on the server already (else its details and events are not there until the first turn). */
  exists: boolean;
  initialThread: Thread;
};

function ChatSession({
  conversationId,
  viewerId,
  exists: existedAtStart,
  initialThread,
  models,
  defaultModelIds,
  onStarted,
  onFinished,
  onLeft,
}: SessionProps) {
  const initialMessages = initialThread.messages;
  const [selected, setSelected] = useState<string[]>(() => initialModelIds(initialMessages, models, defaultModelIds));
  const [exists, setExists] = useState(existedAtStart);
  const {
    details,
    loading: detailsLoading,
    reload: reloadDetails,
    replace: replaceDetails,
  } = useConversationDetails(conversationId, exists);
  const group = isGroup(details);
  const [stored, setStored] = useState({ names: initialThread.names, avatars: initialThread.avatars });
  const [votes, setVotes] = useState<ReadonlyMap<string, VoteValue>>(initialThread.votes);
  const [webSearch, setWebSearch] = useState<WebSearchSetting>({ on: false, contextSize: 'medium' });
  // Removed by someone, left from another tab, or deleted: what is shown stays, to read, and nothing more.
  const [departed, setDeparted] = useState<Departure | null>(null);
  // Someone who reads it because it is public, without being in it; or who is no longer in it.
  const readOnly = (details !== null && details.role === null) || departed !== null;
  const answering = answeringModels({ group, details, selected, models });

  // The transport is made once per chat; it reads what is chosen at the moment a request leaves. A group's own
  // models answer (its panel sets them); a one-person chat names the models picked here.
  const requestChoices = useRef({ group, selected, webSearch: webSearchRequest(webSearch, answering) });
  requestChoices.current = { group, selected, webSearch: webSearchRequest(webSearch, answering) };
  const requestExtras = useRef(() => {
    const { group: inGroup, selected: modelIds, webSearch: search } = requestChoices.current;
    return { ...(inGroup ? {} : { modelIds }), ...(search ? { webSearch: search } : {}) };
  }).current;
  const transport = useMemo(() => createChatTransport(requestExtras), [requestExtras]);
  const threadPanel = useThreadPanel();
  const documentPanel = useDocumentPanel();
  const chat = useChat<ChorusMessage>({
    id: conversationId,
    messages: initialMessages,
    transport,
    onData: documentPanel.onData,
    onFinish: () => {
      setExists(true);
      documentPanel.settle();
      onFinished();
    },
  });
  const busy = chat.status === 'submitted' || chat.status === 'streaming';
  const scroller = useRef<HTMLDivElement>(null);

  const rememberPage = (thread: Thread) => {
    setStored((current) => ({
      names: new Map([...current.names, ...thread.names]),
      avatars: new Map([...current.avatars, ...thread.avatars]),
    }));
    setVotes((current) => new Map([...current, ...thread.votes]));
  };
  const older = useOlderMessages({
    conversationId,
    initialCursor: initialThread.olderCursor,
    scroller,
    messages: chat.messages,
    setMessages: chat.setMessages,
    busy,
    onPage: rememberPage,
  });

  useMessageJump({ scroller, messages: chat.messages, older });

  useLiveThread({
    conversationId,
    viewerId,
    enabled: exists && departed === null,
    busy,
    messages: chat.messages,
    setMessages: chat.setMessages,
    onThread: (thread, keptOlder) => {
      rememberPage(thread);
      if (!keptOlder) older.setCursor(thread.olderCursor);
    },
    onMembersChanged: () => void reloadDetails(),
    onEvent: threadPanel.onEvent,
    onDeparted: (departure) => {
      setDeparted(departure);
    },
  });

  // The models picked once the picker knows them (GET /api/models may answer after the chat opened).
  useEffect(() => {
    if (models.length > 0 && !selected.some((id) => models.some((model) => model.id === id))) {
      setSelected(initialModelIds(initialMessages, models, defaultModelIds));
    }
  }, [models, selected, initialMessages, defaultModelIds]);

  // A reply that was still being written when the page loaded: follow it to its end. Both are the chat's own for
  // as long as it is open (useChat keeps one Chat per conversation id), so this runs once, when the chat opens.
  const { resumeStream } = chat;
  useEffect(() => {
    const last = initialMessages.at(-1);
    if (last?.role === 'assistant' && repliesOf(last).some((reply) => reply.streaming)) void resumeStream();
  }, [initialMessages, resumeStream]);

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
  const replyContext: ReplyContext = {
    modelNames,
    modelAvatars,
    leadModelId: leadModelIdOf(details),
    votes,
    onVote: readOnly ? undefined : vote,
    onOpenDocument: documentPanel.open,
    // One panel beside the chat at a time: a thread opened closes the document; a document (opened, or being
    // written) covers the thread until it is closed.
    onOpenThread: exists
      ? (messageId) => {
          documentPanel.close();
          threadPanel.open(messageId);
        }
      : undefined,
  };

  const stop = useStopReplies(conversationId, busy, chat.stop);

  function send(text: string, files: FileUIPart[]) {
    if (chat.messages.length === 0) onStarted(conversationId);
    void chat.sendMessage(text.trim() ? { text, files } : { files });
  }
  const { actions, askProblem, clearAskProblem } = useMessageActions({ chat, conversationId, models, readOnly });

  return (
    <div className={documentPanel.documentId || threadPanel.messageId ? 'chat with-document' : 'chat'}>
      <ChatToolbar
        {...{ group, details, readOnly, models, selected, viewerId, onLeft }}
        onSelect={setSelected}
        onDetailsChanged={replaceDetails}
        onMembersChanged={() => void reloadDetails()}
      />
      <MessageList
        scroller={scroller}
        messages={chat.messages}
        viewerId={viewerId}
        details={details}
        busy={busy}
        waiting={chat.status === 'submitted'}
        replyContext={replyContext}
        actions={actions}
        older={older}
        paged={initialThread.olderCursor !== null}
        emptyHint="Pick one model, or several to see their answers side by side."
        error={askProblem ?? (chat.error ? describeChatError(chat.error) : null)}
        onDismissError={() => {
          clearAskProblem();
          chat.clearError();
        }}
      />
      {documentPanel.documentId && (
        <Suspense fallback={null}>
          <DocumentPanel
            documentId={documentPanel.documentId}
            live={documentPanel.live}
            version={documentPanel.version}
            canEdit={!readOnly}
            onClose={documentPanel.close}
          />
        </Suspense>
      )}
      {!documentPanel.documentId && (
        <ThreadPanelSlot
          {...{ conversationId, viewerId, details, replyContext, answering, requestExtras }}
          state={threadPanel}
          canWrite={!readOnly}
        />
      )}
      {readOnly ? (
        <p className="read-only-note" role="note">
          {departed
            ? DEPARTURE_NOTES[departed]
            : 'You are reading a public conversation. Only the people in it can write here.'}
        </p>
      ) : (
        <Composer
          busy={busy}
          disabled={models.length === 0 || (exists && detailsLoading)}
          answering={answering}
          webSearch={webSearch}
          onWebSearchChange={setWebSearch}
          onSend={send}
          onStop={() => void stop()}
        />
      )}
    </div>
  );
}

const DEPARTURE_NOTES: Record<Departure, string> = {
  removed: 'You were removed from this conversation. What is shown stays until you leave the page.',
  left: 'You left this conversation.',
  deleted: 'This conversation was deleted by its owner.',
};

function withVote(
  votes: ReadonlyMap<string, VoteValue>,
  messageId: string,
  value: VoteValue | null,
): Map<string, VoteValue> {
  const next = new Map(votes);
  if (value) next.set(messageId, value);
  else next.delete(messageId);
  return next;
}
