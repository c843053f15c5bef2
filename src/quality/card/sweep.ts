import { randomUUID } from 'node:crypto';
import type { CardService } from './card.service.js';
import type { QualityService } from '../checks/quality.service.js';
import { probe } from './probe.js';

/**
 * The scheduled pass of data quality: probes every published link for
 * availability, runs every kept check suite over its file's current version
 * (as the platform), and keeps a card snapshot of every published data set.
 * `ndp serve` runs it on a timer; `ndp quality sweep` runs it at once.
 */
export class QualitySweep {
  constructor(
    private readonly quality: QualityService,
    private readonly cards: CardService,
    private readonly opts: { allowPrivateLinks: boolean; concurrency?: number; timeoutMs?: number } = {
      allowPrivateLinks: false,
    },
  ) {}

  async run(
    onProgress?: (line: string) => void,
  ): Promise<{ probed: number; unreachable: number; runs: number; cards: number }> {
    const links = await this.cards.linksToProbe(10_000);
    let unreachable = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(this.opts.concurrency ?? 4, links.length) }, async () => {
        while (next < links.length) {
          const link = links[next++]!;
          const r = await probe(link.url as string, {
            allowPrivate: this.opts.allowPrivateLinks,
            timeoutMs: this.opts.timeoutMs,
          });
          if (!r.ok) unreachable++;
          await this.cards.saveProbe({
            id: randomUUID(),
            distribution_id: link.id as string,
            url: link.url as string,
            ...r,
          });
        }
      }),
    );
    onProgress?.(`links probed: ${links.length} (${unreachable} not answering)`);
    let runs = 0;
    const suites = await this.quality.suiteDistributions();
    for (const [i, id] of suites.entries()) {
      // the card snapshots below follow the runs, one per data set
      if (await this.quality.runAfterLoad(id, 'schedule', false)) runs++;
      onProgress?.(`check suites run: ${i + 1}/${suites.length}`);
    }
    const datasets = await this.cards.publishedDatasets();
    for (const [i, id] of datasets.entries()) {
      await this.cards.snapshot(id, 'schedule');
      if ((i + 1) % 50 === 0 || i + 1 === datasets.length)
        onProgress?.(`quality cards kept: ${i + 1}/${datasets.length}`);
    }
    return { probed: links.length, unreachable, runs, cards: datasets.length };
  }
}
