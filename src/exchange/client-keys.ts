import { createHash } from 'node:crypto';

/** API keys of agency systems are random and long: a plain SHA-256 is the right hash (no password stretching needed). */
export const hashClientKey = (key: string): string => createHash('sha256').update(key).digest('base64url');
