// Linking the person's Discord account: they type the code `/link` gave them in Discord, and their Discord
// conversations and messages become this account's (POST /api/me/discord-link). The server names what is wrong
// with a code (unknown, used, expired), and that is what the dialog shows.
import { type FormEvent, useId, useState } from 'react';
import { apiRequest } from '../api.ts';
import { ModalDialog } from '../dialogs/ModalDialog.tsx';
import { FormProblem } from '../form-problem.tsx';

export function DiscordLinkDialog({ onLinked, onCancel }: { onLinked: () => void; onCancel: () => void }) {
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const inputId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSending(true);
    try {
      await apiRequest('POST', '/api/me/discord-link', { code: code.trim() });
      onLinked();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setSending(false);
    }
  }

  return (
    <ModalDialog title="Link your Discord account" onCancel={onCancel}>
      <form onSubmit={(event) => void submit(event)}>
        <p>
          In Discord, send <code>/link</code> to the Chorus bot and type the code it gives you here. Your Discord
          conversations and messages then appear in this account, marked with a Discord badge.
        </p>
        <div className="field">
          <label htmlFor={inputId}>Link code</label>
          <input
            id={inputId}
            value={code}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            maxLength={40}
            placeholder="ABCDE-23456"
            onChange={(event) => setCode(event.target.value)}
          />
        </div>
        <FormProblem problem={problem} />
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={sending || code.trim() === ''}>
            {sending ? 'Linking…' : 'Link'}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
