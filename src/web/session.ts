import type { FastifyReply } from 'fastify';
import { htmlHeaders } from './web.context.js';

export const sendHtml = (reply: FastifyReply, html: string, status = 200) =>
  htmlHeaders(reply).status(status).send(html);

export type FormBody = Record<string, string | string[] | undefined>;
export const formValue = (body: FormBody, key: string, max = 10_000) => {
  const v = body[key];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim().slice(0, max);
};
