// The chat engine: one prompt, N models. Each model answers concurrently in its own assistant message; every
// chunk goes into a resumable stream log (the client reads the log, live or after reconnecting), and the turn
// runs to the end whether or not anyone is still reading — only a stop request ends it early.
import { randomUUID } from 'node:crypto';
import type { UIMessageChunk } from 'ai';
import type { conversations, models } from '../db/schema/index.ts';
import { announceMessage, relayTurn } from '../events/chat-relay.ts';
import type { ConversationEvents } from '../events/index.ts';
import { readAttachmentContents } from '../files/prompt-attachments.ts';
import type { FileStorage } from '../files/storage.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { Actor } from '../store/actor.ts';
import type { Store } from '../store/index.ts';
import type { Message } from '../store/messages.ts';
import type { StreamLog } from '../streams/index.ts';
import type { StopSignals } from '../streams/stop-signals.ts';
import { ActiveTurns } from './active-turns.ts';
import { fitToContextWindow, HISTORY_MESSAGE_LIMIT, promptForModel } from './history.ts';
import { type ReplySummary, startReply } from './reply.ts';

type ModelRow = typeof models.$inferSelect;
type Conversation = typeof conversations.$inferSelect;

export type TurnRequest = {
  actor: Actor;
  conversation: Conversation;
  /** The person's message, already saved; the replies thread under it. */
  userMessage: Message;
  models: ModelRow[];
  webSearch?: { contextSize: 'low' | 'medium' | 'high' } | null;
};

export type StartedTurn = {
  streamId: string;
  /** The ids of the pending replies, in model order. */
  replyIds: string[];
  /** Settles when every reply has finished (complete, stopped or error). */
  done: Promise<ReplySummary[]>;
};

export class ChatEngine {
  readonly activeTurns = new ActiveTurns();
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly store: Store,
    private readonly providers: ProviderRegistry,
    private readonly streamLog: StreamLog,
    private readonly stopSignals: StopSignals,
    private readonly fileStorage: FileStorage,
    private readonly conversationEvents: ConversationEvents,
  ) {}

  /** Starts taking stop requests from every process; replies of this process stop when asked. */
  listenForStops(): Promise<void> {
    return this.stopSignals.subscribe((conversationId) => this.activeTurns.stop(conversationId));
  }

  /** Starts a turn: returns once the replies exist and the stream is open; the models answer in the background. */
  async startTurn(request: TurnRequest): Promise<StartedTurn> {
    const { conversation, actor } = request;
    const history = await this.readHistory(actor, conversation.id);
    const capabilities = request.models.flatMap((model) => model.capabilities);
    const attachments = await readAttachmentContents(history, this.fileStorage, capabilities);
    const modelNames = new Map(request.models.map((model) => [model.id, model.displayName ?? model.name]));
    const streamId = randomUUID();
    await this.store.streams.record({ actor, conversationId: conversation.id, streamId });

    // Everyone following the conversation sees the turn too (GET /api/conversations/:id/events).
    const turn = { conversationId: conversation.id, parentId: request.userMessage.id };
    const relay = relayTurn(this.conversationEvents, turn);
    const emit = (chunk: UIMessageChunk) => {
      this.streamLog.append(streamId, JSON.stringify(chunk));
      relay(chunk);
    };
    const controller = new AbortController();
    const finishTurn = this.activeTurns.begin(conversation.id, controller);

    let replies: Awaited<ReturnType<typeof startReply>>[];
    try {
      replies = await Promise.all(
        request.models.map((model) =>
          startReply(
            { messages: this.store.messages, providers: this.providers },
            {
              conversationId: conversation.id,
              model,
              prompt: fitToContextWindow(
                promptForModel(
                  history,
                  { modelId: model.id, name: modelNames.get(model.id)!, capabilities: model.capabilities },
                  modelNames,
                  attachments,
                ),
                model.contextWindow,
                model.maxOutputTokens ?? 4_096,
              ),
              system: conversation.parameters.systemPrompt,
              temperature: conversation.parameters.temperature,
              maxOutputTokens: conversation.parameters.maxOutputTokens,
              parentId: request.userMessage.id,
              webSearch: request.webSearch,
              abortSignal: controller.signal,
              emit,
            },
          ),
        ),
      );
    } catch (error) {
      // No reply could be set up (e.g. the database refused): nothing runs, so nothing may look running.
      finishTurn();
      this.streamLog.end(streamId);
      throw error;
    }
    const replyIds = replies.map((reply) => reply.message.id);
    // The UI message that carries every reply takes the first reply's id, so a single-model chat is ordinary.
    emit({ type: 'start', messageId: replyIds[0] });
    emit({ type: 'start-step' });

    const done = Promise.all(replies.map((reply) => reply.run()))
      .then(
        (summaries) => {
          emit({ type: 'finish-step' });
          if (summaries.every((summary) => summary.status === 'error')) {
            const reasons = summaries.map((summary) => `${summary.modelId}: ${summary.error}`);
            emit({ type: 'error', errorText: reasons.join('\n') });
          }
          emit({ type: 'finish', messageMetadata: { replies: summaries } });
          return summaries;
        },
        (error: unknown) => {
          // Saving a reply failed (database gone): end the stream so no reader waits forever. Never rejects:
          // nobody may be awaiting a turn, and an unhandled rejection would take the server down.
          console.error(`chat turn ${streamId} failed`, error);
          emit({ type: 'error', errorText: 'the server could not save the reply' });
          return [] as ReplySummary[];
        },
      )
      .finally(() => {
        this.streamLog.end(streamId);
        finishTurn();
      });
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
    return { streamId, replyIds, done };
  }

  /** Tells everyone following the conversation that a person's message was saved. */
  announceMessage(message: Message): Promise<void> {
    return announceMessage(this.conversationEvents, this.store.users, message);
  }

  /** Settles when every turn running now has finished (shutdown). */
  async allSettled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  /** Asks whichever process runs the conversation's replies to stop them. */
  requestStop(conversationId: string): Promise<void> {
    return this.stopSignals.publish(conversationId);
  }

  /** The newest messages, oldest first: the thread a model continues. */
  private async readHistory(actor: Actor, conversationId: string): Promise<Message[]> {
    const page = await this.store.messages.page({ actor, conversationId, limit: HISTORY_MESSAGE_LIMIT });
    return page.items.reverse();
  }
}
