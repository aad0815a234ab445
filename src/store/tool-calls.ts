// The record of every call a model made to an MCP server's tool: who, where, what went in and what came out.
import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { toolCalls } from '../db/schema/index.ts';
import { clampLimit, decodeCursor, type Page, toPage } from './pagination.ts';

export type ToolCallRecord = typeof toolCalls.$inferSelect;
export type NewToolCallRecord = Omit<typeof toolCalls.$inferInsert, 'id' | 'createdAt'>;

export class ToolCallStore {
  constructor(private readonly db: Database) {}

  async record(call: NewToolCallRecord): Promise<void> {
    await this.db.insert(toolCalls).values(call);
  }

  /** Newest first; all calls, or one server's. */
  async list(options: { serverId?: string; limit?: number; cursor?: string }): Promise<Page<ToolCallRecord>> {
    const limit = clampLimit(options.limit);
    const conditions: SQL[] = [];
    if (options.serverId) conditions.push(eq(toolCalls.serverId, options.serverId));
    if (options.cursor) {
      const { at, id } = decodeCursor(options.cursor);
      conditions.push(or(lt(toolCalls.startedAt, at), and(eq(toolCalls.startedAt, at), lt(toolCalls.id, id)))!);
    }
    const rows = await this.db
      .select()
      .from(toolCalls)
      .where(and(...conditions))
      .orderBy(desc(toolCalls.startedAt), desc(toolCalls.id))
      .limit(limit + 1);
    return toPage(rows, limit, (row) => ({ at: row.startedAt, id: row.id }));
  }
}
