// The files attached to the message being written, above the text: each with its preview or name, its upload's
// progress or the API's refusal, and a button to take it off. A file the answering models cannot read says who.
import { DocumentIcon } from '../icons.tsx';
import { type AnsweringModel, KIND_NAMES, kindOfMediaType, namesOf, unableToRead } from './answering-models.ts';
import type { Attachment } from './use-attachments.ts';

type Props = { attachments: Attachment[]; answering: AnsweringModel[]; onRemove: (key: string) => void };

export function AttachmentTray({ attachments, answering, onRemove }: Props) {
  if (attachments.length === 0) return null;
  return (
    <ul className="attachment-tray" aria-label="Attached files">
      {attachments.map((attachment) => {
        const problem = problemOf(attachment, answering);
        return (
          <li key={attachment.key} className={problem ? 'attachment-chip failed' : 'attachment-chip'}>
            {attachment.previewUrl && attachment.state !== 'failed' ? (
              <img className="attachment-thumbnail" src={attachment.previewUrl} alt="" />
            ) : (
              <span className="attachment-icon">
                <DocumentIcon />
              </span>
            )}
            <span className="attachment-facts">
              <span className="attachment-name">{attachment.name}</span>
              {attachment.state === 'uploading' && <span className="muted">Uploading…</span>}
              {problem && (
                <span className="field-problem" role="alert">
                  {problem}
                </span>
              )}
            </span>
            <button
              type="button"
              className="icon"
              aria-label={`Remove ${attachment.name}`}
              onClick={() => onRemove(attachment.key)}
            >
              ✕
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** Why this file cannot go with the message: its upload was refused, or a model that answers cannot read it. */
export function problemOf(attachment: Attachment, answering: AnsweringModel[]): string | null {
  if (attachment.state === 'failed') return attachment.problem;
  const kind = kindOfMediaType(attachment.mediaType);
  if (!kind) return null;
  const unable = unableToRead(answering, kind);
  return unable.length > 0 ? `${namesOf(unable)} cannot read ${KIND_NAMES[kind]}.` : null;
}
