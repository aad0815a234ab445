// The use case behind POST /v1/chat/completions: each call is a new conversation (origin `api`) owned by the
// caller, holding the request's messages, answered by one turn with the named model — so an API reply is
// stored, priced and counted like any other. The answer is the turn's typed events, queued in this process from
// the turn's start, translated to Chat Completions (chunks.ts).
import type { DailyMessageLimit } from '../auth/limits.ts';
import type { TurnStartDependencies } from '../chat/chat-service.ts';
import { HISTORY_MESSAGE_LIMIT } from '../chat/history.ts';
import type { ModelRow } from '../chat/model-selection.ts';
import type { SetupAdmission } from '../chat/setup-admission.ts';
import { TurnEventQueue } from '../chat/turn-event-queue.ts';
import type { StartedTurn, TurnRunner } from '../chat/turn-runner.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { ModelSource } from '../registry/model-source.ts';
import type { Actor } from '../store/actor.ts';
import type { Store } from '../store/index.ts';
import { type CompletionStreamEvent, collectCompletion, toCompletionChunks } from './chunks.ts';
import { clientToolsOf } from './client-tools.ts';
import { findUsableModel, listOpenAiModels, toOpenAiModel } from './models.ts';
import { conversationFromRequest } from './request.ts';
import type { ChatCompletion, ChatCompletionRequest, OpenAiModel } from './wire.ts';

export type StartedCompletion = {
  conversationId: string;
  model: ModelRow;
  turn: StartedTurn;
  /** The turn's events, every one from its first. */
  events: TurnEventQueue;
  /** Unix seconds, the same on every chunk. */
  created: number;
  /** What caps the reply: the request's limit, else the model's. */
  outputTokenLimit: number | null;
};

export class CompletionService {
  private readonly store: Store;
  private readonly providers: ProviderRegistry;
  private readonly turns: TurnRunner;
  private readonly models: ModelSource;
  private readonly admission: SetupAdmission;
  /** The chat's own daily limit: a call counts as the one message it sends. */
  private readonly dailyLimit: DailyMessageLimit;

  constructor(dependencies: TurnStartDependencies) {
    ({
      store: this.store,
      providers: this.providers,
      turns: this.turns,
      models: this.models,
      admission: this.admission,
      dailyLimit: this.dailyLimit,
    } = dependencies);
  }

  listModels(actor: Actor): OpenAiModel[] {
    return listOpenAiModels(this.models.viewFor(actor.id), this.providers);
  }

  getModel(actor: Actor, id: string): OpenAiModel {
    return toOpenAiModel(findUsableModel(this.models.viewFor(actor.id), this.providers, id));
  }

  /**
   * Saves the request as a new conversation and starts the reply; returns once the reply's stream is open. Set-ups
   * take turns with the chat's (see setup-admission.ts); `signal` (the client's request) drops one still waiting.
   */
  start(actor: Actor, request: ChatCompletionRequest, signal?: AbortSignal): Promise<StartedCompletion> {
    return this.dailyLimit.countTurn(actor, () => this.admission.run(() => this.startNow(actor, request), signal));
  }

  private async startNow(actor: Actor, request: ChatCompletionRequest): Promise<StartedCompletion> {
    // A request that cannot make a conversation is refused before the model is looked up, as a bad field would be.
    const input = conversationFromRequest(request, request.model);
    const model = findUsableModel(this.models.viewFor(actor.id), this.providers, request.model);
    const clientTools = clientToolsOf(request, model);
    const conversation = await this.store.conversations.create({
      actor,
      origin: 'api',
      title: input.title,
      parameters: input.parameters,
      modelIds: [model.id],
    });
    const saved = await this.store.messages.save({ actor, conversationId: conversation.id, messages: input.messages });
    // The conversation is new: what was just saved is all of it (the newest of it, as a history read would give).
    const history = saved.slice(-HISTORY_MESSAGE_LIMIT);
    // Listening from the turn's start, so no event is missed however late the reader comes.
    const events = new TurnEventQueue();
    const turn = await this.turns.startTurn({
      actor,
      conversation,
      userMessage: saved.at(-1)!,
      models: [model],
      history,
      offerTools: false,
      clientTools,
      listeners: [events.listener],
    });
    return {
      conversationId: conversation.id,
      model,
      turn,
      events,
      created: Math.floor(Date.now() / 1000),
      outputTokenLimit: input.parameters.maxOutputTokens ?? model.maxOutputTokens,
    };
  }

  /**
   * The reply as Chat Completions stream events, followed live until it ends or `signal` aborts (the client
   * left). Read once per completion.
   */
  async openEvents(
    completion: StartedCompletion,
    options: { includeUsage: boolean; signal?: AbortSignal },
  ): Promise<AsyncIterable<CompletionStreamEvent>> {
    const identity = {
      id: `chatcmpl-${completion.turn.replyIds[0]}`,
      model: completion.model.id,
      created: completion.created,
      outputTokenLimit: completion.outputTokenLimit,
    };
    return toCompletionChunks(completion.events.events(options.signal), identity, {
      includeUsage: options.includeUsage,
    });
  }

  /** The whole reply, once it has finished; a provider failure is a provider_error. */
  async complete(completion: StartedCompletion, signal?: AbortSignal): Promise<ChatCompletion> {
    return collectCompletion(await this.openEvents(completion, { includeUsage: true, signal }));
  }
}
