import { Type, type Static } from '@sinclair/typebox';
import { CURSOR_PATTERN } from './my-data.presenter.js';

/** A page of the person's reads: after a cursor, or those that relied on one consent. */
export const RecordsQuery = Type.Object(
  {
    before: Type.Optional(Type.String({ pattern: CURSOR_PATTERN, description: 'the `next` of the page before' })),
    consent: Type.Optional(Type.String({ format: 'uuid', description: 'only the reads that relied on this consent' })),
    proofs: Type.Optional(Type.Boolean({ description: 'each record with its proof (the API only)' })),
    lang: Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')])),
  },
  { additionalProperties: false },
);
export type RecordsQuery = Static<typeof RecordsQuery>;

export const ProofParams = Type.Object({
  gateway: Type.String({ format: 'uuid' }),
  index: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
});
export type ProofParams = Static<typeof ProofParams>;

export const ConsentId = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ExportFormat = Type.Object({ format: Type.Union([Type.Literal('csv'), Type.Literal('json')]) });
