// Modal dialogs on the platform's own <dialog>: focus moves into it and stays there, the page behind is inert, and
// Esc cancels. `ConfirmDialog` asks yes or no about one action; others put their own form inside `ModalDialog`.
import { type ReactNode, useEffect, useId, useRef } from 'react';

type ModalProps = { title: string; onCancel: () => void; children: ReactNode };

export function ModalDialog({ title, onCancel, children }: ModalProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="confirm"
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Closed by unmounting, so the page's state says whether it is open.
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

type ConfirmProps = {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  /** The action destroys something: its button says so. */
  destructive?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
};

export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  destructive = false,
  onConfirm,
  onCancel,
}: ConfirmProps) {
  return (
    <ModalDialog title={title} onCancel={onCancel}>
      <p>{message}</p>
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={onCancel} autoFocus>
          Cancel
        </button>
        <button type="button" className={destructive ? 'danger' : 'primary'} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </ModalDialog>
  );
}
