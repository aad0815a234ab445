// Asks an admin why before a change to a model is made (deprecate, disable, restore, revert, duplicate): the reason
// is kept in the model's history. The change runs from the dialog, so a refusal is shown there, beside the fields,
// and the dialog closes only once the change is made. Some changes ask for more (a copy's new id): `children`.
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { ModalDialog } from '../dialogs/ModalDialog.tsx';
import { FormProblem } from '../form-problem.tsx';

type Props = {
  title: string;
  description?: ReactNode;
  confirmLabel: string;
  initialReason?: string;
  /** Further fields, above the reason. */
  children?: ReactNode;
  /** False while the further fields are not filled in. */
  canConfirm?: boolean;
  /** Makes the change; a rejection's message is shown in the dialog. */
  onConfirm: (reason: string | undefined) => Promise<void>;
  onCancel: () => void;
};

export function ReasonDialog({
  title,
  description,
  confirmLabel,
  initialReason = '',
  children,
  canConfirm = true,
  onConfirm,
  onCancel,
}: Props) {
  const ids = useId();
  const [reason, setReason] = useState(initialReason);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!canConfirm || busy) return;
    setBusy(true);
    setProblem(null);
    try {
      await onConfirm(reason.trim() || undefined);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
      setBusy(false);
    }
  }

  return (
    <ModalDialog title={title} onCancel={onCancel}>
      <form className="reason-form" onSubmit={(event) => void submit(event)}>
        {description && <p>{description}</p>}
        {children}
        <div className="field">
          <label htmlFor={`${ids}-reason`}>Reason (kept in the history)</label>
          <input
            id={`${ids}-reason`}
            value={reason}
            autoFocus={!children}
            placeholder="Why this change?"
            onChange={(event) => setReason(event.target.value)}
          />
        </div>
        <FormProblem problem={problem} />
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !canConfirm}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
