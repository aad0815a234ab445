// The conversation's settings, for its owner and admins: which models take part and in what order, how they answer
// (reply mode, the lead, the character limit), what they are told (InstructionsSection.tsx), the MCP servers whose
// tools they get (ToolServersSection.tsx), and the people (PeopleSection.tsx). Members see the same panel without
// the controls.
import { useState } from 'react';
import { modelLabel } from '../chat/ModelPicker.tsx';
import { FormProblem } from '../form-problem.tsx';
import type { ConversationDetails, PickableModel, ReplyMode } from '../types.ts';
import { avatarText } from './avatars.tsx';
import {
  addModel,
  changeSettings,
  charLimitOf,
  leadModelIdOf,
  removeModel,
  reorderModels,
  replyModeOf,
} from './conversation-api.ts';
import { InstructionsSection } from './InstructionsSection.tsx';
import { PeopleSection } from './PeopleSection.tsx';
import { ToolServersSection } from './ToolServersSection.tsx';

type Props = {
  details: ConversationDetails;
  models: PickableModel[];
  viewerId: string;
  onChanged: () => void;
  onLeft: () => void;
};

const MODE_NAMES: Record<ReplyMode, string> = {
  single: 'Single (the first model alone)',
  parallel: 'Parallel (all at once)',
  first_responder: 'First responder (a lead, then the others)',
};

export function ConversationPanel({ details, models, viewerId, onChanged, onLeft }: Props) {
  const canManage = details.role === 'owner' || details.role === 'admin';
  const [problem, setProblem] = useState<string | null>(null);
  const conversationId = details.id;
  const members = details.models;
  const addable = models.filter((model) => !members.some((member) => member.modelId === model.id));
  const nameOf = (modelId: string) => {
    const member = members.find((candidate) => candidate.modelId === modelId);
    return member?.displayName ?? member?.name ?? modelId;
  };

  async function run(change: () => Promise<unknown>) {
    setProblem(null);
    try {
      await change();
      onChanged();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }

  function move(index: number, by: -1 | 1) {
    const order = members.map((member) => member.modelId);
    const [moved] = order.splice(index, 1);
    order.splice(index + by, 0, moved!);
    void run(() => reorderModels(conversationId, order));
  }

  const mode = replyModeOf(details);
  const lead = leadModelIdOf(details);
  const limit = charLimitOf(details);
  return (
    <aside className="group-panel" aria-label="Group settings">
      <section>
        <h3>Models</h3>
        <ol className="group-models">
          {members.map((member, index) => (
            <li key={member.modelId}>
              <span className="model-avatar" aria-hidden="true">
                {avatarText(member.avatar, nameOf(member.modelId))}
              </span>
              <span className="group-model-name" title={member.modelId}>
                {nameOf(member.modelId)}
                {member.modelId === lead && <span className="badge lead-badge">lead</span>}
              </span>
              {canManage && (
                <span className="group-model-actions">
                  <button
                    type="button"
                    className="icon"
                    aria-label={`Move ${nameOf(member.modelId)} up`}
                    disabled={index === 0}
                    onClick={() => move(index, -1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon"
                    aria-label={`Move ${nameOf(member.modelId)} down`}
                    disabled={index === members.length - 1}
                    onClick={() => move(index, 1)}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="icon"
                    aria-label={`Remove ${nameOf(member.modelId)}`}
                    onClick={() => void run(() => removeModel(conversationId, member.modelId))}
                  >
                    ✕
                  </button>
                </span>
              )}
            </li>
          ))}
        </ol>
        {canManage && addable.length > 0 && (
          <label className="field">
            <span>Add a model</span>
            <select
              value=""
              onChange={(event) => {
                const modelId = event.target.value;
                if (modelId) void run(() => addModel(conversationId, modelId));
              }}
            >
              <option value="">Choose…</option>
              {addable.map((model) => (
                <option key={model.id} value={model.id}>
                  {modelLabel(model)}
                </option>
              ))}
            </select>
          </label>
        )}
      </section>

      <section>
        <h3>How they answer</h3>
        <label className="field">
          <span>Reply mode</span>
          <select
            value={mode}
            disabled={!canManage}
            onChange={(event) =>
              void run(() => changeSettings(conversationId, { replyMode: event.target.value as ReplyMode }))
            }
          >
            {(Object.keys(MODE_NAMES) as ReplyMode[]).map((key) => (
              <option key={key} value={key}>
                {MODE_NAMES[key]}
              </option>
            ))}
          </select>
        </label>
        {mode === 'first_responder' && (
          <label className="field">
            <span>Lead</span>
            <select
              value={lead ?? ''}
              disabled={!canManage}
              onChange={(event) =>
                void run(() => changeSettings(conversationId, { firstResponderModelId: event.target.value }))
              }
            >
              {members.map((member) => (
                <option key={member.modelId} value={member.modelId}>
                  {nameOf(member.modelId)}
                </option>
              ))}
            </select>
          </label>
        )}
        <CharLimitField
          key={limit ?? 0}
          limit={limit}
          disabled={!canManage}
          onSave={(charLimit) => void run(() => changeSettings(conversationId, { charLimit }))}
        />
      </section>

      <InstructionsSection details={details} canManage={canManage} nameOf={nameOf} run={(change) => void run(change)} />
      <ToolServersSection details={details} canManage={canManage} run={run} />

      <PeopleSection details={details} viewerId={viewerId} onChanged={onChanged} onLeft={onLeft} />
      <FormProblem problem={problem} />
    </aside>
  );
}

function CharLimitField({
  limit,
  disabled,
  onSave,
}: {
  limit: number | null;
  disabled: boolean;
  onSave: (limit: number) => void;
}) {
  const [value, setValue] = useState(String(limit ?? 0));
  return (
    <form
      className="field char-limit"
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = Number.parseInt(value, 10);
        if (Number.isFinite(parsed) && parsed >= 0) onSave(parsed);
      }}
    >
      <label htmlFor="char-limit">Characters per reply (0: no limit)</label>
      <span className="char-limit-row">
        <input
          id="char-limit"
          type="number"
          min={0}
          max={100000}
          value={value}
          disabled={disabled}
          onChange={(event) => setValue(event.target.value)}
        />
        {!disabled && (
          <button type="submit" className="secondary">
            Save
          </button>
        )}
      </span>
    </form>
  );
}
