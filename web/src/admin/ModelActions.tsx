// The changes to a whole model, beside its form: duplicate under a new id, deprecate (no longer offered for new
// messages), disable (hidden too), restore. Each asks for a reason in a dialog before anything is written.
import { useId, useState } from 'react';
import type { AdminModel } from '../types.ts';
import { changeModelStatus, duplicateModel } from './admin-api.ts';
import { ReasonDialog } from './ReasonDialog.tsx';

type StatusAction = 'deprecate' | 'disable' | 'restore';
type Asking = { kind: 'status'; action: StatusAction } | { kind: 'duplicate' };

const STATUS_ACTIONS: Record<StatusAction, { label: string; explanation: string }> = {
  deprecate: {
    label: 'Deprecate',
    explanation: 'It can no longer be picked for new messages; older messages keep showing its name.',
  },
  disable: {
    label: 'Disable',
    explanation: 'It is hidden everywhere and cannot answer; older messages keep showing its name.',
  },
  restore: { label: 'Restore', explanation: 'It gets back the status it had before it was deprecated or disabled.' },
};

type Props = {
  model: AdminModel;
  onChanged: (model: AdminModel, message: string) => void;
  onDuplicated: (copy: AdminModel) => void;
};

export function ModelActions({ model, onChanged, onDuplicated }: Props) {
  const [asking, setAsking] = useState<Asking | null>(null);
  const retired = model.status === 'deprecated' || model.status === 'disabled';
  const actions: StatusAction[] = retired ? ['restore'] : ['deprecate', 'disable'];

  return (
    <>
      <button type="button" className="secondary" onClick={() => setAsking({ kind: 'duplicate' })}>
        Duplicate
      </button>
      {actions.map((action) => (
        <button key={action} type="button" className="secondary" onClick={() => setAsking({ kind: 'status', action })}>
          {STATUS_ACTIONS[action].label}
        </button>
      ))}
      {asking?.kind === 'status' && (
        <ReasonDialog
          title={`${STATUS_ACTIONS[asking.action].label} ${model.displayName ?? model.name}?`}
          description={STATUS_ACTIONS[asking.action].explanation}
          confirmLabel={STATUS_ACTIONS[asking.action].label}
          onCancel={() => setAsking(null)}
          onConfirm={async (reason) => {
            const result = await changeModelStatus(model.id, asking.action, reason);
            setAsking(null);
            onChanged(result.model, `${model.id} is now ${result.model.status}.`);
          }}
        />
      )}
      {asking?.kind === 'duplicate' && (
        <DuplicateDialog
          model={model}
          onCancel={() => setAsking(null)}
          onDuplicated={(copy) => {
            setAsking(null);
            onDuplicated(copy);
          }}
        />
      )}
    </>
  );
}

function DuplicateDialog({
  model,
  onCancel,
  onDuplicated,
}: {
  model: AdminModel;
  onCancel: () => void;
  onDuplicated: (copy: AdminModel) => void;
}) {
  const ids = useId();
  const [newId, setNewId] = useState(`${model.id}-copy`);
  return (
    <ReasonDialog
      title={`Duplicate ${model.displayName ?? model.name}`}
      confirmLabel="Duplicate"
      initialReason={`Duplicated from ${model.id}`}
      canConfirm={newId.trim() !== ''}
      onCancel={onCancel}
      onConfirm={async (reason) => onDuplicated(await duplicateModel(model.id, newId.trim(), reason))}
    >
      <div className="field">
        <label htmlFor={`${ids}-id`}>Id of the copy</label>
        <input
          id={`${ids}-id`}
          value={newId}
          autoFocus
          onChange={(event) => setNewId(event.target.value)}
          aria-describedby={`${ids}-hint`}
        />
        <span className="muted field-hint" id={`${ids}-hint`}>
          provider:providerModelId, e.g. {model.provider}:my-variant
        </span>
      </div>
    </ReasonDialog>
  );
}
