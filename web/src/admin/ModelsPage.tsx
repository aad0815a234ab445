// /admin/models: the registry as a table — search, filters, sortable columns, more loaded by cursor — with the
// chosen model's form and history beside it, a new model, duplicate, deprecate/restore, import and export.
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { FormProblem } from '../form-problem.tsx';
import { TableScroll } from '../TableScroll.tsx';
import type { AdminModel, Profile } from '../types.ts';
import { exportModels, listModels, MODEL_CAPABILITIES, MODEL_STATUSES, type ModelFilters } from './admin-api.ts';
import { ImportPanel } from './ImportPanel.tsx';
import { ModelActions } from './ModelActions.tsx';
import { ModelForm } from './ModelForm.tsx';
import { ModelHistory } from './ModelHistory.tsx';
import { type SortKey, sortModels } from './model-sorting.ts';

type Panel =
  | { kind: 'none' }
  | { kind: 'new' }
  | { kind: 'import' }
  | { kind: 'model'; id: string; tab: 'edit' | 'history' };

const COLUMNS: Array<{ key: SortKey; label: string; numeric?: boolean }> = [
  { key: 'name', label: 'Model' },
  { key: 'provider', label: 'Provider' },
  { key: 'status', label: 'Status' },
  { key: 'inputPrice', label: 'Input $/1M', numeric: true },
  { key: 'outputPrice', label: 'Output $/1M', numeric: true },
  { key: 'contextWindow', label: 'Context', numeric: true },
  { key: 'version', label: 'Version', numeric: true },
  { key: 'updatedAt', label: 'Updated' },
];

export function ModelsPage({ profile, onForbidden }: { profile: Profile; onForbidden: (error: unknown) => boolean }) {
  const ids = useId();
  const [filters, setFilters] = useState<ModelFilters>({ search: '', provider: '', status: '', capability: '' });
  const [appliedFilters, setAppliedFilters] = useState(filters);
  const [items, setItems] = useState<AdminModel[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'provider', descending: false });
  const [panel, setPanel] = useState<Panel>({ kind: 'none' });

  // Typing in the search box waits for a pause before asking the server.
  useEffect(() => {
    const timer = setTimeout(() => setAppliedFilters(filters), 250);
    return () => clearTimeout(timer);
  }, [filters]);

  const load = useCallback(
    async (cursor: string | null) => {
      setLoading(true);
      try {
        const page = await listModels(appliedFilters, cursor);
        setItems((current) =>
          cursor
            ? [...current, ...page.items.filter((item) => !current.some((known) => known.id === item.id))]
            : page.items,
        );
        setNextCursor(page.nextCursor);
        setProblem(null);
      } catch (error) {
        if (!onForbidden(error)) setProblem(error instanceof Error ? error.message : String(error));
      } finally {
        setLoading(false);
      }
    },
    [appliedFilters, onForbidden],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  const sorted = useMemo(() => sortModels(items, sort.key, sort.descending), [items, sort]);
  const providers = useMemo(() => [...new Set(items.map((item) => item.provider))].sort(), [items]);
  const selected = panel.kind === 'model' ? items.find((item) => item.id === panel.id) : undefined;

  /** Puts a changed model in the table (first when new) and says what happened. */
  function replaceModel(model: AdminModel, message: string) {
    setItems((current) =>
      current.some((item) => item.id === model.id)
        ? current.map((item) => (item.id === model.id ? model : item))
        : [model, ...current],
    );
    setNotice(message);
  }

  async function download() {
    try {
      const models = await exportModels();
      const url = URL.createObjectURL(new Blob([`${JSON.stringify(models, null, 2)}\n`], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `chorus-models-${new Date().toISOString().slice(0, 10)}.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      setNotice(`Exported ${models.length} models.`);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }

  const sortBy = (key: SortKey) =>
    setSort((current) => ({ key, descending: current.key === key ? !current.descending : false }));

  return (
    <div className="admin-models">
      <div className="admin-toolbar">
        <button type="button" className="primary" onClick={() => setPanel({ kind: 'new' })}>
          New model
        </button>
        <button type="button" className="secondary" onClick={() => setPanel({ kind: 'import' })}>
          Import…
        </button>
        <button type="button" className="secondary" onClick={() => void download()}>
          Export
        </button>
      </div>
      <search className="admin-filters">
        <label className="visually-hidden" htmlFor={`${ids}-search`}>
          Search models
        </label>
        <input
          id={`${ids}-search`}
          type="search"
          placeholder="Search models"
          value={filters.search}
          onChange={(event) => setFilters({ ...filters, search: event.target.value })}
        />
        <label>
          Provider
          <input
            list={`${ids}-providers`}
            value={filters.provider}
            onChange={(event) => setFilters({ ...filters, provider: event.target.value })}
            placeholder="any"
          />
          <datalist id={`${ids}-providers`}>
            {providers.map((provider) => (
              <option key={provider} value={provider} />
            ))}
          </datalist>
        </label>
        <label>
          Status
          <select value={filters.status} onChange={(event) => setFilters({ ...filters, status: event.target.value })}>
            <option value="">any</option>
            {MODEL_STATUSES.map((status) => (
              <option key={status}>{status}</option>
            ))}
          </select>
        </label>
        <label>
          Capability
          <select
            value={filters.capability}
            onChange={(event) => setFilters({ ...filters, capability: event.target.value })}
          >
            <option value="">any</option>
            {MODEL_CAPABILITIES.map((capability) => (
              <option key={capability}>{capability}</option>
            ))}
          </select>
        </label>
      </search>
      {notice && (
        <p className="admin-notice" role="status">
          {notice}
        </p>
      )}
      <FormProblem problem={problem} />
      {panel.kind === 'import' && (
        <ImportPanel
          onClose={() => setPanel({ kind: 'none' })}
          onImported={(message) => {
            setNotice(message);
            setPanel({ kind: 'none' });
            void load(null);
          }}
        />
      )}
      {panel.kind === 'new' && (
        <section className="admin-panel" aria-label="New model">
          <h2>New model</h2>
          <ModelForm
            onCancel={() => setPanel({ kind: 'none' })}
            onSaved={(model, message) => {
              replaceModel(model, message);
              setPanel({ kind: 'model', id: model.id, tab: 'history' });
            }}
          />
        </section>
      )}
      {panel.kind === 'model' && selected && (
        <section className="admin-panel" aria-label={`Model ${selected.id}`}>
          <div className="admin-panel-heading">
            <h2>
              {selected.displayName ?? selected.name} <span className="badge">{selected.status}</span>{' '}
              <span className="muted">v{selected.version}</span>
            </h2>
            <button type="button" className="icon" aria-label="Close" onClick={() => setPanel({ kind: 'none' })}>
              ✕
            </button>
          </div>
          <div className="admin-actions">
            <ModelActions
              model={selected}
              onChanged={replaceModel}
              onDuplicated={(copy) => {
                replaceModel(copy, `Duplicated ${selected.id} as ${copy.id}.`);
                setPanel({ kind: 'model', id: copy.id, tab: 'edit' });
              }}
            />
          </div>
          <p className="muted">
            <code>{selected.id}</code>
          </p>
          <div className="admin-tabs" role="tablist">
            {(['edit', 'history'] as const).map((tab) => (
              <button
                key={tab}
                type="button"
                role="tab"
                aria-selected={panel.tab === tab}
                className={panel.tab === tab ? 'tab selected' : 'tab'}
                onClick={() => setPanel({ ...panel, tab })}
              >
                {tab === 'edit' ? 'Edit' : 'History'}
              </button>
            ))}
          </div>
          {panel.tab === 'edit' ? (
            <ModelForm
              key={`${selected.id}@${selected.version}`}
              model={selected}
              onCancel={() => setPanel({ kind: 'none' })}
              onSaved={(model, message) => replaceModel(model, message)}
            />
          ) : (
            <ModelHistory model={selected} actorId={profile.id} onReverted={replaceModel} />
          )}
        </section>
      )}
      <TableScroll label="Models">
        <table className="data-table models-table" aria-label="Models" aria-busy={loading}>
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <th
                  key={column.key}
                  scope="col"
                  className={column.numeric ? 'numeric' : undefined}
                  aria-sort={sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                >
                  <button type="button" className="sort" onClick={() => sortBy(column.key)}>
                    {column.label}
                    <span aria-hidden="true">{sort.key === column.key ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((model) => (
              <tr
                key={model.id}
                className={
                  panel.kind === 'model' && panel.id === model.id
                    ? `selected status-${model.status}`
                    : `status-${model.status}`
                }
              >
                <td>
                  <button
                    type="button"
                    className="link model-link"
                    onClick={() => setPanel({ kind: 'model', id: model.id, tab: 'edit' })}
                  >
                    {model.displayName ?? model.name}
                  </button>
                  <div className="muted model-id">{model.id}</div>
                </td>
                <td>{model.provider}</td>
                <td>
                  <span className={`badge status-badge-${model.status}`}>{model.status}</span>
                </td>
                <td className="numeric">{model.pricing.input}</td>
                <td className="numeric">{model.pricing.output}</td>
                <td className="numeric">{model.contextWindow.toLocaleString()}</td>
                <td className="numeric">{model.version}</td>
                <td>{new Date(model.updatedAt).toLocaleDateString()}</td>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => setPanel({ kind: 'model', id: model.id, tab: 'history' })}
                  >
                    History
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {!loading && items.length === 0 && <p className="muted">No model matches these filters.</p>}
      {nextCursor && (
        <button type="button" className="secondary load-more" disabled={loading} onClick={() => void load(nextCursor)}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}
