import { Type } from '@sinclair/typebox';
import type { Server } from '../../../platform/http.js';
import { fold, queryWords } from '../../../platform/text.js';
import { page } from '../../../web/layout.js';
import { sendHtml } from '../../../web/session.js';
import { pageContext } from '../../../web/web.context.js';
import type { ProceduresService } from '../procedures.service.js';
import { CataloguePage } from './catalogue.js';
import { ProcedurePage } from './procedure-page.js';

const hide = { hide: true };
const Code = Type.Object({ code: Type.String({ maxLength: 60 }) });

/** The public's pages: the catalogue of published procedures and each procedure's page. */
export function procedurePublicPages(app: Server, procedures: ProceduresService, baseUrl: string): void {
  app.get('/services', { schema: hide }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    const q = req.query as { q?: string; agency?: string };
    const text = String(q.q ?? '').slice(0, 200);
    const agency = String(q.agency ?? '').slice(0, 100);
    const published = await procedures.list(req.principal);
    const agencies = await procedures.agenciesOf(published);
    const words = queryWords(text);
    // a few hundred procedures at most: folded and matched here, every word somewhere in the code or a name
    const rows = published.filter((r) => {
      if (agency && agencies.get(r.agency_id)?.slug !== agency) return false;
      const hay = fold(`${r.code} ${r.name_vi} ${r.name_en ?? ''}`);
      return words.every((w) => hay.includes(w));
    });
    return sendHtml(
      reply,
      page(<CataloguePage ctx={ctx} rows={rows} agencies={agencies} filter={{ q: text, agency }} />),
    );
  });

  app.get('/services/:code', { schema: { ...hide, params: Code } }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    const d = await procedures.describe(req.principal, req.params.code);
    return sendHtml(reply, page(<ProcedurePage ctx={ctx} d={d} />));
  });
}
