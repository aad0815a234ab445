// /admin/config: the system configuration. Every key the program reads, with what it means and its default, then
// any other key stored; each value edited as JSON, checked here for JSON and by the server for its shape (its
// message names what is wrong), and each key's audit trail: who changed it, when, from what to what.
import { useCallback, useEffect, useId, useState } from 'react';
import { FormProblem } from '../form-problem.tsx';
import { TableScroll } from '../TableScroll.tsx';
import type { KnownConfigKey, SystemConfig, SystemConfigChange } from '../types.ts';
import { configHistory, knownConfigKeys, listConfig, setConfig } from './admin-api.ts';

type Entry = { key: string; known?: KnownConfigKey; stored?: SystemConfig };

const asJson = (value: unknown) => JSON.stringify(value, null, 2);

export function ConfigPage({ onForbidden }: { onForbidden: (error: unknown) => boolean }) {
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [known, stored] = await Promise.all([knownConfigKeys(), listConfig()]);
      const storedByKey = new Map(stored.map((config) => [config.key, config]));
      const knownKeys = new Set(known.map((key) => key.key));
      setEntries([
        ...known.map((key) => ({ key: key.key, known: key, stored: storedByKey.get(key.key) })),
        ...stored.filter((config) => !knownKeys.has(config.key)).map((config) => ({ key: config.key, stored: config })),
      ]);
      setProblem(null);
    } catch (error) {
      if (!onForbidden(error)) setProblem(error instanceof Error ? error.message : String(error));
    }
  }, [onForbidden]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="admin-usage">
      <FormProblem problem={problem} />
      {entries?.map((entry) => (
        <ConfigEntry key={entry.key} entry={entry} onSaved={load} onForbidden={onForbidden} />
      ))}
    </div>
  );
}

function ConfigEntry({
  entry,
  onSaved,
  onForbidden,
}: {
  entry: Entry;
  onSaved: () => Promise<void>;
  onForbidden: (error: unknown) => boolean;
}) {
  const ids = useId();
  const current = entry.stored ? entry.stored.value : entry.known?.defaultValue;
  const [draft, setDraft] = useState(() => asJson(current));
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [history, setHistory] = useState<SystemConfigChange[] | null>(null);

  useEffect(() => setDraft(asJson(current)), [current]);

  const save = async () => {
    let value: unknown;
    try {
      value = JSON.parse(draft);
    } catch {
      setProblem('The value is not valid JSON.');
      return;
    }
    setSaving(true);
    try {
      await setConfig(entry.key, value);
      setProblem(null);
      await onSaved();
      if (history) setHistory(await configHistory(entry.key));
    } catch (error) {
      if (!onForbidden(error)) setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setSaving(false);
    }
  };

  const toggleHistory = async () => {
    if (history) return setHistory(null);
    try {
      setHistory(await configHistory(entry.key));
    } catch (error) {
      if (!onForbidden(error)) setProblem(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <section className="usage-chart" aria-labelledby={`${ids}-key`}>
      <h2 id={`${ids}-key`} className="config-key">
        <code>{entry.key}</code>
      </h2>
      <p>{entry.known?.description ?? 'Not a key the program reads: stored as any JSON.'}</p>
      <p className="muted">
        {entry.stored
          ? `Set ${new Date(entry.stored.updatedAt).toLocaleString()}`
          : `Not set: the default applies (${JSON.stringify(entry.known?.defaultValue)})`}
      </p>
      <label htmlFor={`${ids}-value`}>Value (JSON)</label>
      <textarea
        id={`${ids}-value`}
        rows={Math.min(12, draft.split('\n').length + 1)}
        value={draft}
        spellCheck={false}
        onChange={(event) => setDraft(event.target.value)}
      />
      <FormProblem problem={problem} />
      <div className="dialog-actions">
        <button type="button" onClick={save} disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" onClick={toggleHistory} aria-expanded={history !== null}>
          {history ? 'Hide history' : 'History'}
        </button>
      </div>
      {history && history.length === 0 && <p className="muted">No changes recorded.</p>}
      {history && history.length > 0 && (
        <TableScroll label={`Changes of ${entry.key}`}>
          <table className="data-table" aria-label={`Changes of ${entry.key}`}>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Old value</th>
                <th scope="col">New value</th>
              </tr>
            </thead>
            <tbody>
              {history.map((change) => (
                <tr key={`${change.changedAt}-${asJson(change.newValue)}`}>
                  <td>{new Date(change.changedAt).toLocaleString()}</td>
                  <td>{change.changedByName ?? change.changedBy ?? 'unknown'}</td>
                  <td>
                    <code>{JSON.stringify(change.oldValue)}</code>
                  </td>
                  <td>
                    <code>{JSON.stringify(change.newValue)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
