// A conversation's own menu in the sidebar: pin or unpin, archive or restore, and move to one of the person's
// folders (or out of one) — the keyboard's and the phone's way to do what dragging onto a folder does.
import { useEffect, useRef, useState } from 'react';
import type { ConversationFolder, ConversationSummary, PlacementChanges } from '../types.ts';

type Props = {
  conversation: ConversationSummary;
  folders: ConversationFolder[];
  onPlace: (changes: PlacementChanges) => void;
};

export function ConversationMenu({ conversation, folders, onPlace }: Props) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLSpanElement>(null);
  const title = conversation.title ?? 'Untitled chat';

  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !root.current?.contains(event.target as Node)) {
        setOpen(false);
      }
    };
    window.addEventListener('keydown', close);
    window.addEventListener('pointerdown', close);
    return () => {
      window.removeEventListener('keydown', close);
      window.removeEventListener('pointerdown', close);
    };
  }, [open]);

  const choose = (changes: PlacementChanges) => {
    setOpen(false);
    onPlace(changes);
  };
  const item = (label: string, changes: PlacementChanges) => (
    <button type="button" role="menuitem" onClick={() => choose(changes)}>
      {label}
    </button>
  );

  return (
    <span className="conversation-menu" ref={root}>
      <button
        type="button"
        className="icon"
        aria-label={`More for ${title}`}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((shown) => !shown)}
      >
        ⋯
      </button>
      {open && (
        <div className="menu" role="menu" aria-label={`${title}: keep it`}>
          {item(conversation.pinned ? 'Unpin' : 'Pin to top', { pinned: !conversation.pinned })}
          {item(conversation.archived ? 'Restore from archive' : 'Archive', { archived: !conversation.archived })}
          {folders
            .filter((folder) => folder.id !== conversation.folderId)
            .map((folder) => (
              <button key={folder.id} type="button" role="menuitem" onClick={() => choose({ folderId: folder.id })}>
                Move to {folder.name}
              </button>
            ))}
          {conversation.folderId && item('Take out of its folder', { folderId: null })}
        </div>
      )}
    </span>
  );
}
