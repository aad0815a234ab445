// Create or edit a model. The API validates (the same schema as imports and the command line); a refusal's
// details are shown beside the fields they name, and anything not tied to a field above the buttons.
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { ApiError } from '../api.ts';
import { FormProblem } from '../form-problem.tsx';
import type { AdminModel, ModelStatus } from '../types.ts';
import { createModel, type FieldProblem, MODEL_CAPABILITIES, MODEL_STATUSES, updateModel } from './admin-api.ts';
import {
  definitionOf,
  EMPTY_FORM,
  formValuesOf,
  type ModelFormValues,
  problemsByField,
  updatesOf,
} from './model-form-values.ts';

type Props = {
  /** The model being edited; absent: a new one (optionally starting from `template`). */
  model?: AdminModel;
  onSaved: (model: AdminModel, message: string) => void;
  onCancel: () => void;
};

const FORM_FIELDS = new Set<string>([...Object.keys(EMPTY_FORM), 'id']);

export function ModelForm({ model, onSaved, onCancel }: Props) {
  const ids = useId();
  const [values, setValues] = useState<ModelFormValues>(() => (model ? formValuesOf(model) : EMPTY_FORM));
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Map<string, string[]>>(new Map());
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const set = <Field extends keyof ModelFormValues>(field: Field, value: ModelFormValues[Field]) =>
    setValues((current) => ({ ...current, [field]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setFormProblem(null);
    setProblems(new Map());
    try {
      if (model) {
        const updates = updatesOf(model, values);
        if (Object.keys(updates).length === 0) {
          setFormProblem('Nothing changed.');
          return;
        }
        const result = await updateModel(model.id, updates, model.version, reason.trim() || undefined);
        onSaved(
          result.model,
          `Saved version ${result.model.version} (${result.changes.length} field${result.changes.length === 1 ? '' : 's'} changed).`,
        );
      } else {
        const created = await createModel(definitionOf(values), reason.trim() || undefined);
        onSaved(created, `Created ${created.id}.`);
      }
    } catch (error) {
      showProblem(error);
    } finally {
      setSaving(false);
    }
  }

  function showProblem(error: unknown) {
    if (!(error instanceof ApiError)) {
      setFormProblem(error instanceof Error ? error.message : String(error));
      return;
    }
    const details = Array.isArray(error.details)
      ? (error.details as FieldProblem[]).filter((item) => typeof item?.path === 'string')
      : [];
    const byField = problemsByField(details);
    setProblems(byField);
    const unplaced = [...byField]
      .filter(([field]) => !FORM_FIELDS.has(field))
      .flatMap(([field, messages]) => messages.map((message) => `${field || 'model'}: ${message}`));
    if (error.status === 409) setFormProblem(`${error.message} Reload the model to see the newer version.`);
    else if (details.length === 0 || unplaced.length > 0)
      setFormProblem(unplaced.length > 0 ? unplaced.join('; ') : error.message);
    else setFormProblem('Some fields need attention.');
  }

  /** A labelled field with the API's problems for it below, tied to the input for screen readers. */
  function field(
    name: keyof ModelFormValues | 'id',
    label: string,
    input: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode,
    hint?: string,
  ) {
    const messages = problems.get(name) ?? [];
    const id = `${ids}-${name}`;
    return (
      <div className="field" key={name}>
        <label htmlFor={id}>{label}</label>
        {input({
          id,
          'aria-invalid': messages.length > 0,
          ...(messages.length > 0 ? { 'aria-describedby': `${id}-problem` } : {}),
        })}
        {hint && <span className="muted field-hint">{hint}</span>}
        {messages.length > 0 && (
          <p className="field-problem" id={`${id}-problem`}>
            {messages.join('; ')}
          </p>
        )}
      </div>
    );
  }

  const textField = (
    name: keyof ModelFormValues,
    label: string,
    options: { hint?: string; inputMode?: 'decimal' | 'numeric'; type?: string } = {},
  ) =>
    field(
      name,
      label,
      (props) => (
        <input
          {...props}
          type={options.type ?? 'text'}
          inputMode={options.inputMode}
          value={values[name] as string}
          onChange={(event) => set(name, event.target.value as never)}
        />
      ),
      options.hint,
    );

  const idProblems = problems.get('id') ?? [];
  return (
    <form className="model-form" onSubmit={(event) => void submit(event)} noValidate>
      <fieldset disabled={Boolean(model)} className="model-form-identity">
        <legend>Identity {model && <span className="muted">(fixed: duplicate the model to change it)</span>}</legend>
        {textField('provider', 'Provider')}
        {textField('providerModelId', 'Provider model id')}
        <p className="muted model-form-id">
          Id: <code>{model?.id ?? `${values.provider.trim()}:${values.providerModelId.trim()}`}</code>
        </p>
        {idProblems.length > 0 && <p className="field-problem">Id: {idProblems.join('; ')}</p>}
      </fieldset>
      <fieldset>
        <legend>Description</legend>
        {textField('name', 'Name')}
        {textField('displayName', 'Display name')}
        {textField('family', 'Family')}
        {textField('avatar', 'Avatar', { hint: 'An emoji or up to 16 characters' })}
        {field('description', 'Description', (props) => (
          <textarea
            {...props}
            rows={3}
            value={values.description}
            onChange={(event) => set('description', event.target.value)}
          />
        ))}
      </fieldset>
      <fieldset>
        <legend>Pricing (USD per million tokens)</legend>
        {textField('pricingInput', 'Input price', { inputMode: 'decimal' })}
        {textField('pricingOutput', 'Output price', { inputMode: 'decimal' })}
        {textField('pricingCacheRead', 'Cache read price', { inputMode: 'decimal', hint: 'Empty: none' })}
      </fieldset>
      <fieldset>
        <legend>Limits and status</legend>
        {textField('contextWindow', 'Context window', { inputMode: 'numeric' })}
        {textField('maxOutputTokens', 'Max output tokens', { inputMode: 'numeric', hint: 'Empty: no limit' })}
        {field('status', 'Status', (props) => (
          <select
            {...props}
            value={values.status}
            onChange={(event) => set('status', event.target.value as ModelStatus)}
          >
            {MODEL_STATUSES.map((status) => (
              <option key={status}>{status}</option>
            ))}
          </select>
        ))}
        {textField('sortOrder', 'Sort order', { inputMode: 'numeric' })}
        {textField('releaseDate', 'Release date', { hint: 'YYYY-MM-DD' })}
        {textField('knowledgeCutoff', 'Knowledge cutoff', { hint: 'YYYY-MM or YYYY-MM-DD' })}
        {textField('source', 'Source', { hint: 'Where these facts come from' })}
        <label className="checkbox">
          <input
            type="checkbox"
            checked={values.openWeights}
            onChange={(event) => set('openWeights', event.target.checked)}
          />{' '}
          Open weights
        </label>
      </fieldset>
      <fieldset className="capabilities">
        <legend>Capabilities</legend>
        {MODEL_CAPABILITIES.map((capability) => (
          <label key={capability} className="checkbox">
            <input
              type="checkbox"
              checked={values.capabilities.includes(capability)}
              onChange={(event) =>
                set(
                  'capabilities',
                  event.target.checked
                    ? [...values.capabilities, capability]
                    : values.capabilities.filter((item) => item !== capability),
                )
              }
            />{' '}
            {capability}
          </label>
        ))}
        {(problems.get('capabilities') ?? []).length > 0 && (
          <p className="field-problem">{problems.get('capabilities')!.join('; ')}</p>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor={`${ids}-reason`}>Reason (kept in the history)</label>
        <input
          id={`${ids}-reason`}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          placeholder="Why this change?"
        />
      </div>
      <FormProblem problem={formProblem} />
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={saving}>
          {model ? 'Save changes' : 'Create model'}
        </button>
      </div>
    </form>
  );
}
