// A wide table's box, scrolling sideways on a narrow screen. Focusable and named, so a keyboard can reach it and
// scroll it with the arrow keys, and a screen reader says what it holds.
import type { ReactNode } from 'react';

export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
