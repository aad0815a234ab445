// Bulk import from a JSON file: a dry run first shows what would be created, changed and left alone, or every
// problem with its entry and field (nothing is written then); only a clean preview can be confirmed.
import { useId, useState } from 'react';
import { ApiError } from '../api.ts';
import type { ImportResult } from '../types.ts';
import { type ImportProblem, importModels } from './admin-api.ts';
import { describeChange } from './model-form-values.ts';

type Preview =
  | { kind: 'plan'; fileName: string; entries: unknown; result: ImportResult }
  | { kind: 'refused'; fileName: string; message: string; problems: ImportProblem[] };

type Props = { onImported: (message: string) => void; onClose: () => void };

export function ImportPanel({ onImported, onClose }: Props) {
  const ids = useId();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  async function choose(file: File | undefined) {
    if (!file) return;
    setPreview(null);
    let entries: unknown;
    try {
      entries = JSON.parse(await file.text());
    } catch (error) {
      setPreview({
        kind: 'refused',
        fileName: file.name,
        message: `Not JSON: ${error instanceof Error ? error.message : String(error)}`,
        problems: [],
      });
      return;
    }
    setBusy(true);
    try {
      setPreview({ kind: 'plan', fileName: file.name, entries, result: await importModels(entries, { dryRun: true }) });
    } catch (error) {
      setPreview(refusal(file.name, error));
    } finally {
      setBusy(false);
    }
  }

  async function confirm() {
    if (preview?.kind !== 'plan') return;
    setBusy(true);
    try {
      const result = await importModels(preview.entries, { dryRun: false, reason: reason.trim() || undefined });
      onImported(
        `Imported ${preview.fileName}: ${result.created.length} created, ${result.updated.length} changed, ${result.unchanged.length} unchanged.`,
      );
    } catch (error) {
      setPreview(refusal(preview.fileName, error));
    } finally {
      setBusy(false);
    }
  }

  const plan = preview?.kind === 'plan' ? preview.result : null;
  const nothingToDo = plan !== null && plan.created.length === 0 && plan.updated.length === 0;
  return (
    <section className="admin-panel" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Import models</h2>
      <p className="muted">
        A JSON array of whole models, as an export holds them. You see what would happen before anything is written.
      </p>
      <div className="field">
        <label htmlFor={`${ids}-file`}>JSON file</label>
        <input
          id={`${ids}-file`}
          type="file"
          accept="application/json,.json"
          onChange={(event) => void choose(event.target.files?.[0])}
        />
      </div>
      {busy && <p className="muted">Checking…</p>}
      {preview?.kind === 'refused' && (
        <div className="import-refused" role="alert">
          <p className="form-problem">
            {preview.fileName} was refused: {preview.message}. Nothing was written.
          </p>
          {preview.problems.length > 0 && (
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Field</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {preview.problems.map((problem) => (
                  // What a problem says, where, is what tells it apart: the API reports each once.
                  <tr key={`${problem.index}:${problem.field}:${problem.message}`}>
                    <td>{problem.index === null ? 'file' : `#${problem.index + 1} (index ${problem.index})`}</td>
                    <td>
                      <code>{problem.field || '—'}</code>
                    </td>
                    <td>{problem.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      {plan && (
        <section className="import-preview" aria-label="Import preview">
          <p>
            <strong>{plan.created.length}</strong> to create, <strong>{plan.updated.length}</strong> to change,{' '}
            <strong>{plan.unchanged.length}</strong> unchanged.
          </p>
          {plan.created.length > 0 && (
            <details open>
              <summary>Created</summary>
              <ul>
                {plan.created.map((id) => (
                  <li key={id}>
                    <code>{id}</code>
                  </li>
                ))}
              </ul>
            </details>
          )}
          {plan.updated.length > 0 && (
            <details open>
              <summary>Changed</summary>
              <ul>
                {plan.updated.map((update) => (
                  <li key={update.id}>
                    <code>{update.id}</code>
                    <ul className="history-changes">
                      {update.changes.map((change) => (
                        <li key={change.field}>
                          <code>{describeChange(change)}</code>
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </details>
          )}
          {plan.unchanged.length > 0 && (
            <details>
              <summary>Unchanged</summary>
              <p className="muted">{plan.unchanged.join(', ')}</p>
            </details>
          )}
          <div className="field">
            <label htmlFor={`${ids}-reason`}>Reason (kept in the history)</label>
            <input id={`${ids}-reason`} value={reason} onChange={(event) => setReason(event.target.value)} />
          </div>
        </section>
      )}
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
        {plan && (
          <button type="button" className="primary" disabled={busy || nothingToDo} onClick={() => void confirm()}>
            {nothingToDo ? 'Nothing to import' : 'Confirm import'}
          </button>
        )}
      </div>
    </section>
  );
}

function refusal(fileName: string, error: unknown): Preview {
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError && Array.isArray(error.details) ? (error.details as ImportProblem[]) : [];
  return { kind: 'refused', fileName, message, problems: details.filter((item) => typeof item?.message === 'string') };
}
