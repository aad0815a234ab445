// What someone who is not an admin sees at /admin/*: kept out of the admin chunk, so it costs them nothing to load.
import { navigate } from '../router.ts';

export function NotAllowed() {
  return (
    <div className="chat-placeholder not-allowed" role="alert">
      <h2>Not allowed</h2>
      <p>This page is for administrators of this Chorus server.</p>
      <a href="/" onClick={follow('/')}>
        Back to your chats
      </a>
    </div>
  );
}

/** An in-app link: plain clicks navigate without reloading; modified clicks (new tab) are the browser's. */
export function follow(path: string) {
  return (event: { preventDefault(): void; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; button: number }) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(path);
  };
}
