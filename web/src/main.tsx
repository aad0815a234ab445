// The web app's entry: mounts the app into index.html.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { loadReplyMarkdown } from './chat/reply-markdown-loader.ts';
import './styles.css';
import { applyTheme, storedTheme } from './theme.ts';

// Before the first paint, so a chosen theme never flashes the other one.
applyTheme(storedTheme());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Not needed to paint the first screen, but soon after by any reply: fetched once the page is idle.
const whenIdle = window.requestIdleCallback ?? ((work: () => void) => window.setTimeout(work, 200));
whenIdle(() => void loadReplyMarkdown());
