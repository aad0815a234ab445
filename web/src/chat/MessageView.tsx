// One message of the chat: a person's, or an assistant turn with every model's reply side by side (stacked on a
// narrow screen), each headed by the model that wrote it.
import { lazy, Suspense, useState } from 'react';
import { avatarText, PersonAvatar } from '../group/avatars.tsx';
import { DocumentIcon } from '../icons.tsx';
import { ThreadLink } from '../threads/ThreadLink.tsx';
import type { ChorusMessage, ModelNames, VoteValue } from '../types.ts';
import { type AskAnother, AskAnotherModel } from './AskAnotherModel.tsx';
import { CopyButton } from './CopyButton.tsx';
import { describeUsage, type ReplyView, repliesOf } from './replies.ts';
import { loadReplyMarkdown } from './reply-markdown-loader.ts';
import { ToolCalls } from './ToolCalls.tsx';

// Markdown (its parser and renderer) is not on the first screen: a reply shows as plain text until it has loaded,
// which starts when a reply is first shown or the message box first focused (see Composer.tsx).
const ReplyMarkdown = lazy(loadReplyMarkdown);

/** Who wrote a person's message: the reader (`mine`: no name shown) or someone else, named. */
export type SenderView = { name: string; avatarUrl: string | null; mine: boolean };

type UserMessageProps = {
  message: ChorusMessage;
  sender?: SenderView;
  onEdit?: (text: string) => void;
  onOpenThread?: () => void;
};

export function UserMessage({ message, sender, onEdit, onOpenThread }: UserMessageProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const text = message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
  const label = sender && !sender.mine ? `${sender.name} wrote` : 'You wrote';
  return (
    <article
      className={sender && !sender.mine ? 'message user-message from-other' : 'message user-message'}
      aria-label={label}
      data-message-id={message.id}
    >
      {sender && !sender.mine && (
        <header className="sender">
          <PersonAvatar name={sender.name} avatarUrl={sender.avatarUrl} />
          <span className="sender-name">{sender.name}</span>
        </header>
      )}
      {draft !== null ? (
        <form
          className="edit-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (!draft.trim()) return;
            onEdit?.(draft);
            setDraft(null);
          }}
        >
          <label className="visually-hidden" htmlFor={`edit-${message.id}`}>
            Edit your message
          </label>
          <textarea
            id={`edit-${message.id}`}
            value={draft}
            rows={3}
            autoFocus
            onChange={(event) => setDraft(event.target.value)}
          />
          <span className="edit-actions">
            <button type="button" className="secondary" onClick={() => setDraft(null)}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={!draft.trim()}>
              Save and send
            </button>
          </span>
        </form>
      ) : (
        keyedParts(message.parts).map(({ key, part }) =>
          part.type === 'text' ? (
            <p key={key} className="user-text">
              {part.text}
            </p>
          ) : part.type === 'file' ? (
            <SentFile
              key={key}
              url={part.url}
              mediaType={part.mediaType}
              name={part.filename ?? part.mediaType}
              removed={part.providerMetadata?.chorus?.removed === true}
            />
          ) : null,
        )
      )}
      {onEdit && draft === null && (
        <button type="button" className="link edit-button" onClick={() => setDraft(text)}>
          ✎ Edit
        </button>
      )}
      {onOpenThread && draft === null && <ThreadLink thread={message.metadata?.thread} onOpen={onOpenThread} />}
    </article>
  );
}

/**
 * A file sent with a message: an image as a thumbnail, anything else (a PDF) by its name; both open in a new tab.
 * One its uploader deleted is shown by its name only, as removed.
 */
function SentFile({
  url,
  mediaType,
  name,
  removed,
}: {
  url: string;
  mediaType: string;
  name: string;
  removed: boolean;
}) {
  if (removed) {
    return (
      <span className="attachment attachment-document attachment-removed">
        <DocumentIcon /> {name} (removed)
      </span>
    );
  }
  return (
    <a href={url} className="attachment" target="_blank" rel="noreferrer" title={name}>
      {mediaType.startsWith('image/') ? (
        <img className="attachment-image" src={url} alt={name} loading="lazy" />
      ) : (
        <span className="attachment-document">
          <DocumentIcon /> {name}
        </span>
      )}
    </a>
  );
}

/** What a reply shows beside its text: the model's avatar, the lead's mark, the reader's vote. */
/** A sent message's parts, each with a React key from what it holds (a file's URL, a text); a repeat is numbered. */
function keyedParts(parts: ChorusMessage['parts']) {
  const seen = new Map<string, number>();
  return parts.map((part) => {
    const content = part.type === 'file' ? `file ${part.url}` : part.type === 'text' ? `text ${part.text}` : part.type;
    const repeats = seen.get(content) ?? 0;
    seen.set(content, repeats + 1);
    return { key: repeats === 0 ? content : `${content} (${repeats + 1})`, part };
  });
}

export type ReplyContext = {
  modelNames: ModelNames;
  modelAvatars: ReadonlyMap<string, string>;
  /** The lead in first-responder mode, inferred from the settings when the reply does not say. */
  leadModelId: string | null;
  votes: ReadonlyMap<string, VoteValue>;
  /** Absent for someone who only reads (a public conversation): no vote buttons. */
  onVote?: (messageId: string, value: VoteValue) => void;
  /** Opens a document a tool call wrote or changed in the panel beside the chat. */
  onOpenDocument?: (documentId: string) => void;
  /** Opens the thread on a message beside the chat (absent inside a thread). */
  onOpenThread?: (messageId: string) => void;
};

type TurnProps = {
  message: ChorusMessage;
  context: ReplyContext;
  canRegenerate: boolean;
  onRegenerate: () => void;
  /** Offered with Regenerate, on the newest turn. */
  askAnother?: AskAnother;
};

export function AssistantTurn({ message, context, canRegenerate, onRegenerate, askAnother }: TurnProps) {
  const replies = repliesOf(message);
  return (
    <section className="assistant-turn" aria-label={replies.length > 1 ? `${replies.length} replies` : 'Reply'}>
      <div className="replies" data-count={replies.length}>
        {replies.map((reply, index) => (
          <Reply key={reply.messageId ?? index} reply={reply} context={context} />
        ))}
      </div>
      {/* Not while a reply of the turn is still being written (someone else's turn, followed live). */}
      {canRegenerate && !replies.some((reply) => reply.streaming) && (
        <div className="turn-actions">
          <button type="button" className="link" onClick={onRegenerate}>
            ↻ Regenerate
          </button>
          {askAnother && <AskAnotherModel {...askAnother} />}
        </div>
      )}
    </section>
  );
}

function Reply({ reply, context }: { reply: ReplyView; context: ReplyContext }) {
  const { modelNames, modelAvatars } = context;
  const isLead =
    reply.summary?.isFirstResponder === true || (reply.modelId !== null && reply.modelId === context.leadModelId);
  const vote = reply.messageId ? context.votes.get(reply.messageId) : undefined;
  const name = reply.modelId ? (modelNames.get(reply.modelId) ?? reply.modelId) : 'unknown model';
  const usage = describeUsage(reply.summary);
  const status = reply.summary?.status;
  const details = [reply.modelId ?? 'the model of this reply was not recorded', usage].filter(Boolean).join('\n');
  return (
    <article
      className={`message reply status-${status ?? 'unknown'}`}
      data-message-id={reply.messageId ?? undefined}
      aria-label={`${name} replied`}
      aria-busy={reply.streaming}
    >
      <header className="reply-header" title={details}>
        <span className="model-avatar" aria-hidden="true">
          {avatarText(reply.modelId ? modelAvatars.get(reply.modelId) : null, name)}
        </span>
        <span className="model-name">{name}</span>
        {isLead && (
          <span className="badge lead-badge" title="First responder: answered first, the others after">
            first responder
          </span>
        )}
        {reply.streaming && (
          <span className="typing">
            <span className="visually-hidden">writing</span>
          </span>
        )}
        {status === 'stopped' && <span className="badge">stopped</span>}
        {reply.summary?.truncated && <span className="badge">cut at the limit</span>}
      </header>
      <ToolCalls tools={reply.tools} onOpenDocument={context.onOpenDocument} />
      <div className="reply-text">
        <Suspense fallback={<p className="plain-text">{reply.text}</p>}>
          <ReplyMarkdown text={reply.text} />
        </Suspense>
      </div>
      {status === 'error' && (
        <p className="reply-error" role="alert">
          {reply.summary?.error ?? 'This reply failed.'}
        </p>
      )}
      {reply.sources.length > 0 && (
        <div className="sources">
          <span className="sources-heading" aria-hidden="true">
            Sources
          </span>
          <ul aria-label="Sources">
            {reply.sources.map((source) => (
              <li key={source.url}>
                <a href={source.url} target="_blank" rel="noreferrer noopener">
                  {source.title ?? source.url}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {!reply.streaming && (usage || reply.text || (reply.messageId && context.onVote)) && (
        <footer className="reply-footer">
          {reply.messageId && context.onOpenThread && (
            <ThreadLink thread={reply.summary?.thread} onOpen={() => context.onOpenThread?.(reply.messageId!)} />
          )}
          {usage && <span className="reply-usage">{usage}</span>}
          {reply.text && (
            <CopyButton
              className="link reply-copy"
              text={() => reply.text}
              description={`Copy ${name}'s reply as Markdown`}
            />
          )}
          {reply.messageId && status !== 'streaming' && context.onVote && (
            <fieldset className="votes" aria-label="Rate this reply">
              <button
                type="button"
                className="icon"
                aria-label="Good reply"
                aria-pressed={vote === 'up'}
                onClick={() => context.onVote?.(reply.messageId!, 'up')}
              >
                ▲
              </button>
              <button
                type="button"
                className="icon"
                aria-label="Bad reply"
                aria-pressed={vote === 'down'}
                onClick={() => context.onVote?.(reply.messageId!, 'down')}
              >
                ▼
              </button>
            </fieldset>
          )}
        </footer>
      )}
    </article>
  );
}
