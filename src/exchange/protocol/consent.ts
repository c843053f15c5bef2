import { createHash, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';

/**
 * A person's consent as the exchange carries it: an artefact signed by the registry (JWS, EdDSA, the key that signs
 * the exchange configuration, so every gateway can check it offline), modelled on India's DEPA consent artefact —
 * who consents (the person's id only as a salted hash), to which recipient system, for which services and fields,
 * for what purpose, from when until when, how often a day, and how long the recipient may keep what it gets.
 * Whether it is still in force (withdrawn or not) is not in the artefact: gateways learn withdrawals from the
 * registry within seconds.
 */
export interface ConsentArtefact {
  v: 1;
  id: string;
  /** base64url: the salt and sha256(salt ‖ person's id) */
  subject: { salt: string; hash: string };
  recipient: { memberClass: string; memberCode: string; subsystemCode: string };
  /** services as their X-Road ids: `VN/GOV/000.00.00.G01/CSDLQGDC/citizens` */
  services: { service: string; fields: string[] }[];
  purpose: string;
  validFrom: string;
  validUntil: string;
  /** uses a day at most, across the services; null: no daily bound */
  usesPerDay: number | null;
  /** days the recipient may keep what it receives */
  retentionDays: number;
  issuedAt: string;
}

export const CONSENT_TYP = 'ndp-consent+jwt';

/** A grant's legal basis (Law 91/2025/QH15): the person's consent, or a case where processing needs none. */
export const GRANT_BASES = [
  'consent',
  'contract',
  'legal_obligation',
  'public_task',
  'vital_interest',
  'emergency',
] as const;
export type GrantBasis = (typeof GRANT_BASES)[number];

const sha = (salt: Buffer, id: string) => createHash('sha256').update(salt).update(id, 'utf8').digest();

/** The artefact's subject for a person: a fresh salt, so two artefacts of one person do not link on sight. */
export function consentSubject(personId: string): ConsentArtefact['subject'] {
  const salt = randomBytes(16);
  return { salt: salt.toString('base64url'), hash: sha(salt, personId).toString('base64url') };
}

export function subjectIs(artefact: ConsentArtefact, personId: string): boolean {
  const want = Buffer.from(artefact.subject.hash, 'base64url');
  const got = sha(Buffer.from(artefact.subject.salt, 'base64url'), personId);
  return want.length === got.length && timingSafeEqual(want, got);
}

export async function signConsent(a: ConsentArtefact, key: KeyObject): Promise<string> {
  return new CompactSign(Buffer.from(JSON.stringify(a)))
    .setProtectedHeader({ alg: 'EdDSA', typ: CONSENT_TYP })
    .sign(key);
}

/** Why an artefact is not one a gateway may rely on, in English and Vietnamese. */
export class ConsentRefused extends Error {
  constructor(
    message: string,
    readonly vi: string,
  ) {
    super(message);
  }
}

/** The header an agency's system sends the artefact in. */
export const CONSENT_HEADER = 'x-ndp-consent';
const JWS_FORM = /^[A-Za-z0-9_-]{10,200}\.[A-Za-z0-9_-]{10,6000}\.[A-Za-z0-9_-]{40,200}$/;
export const wellFormedConsent = (jws: string): boolean => JWS_FORM.test(jws);

/** The artefact's id, read without checking the signature: for the consumer's own log, not for any decision. */
export function consentIdOf(jws: string): string | undefined {
  try {
    const id = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'))?.id;
    return typeof id === 'string' && id.length <= 64 ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Verifies the signature with any of the registry's keys in force and reads the artefact; throws `ConsentRefused`. */
export async function openConsent(jws: string, keys: KeyObject[]): Promise<ConsentArtefact> {
  for (const key of keys) {
    try {
      const { payload, protectedHeader } = await compactVerify(jws, key, { algorithms: ['EdDSA'] });
      if (protectedHeader.typ !== CONSENT_TYP)
        throw new ConsentRefused('The token is not a consent artefact.', 'Đây không phải văn bản đồng ý.');
      const a = JSON.parse(Buffer.from(payload).toString('utf8')) as ConsentArtefact;
      if (a.v !== 1 || typeof a.id !== 'string' || !Array.isArray(a.services))
        throw new ConsentRefused(
          'The consent artefact is not in a form this gateway reads.',
          'Văn bản đồng ý không đúng định dạng.',
        );
      return a;
    } catch (err) {
      if (err instanceof ConsentRefused) throw err;
    }
  }
  throw new ConsentRefused(
    'The consent artefact’s signature does not verify with the registry’s keys.',
    'Chữ ký của văn bản đồng ý không hợp lệ với khoá của hệ thống đăng ký.',
  );
}

/** What a call must match in the artefact: the person, the calling system, the service, the purpose, the time. */
export function checkConsent(
  a: ConsentArtefact,
  call: { personId: string; client: ConsentArtefact['recipient']; service: string; purpose: string; now: number },
): void {
  if (!call.personId || !subjectIs(a, call.personId.trim().toUpperCase()))
    throw new ConsentRefused(
      'The consent was not given by the person the call names (X-Road-UserId).',
      'Sự đồng ý không phải của người được nêu trong lời gọi (X-Road-UserId).',
    );
  const r = a.recipient;
  if (
    r.memberClass !== call.client.memberClass ||
    r.memberCode !== call.client.memberCode ||
    r.subsystemCode !== call.client.subsystemCode
  )
    throw new ConsentRefused(
      'The consent was given to another recipient system.',
      'Sự đồng ý được trao cho một hệ thống nhận khác.',
    );
  if (!a.services.some((s) => s.service === call.service))
    throw new ConsentRefused('The consent does not cover this service.', 'Sự đồng ý không bao gồm dịch vụ này.');
  if (a.purpose !== call.purpose)
    throw new ConsentRefused(
      `The consent was given for another purpose (“${a.purpose}”).`,
      `Sự đồng ý được trao cho mục đích khác (“${a.purpose}”).`,
    );
  if (call.now < Date.parse(a.validFrom))
    throw new ConsentRefused('The consent is not in force yet.', 'Sự đồng ý chưa có hiệu lực.');
  if (!(call.now < Date.parse(a.validUntil)))
    throw new ConsentRefused('The consent has expired.', 'Sự đồng ý đã hết hạn.');
}
