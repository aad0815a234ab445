// /admin/users: people, found by part of their name or email, with what they used this month; an admin promotes or
// demotes them, deactivates or reactivates them, sets their own daily message limit and deletes them. The server
// keeps the rules (the last active admin stays one); its refusals are shown as they come.
import { useCallback, useEffect, useId, useState } from 'react';
import { ConfirmDialog, ModalDialog } from '../dialogs/ModalDialog.tsx';
import { FormProblem } from '../form-problem.tsx';
import type { AdministeredUser, Profile, UserList } from '../types.ts';
import { changeUser, deleteUser, listUsers, type UserChanges } from './admin-api.ts';

const PAGE_SIZE = 50;

type Dialog = { kind: 'limit' | 'delete'; user: AdministeredUser } | null;

const nameOf = (user: AdministeredUser) => user.displayName ?? user.username;
const usd = (amount: number) => `$${amount.toFixed(amount > 0 && amount < 0.01 ? 4 : 2)}`;

export function UsersPage({ profile, onForbidden }: { profile: Profile; onForbidden: (error: unknown) => boolean }) {
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [list, setList] = useState<UserList | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const ids = useId();

  const fail = useCallback(
    (error: unknown) => {
      if (!onForbidden(error)) setProblem(error instanceof Error ? error.message : String(error));
    },
    [onForbidden],
  );
  const reload = useCallback(() => {
    listUsers(search, offset, PAGE_SIZE).then((found) => {
      setList(found);
      setProblem(null);
    }, fail);
  }, [search, offset, fail]);
  useEffect(reload, [reload]);

  const change = (user: AdministeredUser, changes: UserChanges) => {
    setDialog(null);
    changeUser(user.id, changes).then(reload, fail);
  };

  return (
    <div className="admin-users">
      <search className="admin-filters">
        <label className="visually-hidden" htmlFor={`${ids}-search`}>
          Search people
        </label>
        <input
          id={`${ids}-search`}
          type="search"
          placeholder="Search by name or email"
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            setOffset(0);
          }}
        />
      </search>
      <FormProblem problem={problem} />
      {list && (
        <div className="table-scroll">
          <table className="data-table models-table" aria-label="People">
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Daily limit</th>
                <th scope="col">Replies this month</th>
                <th scope="col">Cost this month</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.users.map((user) => (
                <tr key={user.id} aria-label={nameOf(user)}>
                  <td>
                    {nameOf(user)}
                    <div className="muted">{user.email ?? (user.isGuest ? 'guest' : '—')}</div>
                  </td>
                  <td>{user.role}</td>
                  <td>{user.isActive ? 'active' : 'deactivated'}</td>
                  <td>{user.messagesPerDay ?? 'default'}</td>
                  <td>{user.usageThisMonth.messages}</td>
                  <td>{usd(user.usageThisMonth.costUsd)}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => change(user, { role: user.role === 'admin' ? 'user' : 'admin' })}
                    >
                      {user.role === 'admin' ? 'Demote' : 'Make admin'}
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => change(user, { isActive: !user.isActive })}
                    >
                      {user.isActive ? 'Deactivate' : 'Reactivate'}
                    </button>
                    <button type="button" className="secondary" onClick={() => setDialog({ kind: 'limit', user })}>
                      Limit…
                    </button>
                    {user.id !== profile.id && (
                      <button type="button" className="danger" onClick={() => setDialog({ kind: 'delete', user })}>
                        Delete…
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.users.length === 0 && <p className="muted">Nobody matches.</p>}
          <div className="admin-toolbar">
            <span className="muted">
              {list.total === 0 ? '' : `${offset + 1}–${offset + list.users.length} of ${list.total}`}
            </span>
            <button
              type="button"
              className="secondary"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
            >
              Previous
            </button>
            <button
              type="button"
              className="secondary"
              disabled={offset + PAGE_SIZE >= list.total}
              onClick={() => setOffset(offset + PAGE_SIZE)}
            >
              Next
            </button>
          </div>
        </div>
      )}
      {dialog?.kind === 'limit' && (
        <LimitDialog
          user={dialog.user}
          onCancel={() => setDialog(null)}
          onSave={(messagesPerDay) => change(dialog.user, { messagesPerDay })}
        />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteDialog
          user={dialog.user}
          onCancel={() => setDialog(null)}
          onDelete={(conversations) => {
            setDialog(null);
            deleteUser(dialog.user.id, conversations).then(reload, fail);
          }}
        />
      )}
    </div>
  );
}

function LimitDialog({
  user,
  onSave,
  onCancel,
}: {
  user: AdministeredUser;
  onSave: (limit: number | null) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(user.messagesPerDay === null ? '' : String(user.messagesPerDay));
  const id = useId();
  return (
    <ModalDialog title={`Daily message limit of ${nameOf(user)}`} onCancel={onCancel}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSave(value.trim() === '' ? null : Number(value));
        }}
      >
        <label htmlFor={id}>Messages a day (empty: the limit of their kind)</label>
        <input
          id={id}
          type="number"
          min={0}
          step={1}
          value={value}
          onChange={(event) => setValue(event.target.value)}
        />
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Save
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}

function DeleteDialog({
  user,
  onDelete,
  onCancel,
}: {
  user: AdministeredUser;
  onDelete: (conversations: 'delete' | 'hand-over') => void;
  onCancel: () => void;
}) {
  const [handOver, setHandOver] = useState(true);
  return (
    <ConfirmDialog
      title={`Delete ${nameOf(user)}?`}
      destructive
      confirmLabel="Delete"
      onCancel={onCancel}
      onConfirm={() => onDelete(handOver ? 'hand-over' : 'delete')}
      message={
        <>
          Their uploads and keys go; their messages in others' conversations stay, from a deleted user.{' '}
          <label>
            <input type="checkbox" checked={handOver} onChange={(event) => setHandOver(event.target.checked)} /> Hand
            their conversations to another participant where there is one (else they are deleted)
          </label>
        </>
      }
    />
  );
}
