// Above the conversation list: which list is shown — all conversations, one folder, or the archived ones — and the
// person's folders, named, renamed and deleted here. A conversation dragged onto a folder is filed there.
import { type FormEvent, useState } from 'react';
import type { ConversationFolder } from '../types.ts';

export type ListView = { kind: 'main' } | { kind: 'folder'; folderId: string } | { kind: 'archived' };

/** The type a dragged conversation carries its id under. */
export const CONVERSATION_DRAG_TYPE = 'application/x-chorus-conversation';

type Props = {
  folders: ConversationFolder[];
  view: ListView;
  onView: (view: ListView) => void;
  onCreate: (name: string) => Promise<void>;
  onRename: (folder: ConversationFolder, name: string) => Promise<void>;
  onDelete: (folder: ConversationFolder) => Promise<void>;
  /** A conversation was dropped on a folder (or on "All" to take it out of its folder). */
  onDrop: (conversationId: string, folderId: string | null) => void;
};

export function FolderBar({ folders, view, onView, onCreate, onRename, onDelete, onDrop }: Props) {
  const [naming, setNaming] = useState(false);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const shownFolder = view.kind === 'folder' ? folders.find((folder) => folder.id === view.folderId) : undefined;

  const dropProps = (key: string, folderId: string | null) => ({
    onDragOver: (event: React.DragEvent) => {
      if (!event.dataTransfer.types.includes(CONVERSATION_DRAG_TYPE)) return;
      event.preventDefault();
      setDropTarget(key);
    },
    onDragLeave: () => setDropTarget(null),
    onDrop: (event: React.DragEvent) => {
      const conversationId = event.dataTransfer.getData(CONVERSATION_DRAG_TYPE);
      setDropTarget(null);
      if (conversationId) {
        event.preventDefault();
        onDrop(conversationId, folderId);
      }
    },
  });
  const chip = (key: string, pressed: boolean) =>
    `folder-chip${pressed ? ' pressed' : ''}${dropTarget === key ? ' drop-target' : ''}`;

  return (
    <div className="folder-bar">
      <div className="folder-chips" role="toolbar" aria-label="Lists">
        <button
          type="button"
          className={chip('main', view.kind === 'main')}
          aria-pressed={view.kind === 'main'}
          onClick={() => onView({ kind: 'main' })}
          {...dropProps('main', null)}
        >
          All
        </button>
        {folders.map((folder) => (
          <button
            key={folder.id}
            type="button"
            className={chip(folder.id, view.kind === 'folder' && view.folderId === folder.id)}
            aria-pressed={view.kind === 'folder' && view.folderId === folder.id}
            onClick={() => onView({ kind: 'folder', folderId: folder.id })}
            {...dropProps(folder.id, folder.id)}
          >
            📁 {folder.name}
          </button>
        ))}
        <button
          type="button"
          className={chip('archived', view.kind === 'archived')}
          aria-pressed={view.kind === 'archived'}
          onClick={() => onView({ kind: 'archived' })}
        >
          Archived
        </button>
        <button type="button" className="folder-chip" onClick={() => setNaming(true)}>
          + Folder
        </button>
      </div>
      {naming && (
        <FolderNameForm
          label="New folder"
          initial=""
          onDone={async (name) => {
            setNaming(false);
            if (name) await onCreate(name);
          }}
        />
      )}
      {shownFolder && <FolderTools key={shownFolder.id} folder={shownFolder} onRename={onRename} onDelete={onDelete} />}
    </div>
  );
}

function FolderTools({
  folder,
  onRename,
  onDelete,
}: {
  folder: ConversationFolder;
  onRename: Props['onRename'];
  onDelete: Props['onDelete'];
}) {
  const [renaming, setRenaming] = useState(false);
  if (renaming) {
    return (
      <FolderNameForm
        label={`Rename ${folder.name}`}
        initial={folder.name}
        onDone={async (name) => {
          setRenaming(false);
          if (name && name !== folder.name) await onRename(folder, name);
        }}
      />
    );
  }
  return (
    <div className="folder-tools">
      <button type="button" className="link" onClick={() => setRenaming(true)}>
        Rename folder
      </button>
      <button type="button" className="link" onClick={() => void onDelete(folder)}>
        Delete folder
      </button>
    </div>
  );
}

function FolderNameForm({
  label,
  initial,
  onDone,
}: {
  label: string;
  initial: string;
  onDone: (name: string) => Promise<void>;
}) {
  const [name, setName] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onDone(name.trim());
  };
  return (
    <form className="folder-name-form" onSubmit={submit}>
      <label className="visually-hidden" htmlFor="folder-name">
        {label}
      </label>
      <input
        id="folder-name"
        value={name}
        maxLength={100}
        placeholder="Folder name"
        autoFocus
        onChange={(event) => setName(event.target.value)}
        onKeyDown={(event) => event.key === 'Escape' && void onDone('')}
      />
      <button type="submit" className="primary">
        Save
      </button>
    </form>
  );
}
