// One model's reply to a prompt: a pending assistant message saved first, the text streamed to the client as it
// comes, saved as it grows (so a crash keeps what was said), and finished with its status, tokens, cost and
// latency. A provider failure ends this reply with status `error` and never reaches the other models; so does a
// reply whose end cannot be saved. With web search, the provider's search tool goes along, and the sources it cites
// are streamed and saved with the text. No reply grows past the server's cap (see reply-size-cap.ts).
import { performance } from 'node:perf_hooks';
import type { ModelMessage } from 'ai';
import { asLanguageModelUsage } from 'ai/internal';
import type { MessagePart, models } from '../db/schema/index.ts';
import { logError } from '../loggable-error.ts';
import { log } from '../logging/logger.ts';
import { priceUsage, tokenUsageFromLanguageModelUsage } from '../models/pricing.ts';
import { batchDeltas } from '../performance/delta-batch.ts';
import {
  describeProviderError,
  type ProviderErrorKind,
  type ProviderRegistry,
  providerErrorDetails,
  providerErrorKind,
  STREAM_BROKE_OFF,
} from '../providers/index.ts';
import { type ModelStreamPart, streamLanguageModel } from '../providers/model-stream.ts';
import { webSearchCallOptions } from '../providers/web-search.ts';
import { newMessageId } from '../store/ids.ts';
import type { ReplyStore } from '../store/replies.ts';
import { CharLimitedText } from './char-limit.ts';
import type { PartialReplySaves } from './partial-reply-saves.ts';
import { ReplySizeCap } from './reply-size-cap.ts';
import type { ReplySummary } from './reply-summary.ts';
import { callableOnceSaved } from './saved-before-call.ts';
import type { TurnListener } from './turn-events.ts';

export type { ReplySummary } from './reply-summary.ts';

type ModelRow = typeof models.$inferSelect;

export type ReplyStatus = 'complete' | 'stopped' | 'error';

/** What a reply is told when how it ended could not be saved (the text saved so far is kept). */
export const REPLY_NOT_SAVED = 'the reply could not be saved';

export type ReplyRequest = {
  model: ModelRow;
  prompt: ModelMessage[];
  system?: string;
  temperature?: number;
  maxOutputTokens?: number;
  parentId: string;
  isFirstResponder?: boolean;
  /** Characters the reply may have (null: no limit); past it the reply is cut at a word boundary. */
  charLimit?: number | null;
  /** The server's cap on any reply, in characters: past it the reply is cut and its provider call stopped. */
  maxChars: number;
  webSearch?: { contextSize: 'low' | 'medium' | 'high' } | null;
  abortSignal: AbortSignal;
  /** Where the reply tells what it says (see turn-events.ts). */
  emit: TurnListener;
};

export type ReplyDependencies = {
  replies: ReplyStore;
  providers: ProviderRegistry;
  /** Where every reply's growing text is saved (one writer for all of them). */
  partialSaves: PartialReplySaves;
};

/** A reply set up: the id of its message, and the function that streams and finishes it. */
export type StartedReply = { messageId: string; run: () => Promise<ReplySummary> };

/**
 * Starts replies to one conversation: calls their providers at once, and meanwhile writes their pending messages
 * (one statement, with the turn's stream record when `streamId` is given). Each reply streams as soon as its
 * provider answers, not when the database has committed; it saves nothing (partial text, the end) before its pending
 * message exists. If the pending messages cannot be written, every reply's `run` fails with that error, which ends
 * the turn (see TurnRunner), and the provider calls are cancelled. With `after` (the person's message being saved),
 * the requests are set up at once but sent (see saved-before-call.ts), and the pending messages written, only once
 * it has fulfilled; if it rejects, nothing is sent or written.
 */
export function startReplies(
  dependencies: ReplyDependencies,
  conversationId: string,
  requests: ReplyRequest[],
  { streamId, after }: { streamId?: string; after?: Promise<unknown> } = {},
): StartedReply[] {
  const calls = requests.map((request) => callProvider(dependencies.providers, request, after));
  const ids = requests.map(() => newMessageId());
  const writePending = () =>
    dependencies.replies.createPendingReplies(
      conversationId,
      requests.map((request, index) => ({
        id: ids[index],
        modelId: request.model.id,
        modelVersion: request.model.version,
        parentId: request.parentId,
        isFirstResponder: request.isFirstResponder ?? false,
        hasWebSearch: Boolean(request.webSearch),
        webSearchContextSize: request.webSearch?.contextSize ?? null,
      })),
      { streamId },
    );
  const written = after ? after.then(writePending) : writePending();
  const saved: Promise<void> = written.then(
    () => undefined,
    (error: unknown) => {
      for (const call of calls) call.cancel();
      throw error;
    },
  );
  // Awaited by each run; until then a failure must not count as unhandled (it would end the process).
  saved.catch(() => {});
  return requests.map((request, index) => ({
    messageId: ids[index]!,
    run: () => streamReply(dependencies, request, { messageId: ids[index]!, saved }, calls[index]!),
  }));
}

/** A provider call under way: its parts once the provider answers (or why not), when it started, a way to drop it. */
type ProviderCall = {
  parts: Promise<ReadableStream<ModelStreamPart>>;
  startedAt: number;
  cancel(): void;
};

function callProvider(providers: ProviderRegistry, request: ReplyRequest, after?: Promise<unknown>): ProviderCall {
  const { model } = request;
  const startedAt = performance.now();
  const cancelled = new AbortController();
  const cancel = () => cancelled.abort();
  const search = request.webSearch ? webSearchCallOptions(model, request.webSearch.contextSize) : null;
  // A failure here (say, a provider that is not configured) ends the reply like any failure of the call.
  const parts = (async () => {
    const languageModel = providers.languageModel(model, { webSearch: search !== null });
    return streamLanguageModel(after ? callableOnceSaved(languageModel, after) : languageModel, {
      tools: search?.tools,
      providerOptions: search?.providerOptions,
      instructions: request.system,
      messages: request.prompt,
      temperature: request.temperature,
      maxOutputTokens: request.maxOutputTokens ?? model.maxOutputTokens ?? undefined,
      maxRetries: providers.callSettings.maxRetries,
      abortSignal: AbortSignal.any([request.abortSignal, cancelled.signal]),
    });
  })();
  // Awaited by the reply's run; until then a failure must not count as unhandled.
  parts.catch(() => {});
  return { parts, startedAt, cancel };
}

/** The reply's message: its id, and when its pending row exists (or why it could not be written). */
type ReplyMessage = { messageId: string; saved: Promise<void> };

async function streamReply(
  { replies, partialSaves }: ReplyDependencies,
  request: ReplyRequest,
  { messageId, saved }: ReplyMessage,
  call: ProviderCall,
): Promise<ReplySummary> {
  const { model, emit } = request;
  const started = call.startedAt;
  const summary = (extra: Partial<ReplySummary>): ReplySummary => ({
    messageId,
    modelId: model.id,
    status: 'streaming',
    ...extra,
  });
  emit({
    type: 'reply-started',
    messageId,
    modelId: model.id,
    parentId: request.parentId,
    isFirstResponder: request.isFirstResponder ?? false,
  });

  const limited = new CharLimitedText(request.charLimit ?? null);
  const cap = new ReplySizeCap(request.maxChars);
  const sources: SourceUrlPart[] = [];
  let status: ReplyStatus = 'complete';
  let errorText: string | undefined;
  let usage = tokenUsageFromLanguageModelUsage(undefined);
  const partialSaver = createPartialSaver(partialSaves, messageId, saved);
  // The deltas of one burst become one reply-text event (see delta-batch.ts).
  const deltas = batchDeltas((text) => {
    // Past the limit the stream is still read to its end, for the usage (and so the cost) it reports.
    const shown = limited.push(text);
    if (shown) emit({ type: 'reply-text', messageId, modelId: model.id, text: shown });
    partialSaver.offer(limited.text, sources);
  });
  let anyText = false;
  let firstTextAt: number | undefined;
  let failure: ProviderErrorKind | undefined;
  try {
    for await (const part of await call.parts) {
      if (part.type === 'text-delta') {
        deltas.add(cap.take(part.delta));
        // The first words go out at once (a turn of the event loop sooner); what follows them, in bursts.
        if (!anyText) {
          deltas.flush();
          firstTextAt = performance.now();
        }
        anyText = true;
        if (cap.reached) {
          // Leaving the loop cancels the stream; the provider's request is dropped too.
          call.cancel();
          break;
        }
        continue;
      }
      // Text that waits goes out before whatever comes after it.
      deltas.flush();
      if (part.type === 'source' && part.sourceType === 'url') {
        // Providers may cite one page several times (OpenAI: once per citation); the reply lists it once.
        if (sources.some((source) => source.url === part.url)) continue;
        const source: SourceUrlPart = { type: 'source-url', sourceId: part.id, url: part.url, title: part.title };
        sources.push(source);
        emit({
          type: 'reply-source',
          messageId,
          modelId: model.id,
          sourceId: part.id,
          url: part.url,
          title: part.title,
        });
      } else if (part.type === 'finish') {
        usage = tokenUsageFromLanguageModelUsage(asLanguageModelUsage(part.usage));
        // The provider's stream ended without saying it was done: what came may be only part of the reply.
        if (part.finishReason.unified === 'interrupted') {
          status = 'error';
          errorText = STREAM_BROKE_OFF;
          failure = 'stream_broke_off';
        }
      } else if (part.type === 'error') {
        throw part.error;
      }
    }
  } catch (error) {
    if (request.abortSignal.aborted) status = 'stopped';
    else {
      status = 'error';
      errorText = describeProviderError(error, { midStream: anyText });
      failure = providerErrorKind(error, { midStream: anyText });
      log.error('a reply failed', {
        messageId,
        modelId: model.id,
        reason: errorText,
        details: providerErrorDetails(error),
      });
    }
  }
  deltas.flush();
  // The pending row must exist before the reply's end is written; if it could not be written, the turn fails.
  await saved;
  await partialSaver.settle();
  const rest = limited.flush();
  if (rest) emit({ type: 'reply-text', messageId, modelId: model.id, text: rest });
  emit({ type: 'reply-text-ended', messageId, modelId: model.id });
  const text = limited.text;

  const latencyMs = Math.round(performance.now() - started);
  const costUsd = priceUsage(model.pricing, usage);
  const truncated = limited.truncated || cap.reached;
  const metadata = {
    ...(limited.truncated ? { truncated: true, charLimit: request.charLimit } : {}),
    ...(cap.reached ? { truncated: true, maxReplyChars: cap.maxChars } : {}),
  };
  try {
    await replies.finish(messageId, {
      content: text,
      parts: replyParts(text, sources),
      status,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cachedInputTokens: usage.cachedInputTokens,
      costUsd,
      latencyMs,
      metadata: { ...(errorText ? { error: errorText } : {}), ...metadata },
    });
  } catch (error) {
    // Whatever refused it, the reply must not stay `streaming`: it ends as an error, keeping the text saved so far.
    // Only when even that cannot be written does the turn fail (and the sweeper ends the reply later).
    logError(`saving the end of reply ${messageId} failed`, error);
    status = 'error';
    errorText = REPLY_NOT_SAVED;
    await replies.endAsError(messageId, errorText);
  }
  const final = summary({
    status,
    ...usage,
    costUsd,
    latencyMs,
    ...(errorText ? { error: errorText } : {}),
    ...(truncated ? { truncated: true } : {}),
  });
  emit({
    type: 'reply-finished',
    summary: final,
    ...(firstTextAt === undefined ? {} : { firstTextMs: firstTextAt - started }),
    ...(failure ? { failure } : {}),
  });
  return final;
}

/** A web page the reply cites, as the AI SDK UI part. */
type SourceUrlPart = { type: 'source-url'; sourceId: string; url: string; title?: string };

/** What a reply stores: its text, then the pages it cites. */
function replyParts(text: string, sources: SourceUrlPart[]): MessagePart[] {
  return [...(text ? [{ type: 'text', text }] : []), ...sources];
}

/**
 * Offers the growing reply to be saved (see partial-reply-saves.ts), never blocking the stream; nothing before the
 * pending row exists (`created`), nothing after `settle`.
 */
function createPartialSaver(saves: PartialReplySaves, messageId: string, created: Promise<void>) {
  let exists = false;
  let settled = false;
  created.then(
    () => (exists = true),
    () => {},
  );
  let text = '';
  let sources: SourceUrlPart[] = [];
  // One reader for the reply's whole life: offering a chunk allocates nothing.
  const current = () => ({ content: text, parts: replyParts(text, sources) });
  return {
    offer(latest: string, latestSources: SourceUrlPart[]) {
      if (!exists || settled) return;
      text = latest;
      sources = latestSources;
      saves.offer(messageId, current);
    },
    settle: () => {
      settled = true;
      return saves.settle(messageId);
    },
  };
}
