// Picks the models that answer: one or several (their replies appear side by side). Searchable, grouped by
// provider, with each model's price per million tokens and its capabilities; only selectable models are listed. It
// closes on Escape and on a click outside; the arrow keys move through the search and the models.
import { useId, useMemo, useRef, useState } from 'react';
import { usePopover } from '../popover.ts';
import type { PickableModel } from '../types.ts';

type Props = { models: PickableModel[]; selected: string[]; onChange: (modelIds: string[]) => void };

export const modelLabel = (model: PickableModel) => model.displayName ?? model.name;

export function ModelPicker({ models, selected, onChange }: Props) {
  const [search, setSearch] = useState('');
  const ids = useId();
  const root = useRef<HTMLDetailsElement>(null);
  const popover = usePopover(root);
  const byProvider = useMemo(() => {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    const groups = new Map<string, PickableModel[]>();
    for (const model of models) {
      const haystack = `${model.id} ${modelLabel(model)} ${model.capabilities.join(' ')}`.toLowerCase();
      if (!words.every((word) => haystack.includes(word))) continue;
      groups.set(model.provider, [...(groups.get(model.provider) ?? []), model]);
    }
    return groups;
  }, [models, search]);
  const names = selected
    .map((id) => models.find((model) => model.id === id))
    .flatMap((model) => (model ? [modelLabel(model)] : []));

  function toggle(modelId: string, on: boolean) {
    // Always one model at least: the last one cannot be unticked.
    const next = on ? [...selected, modelId] : selected.filter((id) => id !== modelId);
    if (next.length > 0) onChange(next);
  }

  return (
    <details className="model-picker" ref={root} {...popover}>
      <summary aria-label={`Models: ${names.join(', ') || 'none'}`}>
        <span className="model-picker-label">{names.length > 0 ? names.join(' + ') : 'Pick a model'}</span>
      </summary>
      <div className="model-picker-panel">
        <label htmlFor={`${ids}-search`} className="visually-hidden">
          Search models
        </label>
        <input
          id={`${ids}-search`}
          type="search"
          placeholder="Search models"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        {[...byProvider].map(([provider, group]) => (
          <fieldset key={provider} className="model-group">
            <legend>{provider}</legend>
            {group.map((model) => (
              <label key={model.id} className="model-option" title={model.description ?? model.id}>
                <input
                  type="checkbox"
                  checked={selected.includes(model.id)}
                  onChange={(event) => toggle(model.id, event.target.checked)}
                />
                <span className="model-option-name">
                  {modelLabel(model)}
                  {model.status === 'beta' && <span className="badge">beta</span>}
                </span>
                <span className="model-option-facts">
                  ${model.pricing.input}/${model.pricing.output} per 1M · {model.capabilities.join(', ') || 'text'}
                </span>
              </label>
            ))}
          </fieldset>
        ))}
        {byProvider.size === 0 && <p className="muted">No model matches “{search}”.</p>}
      </div>
    </details>
  );
}
