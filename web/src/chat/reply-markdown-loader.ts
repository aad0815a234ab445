// Loads the Markdown renderer of replies (ReplyMarkdown.tsx and its parser), once: a lazy component's loader, also
// called when someone starts on a message, so it is there before the reply is.
let loading: Promise<{ default: typeof import('./ReplyMarkdown.tsx').ReplyMarkdown }> | undefined;

export function loadReplyMarkdown() {
  loading ??= import('./ReplyMarkdown.tsx').then((module) => ({ default: module.ReplyMarkdown }));
  return loading;
}
