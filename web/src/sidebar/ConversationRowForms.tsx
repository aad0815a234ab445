// A conversation's row in the sidebar, asked to change: renamed in place, or deleted after a confirmation.
import { type FormEvent, useState } from 'react';
import { ConfirmDialog } from '../dialogs/ModalDialog.tsx';
import type { ConversationSummary } from '../types.ts';

export function RenameForm({
  conversation,
  onDone,
  onCancel,
}: {
  conversation: ConversationSummary;
  onDone: (title: string) => void;
  onCancel: () => void;
}) {
  const [title, setTitle] = useState(conversation.title ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onDone(title);
  };
  return (
    <form className="rename-form" onSubmit={submit}>
      <label className="visually-hidden" htmlFor={`rename-${conversation.id}`}>
        New name
      </label>
      <input
        id={`rename-${conversation.id}`}
        value={title}
        maxLength={255}
        autoFocus
        onChange={(event) => setTitle(event.target.value)}
        onKeyDown={(event) => event.key === 'Escape' && onCancel()}
        onBlur={() => onDone(title)}
      />
    </form>
  );
}

export function ConfirmDelete({
  conversation,
  onConfirm,
  onCancel,
}: {
  conversation: ConversationSummary;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <ConfirmDialog
      title={`Delete “${conversation.title ?? 'Untitled chat'}”?`}
      message="The conversation and all its messages are deleted for everyone in it. This cannot be undone."
      confirmLabel="Delete"
      destructive
      onConfirm={onConfirm}
      onCancel={onCancel}
    />
  );
}
