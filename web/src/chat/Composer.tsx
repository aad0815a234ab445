// Where a message is written: Enter sends, Shift+Enter starts a new line; while replies stream, Stop (or Esc) ends them.
import { type FormEvent, type KeyboardEvent, useState } from 'react';

type Props = { busy: boolean; disabled: boolean; onSend: (text: string) => void; onStop: () => void };

export function Composer({ busy, disabled, onSend, onStop }: Props) {
  const [text, setText] = useState('');

  function send(event?: FormEvent) {
    event?.preventDefault();
    if (busy || disabled || !text.trim()) return;
    onSend(text);
    setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  return (
    <form className="composer" onSubmit={send}>
      <label htmlFor="composer-input" className="visually-hidden">
        Message
      </label>
      <textarea
        id="composer-input"
        rows={2}
        placeholder="Write a message… (Enter sends, Shift+Enter for a new line)"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        disabled={disabled}
      />
      {busy ? (
        <button type="button" className="secondary" onClick={onStop} aria-keyshortcuts="Escape">
          Stop
        </button>
      ) : (
        <button type="submit" className="primary" disabled={disabled || !text.trim()}>
          Send
        </button>
      )}
    </form>
  );
}
