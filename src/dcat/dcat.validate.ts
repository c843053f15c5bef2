import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { Parser, type Quad } from 'n3';
import rdf from '@zazuko/env-node';
import SHACLValidator from 'rdf-validate-shacl';
import type { DatasetView } from '../catalog/dataset-view.js';
import { datasetGraph, type GraphContext } from './dcat.graph.js';

const SHAPES_DIR = new URL('./shapes/', import.meta.url);
const CACHE = 2000;

export interface Violation {
  message: string;
  path: string;
  focus: string;
}

/**
 * Each data set's own DCAT-AP record checked against the official DCAT-AP
 * 3.0.0 mandatory and range shapes, as the EU validator and data.europa.eu's
 * MQA "DCAT-AP compliance" indicator apply them. The shapes are parsed once;
 * results are remembered per record content.
 */
export class DcatValidator {
  private validator: SHACLValidator | null = null;
  private readonly seen = new Map<string, Violation[]>();

  constructor(private readonly context: (views: DatasetView[]) => Promise<GraphContext>) {}

  private shapes(): SHACLValidator {
    if (!this.validator) {
      const quads = ['dcat-ap-3.0.0-shapes.ttl', 'dcat-ap-3.0.0-range.ttl'].flatMap((f) =>
        new Parser().parse(fs.readFileSync(new URL(f, SHAPES_DIR), 'utf8')),
      );
      this.validator = new SHACLValidator(rdf.dataset(quads as never), { factory: rdf });
    }
    return this.validator;
  }

  async violations(view: DatasetView): Promise<Violation[]> {
    // the record's whole content is the key: any edit is checked again
    const key = createHash('sha256')
      .update(JSON.stringify([view.dataset, view.distributions, view.licence, view.agency.id]))
      .digest('base64url');
    const known = this.seen.get(key);
    if (known) return known;
    const quads: Quad[] = datasetGraph(await this.context([view]), view);
    const report = await this.shapes().validate(rdf.dataset(quads as never));
    const found = report.results
      .filter((r) => r.severity?.value.endsWith('#Violation'))
      .map((r) => ({
        message: r.message.map((m) => m.value).join('; '),
        path: r.path?.value ?? '',
        focus: r.focusNode?.value ?? '',
      }));
    if (this.seen.size >= CACHE) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(key, found);
    return found;
  }

  async compliant(view: DatasetView): Promise<boolean> {
    return (await this.violations(view)).length === 0;
  }
}
