// Checks a read's proof in the browser, as `verifyRecordProof` of src/exchange/protocol/record-proof.ts does on the
// server and `ndp log prove` offline: the leaf and its audit path lead to a root (RFC 9162 §2.1.3.2), the root and
// tree size are the checkpoint's, and the checkpoint (a C2SP signed note) is signed by the gateway's Ed25519 key.
// WebCrypto only (SHA-256, Ed25519), no library: `import { verifyRecordProof } from '/assets/record-proof.js'`.
// The same reasons, in the same order, as the server's verifier (the tests run both on the same proofs).

const te = new TextEncoder();

const fail = (vi, en) => ({ ok: false, reason: { vi, en } });
const isHash = (b64) => typeof b64 === 'string' && /^[A-Za-z0-9+/]{43}=$/.test(b64);
const isSafe = (n) => Number.isSafeInteger(n);

function fromBase64(b64) {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
const nodeHash = (left, right) => sha256(concat(Uint8Array.of(1), left, right));
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** name+hexkeyhash+base64(0x01 ‖ key), the key hash being SHA-256(name ‖ "\n" ‖ 0x01 ‖ key)[0:4]; or undefined. */
async function parseVerifierKey(vkey) {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+=*)$/.exec(String(vkey).trim());
  if (!m) return undefined;
  let bytes;
  try {
    bytes = fromBase64(m[3]);
  } catch {
    return undefined;
  }
  if (bytes.length !== 33 || bytes[0] !== 1) return undefined;
  const raw = bytes.subarray(1);
  const hash = (await sha256(concat(te.encode(`${m[1]}\n`), Uint8Array.of(1), raw))).subarray(0, 4);
  if (hex(hash) !== m[2]) return undefined;
  return { name: m[1], raw, hash };
}

/** The checkpoint's size and root when the note carries a valid signature by `key`; else undefined. */
async function openCheckpoint(note, key) {
  const split = note.indexOf('\n\n');
  if (split === -1) return undefined;
  const body = note.slice(0, split + 1);
  const lines = body.split('\n');
  if (lines.length < 4 || !/^\d+$/.test(lines[1])) return undefined;
  let root;
  try {
    root = fromBase64(lines[2]);
  } catch {
    return undefined;
  }
  if (root.length !== 32) return undefined;
  const publicKey = await crypto.subtle.importKey('raw', key.raw, { name: 'Ed25519' }, false, ['verify']);
  for (const line of note.slice(split + 2).split('\n')) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m || m[1] !== key.name) continue;
    let bytes;
    try {
      bytes = fromBase64(m[2]);
    } catch {
      continue;
    }
    if (bytes.length !== 68 || !equal(bytes.subarray(0, 4), key.hash)) continue;
    const ok = await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, bytes.subarray(4), te.encode(body));
    return ok ? { size: Number(lines[1]), root } : undefined;
  }
  return undefined;
}

/** RFC 9162 §2.1.3.2 up to its final comparison: the root the path leads to, or undefined for a malformed proof. */
async function rootFromInclusion(index, size, leaf, proof) {
  if (index < 0 || index >= size) return undefined;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0)
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}

/**
 * `p`: a RecordProof as the API serves it (an object, or its JSON text). `pinnedKey`: a verifier key the checker
 * trusts of its own, which the proof must name. Resolves to { ok: true } or { ok: false, reason: { vi, en } }.
 */
export async function verifyRecordProof(p, pinnedKey) {
  if (typeof p === 'string') {
    try {
      p = JSON.parse(p);
    } catch {
      p = undefined;
    }
  }
  if (
    !p ||
    typeof p !== 'object' ||
    !isSafe(p.index) ||
    !isSafe(p.treeSize) ||
    !Array.isArray(p.proof) ||
    typeof p.checkpoint !== 'string' ||
    typeof p.verifierKey !== 'string'
  )
    return fail('Bằng chứng không đúng định dạng.', 'The proof is not in the expected form.');
  if (!isHash(p.leaf)) return fail('Mã băm lá không hợp lệ.', 'The leaf hash is not a SHA-256 hash.');
  if (!p.proof.every(isHash))
    return fail('Đường kiểm chứng chứa giá trị không phải mã băm.', 'The audit path holds a value that is not a hash.');
  if (pinnedKey !== undefined && String(pinnedKey).trim() !== p.verifierKey.trim())
    return fail(
      'Khoá kiểm chứng trong bằng chứng khác khoá đã chỉ định.',
      'The proof names a verifier key other than the one pinned.',
    );
  const key = await parseVerifierKey(pinnedKey ?? p.verifierKey);
  if (!key)
    return fail(
      'Khoá kiểm chứng của cổng không hợp lệ.',
      'The gateway’s verifier key is not a valid Ed25519 note verifier key.',
    );
  const checkpoint = await openCheckpoint(p.checkpoint, key).catch(() => undefined);
  if (!checkpoint)
    return fail(
      'Điểm kiểm tra không mang chữ ký hợp lệ của cổng (hoặc đã bị sửa).',
      'The checkpoint does not carry a valid signature by the gateway’s key (or it was changed).',
    );
  if (checkpoint.size !== p.treeSize)
    return fail(
      `Kích thước cây (${p.treeSize}) khác kích thước trong điểm kiểm tra (${checkpoint.size}).`,
      `The tree size (${p.treeSize}) is not the checkpoint’s (${checkpoint.size}).`,
    );
  const root = await rootFromInclusion(p.index, p.treeSize, fromBase64(p.leaf), p.proof.map(fromBase64));
  if (!root)
    return fail(
      'Đường kiểm chứng không khớp với vị trí và kích thước cây.',
      'The audit path does not fit the entry’s index and the tree size.',
    );
  if (!equal(root, checkpoint.root))
    return fail(
      'Lá và đường kiểm chứng không dẫn tới gốc đã ký trong điểm kiểm tra.',
      'The leaf and its audit path do not lead to the root the checkpoint signs.',
    );
  return { ok: true };
}
