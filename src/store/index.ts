// The store: the data-access layer, one unit per domain, all built on the one database handle it is given.
import type { Database } from '../db/client.ts';
import { ConversationStore } from './conversations.ts';
import { UserStore } from './users.ts';

export type StoreOptions = Record<string, never>;

export function createStore(db: Database, _options: StoreOptions = {}) {
  return {
    db,
    users: new UserStore(db),
    conversations: new ConversationStore(db),
  };
}

export type Store = ReturnType<typeof createStore>;
export type { Actor } from './actor.ts';
