import { sql, type Kysely } from 'kysely';

/** A proof window as stored (bigint comes back as text from PostgreSQL; bytea as bytes). */
export interface ProofWindowRow {
  /** the position of the reference it answers, from 1 */
  n: number | string;
  gateway_id: string;
  from_index: number | string;
  tree_size: number | string;
  frontier: Uint8Array;
  leaves: Uint8Array;
  checkpoint: string;
  signing_key: string;
}

export interface NewProofWindow {
  from: number;
  size: number;
  frontier: Buffer;
  leaves: Buffer;
  checkpoint: string;
}

/** Proof windows of the provider gateways' logs: what the registry needs to build a record's inclusion proof. */
export class ProofWindowsRepository {
  constructor(private readonly db: Kysely<any>) {}

  /**
   * Keeps a gateway's windows in one statement. A window sent again from the same start (a gateway rebuilding them
   * after a restart) replaces the one kept only when it reaches further, so no entry once covered loses its window.
   */
  async insertWindows(gatewayId: string, windows: NewProofWindow[]): Promise<void> {
    if (!windows.length) return;
    // bytes travel as hex text: both drivers pass text arrays alike
    await sql`insert into exchange_proof_windows as w (gateway_id, from_index, tree_size, frontier, leaves, checkpoint)
      select ${gatewayId}::uuid, t.f, t.s, decode(t.fr, 'hex'), decode(t.l, 'hex'), t.c
      from unnest(${windows.map((w) => w.from)}::bigint[], ${windows.map((w) => w.size)}::bigint[],
        ${windows.map((w) => w.frontier.toString('hex'))}::text[], ${windows.map((w) => w.leaves.toString('hex'))}::text[],
        ${windows.map((w) => w.checkpoint)}::text[]) as t(f, s, fr, l, c)
      on conflict (gateway_id, from_index) do update
        set tree_size = excluded.tree_size, frontier = excluded.frontier, leaves = excluded.leaves,
          checkpoint = excluded.checkpoint, received_at = excluded.received_at
        where excluded.tree_size > w.tree_size`.execute(this.db);
  }

  /**
   * The window holding each entry, with its gateway's signing key, in one statement (a page of 50 records is one
   * round trip): the window starting last at or before the entry among those that reach past it, looked for only
   * `maxLeaves` back (no window is longer), so an entry without a window yet costs an index probe, not a scan.
   */
  async windowsFor(refs: { gatewayId: string; logIndex: number }[], maxLeaves: number): Promise<ProofWindowRow[]> {
    if (!refs.length) return [];
    const r =
      await sql<ProofWindowRow>`select r.n, w.gateway_id, w.from_index, w.tree_size, w.frontier, w.leaves, w.checkpoint, g.signing_key
      from unnest(${refs.map((x) => x.gatewayId)}::uuid[], ${refs.map((x) => x.logIndex)}::bigint[]) with ordinality as r(g, i, n)
      cross join lateral (
        select * from exchange_proof_windows w
        where w.gateway_id = r.g and w.from_index <= r.i and w.from_index > r.i - ${maxLeaves}::bigint and w.tree_size > r.i
        order by w.from_index desc limit 1) w
      join exchange_gateways g on g.id = w.gateway_id`.execute(this.db);
    return r.rows;
  }
}
