// The `/` menu of the composer: the person's saved prompts whose name holds what follows the slash. The arrow keys
// move through it, Enter or Tab puts the chosen prompt's text in the composer, Esc closes it. Loaded the first time
// a message starts with `/`.
import { type KeyboardEvent, type RefObject, useEffect, useId, useState } from 'react';
import { keptPrompts, loadPrompts, promptsMatching, type SavedPrompt } from '../prompts/saved-prompts.ts';

/** Takes a key pressed in the composer; true when the menu used it (the composer then does nothing with it). */
export type MenuKeys = (event: KeyboardEvent<HTMLTextAreaElement>) => boolean;

type Props = {
  query: string;
  /** Where the composer hands its keys while the menu is open. */
  keys: RefObject<MenuKeys | null>;
  /** The id of the option the keys point at, for the composer's aria-activedescendant (null: none). */
  onActive: (optionId: string | null) => void;
  onInsert: (text: string) => void;
  onClose: () => void;
};

export function PromptMenu({ query, keys, onActive, onInsert, onClose }: Props) {
  const [prompts, setPrompts] = useState<SavedPrompt[] | null>(keptPrompts);
  const [problem, setProblem] = useState<string | null>(null);
  // The option the keys point at, for the query it was chosen in: a new query starts from the first again.
  const [active, setActive] = useState({ query, index: 0 });
  const ids = useId();
  const matching = promptsMatching(prompts ?? [], query);
  const at = active.query === query ? Math.min(active.index, Math.max(matching.length - 1, 0)) : 0;
  const optionId = (index: number) => `${ids}-option-${index}`;

  useEffect(() => {
    loadPrompts().then(setPrompts, (error: unknown) =>
      setProblem(error instanceof Error ? error.message : String(error)),
    );
  }, []);
  useEffect(() => {
    onActive(matching.length > 0 ? optionId(at) : null);
    return () => onActive(null);
  });

  keys.current = (event) => {
    if (event.key === 'Escape') {
      onClose();
      return true;
    }
    if (matching.length === 0) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive({ query, index: (at + step + matching.length) % matching.length });
      return true;
    }
    if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
      onInsert(matching[at]!.text);
      return true;
    }
    return false;
  };
  useEffect(
    () => () => {
      keys.current = null;
    },
    [keys],
  );

  return (
    <div className="prompt-menu">
      {problem && <p className="muted">Your saved prompts cannot be loaded: {problem}</p>}
      {prompts !== null && prompts.length === 0 && (
        <p className="muted">No saved prompts yet: save some in Settings, then type / and their name here.</p>
      )}
      {prompts !== null && prompts.length > 0 && matching.length === 0 && (
        <p className="muted">No saved prompt is named like “{query}”.</p>
      )}
      {matching.length > 0 && (
        <div role="listbox" id={`${ids}-list`} aria-label="Saved prompts">
          {matching.map((prompt, index) => (
            // The composer keeps the focus; the keys move the active option, a click picks one.
            // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard use goes through the composer (see MenuKeys)
            <div
              key={prompt.id}
              id={optionId(index)}
              role="option"
              tabIndex={-1}
              aria-selected={index === at}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => onInsert(prompt.text)}
            >
              <strong>/{prompt.name}</strong> <span className="muted">{prompt.text}</span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
