// Where a message is written: Enter sends, Shift+Enter starts a new line; while replies stream, Stop (or Esc) ends
// them. Images and PDFs can be attached (chosen, pasted) when the answering models can read them, and web search
// turned on when they can all search. A message begun with `/` offers the person's saved prompts (PromptMenu.tsx).
import type { FileUIPart } from 'ai';
import {
  type ClipboardEvent,
  type FormEvent,
  type KeyboardEvent,
  lazy,
  Suspense,
  useId,
  useRef,
  useState,
} from 'react';
import { PaperclipIcon } from '../icons.tsx';
import { AttachmentTray, problemOf } from './AttachmentTray.tsx';
import { type AnsweringModel, KIND_NAMES, MEDIA_TYPES_OF, namesOf, readableKinds } from './answering-models.ts';
import type { MenuKeys } from './PromptMenu.tsx';
import { loadReplyMarkdown } from './reply-markdown-loader.ts';
import { useAttachments } from './use-attachments.ts';
import { WebSearchControl, type WebSearchSetting } from './WebSearchControl.tsx';

const PromptMenu = lazy(() => import('./PromptMenu.tsx').then((module) => ({ default: module.PromptMenu })));

/** What follows a `/` that begins the message, before any space: the saved prompt being looked for. */
const SLASH_QUERY = /^\/(\S*)$/;

type Props = {
  busy: boolean;
  disabled: boolean;
  answering: AnsweringModel[];
  webSearch: WebSearchSetting;
  onWebSearchChange: (setting: WebSearchSetting) => void;
  onSend: (text: string, files: FileUIPart[]) => void;
  onStop: () => void;
};

export function Composer({ busy, disabled, answering, webSearch, onWebSearchChange, onSend, onStop }: Props) {
  const ids = useId();
  const [text, setText] = useState('');
  const [attachNote, setAttachNote] = useState<string | null>(null);
  const { attachments, add, remove, clear } = useAttachments();
  const fileInput = useRef<HTMLInputElement>(null);
  const readable = readableKinds(answering);
  const menuKeys = useRef<MenuKeys | null>(null);
  const [activeOption, setActiveOption] = useState<string | null>(null);
  // Esc closes the menu for the text as it stands; typing on opens it again.
  const [menuClosedAt, setMenuClosedAt] = useState<string | null>(null);
  const slashQuery = SLASH_QUERY.exec(text)?.[1];
  const menuOpen = slashQuery !== undefined && menuClosedAt !== text && !disabled;

  const blocked = attachments.some(
    (attachment) => attachment.state === 'uploading' || problemOf(attachment, answering) !== null,
  );
  const canSend = !busy && !disabled && !blocked && (text.trim() !== '' || attachments.length > 0);

  function send(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    onSend(
      text,
      attachments.flatMap((attachment) => (attachment.state === 'ready' ? [attachment.part] : [])),
    );
    setText('');
    setAttachNote(null);
    clear();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (menuOpen && menuKeys.current?.(event)) {
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  function chooseFiles() {
    if (readable.length > 0) {
      setAttachNote(null);
      fileInput.current?.click();
      return;
    }
    setAttachNote(
      answering.length === 0
        ? 'Pick a model first.'
        : `${namesOf(answering)} cannot read images or PDFs: pick a model that can (its capabilities list vision or pdf) to attach a file.`,
    );
  }

  /** An image pasted into the text is attached, when the models can read images. */
  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const files = [...event.clipboardData.files];
    if (files.length === 0 || !readable.includes('image')) return;
    event.preventDefault();
    add(files);
  }

  const accept = readable.flatMap((kind) => MEDIA_TYPES_OF[kind]).join(',');
  const attachLabel =
    readable.length > 0
      ? `Attach ${readable.map((kind) => KIND_NAMES[kind]).join(' or ')}`
      : 'Attach a file (not available for these models)';
  return (
    <form className="composer" onSubmit={send}>
      <AttachmentTray attachments={attachments} answering={answering} onRemove={remove} />
      {attachNote && (
        <p className="composer-note" role="status">
          {attachNote}
        </p>
      )}
      {menuOpen && (
        <Suspense fallback={null}>
          <PromptMenu
            query={slashQuery}
            keys={menuKeys}
            onActive={setActiveOption}
            onInsert={setText}
            onClose={() => setMenuClosedAt(text)}
          />
        </Suspense>
      )}
      <div className="composer-row">
        <button
          type="button"
          className="icon attach-button"
          aria-label={attachLabel}
          title={attachLabel}
          disabled={disabled}
          onClick={chooseFiles}
        >
          <PaperclipIcon />
        </button>
        <input
          ref={fileInput}
          id={`${ids}-file`}
          className="visually-hidden"
          type="file"
          accept={accept}
          multiple
          tabIndex={-1}
          aria-hidden="true"
          onChange={(event) => {
            add([...(event.target.files ?? [])]);
            event.target.value = '';
          }}
        />
        <label htmlFor="composer-input" className="visually-hidden">
          Message
        </label>
        <textarea
          id="composer-input"
          rows={2}
          placeholder="Write a message…"
          aria-describedby={`${ids}-keys`}
          aria-autocomplete="list"
          aria-activedescendant={menuOpen && activeOption ? activeOption : undefined}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          // Someone about to write will soon read a reply: its renderer is fetched now, not with the first screen.
          onFocus={() => void loadReplyMarkdown()}
          disabled={disabled}
        />
        {busy ? (
          <button type="button" className="secondary" onClick={onStop} aria-keyshortcuts="Escape">
            Stop
          </button>
        ) : (
          <button type="submit" className="primary" disabled={!canSend}>
            Send
          </button>
        )}
      </div>
      <div className="composer-footer">
        <WebSearchControl answering={answering} setting={webSearch} onChange={onWebSearchChange} />
        <span className="composer-keys muted" id={`${ids}-keys`}>
          Enter sends · Shift+Enter starts a new line · Esc stops the replies · ? lists every shortcut
        </span>
      </div>
    </form>
  );
}
