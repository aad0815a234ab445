// A person's saved prompts (see db/schema/prompts.ts): theirs alone, every statement scoped to the actor, so
// another person's prompt is simply not found.
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { savedPrompts } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import type { Actor } from './actor.ts';
import { isUniqueViolation } from './postgres-errors.ts';

export type SavedPrompt = typeof savedPrompts.$inferSelect;
export type SavedPromptFields = Pick<SavedPrompt, 'name' | 'text'>;

const nameTaken = (name: string, cause: unknown) =>
  new AppError('conflict', `you already have a prompt named "${name}"`, { cause });

/** A unique-name clash as the conflict it is; anything else as it was. */
const asNameClash = (name: string | undefined) => (error: unknown) => {
  throw name !== undefined && isUniqueViolation(error) ? nameTaken(name, error) : error;
};

export class SavedPromptStore {
  constructor(private readonly db: Database) {}

  /** The actor's prompts, by name. */
  list({ actor }: { actor: Actor }): Promise<SavedPrompt[]> {
    return this.db
      .select()
      .from(savedPrompts)
      .where(eq(savedPrompts.userId, actor.id))
      .orderBy(asc(savedPrompts.name), asc(savedPrompts.id));
  }

  async create({ actor, prompt }: { actor: Actor; prompt: SavedPromptFields }): Promise<SavedPrompt> {
    const [saved] = await this.db
      .insert(savedPrompts)
      .values({ userId: actor.id, ...prompt })
      .returning()
      .catch(asNameClash(prompt.name));
    return saved!;
  }

  async update({
    actor,
    id,
    changes,
  }: {
    actor: Actor;
    id: string;
    changes: Partial<SavedPromptFields>;
  }): Promise<SavedPrompt> {
    const [saved] = await this.db
      .update(savedPrompts)
      .set(changes)
      .where(and(eq(savedPrompts.id, id), eq(savedPrompts.userId, actor.id)))
      .returning()
      .catch(asNameClash(changes.name));
    if (!saved) throw notFound('prompt', id);
    return saved;
  }

  async delete({ actor, id }: { actor: Actor; id: string }): Promise<void> {
    const deleted = await this.db
      .delete(savedPrompts)
      .where(and(eq(savedPrompts.id, id), eq(savedPrompts.userId, actor.id)))
      .returning({ id: savedPrompts.id });
    if (deleted.length === 0) throw notFound('prompt', id);
  }
}
