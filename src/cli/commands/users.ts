// `chorus users list|show|promote|demote|deactivate|reactivate|delete`: user administration at the command line,
// straight on the configured database and file storage, as the operator (an admin who is no account). The rules
// are the admin API's (people/user-administration.ts): the last active admin can be neither demoted, deactivated
// nor deleted; a deactivation ends the person's sessions and stops their API keys on every running server.
import type { Command } from 'commander';
import { readEnvironment } from '../../config/env.ts';
import { keyringFromEnvironment } from '../../crypto/encryption.ts';
import { notFound } from '../../errors.ts';
import { openFileStorage } from '../../files/open-file-storage.ts';
import { type AdministeredUser, UserAdministration } from '../../people/user-administration.ts';
import { SYSTEM_ACTOR } from '../../store/actor.ts';
import { createStore, type Store } from '../../store/index.ts';
import type { AccountChanges } from '../../store/user-administration.ts';
import { formatTable, formatUsd } from '../output.ts';
import { withDatabase } from '../with-database.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Administration = { store: Store; people: UserAdministration };

function withAdministration<T>(action: (administration: Administration) => Promise<T>): Promise<T> {
  return withDatabase(async (db) => {
    const env = readEnvironment();
    const store = createStore(db, { keyring: keyringFromEnvironment(env) });
    return action({ store, people: new UserAdministration(store, openFileStorage(env)) });
  });
}

/** The user named by id or email. */
async function userIdOf(store: Store, who: string): Promise<string> {
  const user = UUID.test(who) ? await store.users.getById(who) : await store.users.findByEmail(who);
  if (!user) throw notFound('user', who);
  return user.id;
}

const describeUser = (user: AdministeredUser) =>
  [
    `${user.displayName ?? user.username} <${user.email ?? (user.isGuest ? 'guest' : 'no email')}>`,
    `id: ${user.id}`,
    `role: ${user.role}${user.isActive ? '' : ' (deactivated)'}`,
    `daily message limit: ${user.messagesPerDay ?? 'of their kind'}`,
    `this month: ${user.usageThisMonth.messages} replies, ${user.usageThisMonth.inputTokens} input and ` +
      `${user.usageThisMonth.outputTokens} output tokens, ${formatUsd(user.usageThisMonth.costUsd)}`,
  ].join('\n');

const print = (json: boolean | undefined, user: AdministeredUser) =>
  console.log(json ? JSON.stringify(user, null, 2) : describeUser(user));

export function registerUsers(program: Command) {
  const users = program
    .command('users')
    .description('administer people: list, show, promote, demote, deactivate, reactivate, delete');

  users
    .command('list')
    .description('people, newest first, with what they used this month')
    .option('--search <text>', 'part of an email, username or name')
    .option('--guests', 'include guests')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'as JSON')
    .action((options: { search?: string; guests?: boolean; limit: string; json?: boolean }) =>
      withAdministration(async ({ people }) => {
        const limit = Math.max(1, Math.min(10_000, Number.parseInt(options.limit, 10) || 100));
        const found = await people.search(SYSTEM_ACTOR, {
          query: options.search,
          includeGuests: options.guests,
          limit,
          offset: 0,
        });
        if (options.json) return console.log(JSON.stringify(found, null, 2));
        console.log(
          formatTable(found.users, [
            { header: 'EMAIL', value: (user) => user.email ?? (user.isGuest ? '(guest)' : '-') },
            { header: 'NAME', value: (user) => user.displayName ?? user.username },
            { header: 'ROLE', value: (user) => user.role },
            { header: 'ACTIVE', value: (user) => (user.isActive ? 'yes' : 'no') },
            { header: 'REPLIES', value: (user) => String(user.usageThisMonth.messages), align: 'right' },
            { header: 'COST', value: (user) => formatUsd(user.usageThisMonth.costUsd), align: 'right' },
            { header: 'ID', value: (user) => user.id },
          ]),
        );
        console.log(`${found.users.length} of ${found.total}`);
      }),
    );

  users
    .command('show <user>')
    .description('one person (by email or id), with what they used this month')
    .option('--json', 'as JSON')
    .action((who: string, options: { json?: boolean }) =>
      withAdministration(async ({ store, people }) => {
        print(options.json, await people.show(SYSTEM_ACTOR, await userIdOf(store, who)));
      }),
    );

  const changes: [name: string, description: string, changes: AccountChanges][] = [
    ['promote', 'make the person (by email or id) an admin', { role: 'admin' }],
    ['demote', 'make the admin (by email or id) a user again (never the last active admin)', { role: 'user' }],
    ['deactivate', 'stop the person signing in: their sessions end and API keys stop at once', { isActive: false }],
    ['reactivate', 'let a deactivated person sign in again', { isActive: true }],
  ];
  for (const [name, description, change] of changes) {
    users
      .command(`${name} <user>`)
      .description(description)
      .action((who: string) =>
        withAdministration(async ({ store, people }) => {
          print(false, await people.change(SYSTEM_ACTOR, await userIdOf(store, who), change));
        }),
      );
  }

  users
    .command('delete <user>')
    .description(
      'delete the person (by email or id): their conversations, uploads and keys go; their messages in ' +
        "others' conversations stay, from a deleted user",
    )
    .option('--hand-over', 'give each of their conversations to another participant, where there is one')
    .action((who: string, options: { handOver?: boolean }) =>
      withAdministration(async ({ store, people }) => {
        const deleted = await people.remove(
          SYSTEM_ACTOR,
          await userIdOf(store, who),
          options.handOver ? 'hand-over' : 'delete',
        );
        console.log(
          `deleted ${who}: ${deleted.deletedConversations} conversations deleted, ${deleted.handedOver} handed over`,
        );
      }),
    );
}
