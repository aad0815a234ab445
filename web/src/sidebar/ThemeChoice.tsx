// The theme control: light, dark or as the system prefers.
import { useId } from 'react';
import { THEMES, type Theme, useTheme } from '../theme.ts';

const LABELS: Record<Theme, string> = { system: 'As the system', light: 'Light', dark: 'Dark' };

export function ThemeChoice() {
  const [theme, setTheme] = useTheme();
  const id = useId();
  return (
    <span className="theme-choice">
      <label htmlFor={id}>Theme</label>
      <select id={id} value={theme} onChange={(event) => setTheme(event.target.value as Theme)}>
        {THEMES.map((choice) => (
          <option key={choice} value={choice}>
            {LABELS[choice]}
          </option>
        ))}
      </select>
    </span>
  );
}
