// One message of the chat: a person's, or an assistant turn with every model's reply side by side (stacked on a
// narrow screen), each headed by the model that wrote it.
import Markdown from 'react-markdown';
import type { ChorusMessage, ModelNames } from '../types.ts';
import { describeUsage, type ReplyView, repliesOf } from './replies.ts';

export function UserMessage({ message }: { message: ChorusMessage }) {
  return (
    <article className="message user-message" aria-label="You wrote">
      {message.parts.map((part, index) =>
        part.type === 'text' ? (
          <p key={index} className="user-text">
            {part.text}
          </p>
        ) : part.type === 'file' ? (
          <a key={index} href={part.url} className="attachment" target="_blank" rel="noreferrer">
            📎 {part.filename ?? part.mediaType}
          </a>
        ) : null,
      )}
    </article>
  );
}

type TurnProps = { message: ChorusMessage; modelNames: ModelNames; canRegenerate: boolean; onRegenerate: () => void };

export function AssistantTurn({ message, modelNames, canRegenerate, onRegenerate }: TurnProps) {
  const replies = repliesOf(message);
  return (
    <section className="assistant-turn" aria-label={replies.length > 1 ? `${replies.length} replies` : 'Reply'}>
      <div className="replies" data-count={replies.length}>
        {replies.map((reply, index) => (
          <Reply key={reply.messageId ?? index} reply={reply} modelNames={modelNames} />
        ))}
      </div>
      {canRegenerate && (
        <div className="turn-actions">
          <button type="button" className="link" onClick={onRegenerate}>
            ↻ Regenerate
          </button>
        </div>
      )}
    </section>
  );
}

function Reply({ reply, modelNames }: { reply: ReplyView; modelNames: ModelNames }) {
  const name = reply.modelId ? (modelNames.get(reply.modelId) ?? reply.modelId) : 'unknown model';
  const usage = describeUsage(reply.summary);
  const status = reply.summary?.status;
  const details = [reply.modelId ?? 'the model of this reply was not recorded', usage].filter(Boolean).join('\n');
  return (
    <article className={`message reply status-${status ?? 'unknown'}`} aria-label={`${name} replied`} aria-busy={reply.streaming}>
      <header className="reply-header" title={details}>
        <span className="model-avatar" aria-hidden="true">
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span className="model-name">{name}</span>
        {reply.streaming && <span className="typing" aria-label="writing" />}
        {status === 'stopped' && <span className="badge">stopped</span>}
        {reply.summary?.truncated && <span className="badge">cut at the limit</span>}
      </header>
      <div className="reply-text">
        <Markdown components={{ a: (props) => <a {...props} target="_blank" rel="noreferrer noopener" /> }}>{reply.text}</Markdown>
      </div>
      {status === 'error' && (
        <p className="reply-error" role="alert">
          {reply.summary?.error ?? 'This reply failed.'}
        </p>
      )}
      {reply.sources.length > 0 && (
        <ul className="sources" aria-label="Sources">
          {reply.sources.map((source) => (
            <li key={source.url}>
              <a href={source.url} target="_blank" rel="noreferrer noopener">
                {source.title ?? source.url}
              </a>
            </li>
          ))}
        </ul>
      )}
      {usage && !reply.streaming && <footer className="reply-usage">{usage}</footer>}
    </article>
  );
}
