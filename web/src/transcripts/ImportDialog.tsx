// Importing conversations from a file: a Chorus JSON export, or ChatGPT's conversations.json (from its "Export
// data"). The server checks the whole file first; what is wrong with it is listed here, and nothing is imported.
import { useId, useState } from 'react';
import { ApiError, apiRequest } from '../api.ts';
import { ModalDialog } from '../dialogs/ModalDialog.tsx';
import { FormProblem } from '../form-problem.tsx';
import type { ConversationImportResult } from '../types.ts';

type Problem = { path: string; message: string };

export function ImportDialog({
  onImported,
  onClose,
}: {
  onImported: (result: ConversationImportResult) => void;
  onClose: () => void;
}) {
  const inputId = useId();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);

  async function importFile(file: File) {
    setBusy(true);
    setProblem(null);
    setProblems([]);
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await file.text());
      } catch {
        throw new Error(`${file.name} is not JSON: choose a Chorus JSON export or ChatGPT's conversations.json`);
      }
      onImported(await apiRequest<ConversationImportResult>('POST', '/api/conversations/import', parsed));
    } catch (error) {
      setProblem(
        error instanceof ApiError && error.code === 'invalid_input'
          ? 'Nothing was imported:'
          : String((error as Error).message ?? error),
      );
      if (error instanceof ApiError && Array.isArray(error.details)) setProblems(error.details as Problem[]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <ModalDialog title="Import conversations" onCancel={onClose}>
      <p>
        Choose a conversation exported from Chorus as JSON, or <code>conversations.json</code> from ChatGPT's data
        export. You will own what is imported.
      </p>
      <div className="field">
        <label htmlFor={inputId}>File</label>
        <input
          id={inputId}
          type="file"
          accept="application/json,.json"
          disabled={busy}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void importFile(file);
          }}
        />
        {busy && (
          <span className="muted field-hint" role="status">
            Importing…
          </span>
        )}
      </div>
      <FormProblem problem={problem} />
      {problems.length > 0 && (
        <ul className="import-problems">
          {problems.map((item) => (
            <li key={`${item.path}:${item.message}`}>
              {item.path && <code>{item.path}</code>} {item.message}
            </li>
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
