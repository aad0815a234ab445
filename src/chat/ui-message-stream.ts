// A turn as the AI SDK UI message stream, the web client's wire (useChat): one UI message carries every reply of the
// turn, each reply a text part keyed by its message id with a `data-reply` part (its ReplySummary) sent when it
// starts and again, updated in place, when it ends. The chunks go, as JSON, into the turn's stream log, which the
// person who asked reads live or after reconnecting (ChatService).
import type { UIMessageChunk } from 'ai';
import type { StreamLog } from '../streams/index.ts';
import type { ReplySummary } from './reply-summary.ts';
import { endsTurn, type TurnEvent, type TurnSubscriber } from './turn-events.ts';

/** The chunks a turn event stands for, in order. */
export function uiChunksOf(event: TurnEvent): UIMessageChunk[] {
  switch (event.type) {
    case 'turn-started':
      // The UI message takes the first reply's id, so a single-model chat is an ordinary one.
      return [{ type: 'start', messageId: event.replyIds[0] }, { type: 'start-step' }];
    case 'reply-started': {
      const { messageId, modelId } = event;
      return [
        replyPart({ messageId, modelId, status: 'streaming' }),
        { type: 'text-start', id: messageId, providerMetadata: { chorus: { messageId, modelId } } },
      ];
    }
    case 'reply-text':
      return [{ type: 'text-delta', id: event.messageId, delta: event.text }];
    case 'reply-source': {
      const { messageId, modelId, sourceId, url, title } = event;
      return [{ type: 'source-url', sourceId, url, title, providerMetadata: { chorus: { messageId, modelId } } }];
    }
    case 'reply-tool-call': {
      const { messageId, modelId, toolCallId, toolName, input } = event;
      return [
        {
          type: 'tool-input-available',
          toolCallId,
          toolName,
          input,
          providerMetadata: { chorus: { messageId, modelId } },
        },
      ];
    }
    case 'reply-tool-progress': {
      const { messageId, toolCallId, progress } = event;
      return [{ type: 'data-tool-progress', data: { messageId, toolCallId, ...progress }, transient: true }];
    }
    case 'reply-tool-result': {
      const { outcome } = event;
      return [
        'errorText' in outcome
          ? { type: 'tool-output-error', toolCallId: outcome.toolCallId, errorText: outcome.errorText }
          : { type: 'tool-output-available', toolCallId: outcome.toolCallId, output: outcome.output },
      ];
    }
    case 'reply-text-ended':
      return [{ type: 'text-end', id: event.messageId }];
    case 'reply-finished':
      return [replyPart(event.summary)];
    case 'turn-finished':
      return [
        { type: 'finish-step' },
        ...(event.errorText === undefined ? [] : [{ type: 'error' as const, errorText: event.errorText }]),
        { type: 'finish', messageMetadata: { replies: event.summaries } },
      ];
    case 'turn-failed':
      return [{ type: 'error', errorText: event.errorText }];
  }
}

/** A `data-reply` part: the AI SDK types a data part's payload loosely, so it is built here, typed, once. */
function replyPart(summary: ReplySummary): UIMessageChunk {
  return { type: 'data-reply', id: summary.messageId, data: summary };
}

/** Writes each turn's chunks into its stream log, and ends the log with the turn. */
export function writeUiMessageStream(streamLog: StreamLog): TurnSubscriber {
  return ({ streamId }) =>
    (event) => {
      for (const chunk of uiChunksOf(event)) streamLog.append(streamId, JSON.stringify(chunk));
      if (endsTurn(event)) streamLog.end(streamId);
    };
}
