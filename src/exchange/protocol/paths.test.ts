import { describe, expect, it } from 'vitest';
import { endpointMatches, endpointsOf, namesPersonOfPath, normalisePath } from './paths.js';
import { formatService, parseClientHeader, parseServiceUrl } from './identifiers.js';

describe('request paths as grants see them', () => {
  it('resolves dot segments, encoded or not, before any grant is matched', () => {
    expect(normalisePath('/citizens/001/../../admin/export')).toEqual({ ok: true, path: '/admin/export' });
    expect(normalisePath('/citizens/%2e%2e/admin/export')).toEqual({ ok: true, path: '/admin/export' });
    expect(normalisePath('/citizens/%2E%2E/%2e/admin')).toEqual({ ok: true, path: '/admin' });
    expect(normalisePath('/citizens//001/./')).toEqual({ ok: true, path: '/citizens/001/' });
  });
  it('refuses what could be read two ways: encoded separators, double encoding, climbing above the root', () => {
    for (const p of [
      '/citizens%2f..%2fadmin',
      '/citizens/%5c..%5cadmin',
      '/citizens/%252e%252e/admin',
      '/..',
      '/a/../../b',
      '/a/%00',
      '/a/%e0%a4',
    ]) {
      expect(normalisePath(p).ok, p).toBe(false);
    }
  });
  it('matches X-Road endpoint patterns: * is one segment, a final ** any rest', () => {
    const e = { method: 'GET', path: '/citizens/*' };
    expect(endpointMatches(e, 'GET', '/citizens/001090000001')).toBe(true);
    expect(endpointMatches(e, 'get', '/citizens/001090000001')).toBe(true);
    expect(endpointMatches(e, 'POST', '/citizens/001090000001')).toBe(false);
    expect(endpointMatches(e, 'GET', '/citizens/001/household')).toBe(false);
    expect(endpointMatches(e, 'GET', '/citizens/')).toBe(false);
    expect(endpointMatches(e, 'GET', '/admin/export')).toBe(false);
    expect(endpointMatches({ method: '*', path: '/a/**' }, 'DELETE', '/a/b/c')).toBe(true);
    expect(endpointMatches({ method: '*', path: '/a/**' }, 'GET', '/a')).toBe(true);
    expect(endpointMatches({ method: '*', path: '/a/**' }, 'GET', '/ab')).toBe(false);
  });
  it('reads an OpenAPI document’s endpoints with path parameters as one segment', () => {
    expect(
      endpointsOf({
        openapi: '3.0.0',
        paths: { '/citizens/{id}': { get: {}, parameters: [] }, '/x': { post: {}, put: {} } },
      }),
    ).toEqual([
      { method: 'GET', path: '/citizens/*' },
      { method: 'POST', path: '/x' },
      { method: 'PUT', path: '/x' },
    ]);
  });
});

describe('X-Road identifiers (PR-REST §4.1–4.2)', () => {
  it('parses the service id and keeps the rest of the path raw for normalisation', () => {
    const call = parseServiceUrl('/r1/VN/GOV/000.00.00.G01/CSDLQGDC/citizens/citizens/%2e%2e/x?q=1');
    expect(call?.service).toEqual({
      instance: 'VN',
      memberClass: 'GOV',
      memberCode: '000.00.00.G01',
      subsystemCode: 'CSDLQGDC',
      serviceCode: 'citizens',
    });
    expect(call?.path).toBe('/citizens/%2e%2e/x');
    expect(call?.query).toBe('?q=1');
    expect(parseServiceUrl('/r1/VN/GOV/M/S/BAR%2FSERVICE')?.service.serviceCode).toBe(undefined); // a decoded slash in a part is refused
    expect(parseServiceUrl('/r2/VN/GOV/M/S/svc')).toBeUndefined();
    expect(parseServiceUrl('/r1/VN/GOV/M/S')).toBeUndefined();
    expect(parseServiceUrl('/r1/VN/GOV/%2e%2e/S/svc')).toBeUndefined();
  });
  it('reads X-Road-Client with its subsystem, and writes ids part by part', () => {
    expect(parseClientHeader('VN/GOV/000.00.00.H01/DVC')).toEqual({
      instance: 'VN',
      memberClass: 'GOV',
      memberCode: '000.00.00.H01',
      subsystemCode: 'DVC',
      text: 'VN/GOV/000.00.00.H01/DVC',
    });
    // the canonical text re-encodes each part on its own, whatever encoding the caller chose
    expect(parseClientHeader('VN/GOV/M%201/%44VC')?.text).toBe('VN/GOV/M%201/DVC');
    expect(parseServiceUrl('/r1/VN/GOV/M%201/S/a%20b/x')?.serviceText).toBe('VN/GOV/M%201/S/a%20b');
    expect(parseClientHeader('VN/GOV/000.00.00.H01')).toBeUndefined();
    expect(parseClientHeader('VN%2FGOV%2FX%2FY')).toBeUndefined();
    expect(
      formatService({ instance: 'VN', memberClass: 'GOV', memberCode: 'M 1', subsystemCode: 'S', serviceCode: 'a b' }),
    ).toBe('VN/GOV/M%201/S/a%20b');
  });
});

describe('the person an endpoint returns (x-ndp-person)', () => {
  const openapi = {
    paths: {
      '/citizens/{id}': {
        get: { parameters: [{ name: 'id', in: 'path', 'x-ndp-person': true }] },
      },
      '/households/{hh}/members/{id}': {
        parameters: [{ name: 'id', in: 'path', 'x-ndp-person': true }],
        get: {},
      },
      '/stats/{year}': { get: { parameters: [{ name: 'year', in: 'path' }] } },
    },
  };
  const [citizen, member, stats] = endpointsOf(openapi);

  it('reads the marked path parameter, on the operation or its path item, as a segment index', () => {
    expect(citizen).toEqual({ method: 'GET', path: '/citizens/*', person: 1 });
    expect(member).toEqual({ method: 'GET', path: '/households/*/members/*', person: 3 });
    expect(stats).toEqual({ method: 'GET', path: '/stats/*' });
  });

  it('lets a call read only the person it names, with or without the country prefix', () => {
    expect(namesPersonOfPath(citizen!, '/citizens/001090000001', 'VN001090000001')).toBe(true);
    expect(namesPersonOfPath(citizen!, '/citizens/001090000001', '001090000001')).toBe(true);
    expect(namesPersonOfPath(citizen!, '/citizens/008177000002', 'VN001090000001')).toBe(false);
    expect(namesPersonOfPath(citizen!, '/citizens/001090000001', undefined)).toBe(false); // naming nobody
    expect(namesPersonOfPath(member!, '/households/7/members/001090000001', 'VN001090000001')).toBe(true);
    expect(namesPersonOfPath(member!, '/households/001090000001/members/2', 'VN001090000001')).toBe(false);
    expect(namesPersonOfPath(stats!, '/stats/2026', undefined)).toBe(true); // no person in it
  });
});
