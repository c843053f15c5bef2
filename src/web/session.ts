import type { FastifyReply } from 'fastify';
import type { Principal, User } from '../accounts/principal.js';
import { htmlHeaders } from './web.context.js';

/** The signed-in (session) user, or a redirect to the sign-in page that comes back here. */
export function signedIn(p: Principal, reply: FastifyReply, next: string): User | null {
  if (p.kind === 'user' && p.via === 'session') return p;
  reply.redirect(`/signin?next=${encodeURIComponent(next)}`, 303);
  return null;
}

export const sendHtml = (reply: FastifyReply, html: string, status = 200) =>
  htmlHeaders(reply).status(status).send(html);

export type FormBody = Record<string, string | string[] | undefined>;
export const formValue = (body: FormBody, key: string, max = 10_000) => {
  const v = body[key];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim().slice(0, max);
};
