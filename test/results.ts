/** Test data for signed results: a submitted dossier (until the dossiers' own factory lands) and an issued result. */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../src/accounts/principal.js';
import type { DossierField } from '../src/services/dossiers/dossier.types.js';
import type { ProcedureRow } from '../src/services/procedures/procedure.js';
import type { DossierForResult, ResultRow } from '../src/services/results/result.js';
import type { Harness } from './harness.js';

let n = 0;

/** A submitted dossier of `procedure` by the citizen, inserted as the dossiers' service would keep it. */
export async function buildDossierRow(
  h: Harness,
  o: {
    procedure: ProcedureRow;
    citizen: { user: { userId: string; name: string }; hashes: string[] };
    values?: Record<string, string>;
  },
): Promise<DossierForResult> {
  const fields: DossierField[] = o.procedure.fields.map((f) => ({
    key: f.key,
    element: f.element,
    value: o.values?.[f.key] ?? (f.key === 'ho_ten' ? o.citizen.user.name : `giá trị ${f.key}`),
    origin: 'typed',
    disputed: false,
    source: null,
  }));
  const row = {
    id: randomUUID(),
    reference: `HS-TEST-${++n}-${randomUUID().slice(0, 8)}`,
    procedure_id: o.procedure.id,
    procedure_version: o.procedure.version,
    agency_id: o.procedure.agency_id,
    public_user_id: o.citizen.user.userId,
    subject_hash: o.citizen.hashes[0]!,
    applicant_name: o.citizen.user.name,
    prefill_id: null,
    status: 'in_review',
    fields: JSON.stringify(fields),
    reused: 0,
    typed: fields.length,
    submitted_at: new Date(),
  };
  await h.db.insertInto('service_dossiers').values(row).execute();
  return { ...row, fields };
}

/** Issues the dossier's result as the dossiers' decision would: the signer read first, then one transaction. */
export async function issueResult(
  h: Harness,
  o: {
    officer: Principal;
    procedure: ProcedureRow;
    dossier: DossierForResult;
    written?: Record<string, string>;
    now?: Date;
  },
): Promise<ResultRow> {
  const { results } = h.app.publicServices;
  const signer = await results.signerFor(o.procedure.agency_id);
  return h.db.transaction().execute((trx) =>
    results.issueIn(trx, signer, {
      user: o.officer,
      dossier: o.dossier,
      procedure: o.procedure,
      written: o.written ?? {},
      now: o.now,
    }),
  );
}
