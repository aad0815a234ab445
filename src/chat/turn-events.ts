// What a turn says, as typed events in the order they happen: the turn runner and its replies emit these and
// nothing else, and each door adapts them to its own wire (ui-message-stream.ts for the web client,
// events/turn-relay.ts for a conversation's followers, openai-compat/chunks.ts for /v1). No adapter reads
// another's output.
import { logError } from '../loggable-error.ts';
import type { ProviderErrorKind } from '../providers/provider-errors.ts';
import type { ToolOutcome } from '../tools/reply-tools.ts';
import type { ToolProgress } from '../tools/tool-progress.ts';
import type { ReplySummary } from './reply-summary.ts';

export type TurnEvent =
  /** The first replies exist and the person's message is saved: the turn is under way. */
  | { type: 'turn-started'; streamId: string; replyIds: string[] }
  | { type: 'reply-started'; messageId: string; modelId: string; parentId: string; isFirstResponder: boolean }
  /** More of a reply's text, as the person is to see it (cut at a character limit). */
  | { type: 'reply-text'; messageId: string; modelId: string; text: string }
  /** A web page the reply cites, once per page. */
  | { type: 'reply-source'; messageId: string; modelId: string; sourceId: string; url: string; title?: string }
  /** The reply calls a tool (its input parsed, not yet checked); the tool runs next. */
  | {
      type: 'reply-tool-call';
      messageId: string;
      modelId: string;
      toolCallId: string;
      toolName: string;
      input: unknown;
    }
  /** A running tool shows how it is getting on (a document's text as it is written). */
  | { type: 'reply-tool-progress'; messageId: string; modelId: string; toolCallId: string; progress: ToolProgress }
  /** A tool call ended, with its output or the error the model is told. */
  | { type: 'reply-tool-result'; messageId: string; modelId: string; outcome: ToolOutcome }
  /** The reply said all it will say; how it ended is being saved. */
  | { type: 'reply-text-ended'; messageId: string; modelId: string }
  /**
   * How the reply ended, as saved; with, for whoever measures, how long its first text took from the provider call
   * (when any came) and, when its provider call failed, the kind of failure.
   */
  | { type: 'reply-finished'; summary: ReplySummary; firstTextMs?: number; failure?: ProviderErrorKind }
  /** Every reply has ended; `errorText` (each model's reason, one a line) when every one of them failed. */
  | { type: 'turn-finished'; summaries: ReplySummary[]; errorText?: string }
  /** The turn could not go on (a reply could not be saved): nothing more comes. */
  | { type: 'turn-failed'; errorText: string };

export type TurnEventOf<Type extends TurnEvent['type']> = Extract<TurnEvent, { type: Type }>;

export type TurnListener = (event: TurnEvent) => void;

/** What a turn's listeners are told about it before it starts. */
export type TurnContext = {
  conversationId: string;
  /** The person's message the replies answer. */
  parentId: string;
  /** The thread the turn is in (the message it hangs on); null in the main conversation. */
  threadRootId: string | null;
  streamId: string;
};

/** Makes a listener for each turn (a door that follows every turn: the web stream, the conversation's relay). */
export type TurnSubscriber = (turn: TurnContext) => TurnListener;

/** True for the turn's last event. */
export const endsTurn = (event: TurnEvent): boolean => event.type === 'turn-finished' || event.type === 'turn-failed';

/** One listener that tells every one of `listeners`; one that throws is logged and never stops the others. */
export function fanOut(listeners: TurnListener[]): TurnListener {
  return (event) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        logError(`a listener of turn event ${event.type} failed`, error);
      }
    }
  };
}

/** Why a turn whose every reply failed failed: each model's reason, one a line; undefined if any reply did not. */
export function failureOfAll(summaries: ReplySummary[]): string | undefined {
  if (!summaries.every((summary) => summary.status === 'error')) return undefined;
  return summaries.map((summary) => `${summary.modelId}: ${summary.error}`).join('\n');
}
