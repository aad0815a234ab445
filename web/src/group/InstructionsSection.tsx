// What the models are told, in the conversation's settings panel: the conversation's own system prompt,
// temperature and reply length (its parameters), and each model's persona, instructions and temperature there,
// which come on top. Owners and admins change them; members read them. An emptied field goes back to the default.
import { type FormEvent, useId, useState } from 'react';
import type { ConversationDetails, ConversationModel } from '../types.ts';
import { changeModelSettings, changeParameters } from './conversation-api.ts';

type Props = {
  details: ConversationDetails;
  canManage: boolean;
  nameOf: (modelId: string) => string;
  run: (change: () => Promise<unknown>) => void;
};

/** A number field's text as the API takes it: empty is null (the default), anything else a number. */
const numberOrNull = (text: string) => (text.trim() === '' ? null : Number(text));
const textOrNull = (text: string) => (text.trim() === '' ? null : text);
const shown = (value: unknown) => (value === undefined || value === null ? '' : String(value));

export function InstructionsSection({ details, canManage, nameOf, run }: Props) {
  return (
    <section>
      <h3>Instructions</h3>
      <ConversationInstructions
        key={JSON.stringify(details.parameters)}
        details={details}
        canManage={canManage}
        run={run}
      />
      {details.models.map((member) => (
        <ModelInstructions
          key={`${member.modelId}:${JSON.stringify(member.settings)}`}
          conversationId={details.id}
          member={member}
          name={nameOf(member.modelId)}
          canManage={canManage}
          run={run}
        />
      ))}
    </section>
  );
}

function ConversationInstructions({ details, canManage, run }: Omit<Props, 'nameOf'>) {
  const ids = useId();
  const [systemPrompt, setSystemPrompt] = useState(shown(details.parameters.systemPrompt));
  const [temperature, setTemperature] = useState(shown(details.parameters.temperature));
  const [maxOutputTokens, setMaxOutputTokens] = useState(shown(details.parameters.maxOutputTokens));
  function save(event: FormEvent) {
    event.preventDefault();
    run(() =>
      changeParameters(details.id, {
        systemPrompt: textOrNull(systemPrompt),
        temperature: numberOrNull(temperature),
        maxOutputTokens: numberOrNull(maxOutputTokens),
      }),
    );
  }
  return (
    <form className="instructions" aria-label="Conversation instructions" onSubmit={save}>
      <PromptField
        id={`${ids}-prompt`}
        label="System prompt (every model)"
        value={systemPrompt}
        disabled={!canManage}
        onChange={setSystemPrompt}
      />
      <TemperatureField
        id={`${ids}-temperature`}
        label="Temperature (0–2, empty: the model's default)"
        value={temperature}
        disabled={!canManage}
        onChange={setTemperature}
      />
      <div className="field">
        <label htmlFor={`${ids}-tokens`}>Longest reply in tokens (empty: no limit)</label>
        <input
          id={`${ids}-tokens`}
          type="number"
          min={1}
          step={1}
          value={maxOutputTokens}
          disabled={!canManage}
          onChange={(event) => setMaxOutputTokens(event.target.value)}
        />
      </div>
      {canManage && (
        <button type="submit" className="secondary">
          Save instructions
        </button>
      )}
    </form>
  );
}

function ModelInstructions({
  conversationId,
  member,
  name,
  canManage,
  run,
}: {
  conversationId: string;
  member: ConversationModel;
  name: string;
  canManage: boolean;
  run: Props['run'];
}) {
  const ids = useId();
  const [persona, setPersona] = useState(shown(member.settings.persona));
  const [systemPrompt, setSystemPrompt] = useState(shown(member.settings.systemPrompt));
  const [temperature, setTemperature] = useState(shown(member.settings.temperature));
  function save(event: FormEvent) {
    event.preventDefault();
    run(() =>
      changeModelSettings(conversationId, member.modelId, {
        persona: textOrNull(persona),
        systemPrompt: textOrNull(systemPrompt),
        temperature: numberOrNull(temperature),
      }),
    );
  }
  return (
    <details className="model-instructions">
      <summary>{name}: persona and instructions</summary>
      <form aria-label={`${name}'s instructions`} onSubmit={save}>
        <div className="field">
          <label htmlFor={`${ids}-persona`}>Persona</label>
          <input
            id={`${ids}-persona`}
            maxLength={2_000}
            placeholder="e.g. a sceptical economist"
            value={persona}
            disabled={!canManage}
            onChange={(event) => setPersona(event.target.value)}
          />
        </div>
        <PromptField
          id={`${ids}-prompt`}
          label={`Instructions for ${name}`}
          value={systemPrompt}
          disabled={!canManage}
          onChange={setSystemPrompt}
        />
        <TemperatureField
          id={`${ids}-temperature`}
          label={`Temperature for ${name}`}
          value={temperature}
          disabled={!canManage}
          onChange={setTemperature}
        />
        {canManage && (
          <button type="submit" className="secondary">
            Save {name}'s instructions
          </button>
        )}
      </form>
    </details>
  );
}

/** A field of the instructions, its value as typed (see textOrNull and numberOrNull for what it saves as). */
type FieldProps = { id: string; label: string; value: string; disabled: boolean; onChange: (value: string) => void };

function PromptField({ id, label, value, disabled, onChange }: FieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={3}
        maxLength={20_000}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}

function TemperatureField({ id, label, value, disabled, onChange }: FieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        min={0}
        max={2}
        step={0.1}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}
