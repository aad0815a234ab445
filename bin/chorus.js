#!/usr/bin/env -S node --max-semi-space-size=16 --liftoff-only
// The `chorus` command: its TypeScript sources, bundled into dist/cli on every start (see bundle.mjs), run by plain
// Node with source maps, so errors name the source lines. Where dist/ cannot be written, the sources run through tsx.
// The V8 settings on the first line (also in package.json's start) keep a small server small on Node 24
// (docs/performance.md, V8 settings).
import { bundle } from './bundle.mjs';

const bundled = await bundle('src/cli/main.ts', 'dist/cli/chorus.mjs');
if (bundled) {
  process.setSourceMapsEnabled(true);
  await import(bundled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
