// Group turns timed through POST /api/chat: a first-responder round (the lead, then the followers at once), a
// parallel round of the same models, and each model alone, in alternating order so all see the same noise. Every
// measured message is the second of a conversation set up beforehand (its first message made it and recorded its
// models; a PATCH set its reply mode), so each turn carries the same small history and none creates anything.

import { summarize, type Timing } from './measure.ts';
import { median } from './paired-timing.ts';
import { type ChatTarget, sendChecked, setReplySettings, type TurnTiming } from './turn-client.ts';

export type GroupModels = { lead: string; followers: string[] };
export type TurnCounts = { warmup: number; runs: number; setupConcurrency: number };

export type GroupTurnSamples = {
  singles: Map<string, TurnTiming[]>;
  firstResponder: TurnTiming[];
  parallel: TurnTiming[];
};

/** Runs `tasks`, `size` at a time. */
async function inBatches<T>(tasks: (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < tasks.length; start += size) {
    results.push(...(await Promise.all(tasks.slice(start, start + size).map((task) => task()))));
  }
  return results;
}

/** A conversation of `modelIds` in `settings`' reply mode, its first turn over. */
async function setUpConversation(target: ChatTarget, modelIds: string[], settings?: Record<string, unknown>) {
  const conversationId = crypto.randomUUID();
  await sendChecked(target, conversationId, { text: 'Hello, everyone.', modelIds, replies: modelIds.length });
  if (settings) await setReplySettings(target, conversationId, settings);
  return conversationId;
}

export async function measureGroupTurns(
  target: ChatTarget,
  models: GroupModels,
  counts: TurnCounts,
): Promise<GroupTurnSamples> {
  const all = [models.lead, ...models.followers];
  const rounds = counts.warmup + counts.runs;
  type Planned = {
    kind: 'single' | 'first-responder' | 'parallel';
    modelId?: string;
    conversationId: string;
    replies: number;
  };
  const setups: (() => Promise<Planned>)[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const modelId of all) {
      setups.push(async () => ({
        kind: 'single',
        modelId,
        conversationId: await setUpConversation(target, [modelId]),
        replies: 1,
      }));
    }
    const firstResponder = { replyMode: 'first_responder', firstResponderModelId: models.lead };
    setups.push(async () => ({
      kind: 'first-responder',
      conversationId: await setUpConversation(target, all, firstResponder),
      replies: all.length,
    }));
    setups.push(async () => ({
      kind: 'parallel',
      conversationId: await setUpConversation(target, all, { replyMode: 'parallel' }),
      replies: all.length,
    }));
  }
  const planned = await inBatches(setups, counts.setupConcurrency);

  const samples: GroupTurnSamples = { singles: new Map(all.map((id) => [id, []])), firstResponder: [], parallel: [] };
  const perRound = planned.length / rounds;
  for (let round = 0; round < rounds; round++) {
    const turns = planned.slice(round * perRound, (round + 1) * perRound);
    if (round % 2 === 1) turns.reverse();
    for (const turn of turns) {
      const timing = await sendChecked(target, turn.conversationId, {
        text: 'What do you all think of this?',
        replies: turn.replies,
      });
      if (round < counts.warmup) continue;
      if (turn.kind === 'single') samples.singles.get(turn.modelId!)!.push(timing);
      else if (turn.kind === 'first-responder') samples.firstResponder.push(timing);
      else samples.parallel.push(timing);
    }
  }
  return samples;
}

export const wallMs = (turn: TurnTiming) => turn.endedAt - turn.startedAt;

export type GroupTurnFigures = {
  /** Request to end of stream, ms: each model alone (median), and the sums the rounds are held against. */
  aloneMs: Map<string, number>;
  leadAloneMs: number;
  slowestFollowerAloneMs: number;
  sumAloneMs: number;
  maxAloneMs: number;
  firstResponder: Timing;
  parallel: Timing;
  /** Where a first-responder turn's time goes, medians in ms, as the asker's stream shows it. */
  stages: { beforeLead: number; lead: number; gap: number; followers: number; afterLast: number };
  /** A lone reply's: request to the reply's creation, the reply, its end to the end of the stream. */
  aloneStages: { beforeReply: number; reply: number; afterReply: number };
  /** Turns in which the lead was created first and every follower only after it finished, and those whose followers overlapped. */
  leadFirst: number;
  followersOverlapped: number;
};

export function groupTurnFigures(samples: GroupTurnSamples, models: GroupModels): GroupTurnFigures {
  const aloneMs = new Map([...samples.singles].map(([id, turns]) => [id, median(turns.map(wallMs))]));
  const followerAlone = models.followers.map((id) => aloneMs.get(id)!);
  const stages = samples.firstResponder.map((turn) => {
    const [lead, ...followers] = turn.replies;
    const followersCreated = followers.map((reply) => reply.createdAt);
    const followersFinished = followers.map((reply) => reply.finishedAt!);
    return {
      leadFirst: lead!.modelId === models.lead && followersCreated.every((createdAt) => createdAt >= lead!.finishedAt!),
      overlapped: Math.max(...followersCreated) < Math.min(...followersFinished),
      beforeLead: lead!.createdAt - turn.startedAt,
      lead: lead!.finishedAt! - lead!.createdAt,
      gap: Math.min(...followersCreated) - lead!.finishedAt!,
      followers: Math.max(...followersFinished) - Math.min(...followersCreated),
      afterLast: turn.endedAt - Math.max(...followersFinished),
    };
  });
  const lone = [...samples.singles.values()].flat().map((turn) => {
    const reply = turn.replies[0]!;
    return {
      before: reply.createdAt - turn.startedAt,
      reply: reply.finishedAt! - reply.createdAt,
      after: turn.endedAt - reply.finishedAt!,
    };
  });
  const medianOf = <T>(items: T[], pick: (item: T) => number) => median(items.map(pick));
  return {
    aloneMs,
    leadAloneMs: aloneMs.get(models.lead)!,
    slowestFollowerAloneMs: Math.max(...followerAlone),
    sumAloneMs: [...aloneMs.values()].reduce((sum, value) => sum + value, 0),
    maxAloneMs: Math.max(...aloneMs.values()),
    firstResponder: summarize(samples.firstResponder.map(wallMs)),
    parallel: summarize(samples.parallel.map(wallMs)),
    stages: {
      beforeLead: medianOf(stages, (stage) => stage.beforeLead),
      lead: medianOf(stages, (stage) => stage.lead),
      gap: medianOf(stages, (stage) => stage.gap),
      followers: medianOf(stages, (stage) => stage.followers),
      afterLast: medianOf(stages, (stage) => stage.afterLast),
    },
    aloneStages: {
      beforeReply: medianOf(lone, (stage) => stage.before),
      reply: medianOf(lone, (stage) => stage.reply),
      afterReply: medianOf(lone, (stage) => stage.after),
    },
    leadFirst: stages.filter((stage) => stage.leadFirst).length,
    followersOverlapped: stages.filter((stage) => stage.overlapped).length,
  };
}
