/**
 * CKAN's `tracking_summary` (`include_tracking=true`): a package's page views and each resource's downloads, in total
 * and over the last 14 days, by data set id. The counts are the portal's (`app.ts` passes the function).
 */
export type Tracking = (datasetIds: string[]) => Promise<{
  datasets: Map<string, { total: number; recent: number }>;
  files: Map<string, { total: number; recent: number }>;
}>;

interface Pkg {
  id: string;
  resources: { id: string }[];
}

/** The packages with `tracking_summary` on each and on each of its resources (zeros when nothing was counted). */
export async function withTracking<P extends Pkg>(packages: P[], tracking: Tracking | undefined): Promise<P[]> {
  if (!tracking || !packages.length) return packages;
  const t = await tracking(packages.map((p) => p.id));
  const zero = { total: 0, recent: 0 };
  return packages.map((p) => ({
    ...p,
    tracking_summary: t.datasets.get(p.id) ?? zero,
    resources: p.resources.map((r) => ({ ...r, tracking_summary: t.files.get(r.id) ?? zero })),
  }));
}
