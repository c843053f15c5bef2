import type { ComponentChildren } from 'preact';
import { DomainError } from '../platform/errors.js';
import type { PageContext } from './context.js';

/**
 * A button that cannot be taken back (revoke a key or a grant, rotate the registry's keys): danger-styled, and sent
 * only with its box ticked — the browser asks for the tick (`required`, no script needed) and the server checks it.
 */
export function DangerSubmit({
  ctx,
  confirm,
  children,
  label,
}: {
  ctx: PageContext;
  /** what the reader confirms, e.g. "I understand this cannot be undone" */
  confirm?: string;
  children: ComponentChildren;
  /** the button's accessible name when its text alone says too little (which key, which grant) */
  label?: string;
}) {
  return (
    <span class="danger-confirm">
      <label>
        <input type="checkbox" name="confirm" value="1" required /> {confirm ?? ctx.t('confirm.irreversible')}
      </label>{' '}
      <button type="submit" class="danger" aria-label={label}>
        {children}
      </button>
    </span>
  );
}

const NOT_CONFIRMED = {
  vi: 'Hãy đánh dấu ô xác nhận trước khi thực hiện thao tác không thể hoàn tác này.',
  en: 'Tick the confirmation box before doing this, which cannot be undone.',
};

/** Throws unless the form's confirmation box was ticked (a post made without the page, or with its check skipped). */
export function requireConfirmed(body: Record<string, unknown> | undefined): void {
  const v = body?.confirm;
  if ((Array.isArray(v) ? v[0] : v) !== '1') throw new DomainError('VALIDATION_FAILED', NOT_CONFIRMED);
}
