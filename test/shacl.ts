import fs from 'node:fs';
import { Parser, type Quad } from 'n3';
import jsonld from 'jsonld';
import rdf from '@zazuko/env-node';
import SHACLValidator from 'rdf-validate-shacl';

const dir = new URL('../src/dcat/shapes/', import.meta.url);
const parseTtl = (text: string): Quad[] => new Parser().parse(text);
const load = (...names: string[]) =>
  rdf.dataset(names.flatMap((n) => parseTtl(fs.readFileSync(new URL(n, dir), 'utf8'))) as never);

/** The official DCAT-AP 3.0.0 shapes as the EU validator applies them: mandatory + range; recommended apart. */
export const SHAPES = {
  mandatory: () => load('dcat-ap-3.0.0-shapes.ttl', 'dcat-ap-3.0.0-range.ttl'),
  recommended: () => load('dcat-ap-3.0.0-shapes_recommended.ttl'),
};

export interface Finding {
  severity: string;
  message: string;
  path: string;
  focus: string;
}

export async function validate(shapes: ReturnType<typeof load>, quads: Quad[]): Promise<Finding[]> {
  const validator = new SHACLValidator(shapes, { factory: rdf });
  const report = await validator.validate(rdf.dataset(quads as never));
  return report.results.map((r) => ({
    severity: r.severity?.value.split('#')[1] ?? '',
    message: r.message.map((m) => m.value).join('; '),
    path: r.path?.value ?? '',
    focus: r.focusNode?.value ?? '',
  }));
}

export const turtleToQuads = parseTtl;
export async function jsonLdToQuads(doc: object): Promise<Quad[]> {
  const nquads = (await jsonld.toRDF(doc, { format: 'application/n-quads' })) as unknown as string;
  return new Parser({ format: 'N-Quads' }).parse(nquads);
}
