import { Type, type Static } from '@sinclair/typebox';

export const ResultId = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const HolderQuery = Type.Object({
  h: Type.Optional(Type.String({ maxLength: 64, description: 'the QR’s proof of holding the paper' })),
});
/** A compact JWS of a result is a few kilobytes; 20,000 characters leaves room and bounds what a stranger sends. */
export const MAX_JWS = 20_000;
export const PastedJws = Type.Object(
  { jws: Type.String({ minLength: 1, maxLength: MAX_JWS, description: 'a result’s compact JWS' }) },
  { additionalProperties: false },
);
export const Revocation = Type.Object(
  { reason: Type.String({ minLength: 3, maxLength: 1000 }) },
  { additionalProperties: false },
);
export const KeyRetirement = Type.Object({ agency: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export type PastedJws = Static<typeof PastedJws>;
