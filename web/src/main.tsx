// The web app's entry: mounts the app into index.html.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './styles.css';
import { applyTheme, storedTheme } from './theme.ts';

// Before the first paint, so a chosen theme never flashes the other one.
applyTheme(storedTheme());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
