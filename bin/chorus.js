#!/usr/bin/env node
// The `chorus` command. Chorus runs its TypeScript sources directly through tsx: no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
