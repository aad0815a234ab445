// A model's versions, newest first: what each changed field by field (`pricing.input: 1 → 2`), who and why, and a
// button to go back to an earlier version (written as a new version, so the history only grows).
import { useCallback, useEffect, useState } from 'react';
import { FormProblem } from '../form-problem.tsx';
import type { AdminModel, ModelHistoryEntry } from '../types.ts';
import { modelHistory, revertModel } from './admin-api.ts';
import { describeChange } from './model-form-values.ts';
import { ReasonDialog } from './ReasonDialog.tsx';

type Props = { model: AdminModel; actorId: string; onReverted: (model: AdminModel, message: string) => void };

export function ModelHistory({ model, actorId, onReverted }: Props) {
  const [entries, setEntries] = useState<ModelHistoryEntry[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setEntries(await modelHistory(model.id));
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }, [model.id]);

  // Fetched again whenever what is shown is not this model's newest version: another model was chosen, or an edit,
  // a status change or a revert wrote a new version. (The history is newest first.)
  const newest = entries?.[0];
  const upToDate = newest !== undefined && newest.modelId === model.id && newest.version === model.version;
  useEffect(() => {
    if (!upToDate) void load();
  }, [upToDate, load]);

  const [reverting, setReverting] = useState<number | null>(null);
  async function revert(version: number, reason: string | undefined) {
    const result = await revertModel(model.id, version, reason);
    setReverting(null);
    onReverted(result.model, `Reverted to version ${version}: now version ${result.model.version}.`);
  }

  if (problem) return <FormProblem problem={problem} />;
  if (!entries) return <p className="muted">Loading the history…</p>;
  return (
    <>
      {reverting !== null && (
        <ReasonDialog
          title={`Revert ${model.id} to version ${reverting}?`}
          description={`Its fields become those of version ${reverting} again, written as a new version: the history only grows.`}
          confirmLabel={`Revert to version ${reverting}`}
          initialReason={`Back to version ${reverting}`}
          onCancel={() => setReverting(null)}
          onConfirm={(reason) => revert(reverting, reason)}
        />
      )}
      <ol className="model-history" aria-label={`History of ${model.id}`}>
        {entries.map((entry) => (
          <li key={entry.version} className="history-entry">
            <div className="history-heading">
              <strong>Version {entry.version}</strong> <span className="badge">{entry.kind}</span>{' '}
              <span className="muted">
                {new Date(entry.createdAt).toLocaleString()} · by {authorOf(entry.changedBy, actorId)}
              </span>
              {entry.version !== model.version && (
                <button type="button" className="secondary small" onClick={() => setReverting(entry.version)}>
                  Revert to version {entry.version}
                </button>
              )}
            </div>
            {entry.reason && <p className="history-reason">“{entry.reason}”</p>}
            {entry.changes.length > 0 ? (
              <ul className="history-changes">
                {entry.changes.map((change) => (
                  <li key={change.field}>
                    <code>{describeChange(change)}</code>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">{entry.version === 1 ? 'First version.' : 'No field changed.'}</p>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}

function authorOf(changedBy: string | null, actorId: string): string {
  if (changedBy === null) return 'the seed or the command line';
  return changedBy === actorId ? 'you' : `admin ${changedBy.slice(0, 8)}`;
}
