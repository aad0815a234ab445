// /admin/access: groups of people (created, deleted, members added by email and removed) and the models open only
// to some groups; every other model is open to everyone. The server applies a change at once.
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { FormProblem } from '../form-problem.tsx';
import type { ModelAccess, UserGroup } from '../types.ts';
import {
  createGroup,
  deleteGroup,
  listGroups,
  listRestrictedModels,
  listUsers,
  setGroupMembers,
  setModelAccess,
} from './admin-api.ts';

export function AccessPage({ onForbidden }: { onForbidden: (error: unknown) => boolean }) {
  const [groups, setGroups] = useState<UserGroup[]>([]);
  const [restricted, setRestricted] = useState<ModelAccess[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [newGroup, setNewGroup] = useState('');
  const [modelId, setModelId] = useState('');
  const [chosenGroups, setChosenGroups] = useState<string[]>([]);
  const ids = useId();

  const fail = useCallback(
    (error: unknown) => {
      if (!onForbidden(error)) setProblem(error instanceof Error ? error.message : String(error));
    },
    [onForbidden],
  );
  const reload = useCallback(() => {
    Promise.all([listGroups(), listRestrictedModels()]).then(([foundGroups, foundRestricted]) => {
      setGroups(foundGroups);
      setRestricted(foundRestricted);
      setProblem(null);
    }, fail);
  }, [fail]);
  useEffect(reload, [reload]);

  const act = (work: Promise<unknown>) => work.then(reload, fail);
  const groupName = (id: string) => groups.find((group) => group.id === id)?.name ?? id;

  const addMember = async (group: UserGroup, email: string) => {
    const { users } = await listUsers(email, 0, 5);
    const person = users.find((user) => user.email?.toLowerCase() === email.trim().toLowerCase());
    if (!person) throw new Error(`nobody signs in as ${email}`);
    await setGroupMembers(group.id, [...group.members.map((member) => member.id), person.id]);
  };

  const restrict = (event: FormEvent) => {
    event.preventDefault();
    act(setModelAccess(modelId.trim(), chosenGroups)).then(() => {
      setModelId('');
      setChosenGroups([]);
    });
  };

  return (
    <div className="admin-access">
      <FormProblem problem={problem} />
      <h2>Groups</h2>
      <form
        className="admin-toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          act(createGroup(newGroup.trim())).then(() => setNewGroup(''));
        }}
      >
        <label htmlFor={`${ids}-group`}>New group</label>
        <input id={`${ids}-group`} value={newGroup} onChange={(event) => setNewGroup(event.target.value)} required />
        <button type="submit" className="primary">
          Create group
        </button>
      </form>
      {groups.length === 0 && <p className="muted">No groups yet.</p>}
      {groups.map((group) => (
        <section key={group.id} className="access-group" aria-label={`Group ${group.name}`}>
          <h3>{group.name}</h3>
          <ul>
            {group.members.map((member) => (
              <li key={member.id}>
                {member.displayName ?? member.username} <span className="muted">{member.email}</span>{' '}
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    act(
                      setGroupMembers(
                        group.id,
                        group.members.filter((other) => other.id !== member.id).map((other) => other.id),
                      ),
                    )
                  }
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <form
            className="admin-toolbar"
            onSubmit={(event) => {
              event.preventDefault();
              const input = event.currentTarget.elements.namedItem('email') as HTMLInputElement;
              act(addMember(group, input.value)).then(() => {
                input.value = '';
              });
            }}
          >
            <input
              name="email"
              type="email"
              placeholder="Email of someone to add"
              aria-label={`Add to ${group.name}`}
            />
            <button type="submit" className="secondary">
              Add
            </button>
            <button type="button" className="danger" onClick={() => act(deleteGroup(group.id))}>
              Delete group
            </button>
          </form>
        </section>
      ))}

      <h2>Models open only to some groups</h2>
      <p className="muted">Every other model is open to everyone.</p>
      {restricted.length > 0 && (
        <table className="data-table models-table" aria-label="Restricted models">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Open to</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {restricted.map((access) => (
              <tr key={access.modelId}>
                <td>{access.modelId}</td>
                <td>{access.groupIds.length === 0 ? 'nobody' : access.groupIds.map(groupName).join(', ')}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => act(setModelAccess(access.modelId, null))}>
                    Open to everyone
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="access-restrict" onSubmit={restrict}>
        <label htmlFor={`${ids}-model`}>Model id</label>
        <input
          id={`${ids}-model`}
          value={modelId}
          placeholder="openai:gpt-4o"
          onChange={(event) => setModelId(event.target.value)}
          required
        />
        <fieldset>
          <legend>Open only to</legend>
          {groups.map((group) => (
            <label key={group.id}>
              <input
                type="checkbox"
                checked={chosenGroups.includes(group.id)}
                onChange={(event) =>
                  setChosenGroups(
                    event.target.checked ? [...chosenGroups, group.id] : chosenGroups.filter((id) => id !== group.id),
                  )
                }
              />{' '}
              {group.name}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary">
          Restrict model
        </button>
      </form>
    </div>
  );
}
