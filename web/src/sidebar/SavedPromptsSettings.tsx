// Settings' saved prompts: each with its name (typed after `/` in the composer) and text, to add, change or delete.
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { apiRequest } from '../api.ts';
import { loadPrompts, type SavedPrompt } from '../prompts/saved-prompts.ts';

export function SavedPromptsSettings({ onProblem }: { onProblem: (error: unknown) => void }) {
  const [prompts, setPrompts] = useState<SavedPrompt[]>([]);
  const [editing, setEditing] = useState<SavedPrompt | null>(null);
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const ids = useId();

  const reload = useCallback(() => loadPrompts().then(setPrompts, onProblem), [onProblem]);
  useEffect(() => void reload(), [reload]);

  const startEditing = (prompt: SavedPrompt | null) => {
    setEditing(prompt);
    setName(prompt?.name ?? '');
    setText(prompt?.text ?? '');
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    const saved = editing
      ? apiRequest('PATCH', `/api/prompts/${editing.id}`, { name: name.trim(), text })
      : apiRequest('POST', '/api/prompts', { name: name.trim(), text });
    saved.then(() => {
      startEditing(null);
      void reload();
    }, onProblem);
  };

  const remove = (prompt: SavedPrompt) =>
    apiRequest('DELETE', `/api/prompts/${prompt.id}`).then(() => {
      if (editing?.id === prompt.id) startEditing(null);
      void reload();
    }, onProblem);

  return (
    <>
      <h3>Saved prompts</h3>
      <p className="muted">Type / and a prompt's name at the start of a message to put its text there.</p>
      <ul className="settings-prompts">
        {prompts.map((prompt) => (
          <li key={prompt.id}>
            <strong>/{prompt.name}</strong> <span className="muted prompt-preview">{prompt.text}</span>
            <span className="settings-prompt-actions">
              <button type="button" className="secondary" onClick={() => startEditing(prompt)}>
                Edit
              </button>
              <button type="button" className="secondary" onClick={() => void remove(prompt)}>
                Delete
              </button>
            </span>
          </li>
        ))}
        {prompts.length === 0 && <li className="muted">No saved prompts.</li>}
      </ul>
      <form onSubmit={save} className="settings-new-prompt">
        <label htmlFor={`${ids}-prompt-name`}>Prompt name</label>
        <input
          id={`${ids}-prompt-name`}
          value={name}
          maxLength={60}
          pattern="[^\s\/]+"
          title="One word, without spaces or slashes"
          required
          onChange={(event) => setName(event.target.value)}
        />
        <label htmlFor={`${ids}-prompt-text`}>Prompt text</label>
        <textarea
          id={`${ids}-prompt-text`}
          value={text}
          rows={3}
          maxLength={20_000}
          required
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" className="secondary">
          {editing ? `Save /${editing.name}` : 'Save prompt'}
        </button>
        {editing && (
          <button type="button" className="link" onClick={() => startEditing(null)}>
            Cancel
          </button>
        )}
      </form>
    </>
  );
}
