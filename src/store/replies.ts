// Replies: the assistant messages models write, engine-side (no actor: the chat service already checked access).
// A turn's pending replies are written together before they stream; each then fills in as it grows and when it
// ends; replies a dead process left streaming are ended by the sweeper. With a keyring the text is sealed. What a
// model wrote is stored even when PostgreSQL cannot hold some of its characters (see storable-text.ts).
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Keyring } from '../crypto/encryption.ts';
import type { Database } from '../db/client.ts';
import { messages } from '../db/schema/index.ts';
import { notFound } from '../errors.ts';
import { GatheredWrites } from '../performance/gathered-writes.ts';
import { openMessageText, sealMessageText, toMessage } from './message-encryption.ts';
import { type MessageBatchWriter, prepareMessageRows } from './message-insert.ts';
import type { Message, Optional, ReplyAccounting } from './message-rows.ts';
import { storableJson, storableText } from './storable-text.ts';

export const ABANDONED_REPLY_ERROR = 'the server stopped before the reply finished';

/** A reply ended because the process generating it had died. */
export type AbandonedReply = { id: string; conversationId: string; modelId: string | null };

/** An assistant reply about to stream (status `streaming`, no text yet): what is known of it. */
export type PendingReply = Optional<
  | 'id'
  | 'requestId'
  | 'modelId'
  | 'modelVersion'
  | 'parentId'
  | 'threadRootId'
  | 'isFirstResponder'
  | 'hasWebSearch'
  | 'webSearchContextSize'
  | 'metadata'
>;

/** What streaming fills in as the reply grows and when it ends. */
export type MessageChanges = Optional<
  'parts' | 'content' | 'attachments' | 'status' | 'modelVersion' | ReplyAccounting | 'metadata'
>;

/** A streaming reply's text so far. */
export type ReplyText = Required<Pick<MessageChanges, 'content' | 'parts'>>;

/** A streaming reply and its text so far. */
export type GrowingReply = { id: string; text: ReplyText };

/** How a reply ended: its text, status and metadata, and what it cost where the provider said. */
export type ReplyEnding = ReplyText &
  Required<Pick<MessageChanges, 'status' | 'metadata'>> &
  Pick<MessageChanges, ReplyAccounting>;

/** The columns a reply's end writes, keyed as its record in the statement's JSON parameter. */
const endingColumns = {
  id: messages.id,
  content: messages.content,
  parts: messages.parts,
  status: messages.status,
  metadata: messages.metadata,
  input_tokens: messages.inputTokens,
  output_tokens: messages.outputTokens,
  cached_input_tokens: messages.cachedInputTokens,
  cost_usd: messages.costUsd,
  latency_ms: messages.latencyMs,
};

/** `ending(id uuid, content text, ...)`: the record's shape, taken from the schema. */
const endingDefinition = sql.raw(
  Object.entries(endingColumns)
    .map(([name, column]) => `${name} ${column.getSQLType()}`)
    .join(', '),
);

/** A value left to the driver as it is (a column's own encoding would turn null into text). */
const given = (name: string) => sql`${sql.placeholder(name)}`;
const givenJson = (name: string) => sql`${sql.placeholder(name)}::jsonb`;

/**
 * The rows a batch names, by primary key: the ids travel as a JSON array of their own. Joined only with the
 * recordset, the planner may scan the whole table (it takes any recordset for 100 rows); this way it looks each row
 * up in the index, however large the table.
 */
const namedRows = sql`${messages.id} = any(array(select jsonb_array_elements_text(${sql.placeholder('ids')}::jsonb)::uuid))`;

/**
 * The turn runner's writes of replies in the clear, built once: every reply makes them, and building an update took
 * about as long as PostgreSQL took to run it (~0.3 ms of CPU). They touch only rows in the clear; `updated_at` is
 * the statement's time (drizzle's $onUpdate would be fixed when the statement is built).
 */
function replyStatements(db: Database) {
  // One reply alone (no other waiting) is written by a plainer statement: about 0.4 ms of CPU less on the embedded
  // database than a batch of one.
  const inTheClear = and(eq(messages.id, sql.placeholder('id')), isNull(messages.encryptedContent));
  const text = { content: given('content'), parts: givenJson('parts'), updatedAt: sql`now()` };
  return {
    saveText: db
      .update(messages)
      .set(text)
      .where(inTheClear)
      .returning({ id: messages.id })
      .prepare('replies_save_text'),
    finishOne: db
      .update(messages)
      .set({
        ...text,
        status: given('status'),
        metadata: givenJson('metadata'),
        inputTokens: given('inputTokens'),
        outputTokens: given('outputTokens'),
        cachedInputTokens: given('cachedInputTokens'),
        costUsd: given('costUsd'),
        latencyMs: given('latencyMs'),
      })
      .where(inTheClear)
      .returning({ id: messages.id })
      .prepare('replies_finish_one'),
    // Every growing reply due is written by one statement: its rows travel as one JSON parameter.
    saveTexts: db
      .update(messages)
      .set({ content: sql`due.content`, parts: sql`due.parts`, updatedAt: sql`now()` })
      .from(sql`jsonb_to_recordset(${sql.placeholder('texts')}::jsonb) as due(id uuid, content text, parts jsonb)`)
      .where(and(namedRows, eq(messages.id, sql`due.id`), isNull(messages.encryptedContent)))
      .returning({ id: messages.id })
      .prepare('replies_save_texts'),
    // The replies ending together are written by one statement (see GatheredWrites).
    finish: db
      .update(messages)
      .set({
        content: sql`ending.content`,
        parts: sql`ending.parts`,
        status: sql`ending.status`,
        metadata: sql`ending.metadata`,
        inputTokens: sql`ending.input_tokens`,
        outputTokens: sql`ending.output_tokens`,
        cachedInputTokens: sql`ending.cached_input_tokens`,
        costUsd: sql`ending.cost_usd`,
        latencyMs: sql`ending.latency_ms`,
        updatedAt: sql`now()`,
      })
      .from(sql`jsonb_to_recordset(${sql.placeholder('endings')}::jsonb) as ending(${endingDefinition})`)
      .where(and(namedRows, eq(messages.id, sql`ending.id`), isNull(messages.encryptedContent)))
      .returning({ id: messages.id })
      .prepare('replies_finish'),
  };
}

export class ReplyStore {
  private readonly statements: ReturnType<typeof replyStatements>;
  private readonly endings: GatheredWrites<{ id: string; ending: ReplyEnding }>;

  constructor(
    private readonly db: Database,
    /** Saves a turn's pending replies; the one writer MessageStore shares (see createStore). */
    private readonly batches: MessageBatchWriter,
    private readonly keyring: Keyring | null = null,
  ) {
    this.statements = replyStatements(db);
    this.endings = new GatheredWrites((endings) => this.finishAll(endings));
  }

  /**
   * Saves the text so far of several streaming replies: those in the clear in one statement, each sealed one on its
   * own (see update). Every reply is tried; the first failure is thrown after.
   */
  async saveTexts(growing: GrowingReply[]): Promise<void> {
    const storable = growing.map(({ id, text }) => ({ id, ...storableReplyText(text) }));
    const saved = this.keyring ? [] : await this.writeTexts(storable);
    if (saved.length === storable.length) return;
    const savedIds = new Set(saved.map((row) => row.id));
    const sealed = storable.filter((reply) => !savedIds.has(reply.id));
    const outcomes = await Promise.allSettled(
      sealed.map(({ id, content, parts }) => this.update(id, { content, parts })),
    );
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** Writes how a reply ended (see update for a sealed one), with the other replies ending meanwhile. */
  finish(id: string, ending: ReplyEnding): Promise<void> {
    return this.endings.write({ id, ending });
  }

  /** Writes how replies ended: those in the clear in one statement, each sealed one on its own (see update). */
  private async finishAll(endings: { id: string; ending: ReplyEnding }[]): Promise<unknown[]> {
    const storable = endings.map(({ id, ending }) => ({
      id,
      ending: { ...ending, ...storableReplyText(ending), metadata: storableJson(ending.metadata) },
    }));
    const saved = this.keyring ? [] : await this.writeEndings(storable);
    const savedIds = new Set(saved.map((row) => row.id));
    return Promise.all(
      storable.map(({ id, ending }) =>
        savedIds.has(id)
          ? undefined
          : this.update(id, ending).then(
              () => undefined,
              (error: unknown) => error,
            ),
      ),
    );
  }

  private writeTexts(texts: ({ id: string } & ReplyText)[]) {
    if (texts.length === 1) {
      const [{ id, content, parts }] = texts as [{ id: string } & ReplyText];
      return this.statements.saveText.execute({ id, content, parts: JSON.stringify(parts) });
    }
    return this.statements.saveTexts.execute({ texts: JSON.stringify(texts), ids: idsOf(texts) });
  }

  private writeEndings(endings: { id: string; ending: ReplyEnding }[]) {
    if (endings.length === 1) {
      const [{ id, ending }] = endings as [{ id: string; ending: ReplyEnding }];
      return this.statements.finishOne.execute({
        id,
        content: ending.content,
        parts: JSON.stringify(ending.parts),
        status: ending.status,
        metadata: JSON.stringify(ending.metadata),
        inputTokens: ending.inputTokens ?? null,
        outputTokens: ending.outputTokens ?? null,
        cachedInputTokens: ending.cachedInputTokens ?? null,
        costUsd: ending.costUsd ?? null,
        latencyMs: ending.latencyMs ?? null,
      });
    }
    return this.statements.finish.execute({ endings: JSON.stringify(endings.map(endingRecord)), ids: idsOf(endings) });
  }

  /**
   * The assistant replies models are about to stream, in one statement, with the turn's resumable stream when
   * `streamId` is given.
   */
  async createPendingReplies(
    conversationId: string,
    replies: PendingReply[],
    { streamId }: { streamId?: string } = {},
  ): Promise<Message[]> {
    const pending = replies.map((reply) => ({ ...reply, role: 'assistant', status: 'streaming' }) as const);
    const rows = prepareMessageRows(this.keyring, conversationId, pending, null);
    const { stored } = await this.batches.write(conversationId, rows, { streamId });
    return stored.map((row) => toMessage(this.keyring, row));
  }

  /** Fills in a streaming reply. Text changes are merged with the stored text and sealed again. */
  async update(id: string, changes: MessageChanges): Promise<Message> {
    const { content, parts, attachments, ...other } = changes;
    const textChanges = definedOnly({ content, parts, attachments });
    const changesText = Object.keys(textChanges).length > 0;
    if (!this.keyring || !changesText) {
      // In the clear each text column stands alone, so the change is one statement (a streaming reply makes one
      // every second). A row sealed under a key (written by a process that had one) is left to the path below.
      const [updated] = await this.db
        .update(messages)
        .set({ ...other, ...textChanges })
        .where(changesText ? and(eq(messages.id, id), isNull(messages.encryptedContent)) : eq(messages.id, id))
        .returning();
      if (updated) return toMessage(this.keyring, updated);
      if (!changesText) throw notFound('message', id);
    }
    const row = await this.db.transaction(async (tx) => {
      let text = {};
      if (content !== undefined || parts !== undefined || attachments !== undefined) {
        // Encrypted text is one sealed value: a partial change needs the rest of it.
        const [current] = await tx.select().from(messages).where(eq(messages.id, id)).for('update');
        if (!current) throw notFound('message', id);
        const merged = { ...openMessageText(this.keyring, current), ...definedOnly({ content, parts, attachments }) };
        text = sealMessageText(this.keyring, id, merged);
      }
      const [updated] = await tx
        .update(messages)
        .set({ ...other, ...text })
        .where(eq(messages.id, id))
        .returning();
      return updated;
    });
    if (!row) throw notFound('message', id);
    return toMessage(this.keyring, row);
  }

  /**
   * Ends a reply as `error` when how it ended could not be written: the text saved so far stays, and the reply
   * never looks as if it were still being written. Returns whether the row was there to end.
   */
  async endAsError(id: string, error: string): Promise<boolean> {
    const ended = await this.db
      .update(messages)
      .set({
        status: 'error',
        metadata: sql`${messages.metadata} || ${JSON.stringify({ error: storableText(error) })}::jsonb`,
      })
      .where(eq(messages.id, id))
      .returning({ id: messages.id });
    return ended.length > 0;
  }

  /** How many replies of a conversation are still being generated (by any process). */
  async countStreaming(conversationId: string): Promise<number> {
    const [row] = await this.db
      .select({ count: sql<number>`count(*)::int` })
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), eq(messages.status, 'streaming')));
    return row?.count ?? 0;
  }

  /**
   * Replies left `streaming` by a process that died: nothing has touched them since `quietSince`, which a live
   * reply cannot be (it saves as it grows, and its provider call times out). They end as `error`, keeping the
   * text saved so far. Returns them.
   */
  async endAbandonedReplies({ quietSince }: { quietSince: Date }): Promise<AbandonedReply[]> {
    const ended = await this.db
      .update(messages)
      .set({
        status: 'error',
        metadata: sql`${messages.metadata} || ${JSON.stringify({ error: ABANDONED_REPLY_ERROR })}::jsonb`,
      })
      .where(
        and(eq(messages.status, 'streaming'), lt(messages.updatedAt, sql`${quietSince.toISOString()}::timestamptz`)),
      )
      .returning({ id: messages.id, conversationId: messages.conversationId, modelId: messages.modelId });
    return ended;
  }
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

const idsOf = (rows: { id: string }[]) => JSON.stringify(rows.map((row) => row.id));

/** A reply's end as its record in the statement's parameter (a value left out is null). */
function endingRecord({
  id,
  ending,
}: {
  id: string;
  ending: ReplyEnding;
}): Record<keyof typeof endingColumns, unknown> {
  return {
    id,
    content: ending.content,
    parts: ending.parts,
    status: ending.status,
    metadata: ending.metadata,
    input_tokens: ending.inputTokens,
    output_tokens: ending.outputTokens,
    cached_input_tokens: ending.cachedInputTokens,
    cost_usd: ending.costUsd,
    latency_ms: ending.latencyMs,
  };
}

const storableReplyText = ({ content, parts }: ReplyText): ReplyText => ({
  content: content === null || content === undefined ? content : storableText(content),
  parts: storableJson(parts),
});
