// Signed checkpoints moved to `protocol/checkpoint.ts` (the registry checks them too); this keeps older imports working.
export * from '../protocol/checkpoint.js';
