// The pure rules of the Discord side: naming models, where the bot answers, what a channel's next conversation
// starts with, link codes, and whose card follows Discord.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chosenModelsFor, discordChannelModelsSchema } from '../../src/discord/channel-models.ts';
import { ANSWER_EVERYWHERE, discordAccessSchema, isPlaceAllowed } from '../../src/discord/discord-access.ts';
import { cardChanges } from '../../src/discord/discord-accounts.ts';
import { nextSetup, titleOf } from '../../src/discord/discord-channels.ts';
import type { DiscordPlace } from '../../src/discord/discord-place.ts';
import { checkedCharLimit, checkedReplyMode } from '../../src/discord/discord-settings.ts';
import { hashLinkCode, linkRefusal, newLinkCode, normalizedLinkCode } from '../../src/discord/link-codes.ts';
import { resolveModelNames, splitModelNames } from '../../src/discord/model-names.ts';
import { AppError } from '../../src/errors.ts';

const model = (id: string, name: string, displayName: string | null = null) => ({
  id,
  providerModelId: id.split(':')[1]!,
  name,
  displayName,
});
const MODELS = [
  model('openai:gpt-4o', 'GPT-4o', 'GPT-4o'),
  model('openrouter:openai/gpt-4o', 'GPT-4o (OpenRouter)'),
  model('anthropic:claude-sonnet', 'Claude Sonnet', 'Claude'),
  model('fake:gpt-4o', 'Fake'),
];

const place = (overrides: Partial<DiscordPlace> = {}): DiscordPlace => ({
  channelId: '100',
  guildId: '1',
  parentChannelId: null,
  name: 'general',
  isDirect: false,
  ...overrides,
});

const refusalMessage = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof AppError);
    return error.message;
  }
  assert.fail('expected a refusal');
};

describe('naming models in a command', () => {
  test('an id, the display name or the name, in any case; the order named, each once', () => {
    assert.deepEqual(resolveModelNames(MODELS, ['claude', 'OPENAI:GPT-4O', 'Claude Sonnet']), [
      'anthropic:claude-sonnet',
      'openai:gpt-4o',
    ]);
    assert.deepEqual(resolveModelNames(MODELS, ['openai/gpt-4o']), ['openrouter:openai/gpt-4o']);
  });

  test('a name that fits several models, or none, is refused naming each problem', () => {
    const message = refusalMessage(() => resolveModelNames(MODELS, ['gpt-4o', 'nonesuch']));
    assert.match(message, /gpt-4o: could be openai:gpt-4o, fake:gpt-4o/);
    assert.match(message, /nonesuch: no such model/);
    assert.match(
      refusalMessage(() => resolveModelNames(MODELS, [])),
      /at least one model/,
    );
  });

  test('typed lists split at commas and spaces', () => {
    assert.deepEqual(splitModelNames(' alpha, beta  gamma,'), ['alpha', 'beta', 'gamma']);
  });
});

describe('where the bot answers', () => {
  test('everywhere when nothing narrows it', () => {
    assert.equal(isPlaceAllowed(ANSWER_EVERYWHERE, place()), true);
    assert.equal(isPlaceAllowed(ANSWER_EVERYWHERE, place({ guildId: null, isDirect: true })), true);
    assert.deepEqual(discordAccessSchema.parse({}), ANSWER_EVERYWHERE);
  });

  test('guilds narrow to their channels, channels narrow further, threads go by their parent', () => {
    const access = discordAccessSchema.parse({ guildIds: ['1'], channelIds: ['100'] });
    assert.equal(isPlaceAllowed(access, place()), true);
    assert.equal(isPlaceAllowed(access, place({ channelId: '101' })), false);
    assert.equal(isPlaceAllowed(access, place({ channelId: '500', parentChannelId: '100' })), true);
    assert.equal(isPlaceAllowed(access, place({ guildId: '2' })), false);
    const guildOnly = discordAccessSchema.parse({ guildIds: ['1'] });
    assert.equal(isPlaceAllowed(guildOnly, place({ channelId: '999' })), true);
    assert.equal(
      isPlaceAllowed(discordAccessSchema.parse({ directMessages: false }), place({ isDirect: true, guildId: null })),
      false,
    );
  });

  test('values that are not Discord ids, or unknown keys, are refused', () => {
    assert.equal(discordAccessSchema.safeParse({ guildIds: ['general'] }).success, false);
    assert.equal(discordAccessSchema.safeParse({ guilds: ['1'] }).success, false);
    assert.equal(discordChannelModelsSchema.safeParse({ '100': [] }).success, false);
    assert.equal(discordChannelModelsSchema.safeParse({ '100': ['not a model id'] }).success, false);
  });
});

describe("a channel's next conversation", () => {
  const previous = {
    settings: { replyMode: 'parallel' as const },
    parameters: { temperature: 0.3 },
    modelIds: ['a:1', 'a:2'],
  };
  const parent = { settings: { charLimit: 50 }, parameters: {}, modelIds: ['p:1'] };
  const all = () => true;

  test("its previous conversation's settings and models; a thread's first, its parent's", () => {
    assert.deepEqual(nextSetup({ previous, parent }, all), previous);
    assert.deepEqual(nextSetup({ parent }, all), parent);
    assert.deepEqual(nextSetup({}, all), { settings: {}, parameters: {}, modelIds: [] });
  });

  test("the admin's models come first; models that can no longer be picked are left out", () => {
    const setup = nextSetup({ chosenModelIds: ['c:1', 'gone:1', 'c:1'], previous }, (id) => id !== 'gone:1');
    assert.deepEqual(setup.modelIds, ['c:1']);
    assert.deepEqual(setup.settings, previous.settings);
    assert.deepEqual(chosenModelsFor({ '100': ['c:1'] }, place({ channelId: '500', parentChannelId: '100' })), ['c:1']);
    assert.equal(chosenModelsFor({ '100': ['c:1'] }, place({ channelId: '7' })), undefined);
  });

  test('its title is the channel name', () => {
    assert.equal(titleOf(place()), '#general');
    assert.equal(titleOf(place({ isDirect: true, guildId: null, name: 'Dana' })), 'Discord: Dana');
    assert.equal(titleOf(place({ name: '  ' })), 'Discord channel 100');
  });
});

describe('channel settings as commands give them', () => {
  test('a limit is a whole number from 0 to the maximum; null or 0 is none', () => {
    assert.equal(checkedCharLimit(280), 280);
    assert.equal(checkedCharLimit(null), null);
    assert.match(
      refusalMessage(() => checkedCharLimit(2.5)),
      /whole number/,
    );
    assert.match(
      refusalMessage(() => checkedCharLimit(1_000_000)),
      /whole number/,
    );
    assert.equal(checkedReplyMode('first_responder'), 'first_responder');
    assert.match(
      refusalMessage(() => checkedReplyMode('loud')),
      /single, parallel, first_responder/,
    );
  });
});

describe('link codes', () => {
  test('easy to read and type: ten letters and digits without look-alikes, any case and dashes accepted', () => {
    const code = newLinkCode();
    assert.match(code, /^[A-HJKMNP-Z2-9]{5}-[A-HJKMNP-Z2-9]{5}$/);
    assert.notEqual(newLinkCode(), code);
    assert.equal(normalizedLinkCode(' k7qm2 - xw9pa '), 'K7QM2XW9PA');
    assert.equal(hashLinkCode('k7qm2-xw9pa'), hashLinkCode('K7QM2XW9PA'));
    assert.match(hashLinkCode(code), /^[0-9a-f]{64}$/);
  });

  test('each way redeeming fails is named; linking, or a link already made, is no refusal', () => {
    assert.equal(linkRefusal('linked'), null);
    assert.equal(linkRefusal('already-linked'), null);
    assert.match(linkRefusal('used-code')!.message, /already used/);
    assert.match(linkRefusal('expired-code')!.message, /expired \(codes last 10 minutes\)/);
    assert.equal(linkRefusal('unknown-code')!.code, 'invalid_input');
    assert.equal(linkRefusal('account-linked-elsewhere')!.code, 'conflict');
  });
});

describe('whose name and avatar follow Discord', () => {
  const discordOnly = { displayName: 'Dana', avatarUrl: null, email: null, isGuest: false };
  const author = { discordId: '1', name: 'Dana', avatarUrl: null };

  test("a Discord-only user's card follows Discord; a linked web account keeps its own", () => {
    assert.equal(cardChanges(discordOnly, author), null);
    assert.deepEqual(cardChanges(discordOnly, { ...author, name: 'Dana R.' }), {
      displayName: 'Dana R.',
      avatarUrl: null,
    });
    assert.equal(cardChanges({ ...discordOnly, email: 'dana@example.test' }, { ...author, name: 'Dana R.' }), null);
  });
});
