// The turn runner: one prompt, N models. Each model answers in its own assistant message — all at once, or a lead
// first and then the others (turn-plan.ts). A turn tells what happens as typed events (turn-events.ts) to its
// listeners: the runner's subscribers (the reply stream, the conversation's followers) and the caller's own. It runs
// to the end whether or not anyone is still listening — only a stop request ends it early.
import { randomUUID } from 'node:crypto';
import type { ConversationModelSettings, conversations, models } from '../db/schema/index.ts';
import type { ConversationEvents } from '../events/index.ts';
import { announceMessage } from '../events/message-created.ts';
import { readAttachmentContents } from '../files/prompt-attachments.ts';
import type { FileStorage } from '../files/storage.ts';
import { logError } from '../loggable-error.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { Actor } from '../store/actor.ts';
import type { Store } from '../store/index.ts';
import type { Message } from '../store/messages.ts';
import { ABANDONED_REPLY_ERROR, type AbandonedReply } from '../store/replies.ts';
import type { StopSignals } from '../streams/stop-signals.ts';
import type { ClientTools, ToolboxFactory } from '../tools/reply-tools.ts';
import { ActiveTurns } from './active-turns.ts';
import { fitToContextWindow, promptForModel } from './history.ts';
import { PartialReplySaves } from './partial-reply-saves.ts';
import { type ReplySummary, type StartedReply, startReplies } from './reply.ts';
import { toolboxesFor } from './reply-toolboxes.ts';
import { readTurnHistory } from './thread-history.ts';
import { failureOfAll, fanOut, type TurnListener, type TurnSubscriber } from './turn-events.ts';
import { type PlannedReply, planTurn } from './turn-plan.ts';

type ModelRow = typeof models.$inferSelect;
type Conversation = typeof conversations.$inferSelect;

export type TurnRequest = {
  actor: Actor;
  /** What a turn needs of its conversation (a new one's is known before it is saved). */
  conversation: Pick<Conversation, 'id' | 'settings' | 'parameters'>;
  /** The person's message, saved or being saved (see `committed`); the replies answer it, in its thread if any. */
  userMessage: Message;
  /**
   * Given while the person's message is still being saved: the turn is set up meanwhile, and its providers are called,
   * its replies written and its first events told only once this fulfils. If it rejects, nothing of the turn runs
   * and startTurn rejects with its error.
   */
  committed?: Promise<unknown>;
  models: ModelRow[];
  /** Per-model settings of the conversation's models (persona, system prompt, temperature). */
  memberSettings?: ReadonlyMap<string, ConversationModelSettings>;
  webSearch?: { contextSize: 'low' | 'medium' | 'high' } | null;
  /**
   * The turn's history (chat/thread-history.ts), oldest first, when the caller already holds
   * them — a conversation this request created holds only what it just saved — so they are not read back.
   */
  history?: Message[];
  /** False: no model is offered the server's tools (a /v1 call, whose client brings its own). Default true. */
  offerTools?: boolean;
  /** Tools the caller runs itself, offered to every model of the turn (see ClientTools). */
  clientTools?: ClientTools | null;
  /** Told every event of this turn, from its first, besides the runner's subscribers. */
  listeners?: TurnListener[];
};

export type StartedTurn = {
  streamId: string;
  /** The ids of the first stage's pending replies, in model order. */
  replyIds: string[];
  /** Settles when every reply has finished (complete, stopped or error). */
  done: Promise<ReplySummary[]>;
};

/** The runner's settings from the environment. */
export type TurnRunnerSettings = {
  /** The most characters any reply may hold (CHORUS_MAX_REPLY_CHARS; see reply-size-cap.ts). */
  maxReplyChars: number;
  /** The most model calls one reply makes when it calls tools (CHORUS_MAX_TOOL_STEPS). */
  maxToolSteps: number;
  /** The tools offered to a model with the `tools` capability (none when left out). */
  toolsFor?: ToolboxFactory;
};

export class TurnRunner {
  readonly activeTurns = new ActiveTurns();
  private readonly running = new Set<Promise<unknown>>();
  private readonly partialSaves: PartialReplySaves;

  constructor(
    private readonly store: Store,
    private readonly providers: ProviderRegistry,
    private readonly stopSignals: StopSignals,
    private readonly fileStorage: FileStorage,
    private readonly conversationEvents: ConversationEvents,
    /** Who follows every turn (see ui-message-stream.ts, events/turn-relay.ts). */
    private readonly subscribers: TurnSubscriber[],
    private readonly settings: TurnRunnerSettings,
  ) {
    this.partialSaves = new PartialReplySaves(store.replies);
  }

  /** Starts taking stop requests from every process; replies of this process stop when asked. */
  listenForStops(): Promise<void> {
    return this.stopSignals.subscribe((conversationId) => this.activeTurns.stop(conversationId));
  }

  /**
   * Starts a turn: returns once the first replies exist and the stream is open; the models answer in the
   * background, stage by stage (see turn-plan.ts: in first-responder mode the lead, then the others).
   */
  async startTurn(request: TurnRequest): Promise<StartedTurn> {
    const { conversation, actor } = request;
    // Awaited once the first replies are set up; a failure before that is no unhandled rejection.
    request.committed?.catch(() => {});
    const plan = planTurn({
      models: request.models,
      settings: conversation.settings,
      systemPrompt: conversation.parameters.systemPrompt,
      temperature: conversation.parameters.temperature,
      memberSettings: request.memberSettings,
    });
    const answering = plan.stages.flat().map((planned) => planned.model);
    const threadRootId = request.userMessage.threadRootId;
    const history = request.history ?? (await readTurnHistory(this.store, actor, conversation.id, threadRootId));
    const toolboxes = await toolboxesFor(this.settings.toolsFor, request, answering);
    const attachments = await readAttachmentContents(
      history,
      this.fileStorage,
      answering.flatMap((model) => model.capabilities),
    );
    const modelNames = new Map(answering.map((model) => [model.id, model.displayName ?? model.name]));
    const personNames = await this.personNamesFor(actor, conversation.id, history);
    const streamId = randomUUID();

    const turn = { conversationId: conversation.id, parentId: request.userMessage.id, threadRootId, streamId };
    const emit = fanOut([...this.subscribers.map((subscribe) => subscribe(turn)), ...(request.listeners ?? [])]);
    const controller = new AbortController();
    const finishTurn = this.activeTurns.begin(conversation.id, controller);

    /** Creates the pending replies of a stage, each with its prompt from the history as it stands. */
    const setUpStage = (
      stage: PlannedReply[],
      thread: Message[],
      options: { streamId?: string; after?: Promise<unknown> } = {},
    ) =>
      startReplies(
        { replies: this.store.replies, providers: this.providers, partialSaves: this.partialSaves },
        conversation.id,
        stage.map(({ model, instructions, temperature, isFirstResponder }) => ({
          model,
          prompt: fitToContextWindow(
            promptForModel(
              thread,
              { modelId: model.id, name: modelNames.get(model.id)!, capabilities: model.capabilities },
              modelNames,
              attachments,
              personNames,
            ),
            model.contextWindow,
            model.maxOutputTokens ?? 4_096,
          ),
          system: instructions,
          temperature,
          maxOutputTokens: outputTokensFor(conversation.parameters.maxOutputTokens, plan.charLimit),
          parentId: request.userMessage.id,
          threadRootId,
          isFirstResponder,
          charLimit: plan.charLimit,
          maxChars: this.settings.maxReplyChars,
          webSearch: request.webSearch,
          tools: toolboxes.get(model.id) ?? null,
          clientTools: request.clientTools,
          maxSteps: this.settings.maxToolSteps,
          abortSignal: controller.signal,
          emit,
        })),
        options,
      );

    let firstReplies: StartedReply[];
    try {
      // The turn's stream is recorded with its first replies, so a client can re-attach from any process.
      firstReplies = setUpStage(plan.stages[0]!, history, { streamId, after: request.committed });
      await request.committed;
    } catch (error) {
      // No reply could be set up (say, a prompt that cannot be built), or the person's message could not be saved:
      // nothing runs, so nothing may look running, and the provider calls of the replies that were set up are
      // cancelled. (A database that refuses the pending replies fails their runs instead: see startReplies.)
      // Nothing was told of the turn, so no listener waits for its end.
      controller.abort();
      finishTurn();
      throw error;
    }
    const replyIds = firstReplies.map((reply) => reply.messageId);
    emit({ type: 'turn-started', streamId, replyIds });

    const runStages = async (): Promise<ReplySummary[]> => {
      const summaries: ReplySummary[] = [];
      let replies = firstReplies;
      for (let next = 1; ; next++) {
        summaries.push(...(await Promise.all(replies.map((reply) => reply.run()))));
        const stage = plan.stages[next];
        if (!stage || controller.signal.aborted) return summaries;
        // The followers see what the stage before them said.
        replies = setUpStage(stage, await readTurnHistory(this.store, actor, conversation.id, threadRootId));
      }
    };
    const done = runStages()
      .then(
        (summaries) => {
          emit({ type: 'turn-finished', summaries, errorText: failureOfAll(summaries) });
          return summaries;
        },
        (error: unknown) => {
          // Saving a reply failed (database gone): the turn ends, so no listener waits forever. Never rejects:
          // nobody may be awaiting a turn, and an unhandled rejection would take the server down.
          logError(`chat turn ${streamId} failed`, error);
          // Replies of a stage that was being set up may have called their provider already.
          controller.abort();
          emit({ type: 'turn-failed', errorText: 'the server could not save the reply' });
          return [] as ReplySummary[];
        },
      )
      .finally(finishTurn);
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
    return { streamId, replyIds, done };
  }

  /** Tells everyone following the conversation that a person's message was saved. */
  announceMessage(message: Message, author?: Actor): Promise<void> {
    return announceMessage(this.conversationEvents, this.store.users, message, author);
  }

  /** Tells the people following each conversation that these replies ended: their server had stopped. */
  announceAbandoned(replies: AbandonedReply[]): void {
    for (const reply of replies) {
      this.conversationEvents.publish(reply.conversationId, {
        type: 'reply-finished',
        messageId: reply.id,
        modelId: reply.modelId ?? 'unknown',
        status: 'error',
        error: ABANDONED_REPLY_ERROR,
      });
    }
  }

  /** Tells everyone following the conversation that an edit or a regeneration removed these messages. */
  announceDeleted(conversationId: string, messageIds: string[]): void {
    if (messageIds.length > 0)
      this.conversationEvents.publish(conversationId, { type: 'messages-deleted', messageIds });
  }

  /** Settles when every turn running now has finished (shutdown). */
  async allSettled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  /** Asks whichever process runs the conversation's replies to stop them. */
  requestStop(conversationId: string): Promise<void> {
    return this.stopSignals.publish(conversationId);
  }

  /**
   * Who wrote the people's messages, when more than one person did: then each message is headed by its writer's
   * name, so the models can tell people apart. Undefined for a conversation of one.
   */
  private async personNamesFor(actor: Actor, conversationId: string, history: Message[]) {
    const writers = new Set(
      history.flatMap((message) => (message.role === 'user' && message.senderId ? [message.senderId] : [])),
    );
    if (writers.size < 2) return undefined;
    const participants = await this.store.participants.list({ actor, conversationId });
    const names = new Map(
      participants.map((person) => [person.userId, person.user.displayName ?? person.user.username]),
    );
    // Someone who has left still wrote what they wrote.
    for (const writer of writers) if (!names.has(writer)) names.set(writer, 'a former member');
    return names;
  }
}

/** Room for a limited reply (about two tokens a word, with margin), never more than the conversation allows. */
function outputTokensFor(conversationMax: number | undefined, charLimit: number | null): number | undefined {
  if (charLimit === null) return conversationMax;
  const enough = Math.max(256, Math.ceil(charLimit / 2));
  return conversationMax === undefined ? enough : Math.min(conversationMax, enough);
}
