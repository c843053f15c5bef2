import { Type, type Static } from '@sinclair/typebox';

/**
 * Where to go after signing in: a path of this site (never another host: no `//`, no backslash, no scheme), else
 * the fallback. A search's `+` and `%` escapes are kept, so a search page comes back as it was.
 */
export const safeNext = (v: unknown, fallback = '/account'): string => {
  if (typeof v !== 'string' || v.length > 2000 || !v.startsWith('/') || /^\/[/\\]|[\\\s]/.test(v)) return fallback;
  const base = 'http://next.invalid';
  try {
    const url = new URL(v, base);
    return url.origin === base ? `${url.pathname}${url.search}` : fallback;
  } catch {
    return fallback;
  }
};

export const EidStartQuery = Type.Object({
  level: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)])),
  next: Type.Optional(Type.String({ maxLength: 2000 })),
});
export type EidStartQuery = Static<typeof EidStartQuery>;

/** What a provider sends back: openid-client checks each against the attempt; other parameters are its own. */
export const CallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 4096 })),
    state: Type.Optional(Type.String({ maxLength: 1024 })),
    iss: Type.Optional(Type.String({ maxLength: 2048 })),
    error: Type.Optional(Type.String({ maxLength: 200 })),
    error_description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: true },
);

export const NextQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) });
export type NextQuery = Static<typeof NextQuery>;

export const TokenQuery = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 200 })),
  next: Type.Optional(Type.String({ maxLength: 2000 })),
});
export type TokenQuery = Static<typeof TokenQuery>;

/** An e-mail address as the sign-up form takes it: one @, something on both sides, a dot in the domain. */
export const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;
