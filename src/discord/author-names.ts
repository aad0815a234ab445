// How a model or a person is named on a Discord message: as the name a channel webhook posts under, or as a bold
// header line on the bot's own message where no webhook may be used. Pure.

/** Discord refuses webhook names longer than this. */
const WEBHOOK_NAME_MAX = 80;
/** Words Discord refuses inside a webhook's name; a zero-width space inside each keeps the name readable. */
const REFUSED_WORDS = /(clyd)(e)|(discor)(d)/gi;

/** Who a message is posted as. */
export type Author = { name: string; avatarUrl?: string | null };

/** The name a webhook message is posted under: one Discord accepts, as close to `name` as it allows. */
export function webhookName(name: string): string {
  const cleaned = name
    .replace(/\s+/g, ' ')
    .trim()
    .replace(REFUSED_WORDS, (_match, ...groups: (string | undefined)[]) =>
      groups.slice(0, 4).filter(Boolean).join('\u200b'),
    );
  if (cleaned === '') return 'someone';
  if (/^(everyone|here)$/i.test(cleaned)) return `${cleaned}\u200b`;
  return [...cleaned].slice(0, WEBHOOK_NAME_MAX).join('');
}

/** The first line of a message the bot posts for `name` itself, naming who speaks. */
export function headerLine(name: string): string {
  return `**${escapeMarkdown(name.replace(/\s+/g, ' ').trim() || 'someone')}**\n`;
}

/** An avatar Discord can fetch: an http(s) address (a model's short avatar label is not one). */
export function avatarAddress(avatar: string | null | undefined): string | undefined {
  return avatar && /^https?:\/\//i.test(avatar) ? avatar : undefined;
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_~`|>])/g, '\\$1');
}

/** A model as its replies are named: its display name (else its name, else its id) and avatar. */
export function modelAuthor(
  models: { get(id: string): { name: string; displayName: string | null; avatar: string | null } | undefined },
  modelId: string,
): Author {
  const model = models.get(modelId);
  return { name: model?.displayName ?? model?.name ?? modelId, avatarUrl: model?.avatar ?? null };
}
