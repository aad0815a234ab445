// A person's settings: their name, picture, theme and default models (PATCH /api/me), their saved prompts, and their
// API keys — created with a name and an optional expiry (the key shown once), listed with their last use, revoked.
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { apiRequest } from '../api.ts';
import { ModalDialog } from '../dialogs/ModalDialog.tsx';
import { FormProblem } from '../form-problem.tsx';
import { PersonAvatar } from '../group/avatars.tsx';
import { THEMES, type Theme } from '../theme.ts';
import type { PickableModel, Profile, ResponseBody } from '../types.ts';
import { pictureAsDataUrl } from './profile-picture.ts';
import { SavedPromptsSettings } from './SavedPromptsSettings.tsx';

type ApiKey = ResponseBody<'/api/keys', 'get'>['keys'][number];
type CreatedKey = ResponseBody<'/api/keys', 'post'>;

const THEME_LABELS: Record<Theme, string> = { system: 'As the system', light: 'Light', dark: 'Dark' };

const when = (iso: string | null, never: string) => (iso ? new Date(iso).toLocaleString() : never);

export function SettingsDialog({
  profile,
  onChanged,
  onClose,
}: {
  profile: Profile;
  onChanged: () => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(profile.displayName ?? '');
  const [theme, setTheme] = useState<Theme>(profile.preferences.theme ?? 'system');
  const [defaults, setDefaults] = useState<string[]>(profile.preferences.defaultModelIds ?? []);
  const [models, setModels] = useState<PickableModel[]>([]);
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const ids = useId();

  const fail = useCallback((error: unknown) => setProblem(error instanceof Error ? error.message : String(error)), []);
  const loadKeys = useCallback(() => {
    apiRequest<{ keys: ApiKey[] }>('GET', '/api/keys').then((found) => setKeys(found.keys), fail);
  }, [fail]);
  useEffect(() => {
    loadKeys();
    apiRequest<{ models: PickableModel[] }>('GET', '/api/models').then((found) => setModels(found.models), fail);
  }, [loadKeys, fail]);

  const save = (event: FormEvent) => {
    event.preventDefault();
    apiRequest('PATCH', '/api/me', {
      ...(name.trim() ? { displayName: name.trim() } : {}),
      preferences: { theme, defaultModelIds: defaults },
    }).then(() => {
      setProblem(null);
      onChanged();
    }, fail);
  };

  const createKey = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const keyName = (form.elements.namedItem('keyName') as HTMLInputElement).value.trim();
    const expiry = (form.elements.namedItem('keyExpiry') as HTMLInputElement).value;
    apiRequest<CreatedKey>('POST', '/api/keys', {
      ...(keyName ? { name: keyName } : {}),
      ...(expiry ? { expiresAt: new Date(`${expiry}T23:59:59`).toISOString() } : {}),
    }).then((key) => {
      setCreated(key);
      form.reset();
      loadKeys();
    }, fail);
  };

  /** The picture is saved at once, on its own: choosing one is the decision. */
  const changePicture = (avatarUrl: Promise<string | null>) =>
    avatarUrl
      .then((url) => apiRequest('PATCH', '/api/me', { avatarUrl: url }))
      .then(() => {
        setProblem(null);
        onChanged();
      }, fail);

  const revoke = (id: string) => apiRequest('DELETE', `/api/keys/${id}`).then(loadKeys, fail);

  return (
    <ModalDialog title="Settings" onCancel={onClose}>
      <FormProblem problem={problem} />
      <div className="settings-picture">
        <PersonAvatar name={profile.displayName ?? profile.username} avatarUrl={profile.avatarUrl} />
        <label htmlFor={`${ids}-picture`}>Picture</label>
        <input
          id={`${ids}-picture`}
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void changePicture(pictureAsDataUrl(file));
            event.target.value = '';
          }}
        />
        {profile.avatarUrl && (
          <button type="button" className="secondary" onClick={() => void changePicture(Promise.resolve(null))}>
            Remove picture
          </button>
        )}
      </div>
      <form onSubmit={save} className="settings-profile">
        <label htmlFor={`${ids}-name`}>Name</label>
        <input id={`${ids}-name`} value={name} maxLength={100} onChange={(event) => setName(event.target.value)} />
        <label htmlFor={`${ids}-theme`}>Theme</label>
        <select id={`${ids}-theme`} value={theme} onChange={(event) => setTheme(event.target.value as Theme)}>
          {THEMES.map((option) => (
            <option key={option} value={option}>
              {THEME_LABELS[option]}
            </option>
          ))}
        </select>
        <fieldset>
          <legend>A new chat starts with</legend>
          {models.map((model) => (
            <label key={model.id}>
              <input
                type="checkbox"
                checked={defaults.includes(model.id)}
                onChange={(event) =>
                  setDefaults(event.target.checked ? [...defaults, model.id] : defaults.filter((id) => id !== model.id))
                }
              />{' '}
              {model.displayName ?? model.name}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary">
          Save
        </button>
      </form>

      <SavedPromptsSettings onProblem={fail} />

      <h3>API keys</h3>
      {created && (
        <p role="status">
          Your new key, shown this once: <code>{created.key}</code>
        </p>
      )}
      <ul className="settings-keys">
        {keys.map((key) => (
          <li key={key.id}>
            <strong>{key.name ?? key.prefix}</strong> <span className="muted">{key.prefix}…</span>
            <div className="muted">
              Last used {when(key.lastUsedAt, 'never')}; expires {when(key.expiresAt, 'never')}
            </div>
            <button type="button" className="secondary" onClick={() => void revoke(key.id)}>
              Revoke
            </button>
          </li>
        ))}
        {keys.length === 0 && <li className="muted">No keys.</li>}
      </ul>
      <form onSubmit={createKey} className="settings-new-key">
        <label htmlFor={`${ids}-key-name`}>Key name</label>
        <input id={`${ids}-key-name`} name="keyName" maxLength={100} />
        <label htmlFor={`${ids}-key-expiry`}>Expires (optional)</label>
        <input id={`${ids}-key-expiry`} name="keyExpiry" type="date" />
        <button type="submit" className="secondary">
          Create key
        </button>
      </form>
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
