// One model's reply to a prompt: a pending assistant message saved first, the text streamed to the client as it
// comes, saved as it grows (so a crash keeps what was said), and finished with its status, tokens, cost and
// latency. A provider failure ends this reply with status `error` and never reaches the other models; so does a
// reply whose end cannot be saved. With web search, the provider's search tool goes along, and the sources it cites
// are streamed and saved with the text. No reply grows past the server's cap (see reply-size-cap.ts). A model given
// tools may call them: each step's calls are run and their results sent back to it, step after step, until it
// answers without calling any or the step limit is reached (see tool-steps.ts).
import { performance } from 'node:perf_hooks';
import { asLanguageModelUsage } from 'ai/internal';
import { logError } from '../loggable-error.ts';
import { log } from '../logging/logger.ts';
import { addTokenUsage, priceUsage, tokenUsageFromLanguageModelUsage } from '../models/pricing.ts';
import { batchDeltas } from '../performance/delta-batch.ts';
import {
  describeProviderError,
  type ProviderErrorKind,
  type ProviderRegistry,
  providerErrorDetails,
  providerErrorKind,
  STREAM_BROKE_OFF,
} from '../providers/index.ts';
import { newMessageId } from '../store/ids.ts';
import type { ReplyStore } from '../store/replies.ts';
import {
  messagesAfterStep,
  parseToolInput,
  pendingToolPartOf,
  type ToolCall,
  toolPartOf,
} from '../tools/reply-tools.ts';
import { CharLimitedText } from './char-limit.ts';
import type { PartialReplySaves } from './partial-reply-saves.ts';
import { callModel, callProvider, type ProviderCall, type ReplyModelCall } from './reply-model-calls.ts';
import { createPartialSaver, type PlacedToolPart, replyParts, type SourceUrlPart } from './reply-parts.ts';
import { ReplySizeCap } from './reply-size-cap.ts';
import type { ReplySummary } from './reply-summary.ts';
import { runStepToolCalls } from './tool-steps.ts';
import type { TurnListener } from './turn-events.ts';

export type { ReplySummary } from './reply-summary.ts';

export type ReplyStatus = 'complete' | 'stopped' | 'error';

/** What a reply is told when how it ended could not be saved (the text saved so far is kept). */
export const REPLY_NOT_SAVED = 'the reply could not be saved';

export type ReplyRequest = ReplyModelCall & {
  parentId: string;
  /** The thread the reply is in, with the message it answers; null in the main conversation. */
  threadRootId?: string | null;
  isFirstResponder?: boolean;
  /** Characters the reply may have (null: no limit); past it the reply is cut at a word boundary. */
  charLimit?: number | null;
  /** The server's cap on any reply, in characters: past it the reply is cut and its provider call stopped. */
  maxChars: number;
  /** The most model calls one reply makes, the first included, when it calls tools. */
  maxSteps?: number;
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
        threadRootId: request.threadRootId ?? null,
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

/** The reply's message: its id, and when its pending row exists (or why it could not be written). */
type ReplyMessage = { messageId: string; saved: Promise<void> };

async function streamReply(
  { replies, partialSaves, providers }: ReplyDependencies,
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
  const tools: PlacedToolPart[] = [];
  let status: ReplyStatus = 'complete';
  let errorText: string | undefined;
  let usage = tokenUsageFromLanguageModelUsage(undefined);
  let stepLimitReached = false;
  const partialSaver = createPartialSaver(partialSaves, messageId, saved, { sources, tools });
  // The deltas of one burst become one reply-text event (see delta-batch.ts).
  const deltas = batchDeltas((text) => {
    // Past the limit the stream is still read to its end, for the usage (and so the cost) it reports.
    const shown = limited.push(text);
    if (shown) emit({ type: 'reply-text', messageId, modelId: model.id, text: shown });
    partialSaver.offer(limited.text);
  });
  let anyText = false;
  let firstTextAt: number | undefined;
  let failure: ProviderErrorKind | undefined;
  try {
    let stream = await call.parts;
    let messages = request.prompt;
    for (let step = 1; ; step++) {
      const calls: ToolCall[] = [];
      let stepText = '';
      for await (const part of stream) {
        if (part.type === 'text-delta') {
          const taken = cap.take(part.delta);
          deltas.add(taken);
          stepText += taken;
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
        } else if (part.type === 'tool-call' && !part.providerExecuted) {
          calls.push({ toolCallId: part.toolCallId, toolName: part.toolName, input: parseToolInput(part.input) });
        } else if (part.type === 'finish') {
          // Every step's tokens are paid for.
          usage = addTokenUsage(usage, tokenUsageFromLanguageModelUsage(asLanguageModelUsage(part.usage)));
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
      if (calls.length === 0 || cap.reached || status === 'error') break;
      if (request.clientTools) {
        // The caller runs its tools: the reply ends with the calls, for it to answer in its next request.
        const at = limited.text.length;
        for (const call of calls) {
          emit({ type: 'reply-tool-call', messageId, modelId: model.id, ...call });
          tools.push({ at, part: pendingToolPartOf(call) });
        }
        break;
      }
      if (!request.tools) break;
      const at = limited.text.length;
      const outcomes = await runStepToolCalls(calls, {
        toolbox: request.tools,
        messageId,
        modelId: model.id,
        emit,
        abortSignal: call.signal,
        recordUsage: (spent) => (usage = addTokenUsage(usage, spent)),
      });
      for (const outcome of outcomes) tools.push({ at, part: toolPartOf(outcome) });
      partialSaver.offer(limited.text);
      if (step >= (request.maxSteps ?? 1)) {
        stepLimitReached = true;
        break;
      }
      messages = [...messages, ...messagesAfterStep(stepText, outcomes)];
      stream = await callModel(providers, request, messages, call.signal);
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
    ...(stepLimitReached ? { stepLimit: request.maxSteps } : {}),
  };
  try {
    await replies.finish(messageId, {
      content: text,
      parts: replyParts(text, sources, tools),
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
