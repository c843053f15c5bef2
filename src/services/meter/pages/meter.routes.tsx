import type { Server } from '../../../platform/http.js';
import { DomainError } from '../../../platform/errors.js';
import { page } from '../../../web/layout.js';
import { sendHtml } from '../../../web/session.js';
import { pageContext } from '../../../web/web.context.js';
import { periodOf, SHARE_GROUPINGS, type MeterService, type ShareGrouping } from '../meter.service.js';
import { MeterPage, type MeterFilter } from './meter-page.js';

const hide = { hide: true };
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Most-typed fields the page lists. */
const TYPED_ROWS = 15;
const SHOWN = ['VALIDATION_FAILED', 'NOT_FOUND'];

export interface MeterPagesDeps {
  meter: MeterService;
  baseUrl: string;
}

/** The public page of the reuse meter. */
export function meterPages(app: Server, d: MeterPagesDeps): void {
  app.get('/services/reuse', { schema: hide }, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const q = req.query as Record<string, string | undefined>;
    const day = (s: string | undefined) => (s && DAY.test(s) ? s : '');
    const filter: MeterFilter = {
      by: SHARE_GROUPINGS.includes(q.by as ShareGrouping) ? (q.by as ShareGrouping) : 'agency',
      from: day(q.from),
      to: day(q.to),
      agency: String(q.agency ?? '')
        .trim()
        .slice(0, 200),
    };
    const ask = async (f: MeterFilter) => {
      const period = periodOf(f.from, f.to);
      const agency = f.agency || undefined;
      return Promise.all([
        d.meter.shares({ by: f.by, agency, ...period }),
        d.meter.typedMost({ agency, limit: TYPED_ROWS, ...period }),
      ]);
    };
    let problem: string | null = null;
    let status = 200;
    let answer: Awaited<ReturnType<typeof ask>>;
    try {
      answer = await ask(filter);
    } catch (err) {
      // a period that ends before it starts, or an agency there is none of, is said as such over the figures without it
      if (!(err instanceof DomainError) || !SHOWN.includes(err.code)) throw err;
      status = err.status;
      problem = err.details[0]?.[ctx.lang] ?? err.messages[ctx.lang];
      if (err.code === 'NOT_FOUND') filter.agency = '';
      else Object.assign(filter, { from: '', to: '' });
      answer = await ask(filter);
    }
    const [shares, typed] = answer;
    return sendHtml(
      reply,
      page(<MeterPage ctx={ctx} filter={filter} shares={shares} typed={typed} problem={problem} />),
      status,
    );
  });
}
