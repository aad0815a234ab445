// Copies a text to the clipboard, saying so on the button; where there is no clipboard (an insecure origin, or
// permission refused) it says to select the text by hand.
import { useState } from 'react';

type Props = { text: () => string; label?: string; className?: string; description?: string };

export function CopyButton({ text, label = 'Copy', className = 'link', description }: Props) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text());
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <button
      type="button"
      className={className}
      aria-label={description}
      onClick={() => void copy()}
      onBlur={() => setCopied(null)}
    >
      {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Select to copy' : label}
    </button>
  );
}
