#!/usr/bin/env node
// Runs the TypeScript sources directly (no build output in the repo).
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
