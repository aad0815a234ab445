// Sharing a conversation: its owner makes it public (anyone signed in who has the link reads it, without writing)
// or private again, and copies the link. Everyone else sees how it is shared.
import { useId, useState } from 'react';
import { ModalDialog } from '../dialogs/ModalDialog.tsx';
import { FormProblem } from '../form-problem.tsx';
import { changeVisibility, conversationLink } from '../group/conversation-api.ts';
import type { ConversationDetails, Visibility } from '../types.ts';

type Props = { details: ConversationDetails; onChanged: (details: ConversationDetails) => void; onClose: () => void };

const CHOICES: Record<Visibility, { label: string; explanation: string }> = {
  private: { label: 'Private', explanation: 'Only the people in the conversation can open it.' },
  public: {
    label: 'Public',
    explanation: 'Anyone signed in who has the link can read it. Only the people in it can write.',
  },
};

export function ShareDialog({ details, onChanged, onClose }: Props) {
  const ids = useId();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const isOwner = details.role === 'owner';
  const link = conversationLink(details.id);

  // The choice shows at once; a refusal puts it back.
  const [chosen, setChosen] = useState(details.visibility);
  async function choose(visibility: Visibility) {
    if (visibility === chosen) return;
    setChosen(visibility);
    setSaving(true);
    setProblem(null);
    try {
      onChanged(await changeVisibility(details.id, visibility));
    } catch (error) {
      setChosen(details.visibility);
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setSaving(false);
    }
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      setCopied('yes');
    } catch {
      // No clipboard here (an insecure origin, or permission refused): the link is selected to copy by hand.
      setCopied('failed');
      document.getElementById(`${ids}-link`)?.focus();
    }
  }

  return (
    <ModalDialog title="Share this conversation" onCancel={onClose}>
      {isOwner ? (
        <fieldset className="share-choices" disabled={saving}>
          <legend>Who can read it</legend>
          {(Object.keys(CHOICES) as Visibility[]).map((visibility) => (
            <label key={visibility} className="share-choice">
              <input
                type="radio"
                name={`${ids}-visibility`}
                value={visibility}
                checked={chosen === visibility}
                onChange={() => void choose(visibility)}
              />
              <span>
                <strong>{CHOICES[visibility].label}</strong>
                <span className="muted"> — {CHOICES[visibility].explanation}</span>
              </span>
            </label>
          ))}
        </fieldset>
      ) : (
        <p>
          <strong>{CHOICES[details.visibility].label}.</strong> {CHOICES[details.visibility].explanation} Only its owner
          changes this.
        </p>
      )}
      <div className="field">
        <label htmlFor={`${ids}-link`}>Link</label>
        <span className="share-link-row">
          <input id={`${ids}-link`} readOnly value={link} onFocus={(event) => event.target.select()} />
          <button type="button" className="secondary" onClick={() => void copy()}>
            Copy
          </button>
        </span>
        <span className="muted field-hint" role="status">
          {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Copy the selected link by hand.' : ''}
          {copied === null && chosen === 'private'
            ? 'While it is private, the link opens only for the people in it.'
            : ''}
        </span>
      </div>
      <FormProblem problem={problem} />
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </ModalDialog>
  );
}
