import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatDate, formatNumber } from '../../../web/format.js';
import type { AgencyRef, DatabaseRef, DeskRow } from '../procedure.js';
import type { Gap, Holder } from '../sources-view.js';
import { AgencyChooser } from './dashboard-list.js';
import type { ElementChoice } from './procedure-form.js';
import { agencyName, labelOf, langQuery, named, procedureName } from './names.js';

export interface SourceForm {
  element: string;
  database: string;
  service: string;
  path: string;
  field: string;
}
export interface DeskForm {
  client: string;
  gatewayUrl: string;
  timeoutMs: string;
}

export interface SourcesView {
  agency: AgencyRef;
  agencies: AgencyRef[];
  admin: boolean;
  held: Holder[];
  gaps: Gap[];
  desk: Omit<DeskRow, 'api_key'> | undefined;
  elements: ElementChoice[];
  databases: DatabaseRef[];
  /** the agency's exchange services, `instance/class/member/subsystem/service` */
  services: string[];
  sourceForm: SourceForm;
  deskForm: DeskForm;
  /** mistakes by input id (`source-path`, `desk-apiKey`) */
  errors: Record<string, string>;
  notice: string | null;
}

function Field({
  v,
  id,
  label,
  hint,
  children,
}: {
  v: SourcesView;
  id: string;
  label: string;
  hint?: string;
  children: preact.ComponentChildren;
}) {
  const error = v.errors[id];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="error-message" id={`${id}-error`}>
          {error}
        </p>
      )}
      {children}
    </div>
  );
}

const describedBy = (v: SourcesView, id: string, hint = false) =>
  [hint ? `${id}-hint` : '', v.errors[id] ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

/** `/dashboard/services/sources`: what the agency's registers hold, its procedures' gaps, and its desk. */
export function SourcesPage({ ctx, v }: { ctx: PageContext; v: SourcesView }) {
  const { t, lang } = ctx;
  const q = `?agency=${v.agency.slug}${langQuery(ctx, '&')}`;
  const errors = Object.entries(v.errors);
  return (
    <Layout ctx={ctx} title={t('procs.sources.title')}>
      <p class="breadcrumbs">
        <a href={`/dashboard/services${q}`}>{t('procs.dash.title')}</a>
      </p>
      <h1>{t('procs.sources.title')}</h1>
      <p class="lead">{t('procs.sources.lead', { agency: agencyName(ctx, v.agency) })}</p>
      {v.notice && (
        <p class="notice" role="status">
          {v.notice}
        </p>
      )}
      {errors.length > 0 && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <ul>
            {errors.map(([id, message]) => (
              <li>
                <a href={`#${id}`}>{message}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <AgencyChooser ctx={ctx} action="/dashboard/services/sources" agencies={v.agencies} current={v.agency} />

      <h2>{t('procs.sources.held')}</h2>
      {v.held.length === 0 ? (
        <p>{t('procs.sources.noneHeld')}</p>
      ) : (
        <ul class="plain-list">
          {v.held.map((h) => (
            <li>
              <strong>{labelOf(ctx, h.label, h.element)}</strong> ({h.element}) —{' '}
              {h.kind === 'register'
                ? `${named(ctx, h.database)} · ${h.service} · ${h.path} · ${h.field}`
                : `${named(ctx, h.procedure)} · ${h.field}`}
              {v.admin && (
                <form method="post" action={`/dashboard/services/sources/delete${q}`} class="inline-form">
                  <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
                  <input type="hidden" name="element" value={h.element} />{' '}
                  <button type="submit" class="link-button">
                    {t('procs.sources.remove')}
                    <span class="visually-hidden">: {h.element}</span>
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      {v.admin && (
        <form method="post" action={`/dashboard/services/sources${q}`} class="narrow-form">
          <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
          <h3>{t('procs.sources.declare')}</h3>
          <Field v={v} id="source-element" label={t('procs.edit.element')}>
            <select id="source-element" name="element" aria-describedby={describedBy(v, 'source-element')}>
              {v.elements.map((e) => (
                <option value={e.id} selected={e.id === v.sourceForm.element}>
                  {labelOf(ctx, e.label, e.id)} ({e.id})
                </option>
              ))}
            </select>
          </Field>
          <Field v={v} id="source-database" label={t('procs.sources.database')}>
            <select id="source-database" name="database" aria-describedby={describedBy(v, 'source-database')}>
              {v.databases.map((d) => (
                <option value={d.id} selected={d.id === v.sourceForm.database}>
                  {named(ctx, d)}
                </option>
              ))}
            </select>
          </Field>
          <Field v={v} id="source-service" label={t('procs.sources.service')} hint={t('procs.sources.serviceHint')}>
            <input
              id="source-service"
              type="text"
              name="service"
              value={v.sourceForm.service}
              list="agency-services"
              maxLength={300}
              required
              aria-describedby={describedBy(v, 'source-service', true)}
            />
            <datalist id="agency-services">
              {v.services.map((s) => (
                <option value={s} />
              ))}
            </datalist>
          </Field>
          <Field v={v} id="source-path" label={t('procs.sources.path')} hint={t('procs.sources.pathHint')}>
            <input
              id="source-path"
              type="text"
              name="path"
              value={v.sourceForm.path}
              maxLength={300}
              required
              aria-describedby={describedBy(v, 'source-path', true)}
            />
          </Field>
          <Field v={v} id="source-field" label={t('procs.sources.pointer')} hint={t('procs.sources.pointerHint')}>
            <input
              id="source-field"
              type="text"
              name="field"
              value={v.sourceForm.field}
              maxLength={300}
              required
              aria-describedby={describedBy(v, 'source-field', true)}
            />
          </Field>
          <button type="submit">{t('procs.sources.save')}</button>
        </form>
      )}

      <h2>{t('procs.gaps.title')}</h2>
      <p class="hint">{t('procs.gaps.lead')}</p>
      {v.gaps.length === 0 ? (
        <p>{t('procs.gaps.none')}</p>
      ) : (
        <ul class="plain-list" data-testid="gaps">
          {v.gaps.map((g) => (
            <li>
              <strong>{labelOf(ctx, g.label, g.element)}</strong> ({g.element}) —{' '}
              {g.procedures.map((p) => `${procedureName(ctx, p)} (${p.fields.join(', ')})`).join('; ')}
            </li>
          ))}
        </ul>
      )}

      <h2>{t('procs.desk.title')}</h2>
      <p class="hint">{t('procs.desk.lead')}</p>
      {v.desk ? (
        <dl class="metadata">
          <dt>{t('procs.desk.client')}</dt>
          <dd>{v.desk.client}</dd>
          <dt>{t('procs.desk.gateway')}</dt>
          <dd>{v.desk.gateway_url}</dd>
          <dt>{t('procs.desk.timeout')}</dt>
          <dd>{formatNumber(v.desk.timeout_ms, lang)} ms</dd>
          <dt>{t('procs.desk.modified')}</dt>
          <dd>{formatDate(v.desk.updated_at, lang)}</dd>
        </dl>
      ) : (
        <p>{t('procs.desk.none')}</p>
      )}
      {v.admin && (
        <form method="post" action={`/dashboard/services/desk${q}`} class="narrow-form">
          <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
          <h3>{t('procs.desk.set')}</h3>
          <Field v={v} id="desk-client" label={t('procs.desk.client')} hint={t('procs.desk.clientHint')}>
            <input
              id="desk-client"
              type="text"
              name="client"
              value={v.deskForm.client}
              maxLength={300}
              required
              aria-describedby={describedBy(v, 'desk-client', true)}
            />
          </Field>
          <Field v={v} id="desk-gatewayUrl" label={t('procs.desk.gateway')}>
            <input
              id="desk-gatewayUrl"
              name="gatewayUrl"
              type="text"
              inputMode="url"
              value={v.deskForm.gatewayUrl}
              maxLength={300}
              required
              aria-describedby={describedBy(v, 'desk-gatewayUrl')}
            />
          </Field>
          <Field v={v} id="desk-apiKey" label={t('procs.desk.key')} hint={t('procs.desk.keyHint')}>
            <input
              id="desk-apiKey"
              name="apiKey"
              type="password"
              autocomplete="off"
              maxLength={200}
              required
              aria-describedby={describedBy(v, 'desk-apiKey', true)}
            />
          </Field>
          <Field v={v} id="desk-timeoutMs" label={t('procs.desk.timeout')}>
            <input
              id="desk-timeoutMs"
              type="text"
              name="timeoutMs"
              inputMode="numeric"
              value={v.deskForm.timeoutMs}
              maxLength={5}
              aria-describedby={describedBy(v, 'desk-timeoutMs')}
            />
          </Field>
          <button type="submit">{t('procs.desk.save')}</button>
        </form>
      )}
    </Layout>
  );
}
