// Loads the Markdown renderer of replies (ReplyMarkdown.tsx and its parser), once: a lazy component's loader, also
// called after the first paint so it is there before most replies are.
let loading: Promise<{ default: typeof import('./ReplyMarkdown.tsx').ReplyMarkdown }> | undefined;

export function loadReplyMarkdown() {
  loading ??= import('./ReplyMarkdown.tsx').then((module) => ({ default: module.ReplyMarkdown }));
  return loading;
}
