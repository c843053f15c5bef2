// "My data": a "verify" button beside each proof, when the page names a verifier. Progressive enhancement only: the
// proof is a plain JSON link without JavaScript. Every message comes from the page (its translations), none from here.
(() => {
  const root = document.querySelector('[data-my-data]');
  const verifier = root?.getAttribute('data-verifier');
  if (!root || !verifier) return;
  const say = (key) => root.getAttribute(`data-${key}`) || '';
  let loaded = null;
  // the buttons are made here: without the script (or a verifier) there is nothing to press, only the JSON link
  document.querySelectorAll('span[data-verify]').forEach((slot) => {
    const out = slot.parentElement?.querySelector('[data-verify-result]');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = slot.getAttribute('data-label') || '';
    button.setAttribute('data-verify', slot.getAttribute('data-verify') || '');
    slot.replaceWith(button);
    button.addEventListener('click', async () => {
      if (!out) return;
      button.disabled = true;
      out.textContent = say('verifying');
      out.removeAttribute('data-ok');
      try {
        loaded ??= import(verifier);
        const mod = await loaded;
        const res = await fetch(button.getAttribute('data-verify'), { headers: { accept: 'application/json' } });
        const json = await res.json();
        if (!res.ok) throw new Error(json?.error?.[say('lang')] || json?.error?.message || String(res.status));
        const result = await mod.verifyRecordProof(json);
        // { ok: true } or { ok: false, reason: { vi, en } }, as the verifier module answers
        const ok = result?.ok === true;
        const reason = result?.reason ? result.reason[say('lang')] || result.reason.en : '';
        out.textContent = ok ? say('verified') : say('not-verified').replace('{reason}', reason);
        out.setAttribute('data-ok', ok ? 'true' : 'false');
      } catch (err) {
        out.textContent = say('not-verified').replace('{reason}', err?.message || '');
        out.setAttribute('data-ok', 'false');
      } finally {
        button.disabled = false;
      }
    });
  });
})();
