// The chat use cases behind POST /api/chat: send a message (new, edited, or a client's retry), regenerate a reply,
// re-attach to a running reply, stop. It decides what is saved and deleted and which models answer; the engine
// runs them.
import type { Database } from '../db/client.ts';
import { AppError } from '../errors.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { Actor } from '../store/actor.ts';
import type { Conversation } from '../store/conversations.ts';
import type { Store } from '../store/index.ts';
import type { MessagePart } from '../db/schema/index.ts';
import type { Message } from '../store/messages.ts';
import { newMessageId } from '../store/ids.ts';
import type { StreamLog } from '../streams/index.ts';
import type { ChatEngine, StartedTurn } from './engine.ts';
import { listSelectableModels, type ModelRow, resolveRequestedModels } from './model-selection.ts';
import { titleFromText } from './title.ts';

export type WebSearchRequest = { contextSize: 'low' | 'medium' | 'high' } | null | undefined;

export type SubmitRequest = {
  actor: Actor;
  conversationId: string;
  /** The client's id for the message: a retry with the same id never doubles it. */
  clientMessageId: string;
  parts: MessagePart[];
  /** Editing: the message this one replaces (it and everything after it are removed). */
  replacesMessageId?: string;
  modelIds?: string[];
  webSearch?: WebSearchRequest;
  visibility?: Conversation['visibility'];
};

/** A turn started now, or the stream of the turn a retried request already started. */
export type TurnOutcome = { streamId: string; started?: StartedTurn };

export class ChatService {
  constructor(
    private readonly db: Database,
    private readonly store: Store,
    private readonly providers: ProviderRegistry,
    private readonly engine: ChatEngine,
    private readonly streamLog: StreamLog,
  ) {}

  async submit(request: SubmitRequest): Promise<TurnOutcome> {
    const { actor } = request;
    const text = textOf(request.parts);
    if (!text.trim()) throw new AppError('invalid_input', 'the message has no text');
    const conversation = await this.openConversation(actor, request.conversationId, text, request.visibility);
    const models = await this.modelsFor(actor, conversation, request.modelIds, request.webSearch);

    if (request.replacesMessageId) {
      const replaced = await this.findOwnMessage(actor, conversation.id, request.replacesMessageId);
      await this.store.messages.deleteFollowing({
        actor,
        conversationId: conversation.id,
        messageId: replaced.id,
        inclusive: true,
      });
    }
    const id = newMessageId();
    const [saved] = await this.store.messages.save({
      actor,
      conversationId: conversation.id,
      messages: [{ id, role: 'user', requestId: request.clientMessageId, parts: request.parts, content: text }],
    });
    if (saved!.id !== id) return this.retried(actor, conversation.id);
    const started = await this.engine.startTurn({
      actor,
      conversation,
      userMessage: saved!,
      models,
      webSearch: request.webSearch,
    });
    return { streamId: started.streamId, started };
  }

  /** Answers a person's message again: its replies (and anything after them) are replaced by new ones. */
  async regenerate(request: {
    actor: Actor;
    conversationId: string;
    messageId: string;
    modelIds?: string[];
    webSearch?: WebSearchRequest;
  }): Promise<TurnOutcome> {
    const { actor, conversationId } = request;
    const conversation = await this.store.conversations.get({ actor, id: conversationId, level: 'write' });
    const target = await this.store.messages.findByIdOrRequestId({ actor, conversationId, id: request.messageId });
    if (!target) throw new AppError('not_found', `message ${request.messageId} not found in this conversation`);
    const prompt = target.role === 'user' ? target : await this.store.messages.getById({ actor, id: target.parentId ?? '' });
    const previousModels = target.modelId ? [target.modelId] : undefined;
    const models = await this.modelsFor(actor, conversation, request.modelIds ?? previousModels, request.webSearch);
    await this.store.messages.deleteFollowing({ actor, conversationId, messageId: prompt.id });
    const started = await this.engine.startTurn({
      actor,
      conversation,
      userMessage: prompt,
      models,
      webSearch: request.webSearch,
    });
    return { streamId: started.streamId, started };
  }

  /** The newest stream of a conversation, if it can still be read (running, or just finished). */
  async latestStream(actor: Actor, conversationId: string): Promise<AsyncIterable<string> | null> {
    const [newest] = await this.store.streams.listIds({ actor, conversationId, limit: 1 });
    return newest ? this.streamLog.read(newest) : null;
  }

  /** Stops the conversation's running replies, wherever they run; returns how many were running. */
  async stop(actor: Actor, conversationId: string): Promise<number> {
    await this.store.conversations.get({ actor, id: conversationId, level: 'write' });
    const running = await this.store.messages.countStreaming(conversationId);
    await this.engine.requestStop(conversationId);
    return running;
  }

  /** The conversation to write to; a new id creates it, titled after the first message. */
  private async openConversation(
    actor: Actor,
    id: string,
    firstText: string,
    visibility?: Conversation['visibility'],
  ): Promise<Conversation> {
    try {
      return await this.store.conversations.get({ actor, id, level: 'write' });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'not_found') throw error;
    }
    try {
      return await this.store.conversations.create({ actor, id, title: titleFromText(firstText), visibility });
    } catch (error) {
      // The id belongs to a conversation this person cannot write: as good as absent.
      if (error instanceof AppError && error.code === 'conflict') throw new AppError('not_found', `conversation ${id} not found`);
      throw error;
    }
  }

  /** Named models; else the conversation's own; else the first model a person may pick (a real one if any). */
  private async modelsFor(
    actor: Actor,
    conversation: Conversation,
    modelIds: string[] | undefined,
    webSearch: WebSearchRequest,
  ): Promise<ModelRow[]> {
    const webSearchOption = { webSearch: Boolean(webSearch) };
    if (modelIds?.length) return resolveRequestedModels(this.db, this.providers, modelIds, webSearchOption);
    const members = await this.store.conversationModels.list({ actor, conversationId: conversation.id });
    const active = members.filter((member) => member.isActive).map((member) => member.modelId);
    if (active.length > 0) return resolveRequestedModels(this.db, this.providers, active, webSearchOption);
    const selectable = await listSelectableModels(this.db, this.providers);
    const fallback = selectable.find((model) => model.provider !== 'local') ?? selectable[0];
    if (!fallback) throw new AppError('unavailable', 'no model is available on this server');
    return resolveRequestedModels(this.db, this.providers, [fallback.id], webSearchOption);
  }

  private async findOwnMessage(actor: Actor, conversationId: string, idOrClientId: string): Promise<Message> {
    const message = await this.store.messages.findByIdOrRequestId({ actor, conversationId, id: idOrClientId });
    if (!message || message.role !== 'user' || message.senderId !== actor.id) {
      throw new AppError('not_found', `message ${idOrClientId} not found among your messages in this conversation`);
    }
    return message;
  }

  /** A client retried a request the server already took: hand back that turn's stream. */
  private async retried(actor: Actor, conversationId: string): Promise<TurnOutcome> {
    const [newest] = await this.store.streams.listIds({ actor, conversationId, limit: 1 });
    if (!newest) throw new AppError('conflict', 'this message was already sent and its reply is gone');
    return { streamId: newest };
  }
}

function textOf(parts: MessagePart[]): string {
  return parts.flatMap((part) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : [])).join('');
}
