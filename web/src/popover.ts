// How a popover (a <details> whose panel floats over the page) behaves: Escape closes it and gives focus back to its
// toggle; a click or focus anywhere outside closes it (so does sending a message, which happens outside); the arrow
// keys move between the fields and buttons of its panel.
import { type KeyboardEvent, type RefObject, useEffect, useState } from 'react';

export function usePopover(root: RefObject<HTMLDetailsElement | null>) {
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (!open) return;
    const closeIfOutside = (event: Event) => {
      if (event.target instanceof Node && !root.current?.contains(event.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', closeIfOutside);
    document.addEventListener('focusin', closeIfOutside);
    return () => {
      document.removeEventListener('pointerdown', closeIfOutside);
      document.removeEventListener('focusin', closeIfOutside);
    };
  }, [open, root]);

  function onKeyDown(event: KeyboardEvent<HTMLDetailsElement>) {
    // The element's own state: the browser opens it before its toggle event reaches React.
    if (!root.current?.open) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
      root.current?.querySelector('summary')?.focus();
      return;
    }
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const fields = [
        ...(root.current?.querySelectorAll<HTMLElement>('input:not([disabled]), button:not([disabled])') ?? []),
      ];
      if (fields.length === 0) return;
      event.preventDefault();
      const at = fields.indexOf(document.activeElement as HTMLElement);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      const next = at < 0 ? (step > 0 ? 0 : fields.length - 1) : (at + step + fields.length) % fields.length;
      fields[next]?.focus();
    }
  }

  /** Spread on the <details>: its open state, kept in step with the browser's own toggling. */
  return {
    open,
    onToggle: (event: { currentTarget: HTMLDetailsElement }) => setOpen(event.currentTarget.open),
    onKeyDown,
  };
}
