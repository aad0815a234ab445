// The conversation use cases every door (the HTTP API, a bot, an export) goes through, so each behaves the same:
// create, list, read one with its models and people, read its messages, change it, delete it; and, one service
// each, its models, its people, its invitations and its votes. Access is enforced by the store in SQL; the refusal
// a reader of the conversation gets is decided in access.ts; every change is announced on the conversation's live
// events once it is committed.
import type { Actor } from '../store/actor.ts';
import { levelToChange } from '../store/conversation-access.ts';
import type { ConversationModel } from '../store/conversation-models.ts';
import type {
  Conversation,
  ConversationListItem,
  ConversationListRequest,
  NewConversation,
  ParameterChanges,
  SettingChanges,
} from '../store/conversations.ts';
import type { ModelName } from '../store/messages.ts';
import type { Page } from '../store/pagination.ts';
import type { ParticipantWithUser } from '../store/participants.ts';
import { ConversationAccess } from './access.ts';
import { ConversationModelService } from './conversation-models.ts';
import { assertModelsSelectable, type ConversationServiceDependencies } from './dependencies.ts';
import { FolderService } from './folders.ts';
import { InviteService } from './invites.ts';
import { ParticipantService } from './participants.ts';
import { type ShownMessage, showMessages } from './shown-messages.ts';
import { ThreadService } from './threads.ts';
import { VoteService } from './votes.ts';

/** One conversation as its reader sees it: with its models (and their names) and its people. */
export type ConversationDetails = {
  conversation: Conversation;
  models: ConversationModel[];
  modelNames: Map<string, ModelName>;
  participants: ParticipantWithUser[];
};

/** A page of messages, newest first; `deletedFileIds`: files they carry that their uploader has since deleted. */
export type MessagePage = Page<ShownMessage> & { deletedFileIds: ReadonlySet<string> };

export type ConversationUpdate = {
  actor: Actor;
  conversationId: string;
  /** Null clears it. */
  title?: string | null;
  /** The owner's alone to change. */
  visibility?: Conversation['visibility'];
  /** Each given is set, null removes it, the others stay. */
  parameterChanges?: ParameterChanges;
  settingChanges?: SettingChanges;
};

type ConversationTarget = { actor: Actor; conversationId: string };

export class ConversationService {
  /** The 403-or-404 decision, for doors that guard an action of their own (stopping replies, following events). */
  readonly access: ConversationAccess;
  readonly models: ConversationModelService;
  readonly participants: ParticipantService;
  readonly invites: InviteService;
  readonly votes: VoteService;
  /** Each person's own order: folders, pinned and archived conversations. */
  readonly folders: FolderService;
  /** Reading a thread (posting in one is sending a message: ChatService). */
  readonly threads: ThreadService;

  constructor(private readonly dependencies: ConversationServiceDependencies) {
    this.access = new ConversationAccess(dependencies.store.conversations);
    this.models = new ConversationModelService(dependencies, this.access);
    this.participants = new ParticipantService(dependencies, this.access);
    this.invites = new InviteService(dependencies, this.access);
    this.votes = new VoteService(dependencies, this.access);
    this.folders = new FolderService(dependencies);
    this.threads = new ThreadService(dependencies);
  }

  /**
   * A new conversation of the actor's, with them as its owner and the models given (each one they could pick for a
   * message now) in that order. A chat's first message creates its conversation itself (ChatService).
   */
  async create({ actor, ...details }: NewConversation & { actor: Actor }): Promise<Conversation> {
    if (details.modelIds?.length) assertModelsSelectable(this.dependencies, actor, details.modelIds);
    return this.dependencies.store.conversations.create({ actor, ...details });
  }

  /** The actor's conversations (owned or joined), most recent activity first: their main list, a folder, or archived. */
  list(request: ConversationListRequest): Promise<Page<ConversationListItem>> {
    return this.dependencies.store.conversations.listForUser(request);
  }

  /** A conversation the actor may read, with its models and people; not-found for anyone else. */
  async get({ actor, conversationId }: ConversationTarget): Promise<ConversationDetails> {
    const conversation = await this.dependencies.store.conversations.get({ actor, id: conversationId });
    return this.detailsOf(actor, conversation);
  }

  /**
   * Renames it, changes its generation or reply settings (owner and admins) or its visibility (the owner alone).
   * A change of visibility is announced: readers from outside follow a public conversation only while it stays so.
   */
  async update({
    actor,
    conversationId,
    parameterChanges,
    settingChanges,
    ...changes
  }: ConversationUpdate): Promise<ConversationDetails> {
    const { store, events } = this.dependencies;
    const updated = await this.access.guarded(actor, { conversationId, level: levelToChange(changes) }, () =>
      store.conversations.update({ actor, id: conversationId, changes, parameterChanges, settingChanges }),
    );
    if (changes.visibility) {
      events.publish(conversationId, { type: 'visibility-changed', visibility: updated.visibility });
    }
    return this.detailsOf(actor, updated);
  }

  /** Deletes it with its messages, votes, people and invitations (the owner alone). */
  async delete({ actor, conversationId }: ConversationTarget): Promise<void> {
    const { store, events } = this.dependencies;
    await this.access.guarded(actor, { conversationId, level: 'own' }, () =>
      store.conversations.delete({ actor, id: conversationId }),
    );
    events.publish(conversationId, { type: 'conversation-deleted' });
  }

  /**
   * A page of the main line of a conversation the actor may read, newest first (`before`: the previous page's
   * cursor), each with what it takes to show it (see shown-messages.ts). A thread's messages are read with it.
   */
  async messages({
    actor,
    conversationId,
    limit,
    before,
  }: ConversationTarget & { limit?: number; before?: string | null }): Promise<MessagePage> {
    const page = await this.dependencies.store.messages.page({ actor, conversationId, limit, before });
    const { items, deletedFileIds } = await showMessages(this.dependencies, actor, conversationId, page.items);
    return { items, nextCursor: page.nextCursor, deletedFileIds };
  }

  private async detailsOf(actor: Actor, conversation: Conversation): Promise<ConversationDetails> {
    const { store } = this.dependencies;
    const conversationId = conversation.id;
    const [models, participants] = await Promise.all([
      store.conversationModels.list({ actor, conversationId }),
      store.participants.list({ actor, conversationId }),
    ]);
    const modelNames = await store.messages.modelNames(models.map((model) => model.modelId));
    return { conversation, models, modelNames, participants };
  }
}
