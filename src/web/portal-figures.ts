/**
 * Figures other parts keep about data sets that the portal's pages show: views and downloads (portal/counts) and the
 * quality grade (quality/card). `app.ts` passes them as functions, so `web/` imports neither part.
 */
export interface PortalFigures {
  /** views and downloads since counting began, by data set id (those with none may be left out) */
  usage(datasetIds: string[]): Promise<Map<string, { views: number; downloads: number }>>;
  /** the grade of each data set's latest quality card */
  grades(datasetIds: string[]): Promise<Map<string, string>>;
  /** data set ids, most downloaded first (any status: the page keeps the published ones) */
  mostDownloaded(): Promise<string[]>;
  /** every download counted */
  downloads(): Promise<number>;
}
