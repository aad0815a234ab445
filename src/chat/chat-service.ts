// The chat use cases behind POST /api/chat: send a message (new, edited, or a client's retry), regenerate a reply,
// ask another model beside it, re-attach to a running reply, stop (their requests: chat-requests.ts). It decides who may, what is saved and deleted and which models answer; the
// turn runner runs them, and the caller gets the turn's reply stream back (its UI message chunks, read from the stream
// log). Files a message carries must be the sender's own uploads, and every model must be able to read them.
import { setTimeout as sleep } from 'node:timers/promises';
import type { DailyMessageLimit } from '../auth/limits.ts';
import type { ConversationAccess } from '../conversations/access.ts';
import type { MessagePart } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import {
  attachmentOf,
  fileIdsOfParts,
  refuseFilesOfOtherConversations,
  withStoredFileParts,
} from '../files/message-files.ts';
import { afterStatementsSent } from '../performance/statements-sent.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { ModelSource } from '../registry/model-source.ts';
import type { Actor } from '../store/actor.ts';
import { ConversationIdTakenError, creationValues } from '../store/conversations.ts';
import type { FileRecord } from '../store/files.ts';
import { newMessageId } from '../store/ids.ts';
import type { Store } from '../store/index.ts';
import { asSavedMessage, type Message, type NewMessage } from '../store/messages.ts';
import type { StreamLog } from '../streams/index.ts';
import { historyForAnotherReply } from './another-reply.ts';
import type { AnotherReplyRequest, RegenerateRequest, ReplyStream, SubmitRequest } from './chat-requests.ts';
import { chooseTurnModels, type TurnModelChoice, type TurnModels } from './model-selection.ts';
import type { SetupAdmission } from './setup-admission.ts';
import { readTurnHistory } from './thread-history.ts';
import { threadRootFor } from './thread-target.ts';
import { titleFromText } from './title.ts';
import type { StartedTurn, TurnRunner } from './turn-runner.ts';

export type {
  AnotherReplyRequest,
  RegenerateRequest,
  ReplyStream,
  SubmitRequest,
  WebSearchRequest,
} from './chat-requests.ts';

/** A person's message as submitted, with what was worked out of it. */
type Submission = { request: SubmitRequest; message: NewMessage; files: FileRecord[]; firstWords: string };

/** A turn started now, or the stream of the turn a retried request already started. */
type TurnOutcome = { streamId: string; started?: StartedTurn };

/** What the ways of starting a turn (this service, /v1) are built on. */
export type TurnStartDependencies = {
  store: Store;
  providers: ProviderRegistry;
  turns: TurnRunner;
  /** The models each person may pick from. */
  models: ModelSource;
  /** One queue for every way a turn starts (see setup-admission.ts). */
  admission: SetupAdmission;
  /** Every turn counts against the person's daily limit; one that calls no model is given back. */
  dailyLimit: DailyMessageLimit;
};

export type ChatServiceDependencies = TurnStartDependencies & {
  /** Where the web client's reply streams are read from. */
  streamLog: StreamLog;
  /** Who may write to or read a conversation (403 for a reader from outside, 404 for anyone else). */
  access: ConversationAccess;
};

export class ChatService {
  private readonly store: Store;
  private readonly providers: ProviderRegistry;
  private readonly turns: TurnRunner;
  private readonly streamLog: StreamLog;
  private readonly models: ModelSource;
  private readonly admission: SetupAdmission;
  private readonly dailyLimit: DailyMessageLimit;
  private readonly access: ConversationAccess;

  constructor(dependencies: ChatServiceDependencies) {
    ({
      store: this.store,
      providers: this.providers,
      turns: this.turns,
      streamLog: this.streamLog,
      models: this.models,
      admission: this.admission,
      dailyLimit: this.dailyLimit,
      access: this.access,
    } = dependencies);
  }

  /**
   * Saves the message and starts the turn, once admitted (see setup-admission.ts). A reader of a public conversation
   * who is not in it is refused (forbidden), like for every other write to it.
   */
  async submit(request: SubmitRequest): Promise<ReplyStream> {
    const { actor, conversationId, signal } = request;
    const outcome = await this.access.guarded(actor, { conversationId, level: 'write' }, () =>
      this.countedTurn(actor, () => this.admission.run(() => this.submitNow(request), signal)),
    );
    return this.replyStream(outcome, signal);
  }

  /** A retried request that only re-attaches to its turn (no `started`) is not a new turn, and does not count. */
  private countedTurn(actor: Actor, start: () => Promise<TurnOutcome>): Promise<TurnOutcome> {
    return this.dailyLimit.countTurn(actor, start, (outcome) => outcome.started !== undefined);
  }

  private async submitNow(request: SubmitRequest): Promise<TurnOutcome> {
    const { actor } = request;
    const text = textOf(request.parts);
    const files = await this.store.files.listOwn({ actor, ids: fileIdsOfParts(request.parts) });
    if (!text.trim() && files.length === 0) throw new AppError('invalid_input', 'the message has no text and no file');
    refuseFilesOfOtherConversations(files, request.conversationId);
    const id = newMessageId();
    const message: NewMessage = {
      id,
      role: 'user',
      requestId: request.clientMessageId,
      parts: withStoredFileParts(request.parts, files),
      attachments: files.map(attachmentOf),
      content: text,
    };
    const submission = {
      request,
      message,
      files,
      firstWords: text.trim() ? text : files.map((file) => file.name).join(', '),
    };
    if (request.likelyNewConversation && !request.replacesMessageId && !request.threadId) {
      // Created straight away, not looked for first; an id already taken sends the request the usual way.
      const started = await this.startInNewConversation(submission).catch((error: unknown) => {
        if (error instanceof ConversationIdTakenError) return undefined;
        throw error;
      });
      if (started) return started;
    }
    const existing = await this.store.conversations.findWritableWithMembers({ actor, id: request.conversationId });
    if (!existing) {
      if (request.replacesMessageId) throw ownMessageNotFound(request.replacesMessageId);
      if (request.threadId) throw notFound('conversation', request.conversationId);
      return this.startInNewConversation(submission).catch((error: unknown) => {
        // The id belongs to a conversation this person cannot write: as good as absent.
        if (error instanceof ConversationIdTakenError) throw notFound('conversation', request.conversationId);
        throw error;
      });
    }
    const { conversation, members } = existing;
    message.threadRootId = await threadRootFor(this.store.threads, actor, conversation.id, request.threadId);
    const { models, memberSettings } = this.modelsFor(actor, {
      members,
      modelIds: request.modelIds,
      requirements: { webSearch: Boolean(request.webSearch), files },
    });
    if (request.replacesMessageId) await this.removeEdited(actor, conversation.id, request.replacesMessageId);
    // Attached before the message is saved, so the conversation's readers can fetch the files it shows.
    await this.store.files.attachToConversation({
      actor,
      ids: files.map((file) => file.id),
      conversationId: conversation.id,
    });
    const [saved] = await this.store.messages.save({ actor, conversationId: conversation.id, messages: [message] });
    if (saved!.id !== id) return this.retried(actor, conversation.id);
    await this.turns.announceMessage(saved!, actor);
    const started = await this.turns.startTurn({
      actor,
      conversation,
      userMessage: saved!,
      models,
      memberSettings,
      webSearch: request.webSearch,
      listeners: request.listeners,
    });
    return { streamId: started.streamId, started };
  }

  /**
   * Creates the conversation with the message as its first, and starts the turn. The turn is set up while the
   * conversation is created; its providers are called once it has been. Rejects with ConversationIdTakenError (and
   * runs nothing) when a conversation has this id already.
   */
  private async startInNewConversation({ request, message, files, firstWords }: Submission): Promise<TurnOutcome> {
    const { actor, conversationId } = request;
    const { models, memberSettings } = this.modelsFor(actor, {
      members: [],
      modelIds: request.modelIds,
      requirements: { webSearch: Boolean(request.webSearch), files },
    });
    // A new conversation keeps the models that answered its first message: they answer the next ones too.
    const details = {
      title: titleFromText(firstWords),
      visibility: request.visibility,
      modelIds: models.map((model) => model.id),
    };
    const committed = this.store.messages
      .saveInNewConversation({ actor, conversation: { id: conversationId, ...details }, messages: [message] })
      .then(async ({ conversation, messages: [saved] }) => {
        // After the message, which creates the conversation: nobody but its owner can read it yet.
        await this.store.files.attachToConversation({
          actor,
          ids: files.map((file) => file.id),
          conversationId: conversation.id,
        });
        await this.turns.announceMessage(saved!, actor);
      });
    // startTurn takes it over; should it fail before then, that is no unhandled rejection.
    committed.catch(() => {});
    // The set-up below is CPU work: the statement goes to the database first, to run meanwhile.
    await afterStatementsSent();
    const userMessage = asSavedMessage(actor, conversationId, message);
    const { parameters, settings } = creationValues(actor, { id: conversationId, ...details });
    const started = await this.turns.startTurn({
      actor,
      conversation: { id: conversationId, parameters, settings },
      userMessage,
      models,
      memberSettings,
      webSearch: request.webSearch,
      committed,
      // A conversation created just now holds this message and nothing else.
      history: [userMessage],
      listeners: request.listeners,
    });
    return { streamId: started.streamId, started };
  }

  /**
   * Answers a person's message again: its replies (and anything after them) are replaced by new ones; refused when
   * that would remove other people's messages, as for an edit.
   */
  async regenerate(request: RegenerateRequest): Promise<ReplyStream> {
    const { actor, conversationId, signal } = request;
    const outcome = await this.access.guarded(actor, { conversationId, level: 'write' }, () =>
      this.countedTurn(actor, () => this.admission.run(() => this.regenerateNow(request), signal)),
    );
    return this.replyStream(outcome, signal);
  }

  /**
   * Adds a reply from `modelId` to the person's newest message, keeping the replies it has (see another-reply.ts).
   * Counts as a turn against the daily limit, like a regeneration.
   */
  async askAnother(request: AnotherReplyRequest): Promise<ReplyStream> {
    const { actor, conversationId, signal } = request;
    const outcome = await this.access.guarded(actor, { conversationId, level: 'write' }, () =>
      this.countedTurn(actor, () => this.admission.run(() => this.askAnotherNow(request), signal)),
    );
    return this.replyStream(outcome, signal);
  }

  private async askAnotherNow(request: AnotherReplyRequest): Promise<TurnOutcome> {
    const { actor, conversationId } = request;
    const found = await this.store.conversations.findWritableWithMembers({ actor, id: conversationId });
    if (!found) throw notFound('conversation', conversationId);
    const { prompt } = await this.promptOf(actor, conversationId, request.messageId);
    const { models, memberSettings } = this.modelsFor(actor, {
      members: found.members,
      modelIds: [request.modelId],
      requirements: { webSearch: false, files: prompt.attachments },
    });
    // The line the message is in: the main conversation, or its thread (with what the thread hangs on).
    const line = await readTurnHistory(this.store, actor, conversationId, prompt.threadRootId);
    const started = await this.turns.startTurn({
      actor,
      conversation: found.conversation,
      userMessage: prompt,
      models,
      memberSettings,
      history: historyForAnotherReply(line, prompt),
    });
    return { streamId: started.streamId, started };
  }

  /**
   * The message `messageId` names, and the person's message it stands for: itself, or the one a reply answers. A
   * reply that answers none (one imported from elsewhere) cannot be answered again.
   */
  private async promptOf(
    actor: Actor,
    conversationId: string,
    messageId: string,
  ): Promise<{ target: Message; prompt: Message }> {
    const target = await this.store.messages.findByIdOrRequestId({ actor, conversationId, id: messageId });
    if (!target) throw new AppError('not_found', `message ${messageId} not found in this conversation`);
    if (target.role === 'user') return { target, prompt: target };
    if (!target.parentId) {
      throw new AppError('invalid_input', `message ${messageId} answers no message of this conversation to ask again`);
    }
    return { target, prompt: await this.store.messages.getById({ actor, id: target.parentId }) };
  }

  /** The turn's stream from its first chunk, followed until it ends or `signal` aborts. */
  private async replyStream({ streamId, started }: TurnOutcome, signal?: AbortSignal): Promise<ReplyStream> {
    const retried = started === undefined;
    const batches = await this.streamLog.readBatches(streamId, signal);
    // A message answered long ago and sent again (a Discord message redelivered after its stream expired): it was
    // taken and answered, so there is nothing to do and nothing to show, rather than an error.
    if (!batches && retried) return { streamId, batches: noBatches(), retried };
    if (!batches) throw new AppError('conflict', 'the reply stream is no longer available');
    return { streamId, batches, retried };
  }

  private async regenerateNow(request: RegenerateRequest): Promise<TurnOutcome> {
    const { actor, conversationId } = request;
    const found = await this.store.conversations.findWritableWithMembers({ actor, id: conversationId });
    if (!found) throw notFound('conversation', conversationId);
    const { conversation } = found;
    const { target, prompt } = await this.promptOf(actor, conversationId, request.messageId);
    // Every reply to the prompt is replaced, so the conversation's models all answer again (the regenerated
    // reply's own model when the conversation has none of its own).
    const { models, memberSettings } = this.modelsFor(actor, {
      members: found.members,
      modelIds: request.modelIds,
      requirements: { webSearch: Boolean(request.webSearch), files: prompt.attachments },
      fallbackIds: target.modelId ? [target.modelId] : [],
    });
    const removed = await this.store.messages.deleteFollowing({ actor, conversationId, messageId: prompt.id });
    this.turns.announceDeleted(conversationId, removed);
    const started = await this.turns.startTurn({
      actor,
      conversation,
      userMessage: prompt,
      models,
      memberSettings,
      webSearch: request.webSearch,
    });
    return { streamId: started.streamId, started };
  }

  /**
   * The newest stream of a conversation, if it can still be read (running, or just finished), in batches of chunks,
   * followed until it ends or `signal` aborts. Not-found for whoever may not read the conversation.
   */
  async latestStream(
    actor: Actor,
    conversationId: string,
    signal?: AbortSignal,
  ): Promise<AsyncIterable<string[]> | null> {
    await this.access.assertMay(actor, conversationId, 'read');
    const [newest] = await this.store.turnStreams.listIds({ actor, conversationId, limit: 1 });
    return newest ? this.streamLog.readBatches(newest, signal) : null;
  }

  /**
   * Stops the conversation's running replies, wherever they run; returns how many were running. Only its people
   * may: a reader of a public conversation is refused (forbidden), anyone else does not find it.
   */
  async stop(actor: Actor, conversationId: string): Promise<number> {
    await this.access.assertMayWrite(actor, conversationId);
    const running = await this.store.replies.countStreaming(conversationId);
    await this.turns.requestStop(conversationId);
    return running;
  }

  /** The models that answer a turn of this actor (see chooseTurnModels). */
  private modelsFor(actor: Actor, choice: TurnModelChoice): TurnModels {
    return chooseTurnModels(this.models.viewFor(actor.id), this.providers, choice);
  }

  /** Editing: the person's own message and everything after it are removed, for the new one to take their place. */
  private async removeEdited(actor: Actor, conversationId: string, idOrClientId: string): Promise<void> {
    const message = await this.store.messages.findByIdOrRequestId({ actor, conversationId, id: idOrClientId });
    if (message?.role !== 'user' || message.senderId !== actor.id) throw ownMessageNotFound(idOrClientId);
    const removed = await this.store.messages.deleteFollowing({
      actor,
      conversationId,
      messageId: message.id,
      inclusive: true,
    });
    this.turns.announceDeleted(conversationId, removed);
  }

  /**
   * A client retried a request the server already took: hand back that turn's stream. The first request may still
   * be setting its turn up (the same message delivered twice at once, as a Discord gateway may): its stream is then
   * waited for, briefly, rather than the retry told the reply is gone.
   */
  private async retried(actor: Actor, conversationId: string): Promise<TurnOutcome> {
    for (let waitedMs = 0; ; waitedMs += RETRY_POLL_MS) {
      const [newest] = await this.store.turnStreams.listIds({ actor, conversationId, limit: 1 });
      if (newest) return { streamId: newest };
      if (waitedMs >= RETRY_WAIT_MS)
        throw new AppError('conflict', 'this message was already sent and its reply is gone');
      await sleep(RETRY_POLL_MS);
    }
  }
}

async function* noBatches(): AsyncIterable<string[]> {}

/** How long a retry waits for the turn of the request it repeats to record its stream, and how often it looks. */
const RETRY_WAIT_MS = 3_000;
const RETRY_POLL_MS = 20;

const ownMessageNotFound = (idOrClientId: string) =>
  new AppError('not_found', `message ${idOrClientId} not found among your messages in this conversation`);

function textOf(parts: MessagePart[]): string {
  return parts.flatMap((part) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : [])).join('');
}
