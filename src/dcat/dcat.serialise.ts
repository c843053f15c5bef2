import { Writer, type Quad } from 'n3';
import jsonld from 'jsonld';
import { PREFIXES } from './vocab.js';

export function toTurtle(quads: Quad[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const writer = new Writer({ prefixes: PREFIXES });
    writer.addQuads(quads);
    writer.end((err, out) => (err ? reject(err) : resolve(out)));
  });
}

export function toNQuads(quads: Quad[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const writer = new Writer({ format: 'N-Quads' });
    writer.addQuads(quads);
    writer.end((err, out) => (err ? reject(err) : resolve(out)));
  });
}

const CONTEXT = { ...PREFIXES };

/** JSON-LD made from the same quads as the Turtle, compacted with the usual prefixes. */
export async function toJsonLd(quads: Quad[]): Promise<object> {
  const expanded = await jsonld.fromRDF(await toNQuads(quads), { format: 'application/n-quads' });
  return jsonld.compact(expanded, CONTEXT);
}
