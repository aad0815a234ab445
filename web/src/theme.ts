// Light, dark, or as the system prefers: the person's choice (their preferences, set in Settings) applied to the
// page as data-theme on <html> (styles.css reads it through color-scheme); "system" removes it. The choice is also
// kept in this browser, so the next visit is painted in it before the profile has loaded.
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

const STORAGE_KEY = 'chorus.theme';

export function storedTheme(): Theme {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return (THEMES as readonly string[]).includes(stored ?? '') ? (stored as Theme) : 'system';
  } catch {
    // Storage refused (a private window's policy): the system's preference.
    return 'system';
  }
}

export function applyTheme(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export function rememberTheme(theme: Theme): void {
  try {
    if (theme === 'system') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Not remembered: the profile brings it on the next visit.
  }
}
