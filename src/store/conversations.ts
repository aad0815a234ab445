// Conversations (= chats, sessions): create, read, list newest-first, change, delete — always as an actor. With a
// keyring the title is stored only encrypted (see title-encryption.ts); every read gives it in the clear.
import { eq, sql } from 'drizzle-orm';
import type { Keyring } from '../crypto/encryption.ts';
import type { Database, Executor } from '../db/client.ts';
import {
  type ConversationParameters,
  type ConversationSettings,
  conversationModels,
  conversationParticipants,
  conversations,
} from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import type { Actor } from './actor.ts';
import { type AccessLevel, conversationWithAccess, levelToChange } from './conversation-access.ts';
import { type ConversationListRequest, prepareConversationLists } from './conversation-lists.ts';
import { newConversationId } from './ids.ts';
import { mergedJson } from './json-merge.ts';
import type { Page } from './pagination.ts';
import { isForeignKeyViolation, isUniqueViolation } from './postgres-errors.ts';
import { openTitle, sealTitle } from './title-encryption.ts';

/** A conversation as stored: its title may be sealed. */
export type ConversationRow = typeof conversations.$inferSelect;
/** A conversation as callers see it: the title in the clear, however it is stored. */
export type Conversation = Omit<ConversationRow, 'encryptedTitle' | 'titleKeyId'>;

/** A stored row as callers see it: the title opened, the storage columns gone. */
export function toConversation(keyring: Keyring | null, row: ConversationRow): Conversation {
  const { encryptedTitle: _ciphertext, titleKeyId: _keyId, ...conversation } = row;
  return { ...conversation, title: openTitle(keyring, row) };
}

export type NewConversation = {
  /** A client may choose the id (useChat names a new chat before the server sees it). */
  id?: string;
  title?: string | null;
  visibility?: Conversation['visibility'];
  origin?: Conversation['origin'];
  discordChannelId?: string | null;
  parameters?: ConversationParameters;
  settings?: ConversationSettings;
  /** Models taking part, in order. */
  modelIds?: string[];
};

export type ConversationChanges = Partial<
  Pick<Conversation, 'title' | 'visibility' | 'parameters' | 'settings' | 'isActive' | 'endedAt'>
>;

/** Changes to some generation settings, leaving the others as they are; null removes a setting. */
export type ParameterChanges = { [Key in keyof ConversationParameters]?: ConversationParameters[Key] | null };
/** Changes to some reply settings (mode, lead, limit), merged the same way. */
export type SettingChanges = { [Key in keyof ConversationSettings]?: ConversationSettings[Key] | null };

/** A model of the conversation as a turn needs it: which, whether it answers, and its own settings. */
export type TurnMember = Pick<typeof conversationModels.$inferSelect, 'modelId' | 'isActive' | 'settings'>;

/** A conversation in its member's list, with the member's role in it and how the member keeps it. */
export type ConversationListItem = Conversation & {
  role: ParticipantRole;
  pinned: boolean;
  archived: boolean;
  folderId: string | null;
};
type ParticipantRole = (typeof conversationParticipants.$inferSelect)['role'];

export type { ConversationListRequest, ConversationListView } from './conversation-lists.ts';

export class ConversationStore {
  private readonly lists;
  private readonly writableWithMembers;
  private readonly createStatement;

  constructor(
    private readonly db: Database,
    private readonly keyring: Keyring | null = null,
  ) {
    const { created, owner, members } = conversationCreation(db);
    this.createStatement = db.with(created, owner, members).select().from(created).prepare('conversations_create');
    this.lists = prepareConversationLists(db);
    // Every message sent to an existing conversation starts with this read: one statement, prepared.
    this.writableWithMembers = db
      .select({
        conversation: conversations,
        // Spelled out with an alias: drizzle writes the columns of a one-table query unqualified.
        members: sql<TurnMember[]>`coalesce((
          select json_agg(json_build_object('modelId', member.model_id, 'isActive', member.is_active, 'settings', member.settings)
            order by member.position, member.added_at, member.id)
          from ${conversationModels} as member where member.conversation_id = ${conversations}.id), '[]')`,
      })
      .from(conversations)
      .where(conversationWithAccess({ id: sql.placeholder('actorId') }, sql.placeholder('id'), 'write'))
      .prepare('conversations_writable_with_members');
  }

  /**
   * Creates the conversation with its owner as first participant and its models, in one statement (see
   * conversationCreation). A taken id is a conflict.
   */
  async create({ actor, ...input }: NewConversation & { actor: Actor }): Promise<Conversation> {
    let created: ConversationRow | undefined;
    try {
      const values = creationValues(actor, { ...input, id: input.id ?? newConversationId() }, this.keyring);
      [created] = await this.createStatement.execute(values);
    } catch (error) {
      throw asCreationError(error, input);
    }
    if (!created) throw conversationIdTaken(input.id);
    return this.open(created);
  }

  /** A row read elsewhere (another store's statement) as callers see it. */
  open(row: ConversationRow): Conversation {
    return toConversation(this.keyring, row);
  }

  /** The conversation if the actor may reach it at `level`; otherwise not-found, never the data. */
  async get({ actor, id, level = 'read' }: { actor: Actor; id: string; level?: AccessLevel }, db: Executor = this.db) {
    const [conversation] = await db
      .select()
      .from(conversations)
      .where(conversationWithAccess(actor, id, level));
    if (!conversation) throw notFound('conversation', id);
    return this.open(conversation);
  }

  /**
   * For a new message: the conversation if the actor may write to it, with its models in reply order; undefined
   * when there is no such conversation for the actor (it may be theirs to create).
   */
  async findWritableWithMembers({ actor, id }: { actor: Actor; id: string }) {
    const [row] = await this.writableWithMembers.execute({ actorId: actor.id, id });
    return row && { conversation: this.open(row.conversation), members: row.members };
  }

  /** The actor's conversations (owned or joined), most recent activity first, in the list the request names. */
  async listForUser(request: ConversationListRequest): Promise<Page<ConversationListItem>> {
    const page = await this.lists.list(request);
    return {
      items: page.items.map((row) => ({
        ...this.open(row.conversation),
        role: row.role,
        pinned: row.pinnedAt !== null,
        archived: row.archivedAt !== null,
        folderId: row.folderId,
      })),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Needs the level levelToChange names: manage access, and the owner's own to change who may see it.
   * `parameterChanges` are merged into the stored parameters inside the statement, so two people changing
   * different settings at once both keep theirs.
   */
  async update({
    actor,
    id,
    changes,
    parameterChanges,
    settingChanges,
  }: {
    actor: Actor;
    id: string;
    changes: ConversationChanges;
    parameterChanges?: ParameterChanges;
    settingChanges?: SettingChanges;
  }) {
    const level = levelToChange(changes);
    const values = {
      ...changes,
      ...(changes.title === undefined ? {} : sealTitle(this.keyring, id, changes.title)),
      ...(parameterChanges ? { parameters: mergedJson(conversations.parameters, parameterChanges) } : {}),
      ...(settingChanges ? { settings: mergedJson(conversations.settings, settingChanges) } : {}),
    };
    if (Object.keys(values).length === 0) return this.get({ actor, id, level });
    const [conversation] = await this.db
      .update(conversations)
      .set(values)
      .where(conversationWithAccess(actor, id, level))
      .returning();
    if (!conversation) throw notFound('conversation', id);
    return this.open(conversation);
  }

  /** Owner only. Messages, votes, streams, transcripts, participants and invites go with it (cascades). */
  async delete({ actor, id }: { actor: Actor; id: string }): Promise<void> {
    const deleted = await this.db
      .delete(conversations)
      .where(conversationWithAccess(actor, id, 'own'))
      .returning({ id: conversations.id });
    if (deleted.length === 0) throw notFound('conversation', id);
  }

  /** Internal: the conversation bound to a Discord channel, if any. */
  async findByDiscordChannel(channelId: string): Promise<Conversation | undefined> {
    const [conversation] = await this.db
      .select()
      .from(conversations)
      .where(eq(conversations.discordChannelId, channelId));
    return conversation && this.open(conversation);
  }
}

/**
 * The CTEs that create a conversation with its owner as first participant and its models: `created` inserts the
 * conversation (and returns it; nothing when the id is taken), the other two read it, so they happen only with it.
 * A statement that includes them creates the conversation (ConversationStore.create; a chat's first message, saved
 * in the same statement). Every value is a placeholder, so such statements are prepared once; creationValues fills
 * them in.
 */
export function conversationCreation(db: Executor) {
  const placeholder = (name: keyof CreationValues) => sql.placeholder(name);
  const created = db.$with('created').as(
    db
      .insert(conversations)
      .values({
        id: placeholder('conversationId'),
        title: placeholder('title'),
        // Bytes travel as base64 text: placeholders are not mapped through column types on every driver.
        encryptedTitle: sql`decode(${placeholder('encryptedTitle')}, 'base64')`,
        titleKeyId: placeholder('titleKeyId'),
        ownerId: placeholder('ownerId'),
        visibility: placeholder('visibility'),
        origin: placeholder('origin'),
        discordChannelId: placeholder('discordChannelId'),
        parameters: placeholder('parameters'),
        settings: placeholder('settings'),
      })
      .onConflictDoNothing({ target: conversations.id })
      .returning(),
  );
  const owner = db.$with('owner', { inserted: sql<number>`inserted`.as('inserted') }).as(
    sql`insert into ${conversationParticipants} (conversation_id, user_id, role, last_message_at)
      select ${created.id}, ${created.ownerId}, 'owner', ${created.lastMessageAt} from ${created} returning 1 as inserted`,
  );
  // Models as one JSON parameter: drizzle would spread a JS array into a list of parameters.
  const members = db.$with('members', { inserted: sql<number>`inserted`.as('inserted') }).as(
    sql`insert into ${conversationModels} (conversation_id, model_id, position)
      select ${created.id}, model.id, model.position - 1
      from ${created}, jsonb_array_elements_text(${placeholder('modelIds')}::jsonb) with ordinality as model(id, position)
      returning 1 as inserted`,
  );
  return { created, owner, members };
}

/** The values of conversationCreation's placeholders, for the actor's new conversation; the title sealed with a keyring. */
export function creationValues(actor: Actor, input: NewConversation & { id: string }, keyring: Keyring | null = null) {
  const { title, encryptedTitle, titleKeyId } = sealTitle(keyring, input.id, input.title ?? null);
  return {
    conversationId: input.id,
    title,
    encryptedTitle: encryptedTitle && Buffer.from(encryptedTitle).toString('base64'),
    titleKeyId,
    ownerId: actor.id,
    visibility: input.visibility ?? 'private',
    origin: input.origin ?? 'web',
    discordChannelId: input.discordChannelId ?? null,
    parameters: input.parameters ?? {},
    settings: input.settings ?? {},
    modelIds: JSON.stringify(input.modelIds ?? []),
  };
}

type CreationValues = ReturnType<typeof creationValues>;

export type ConversationCreation = ReturnType<typeof conversationCreation>;

/** What a failed creation means to the caller. */
export function asCreationError(error: unknown, input: NewConversation): unknown {
  if (isForeignKeyViolation(error)) {
    return new AppError('invalid_input', 'unknown model id', { details: { modelIds: input.modelIds }, cause: error });
  }
  if (isUniqueViolation(error)) {
    return new AppError('conflict', 'the Discord channel is taken, or a model is listed twice', { cause: error });
  }
  return error;
}

/** Creating a conversation whose id another one has. */
export class ConversationIdTakenError extends AppError {
  constructor(id: string | undefined) {
    super('conflict', `the conversation id ${id} is taken`);
  }
}

export const conversationIdTaken = (id: string | undefined) => new ConversationIdTakenError(id);
