import { Type } from '@sinclair/typebox';
import type { Server } from '../platform/http.js';
import { signedIn } from '../accounts/guards.js';
import { presentBreach } from './breach.presenter.js';
import { BreachCreate, BreachListQuery, BreachNotificationPatch, BreachPeopleQuery } from './breach.schema.js';
import type { BreachService } from './breach.service.js';

const tags = ['privacy'];
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Personal-data breaches: the affected agency's administrators record and notify; the supervisor reads them all. */
export function breachRoutes(app: Server, breaches: BreachService): void {
  app.post(
    '/api/v1/privacy/breaches',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary:
          'Record a personal-data breach (the agency’s administrators): starts the 72-hour clock and drafts the notification',
        body: BreachCreate,
      },
    },
    async (req, reply) => {
      const breach = await breaches.record(req.principal, req.body);
      const { clock } = await breaches.get(req.principal, breach.id);
      return reply.status(201).send(presentBreach(breach, clock));
    },
  );
  app.get(
    '/api/v1/privacy/breaches',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Breaches: an agency’s own (its administrators), every agency’s (the supervisor); `overdue` filters',
        querystring: BreachListQuery,
      },
    },
    async (req) => ({
      breaches: (await breaches.list(req.principal, req.query)).map((b) => presentBreach(b.breach, b.clock)),
    }),
  );
  app.get(
    '/api/v1/privacy/breaches/:id',
    { preHandler: signedIn, schema: { tags, summary: 'One breach, with its clock and notification', params: Id } },
    async (req) => {
      const b = await breaches.get(req.principal, req.params.id);
      return presentBreach(b.breach, b.clock);
    },
  );
  app.get(
    '/api/v1/privacy/breaches/:id/people',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary:
          'The people whose data the affected services returned in the window: keyed hashes and reads, a page at a time (audited)',
        params: Id,
        querystring: BreachPeopleQuery,
      },
    },
    async (req) => {
      const found = await breaches.people(req.principal, req.params.id, req.query);
      const last = found.subjects.at(-1);
      return {
        people: found.people,
        reads: found.reads,
        subjects: found.subjects,
        next: last && found.subjects.length === req.query.limit ? last.subject : null,
      };
    },
  );
  app.put(
    '/api/v1/privacy/breaches/:id/notification',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Edit the drafted notification before it is sent',
        params: Id,
        body: BreachNotificationPatch,
      },
    },
    async (req) => {
      const row = await breaches.editNotification(req.principal, req.params.id, req.body);
      const b = await breaches.get(req.principal, row.id);
      return presentBreach(b.breach, b.clock);
    },
  );
  app.post(
    '/api/v1/privacy/breaches/:id/notify',
    {
      preHandler: signedIn,
      schema: { tags, summary: 'Send the notification to the supervisor (the clock stops)', params: Id },
    },
    async (req) => {
      const b = await breaches.notify(req.principal, req.params.id);
      return presentBreach(b.breach, b.clock);
    },
  );
}
