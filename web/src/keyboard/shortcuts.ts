// The app's keyboard shortcuts, listed once: the handler below acts on them and the help dialog (`?`) shows them.
// None fires while a person types in a field, except the ones meant for typing (focusing the composer, Esc).
import { useEffect } from 'react';

export type ShortcutAction = 'help' | 'new-chat' | 'focus-composer' | 'previous-conversation' | 'next-conversation';

type Shortcut = {
  action: ShortcutAction;
  /** As the help dialog shows it. */
  keys: string;
  description: string;
  matches: (event: KeyboardEvent) => boolean;
  /** Also while typing in a field. */
  inFields?: boolean;
};

const primary = (event: KeyboardEvent) => event.ctrlKey || event.metaKey;

export const SHORTCUTS: readonly Shortcut[] = [
  {
    action: 'new-chat',
    keys: 'Ctrl/⌘ + Shift + O',
    description: 'Start a new chat',
    matches: (event) => primary(event) && event.shiftKey && event.key.toLowerCase() === 'o',
    inFields: true,
  },
  {
    action: 'focus-composer',
    keys: 'Shift + Esc',
    description: 'Go to the message box',
    matches: (event) => event.shiftKey && event.key === 'Escape',
    inFields: true,
  },
  {
    action: 'previous-conversation',
    keys: 'Alt + ↑',
    description: 'The conversation above in the list',
    matches: (event) => event.altKey && event.key === 'ArrowUp',
    inFields: true,
  },
  {
    action: 'next-conversation',
    keys: 'Alt + ↓',
    description: 'The conversation below in the list',
    matches: (event) => event.altKey && event.key === 'ArrowDown',
    inFields: true,
  },
  {
    action: 'help',
    keys: '?',
    description: 'Show these shortcuts',
    matches: (event) => event.key === '?' && !primary(event) && !event.altKey,
  },
];

/** Shortcuts handled elsewhere, listed in the help dialog too. */
export const OTHER_KEYS: readonly { keys: string; description: string }[] = [
  { keys: 'Ctrl/⌘ + K', description: 'Search your conversations' },
  { keys: 'Enter', description: 'Send the message (Shift + Enter: a new line)' },
  { keys: 'Esc', description: 'Stop the replies; close a menu or a dialog' },
];

const isTypingIn = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

/** Calls `act` for each shortcut pressed anywhere in the page, unless a dialog is open. */
export function useKeyboardShortcuts(act: (action: ShortcutAction) => void) {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || document.querySelector('dialog[open]')) return;
      const typing = isTypingIn(event.target);
      const shortcut = SHORTCUTS.find((candidate) => candidate.matches(event) && (candidate.inFields || !typing));
      if (!shortcut) return;
      event.preventDefault();
      act(shortcut.action);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [act]);
}

/** The address of the conversation `step` places from the current one in the sidebar's list, if there is one. */
export function neighbouringConversation(currentPath: string, step: 1 | -1): string | null {
  const links = [...document.querySelectorAll<HTMLAnchorElement>('.conversation-list a[href^="/c/"]')].map(
    (link) => link.getAttribute('href')!,
  );
  if (links.length === 0) return null;
  const at = links.indexOf(currentPath);
  if (at < 0) return step > 0 ? links[0]! : links.at(-1)!;
  return links[at + step] ?? null;
}
