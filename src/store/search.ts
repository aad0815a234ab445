// Full-text search over the actor's own conversations (those they are an active participant of): their titles and
// what was said in them, ranked, a page at a time. Nothing of a conversation the actor is not in is ever read, so
// neither its text nor a count of it can reach them. With a keyring, text and titles are stored only sealed: then
// the titles are opened and matched here, in memory, and messages are not searched.
import { sql } from 'drizzle-orm';
import type { Keyring } from '../crypto/encryption.ts';
import type { Database } from '../db/client.ts';
import {
  conversationParticipants,
  conversations,
  messageSearchColumn,
  messages,
  titleSearchVector,
} from '../db/schema/index.ts';
import type { Actor } from './actor.ts';
import { openTitle } from './title-encryption.ts';

/** Where a search looks and what it lets through; model, person and dates narrow it to messages. */
export type SearchFilters = {
  conversationId?: string;
  modelId?: string;
  senderId?: string;
  from?: Date;
  to?: Date;
};

/** The rank and id of the last hit of the page before: hits rank below it follow. */
export type SearchKey = { rank: string; id: string };

export type SearchRequest = { actor: Actor; query: string; filters: SearchFilters; limit: number; after?: SearchKey };

/** A hit before it is shown: the text around the match still carries the highlight marks of HIGHLIGHT. */
export type RawSearchHit = {
  kind: 'message' | 'title';
  /** The message's id, or the conversation's for a title. */
  id: string;
  conversationId: string;
  conversationTitle: string | null;
  role: 'user' | 'assistant' | 'system' | 'tool' | null;
  senderId: string | null;
  modelId: string | null;
  /** The message whose thread the matched message is in; null in the main conversation and for a title. */
  threadRootId: string | null;
  /** When the message was written; for a title, the conversation's last activity. */
  at: Date;
  /** As the database wrote it, so a cursor compares exactly. */
  rank: string;
  marked: string;
};

/** Two control characters mark where a match starts and ends; any the text itself holds are dropped from snippets. */
export const HIGHLIGHT = { start: '\u0002', stop: '\u0003' } as const;
const HEADLINE_OPTIONS = `StartSel=${HIGHLIGHT.start}, StopSel=${HIGHLIGHT.stop}, MinWords=12, MaxWords=30, MaxFragments=2, FragmentDelimiter=" … "`;

export class SearchStore {
  constructor(
    private readonly db: Database,
    private readonly keyring: Keyring | null = null,
  ) {}

  /** One page of hits, best first, then by id (so pages never repeat or skip a hit of equal rank). */
  async search(request: SearchRequest): Promise<RawSearchHit[]> {
    if (this.keyring) return this.searchSealedTitles(request);
    const rows = await searchStatement(this.db, request).execute();
    return rows.map(({ title, encryptedTitle, titleKeyId, at, ...hit }) => ({
      ...hit,
      at: new Date(at),
      conversationTitle: openTitle(null, { id: hit.conversationId, title, encryptedTitle, titleKeyId }),
    }));
  }

  /** Titles are opened and matched word by word; a title's rank is how many times its words occur in it. */
  private async searchSealedTitles({ actor, query, filters, limit, after }: SearchRequest): Promise<RawSearchHit[]> {
    if (!titlesMatchFilters(filters)) return [];
    const words = queryWords(query);
    if (words.length === 0) return [];
    const rows = await this.db
      .select({
        id: conversations.id,
        title: conversations.title,
        encryptedTitle: conversations.encryptedTitle,
        titleKeyId: conversations.titleKeyId,
        at: conversations.lastMessageAt,
      })
      .from(conversationParticipants)
      .innerJoin(conversations, sql`${conversations.id} = ${conversationParticipants.conversationId}`)
      .where(sql`${conversationParticipants.userId} = ${actor.id} and ${conversationParticipants.isActive}
        ${filters.conversationId ? sql`and ${conversations.id} = ${filters.conversationId}` : sql``}`);
    const hits: RawSearchHit[] = [];
    for (const row of rows) {
      const title = openTitle(this.keyring, row);
      const marked = title === null ? null : markWords(title, words);
      if (!marked) continue;
      hits.push({
        kind: 'title',
        id: row.id,
        conversationId: row.id,
        conversationTitle: title,
        role: null,
        senderId: null,
        modelId: null,
        threadRootId: null,
        at: row.at,
        rank: String(marked.count),
        marked: marked.text,
      });
    }
    return hits
      .sort(byRankThenId)
      .filter((hit) => !after || byRankThenId(hit, { rank: after.rank, id: after.id }) > 0)
      .slice(0, limit);
  }
}

/** Model, person and date filters are about messages: a title passes only a search without them. */
const titlesMatchFilters = (filters: SearchFilters) =>
  filters.modelId === undefined && filters.senderId === undefined && !filters.from && !filters.to;

/**
 * Both kinds of hit in one ranked list: messages by the GIN index on their text, titles by the one on titles (a
 * title weighs as much as ten mentions in a message), each only within the actor's memberships. The page is cut
 * before the snippets are made, so only its hits are read whole again. Prepared: each shape of filters is one
 * statement text, parsed once per connection.
 */
function searchStatement(db: Database, { actor, query, filters, limit, after }: SearchRequest) {
  const tsQuery = sql`websearch_to_tsquery('english'::regconfig, ${query})`;
  const mine = sql`(select ${conversationParticipants.conversationId} from ${conversationParticipants}
    where ${conversationParticipants.userId} = ${actor.id} and ${conversationParticipants.isActive})`;
  const messageFilters = [
    filters.conversationId ? sql`and ${messages.conversationId} = ${filters.conversationId}` : sql``,
    filters.modelId !== undefined ? sql`and ${messages.modelId} = ${filters.modelId}` : sql``,
    filters.senderId !== undefined ? sql`and ${messages.senderId} = ${filters.senderId}` : sql``,
    filters.from ? sql`and ${messages.createdAt} >= ${filters.from.toISOString()}::timestamptz` : sql``,
    filters.to ? sql`and ${messages.createdAt} < ${filters.to.toISOString()}::timestamptz` : sql``,
  ];
  const messageHits = sql`select 'message' as kind, ${messages.id} as id, ${messages.conversationId} as conversation_id,
      ${messages.role}::text as role, ${messages.senderId} as sender_id, ${messages.modelId} as model_id,
      ${messages.threadRootId} as thread_root_id, ${messages.createdAt} as at, ${messages.content} as text,
      ts_rank(${messageSearchColumn}, ${tsQuery}) as rank
    from ${messages}
    where ${messageSearchColumn} @@ ${tsQuery}
      and ${messages.conversationId} in ${mine} ${sql.join(messageFilters, sql` `)}`;
  const titleHits = sql`select 'title', ${conversations.id}, ${conversations.id}, null, null, null, null::uuid,
      ${conversations.lastMessageAt}, ${conversations.title},
      ts_rank(setweight(${titleSearchVector(conversations.title)}, 'A'), ${tsQuery})
    from ${conversations}
    where ${titleSearchVector(conversations.title)} @@ ${tsQuery} and ${conversations.id} in ${mine}
      ${filters.conversationId ? sql`and ${conversations.id} = ${filters.conversationId}` : sql``}`;
  const hits = titlesMatchFilters(filters) ? sql`${messageHits} union all ${titleHits}` : messageHits;
  const afterKey = after ? sql`where (hit.rank, hit.id) < (${after.rank}::real, ${after.id}::uuid)` : sql``;
  const page = sql`(select * from (${hits}) as hit ${afterKey} order by hit.rank desc, hit.id desc limit ${limit})`;
  return db
    .select({
      kind: sql<RawSearchHit['kind']>`page.kind`,
      id: sql<string>`page.id`,
      conversationId: sql<string>`page.conversation_id`,
      role: sql<RawSearchHit['role']>`page.role`,
      senderId: sql<string | null>`page.sender_id`,
      modelId: sql<string | null>`page.model_id`,
      threadRootId: sql<string | null>`page.thread_root_id`,
      at: sql<string>`to_char(page.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
      rank: sql<string>`page.rank::text`,
      marked: sql<string>`ts_headline('english'::regconfig, translate(coalesce(page.text, ''), chr(2) || chr(3), ''),
        ${tsQuery}, ${HEADLINE_OPTIONS})`,
      title: conversations.title,
      encryptedTitle: conversations.encryptedTitle,
      titleKeyId: conversations.titleKeyId,
    })
    .from(sql`${page} as page`)
    .innerJoin(conversations, sql`${conversations.id} = page.conversation_id`)
    .orderBy(sql`page.rank desc`, sql`page.id desc`)
    .prepare('conversation_search');
}

/** The words of a query, lower-cased, without the operators of web search syntax. */
export function queryWords(query: string): string[] {
  return [...new Set(query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].filter((word) => word !== 'or');
}

/** The text with each occurrence of the words marked, and how many there are; null unless every word occurs. */
export function markWords(text: string, words: string[]): { text: string; count: number } | null {
  const plain = text.replaceAll(HIGHLIGHT.start, '').replaceAll(HIGHLIGHT.stop, '');
  const lower = plain.toLowerCase();
  if (!words.every((word) => lower.includes(word))) return null;
  const escaped = words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  let count = 0;
  const marked = plain.replace(new RegExp(escaped.join('|'), 'giu'), (match) => {
    count += 1;
    return `${HIGHLIGHT.start}${match}${HIGHLIGHT.stop}`;
  });
  return { text: marked, count };
}

/** Best first; at equal rank, the greater id first (the order the database pages in). */
function byRankThenId(a: Pick<RawSearchHit, 'rank' | 'id'>, b: Pick<RawSearchHit, 'rank' | 'id'>): number {
  const difference = Number(b.rank) - Number(a.rank);
  if (difference !== 0) return difference;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
