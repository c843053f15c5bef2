import type { KeyObject } from 'node:crypto';
import { checkConsent, ConsentRefused, openConsent, type ConsentArtefact } from '../protocol/consent.js';
import { ed25519FromRaw } from '../protocol/pki.js';
import { XRoadError } from '../protocol/xroad-errors.js';
import type { GrantLimits } from './limits.js';

/**
 * The provider gateway's side of consent: on a call under a grant whose basis is consent, the artefact the call
 * carries is checked offline (the registry's signature, the person, the recipient, the service, the purpose, the
 * validity, the uses of the day) and against the withdrawals the gateway learnt from the registry, which it asks
 * every second. When it has not heard from the registry for `staleMs`, it refuses such calls rather than rely on a
 * consent that may have been withdrawn meanwhile.
 */
export class ConsentGuard {
  private readonly withdrawn = new Set<string>();
  private after = 0;
  private syncedAt = 0;
  /** artefacts whose signature verified, by their text: one signature check per artefact, not per call */
  private readonly verified = new Map<string, ConsentArtefact>();
  private readonly keys = new Map<string, KeyObject>();

  constructor(
    private readonly limits: GrantLimits,
    private readonly staleMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The consent's id when the call may go ahead; an X-Road error saying why not otherwise. */
  async check(
    jws: string | undefined,
    call: {
      personId: string;
      client: ConsentArtefact['recipient'];
      service: string;
      purpose: string;
      registryKeys: string[];
    },
  ): Promise<string> {
    if (!jws || !call.personId) throw new XRoadError('Server.ServerProxy.ConsentRequired');
    const now = this.now();
    if (now - this.syncedAt > this.staleMs) throw new XRoadError('Server.ServerProxy.ConsentUnverifiable');
    let a: ConsentArtefact;
    try {
      a = this.verified.get(jws) ?? (await this.open(jws, call.registryKeys));
      checkConsent(a, { ...call, now });
    } catch (err) {
      if (err instanceof ConsentRefused)
        throw new XRoadError('Server.ServerProxy.ConsentRefused', err.message, undefined, err.vi);
      throw err;
    }
    if (this.withdrawn.has(a.id)) throw naming(new XRoadError('Server.ServerProxy.ConsentWithdrawn'), a.id);
    const use = this.limits.take(`consent:${a.id}`, null, a.usesPerDay);
    if (!use.ok)
      throw naming(
        new XRoadError(
          'Server.ServerProxy.ConsentRefused',
          `The consent allows ${a.usesPerDay} uses a day; today’s are used up.`,
          use.retryAfterSeconds,
          `Sự đồng ý chỉ cho phép ${a.usesPerDay} lần mỗi ngày; hôm nay đã dùng hết.`,
        ),
        a.id,
      );
    return a.id;
  }

  private async open(jws: string, raw: string[]): Promise<ConsentArtefact> {
    const keys = raw.map((k) => {
      let key = this.keys.get(k);
      if (!key) this.keys.set(k, (key = ed25519FromRaw(k)));
      return key;
    });
    const a = await openConsent(jws, keys);
    if (this.verified.size >= 100_000) this.verified.clear();
    this.verified.set(jws, a);
    return a;
  }

  /** A use made before a restart (from the log) counts against its day. */
  restoreUse(consentId: string, at: number): void {
    this.limits.restore(`consent:${consentId}`, at);
  }

  /** Asks the registry for the withdrawals after the last one known; `fetchPage` makes the signed call. */
  async sync(fetchPage: (after: number) => Promise<{ withdrawn: { id: string; seq: number }[] }>): Promise<void> {
    const started = this.now();
    for (let pages = 0; pages < 100; pages++) {
      const { withdrawn } = await fetchPage(this.after);
      for (const w of withdrawn) {
        this.withdrawn.add(w.id);
        if (w.seq > this.after) this.after = w.seq;
      }
      if (withdrawn.length < 1000) break;
    }
    this.syncedAt = started;
  }

  status() {
    return {
      withdrawnKnown: this.withdrawn.size,
      lastSyncAt: this.syncedAt ? new Date(this.syncedAt).toISOString() : null,
    };
  }
}

/** The refusal names the consent it concerned: the access record of the attempt links it for the person. */
function naming(e: XRoadError, consent: string): XRoadError {
  e.consent = consent;
  return e;
}
