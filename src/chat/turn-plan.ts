// How a turn's models answer, from the conversation's settings: `single` (the first model alone),
// `parallel` (all at once) or `first_responder` (a lead answers first, flagged; then the others at once, each seeing
// the lead's reply and asked for a perspective it did not give). Each model's instructions are assembled here:
// the conversation's system prompt, the model's persona in this conversation, its part in the group, the limit.
import type { ConversationModelSettings, ConversationSettings } from '../db/schema/index.ts';
import type { ModelRow } from '../registry/model-cache.ts';
import { charLimitInstruction } from './char-limit.ts';

export type ReplyMode = NonNullable<ConversationSettings['replyMode']>;

/** Every reply mode, for the doors that offer a choice of them. */
export const REPLY_MODES = ['single', 'parallel', 'first_responder'] as const satisfies readonly ReplyMode[];

/** The largest character limit a conversation may set (0 sets none). */
export const MAX_CHAR_LIMIT = 100_000;

/** The default limit in the group modes: short replies, so a group's several answers stay readable together. */
export const GROUP_CHAR_LIMIT = 280;

export type PlannedReply = {
  model: ModelRow;
  isFirstResponder: boolean;
  instructions: string | undefined;
  temperature: number | undefined;
};

/** Stages run one after another; the replies within a stage run at once. */
export type TurnPlan = { mode: ReplyMode; stages: PlannedReply[][]; charLimit: number | null };

export type TurnSettings = {
  models: ModelRow[];
  settings: ConversationSettings;
  systemPrompt?: string;
  temperature?: number;
  /** Per-model settings of the conversation's models (persona, system prompt, temperature). */
  memberSettings?: ReadonlyMap<string, ConversationModelSettings>;
};

const nameOf = (model: ModelRow) => model.displayName ?? model.name;

export function replyModeOf(settings: ConversationSettings, modelCount: number): ReplyMode {
  return settings.replyMode ?? (modelCount > 1 ? 'parallel' : 'single');
}

/**
 * The limit a reply is held to: the conversation's own (0: none); else 280 when the conversation chose a group
 * mode. Several models named for one side-by-side question get no limit unless asked.
 */
export function charLimitOf(settings: ConversationSettings): number | null {
  if (typeof settings.charLimit === 'number') return settings.charLimit > 0 ? settings.charLimit : null;
  return settings.replyMode === 'parallel' || settings.replyMode === 'first_responder' ? GROUP_CHAR_LIMIT : null;
}

export function planTurn({ models, settings, systemPrompt, temperature, memberSettings }: TurnSettings): TurnPlan {
  const mode = replyModeOf(settings, models.length);
  const charLimit = charLimitOf(settings);
  const inGroup = models.length > 1 && mode !== 'single';
  const everyone = models.map(nameOf).join(', ');

  const reply = (model: ModelRow, role: 'alone' | 'lead' | 'peer' | 'follower', lead?: ModelRow): PlannedReply => {
    const own = memberSettings?.get(model.id) ?? {};
    const parts = [systemPrompt, own.systemPrompt, own.persona ? `Your persona here: ${own.persona}` : undefined];
    if (inGroup) parts.push(`This is a group conversation: several AI models (${everyone}) answer the people in it.`);
    if (role === 'follower' && lead) {
      parts.push(
        `${nameOf(lead)} answered first; its reply is above. Add a perspective it did not give — do not repeat it or ` +
          'simply agree with it.',
      );
    }
    if (charLimit !== null) parts.push(charLimitInstruction(charLimit));
    const instructions = parts.filter((part): part is string => Boolean(part?.trim())).join('\n\n');
    return {
      model,
      isFirstResponder: role === 'lead',
      instructions: instructions || undefined,
      temperature: typeof own.temperature === 'number' ? own.temperature : temperature,
    };
  };

  if (mode === 'single' || models.length === 1) return { mode, charLimit, stages: [[reply(models[0]!, 'alone')]] };
  if (mode === 'parallel') return { mode, charLimit, stages: [models.map((model) => reply(model, 'peer'))] };
  const lead = models.find((model) => model.id === settings.firstResponderModelId) ?? models[0]!;
  const followers = models.filter((model) => model !== lead);
  return {
    mode,
    charLimit,
    stages: [[reply(lead, 'lead')], followers.map((model) => reply(model, 'follower', lead))],
  };
}
