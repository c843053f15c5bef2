import { Type, type Static } from '@sinclair/typebox';
import { ROLES } from './principal.js';

const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));

export const SignInBody = Type.Object(
  { email: Type.String({ format: 'email', maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);
export type SignInBody = Static<typeof SignInBody>;

export const CreateTokenBody = Type.Object(
  {
    agency_id: Type.String({ format: 'uuid' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: Type.Optional(Role),
    expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
  },
  { additionalProperties: false },
);
export type CreateTokenBody = Static<typeof CreateTokenBody>;

export const CreateUserBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 10, maxLength: 1024 }),
    agency_id: Type.Optional(Type.String({ format: 'uuid' })),
    role: Type.Optional(Role),
    platform_admin: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const MembershipBody = Type.Object(
  { user_id: Type.String({ format: 'uuid' }), role: Role },
  { additionalProperties: false },
);

export const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const TokenListQuery = Type.Object(
  { agency_id: Type.Optional(Type.String({ format: 'uuid' })) },
  { additionalProperties: false },
);
