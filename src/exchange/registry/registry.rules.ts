import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError, invalid } from '../../platform/errors.js';
import { requireUser, type Principal } from '../../accounts/principal.js';
import type { RegistryTables } from './registry-tables.js';
import type { FieldFlags } from './personal-data-rule.js';

/** What the registry's services share: the member class, the errors they raise, the shape of a change. */
export const MEMBER_CLASS = 'GOV';

export const conflict = (vi: string, en: string) => new DomainError('CONFLICT', { vi, en });
export const unauthenticated = (en: string, vi: string) => new DomainError('UNAUTHENTICATED', { vi, en });

export interface RegistryOptions {
  instance: string;
  baseUrl: string;
  validityHours: number;
  resolveAgency: (key: string) => Promise<string>;
  /** seals the registry's secret keys at rest (`key-vault.ts`) */
  keyEncryptionKey?: Buffer;
  /** the personal-data flags of dictionary fields (the catalog's): services declare the fields they return */
  fieldFlags?: FieldFlags;
}

export type Static<T> = T extends { static: infer S } ? S : never;

/** A user's change to the registry: `work` in one transaction that bumps the configuration's version. */
export function change<T>(p: Principal, tables: RegistryTables, work: (trx: Kysely<any>) => Promise<T>): Promise<T> {
  requireUser(p);
  return tables.change(work);
}

/** A gateway's host name from its address, without an IPv6 literal's brackets (what its certificate names). */
export const hostOf = (address: string): string => new URL(address).hostname.replace(/^\[|\]$/g, '');

/** The person's identifier under the registry's subject key, in hex: the records keep its bytes, never the identifier. */
export const subjectHash = (key: Buffer, subject: string): string =>
  createHmac('sha256', key).update(subject).digest('hex');

export function checkServiceUrl(url: string): void {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw invalid([
      {
        field: 'baseUrl',
        vi: 'Địa chỉ dịch vụ phải là http hoặc https.',
        en: 'The service address must be http or https.',
      },
    ]);
  if (u.username || u.password || u.search || u.hash)
    throw invalid([
      {
        field: 'baseUrl',
        vi: 'Địa chỉ dịch vụ không được chứa thông tin đăng nhập, truy vấn hay phân đoạn.',
        en: 'The service address may not hold credentials, a query or a fragment.',
      },
    ]);
}
