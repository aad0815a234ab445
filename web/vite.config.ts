// Vite builds the web app into dist/web, which the server serves (src/http/web-app.ts). In development,
// `npm run dev:web` serves it with hot reload and passes the API through to `npm start` on port 3000.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // Sizes are reported per chunk by `npm run build:web`. The chat is the first load (one chunk); the admin pages
    // (with Chart.js) and the code highlighter load only when needed, as their own chunks.
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
      '/v1': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
});
