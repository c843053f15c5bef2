import type { ComponentChildren } from 'preact';
import { Layout } from '../../web/layout.js';
import type { PageContext } from '../../web/context.js';
import { formatNumber } from '../../web/format.js';
import { formatBreachTime } from '../breach.draft.js';
import type { presentBreach } from '../breach.presenter.js';

type Breach = ReturnType<typeof presentBreach> & { agencyName: string };

/** The clock in words: its state, and the time left or past the deadline while it runs. */
export function Clock({ ctx, b }: { ctx: PageContext; b: Breach }) {
  const { t, lang } = ctx;
  const c = b.clock;
  const left = c.remainingMs === null ? null : Math.abs(c.remainingMs);
  const parts =
    left === null
      ? null
      : { hours: formatNumber(Math.floor(left / 3_600_000), lang), minutes: Math.floor(left / 60_000) % 60 };
  return (
    <span
      class={c.state === 'overdue' || c.state === 'notified_late' ? 'format-tag sensitive' : 'format-tag'}
      data-clock={c.state}
    >
      {t(`breach.state.${c.state}` as never)}
      {parts && ` — ${t(c.state === 'overdue' ? 'breach.pastDue' : 'breach.remaining', parts)}`} ·{' '}
      {t('breach.due', { when: formatBreachTime(c.dueAt, lang) })}
    </span>
  );
}

function Table({ ctx, rows }: { ctx: PageContext; rows: Breach[] }) {
  const { t, lang } = ctx;
  return (
    <div class="table-scroll" tabindex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('breach.agency')}</th>
            <th scope="col">{t('breach.detectedAt')}</th>
            <th scope="col">{t('breach.window')}</th>
            <th scope="col">{t('breach.clock')}</th>
            <th scope="col">{t('breach.open')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((b) => (
            <tr>
              <td>{b.agencyName}</td>
              <td>{formatBreachTime(b.detectedAt, lang)}</td>
              <td>
                {formatBreachTime(b.window.from, lang)} – {formatBreachTime(b.window.until, lang)}
              </td>
              <td>
                <Clock ctx={ctx} b={b} />
              </td>
              <td>
                <a href={`/dashboard/privacy/breaches/${b.id}`}>{t('breach.open')}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type FormError = { field?: string; vi: string; en: string };
/** The errors of one field (`services` also takes `services/0`…). */
const errorsOf = (errors: FormError[], name: string) =>
  errors.filter((e) => e.field === name || e.field?.startsWith(`${name}/`));

function FieldErrors({ ctx, errors }: { ctx: PageContext; errors: FormError[] }) {
  return (
    <>
      {errors.map((e) => (
        <p class="error-message">{ctx.lang === 'en' ? e.en : e.vi}</p>
      ))}
    </>
  );
}

/** One labelled field, as the portal's other forms lay them out: label, hint, its errors, then the input. */
function Field(props: {
  ctx: PageContext;
  errors: FormError[];
  name: string;
  id: string;
  label: string;
  hint?: string;
  children: ComponentChildren;
}) {
  const mine = errorsOf(props.errors, props.name);
  return (
    <div class={mine.length ? 'field field-error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      <FieldErrors ctx={props.ctx} errors={mine} />
      {props.children}
    </div>
  );
}

export interface BreachListData {
  breaches: Breach[];
  /** the supervisor's: not notified within 72 hours */
  overdue: Breach[] | null;
  /** an agency administrator's form: their agencies and those agencies' services */
  form: {
    agencies: { id: string; name: string }[];
    services: { id: string; label: string }[];
    errors: { field?: string; vi: string; en: string }[];
    values: Record<string, string>;
  } | null;
}

export function BreachListPage({ ctx, data }: { ctx: PageContext; data: BreachListData }) {
  const { t, lang } = ctx;
  const f = data.form;
  const v = (k: string) => f?.values[k] ?? '';
  return (
    <Layout ctx={ctx} title={t('breach.title')}>
      <p class="breadcrumbs">
        <a href="/dashboard">{t('nav.dashboard')}</a>
      </p>
      <h1>{t('breach.title')}</h1>
      <p class="lead">{t('breach.lead')}</p>
      {data.overdue && (
        <section id="overdue">
          <h2>{t('breach.overdue')}</h2>
          {data.overdue.length ? (
            <Table ctx={ctx} rows={data.overdue} />
          ) : (
            <p class="empty">{t('breach.overdueNone')}</p>
          )}
        </section>
      )}
      <h2>{t('breach.all')}</h2>
      {data.breaches.length ? <Table ctx={ctx} rows={data.breaches} /> : <p class="empty">{t('breach.none')}</p>}
      {f && (
        <form method="post" action="/dashboard/privacy/breaches" id="record">
          <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
          <h2>{t('breach.new')}</h2>
          {f.errors.length > 0 && (
            <div class="error-summary" role="alert">
              <p>{t('breach.notSaved')}</p>
              <ul>
                {f.errors.map((e) => (
                  <li>{lang === 'en' ? e.en : e.vi}</li>
                ))}
              </ul>
            </div>
          )}
          <div class="field">
            <label for="b-agency">{t('breach.agency')}</label>
            <select id="b-agency" name="agency">
              {f.agencies.map((a) => (
                <option value={a.id} selected={v('agency') === a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
          <Field
            ctx={ctx}
            errors={f.errors}
            name="detectedAt"
            id="b-detected"
            label={t('breach.detectedAt')}
            hint={t('breach.timeHint')}
          >
            <input
              id="b-detected"
              name="detectedAt"
              type="datetime-local"
              value={v('detectedAt')}
              required
              aria-describedby="b-detected-hint"
            />
          </Field>
          <fieldset class="field">
            <legend>{t('breach.window')}</legend>
            <p class="hint" id="b-window-hint">
              {t('breach.windowHint')}
            </p>
            <Field ctx={ctx} errors={f.errors} name="windowFrom" id="b-from" label={t('breach.windowFrom')}>
              <input
                id="b-from"
                name="windowFrom"
                type="datetime-local"
                value={v('windowFrom')}
                required
                aria-describedby="b-window-hint"
              />
            </Field>
            <Field ctx={ctx} errors={f.errors} name="windowUntil" id="b-until" label={t('breach.windowUntil')}>
              <input
                id="b-until"
                name="windowUntil"
                type="datetime-local"
                value={v('windowUntil')}
                required
                aria-describedby="b-window-hint"
              />
            </Field>
          </fieldset>
          <fieldset class={errorsOf(f.errors, 'services').length ? 'field field-error' : 'field'}>
            <legend>{t('breach.services')}</legend>
            <FieldErrors ctx={ctx} errors={errorsOf(f.errors, 'services')} />
            {f.services.map((s) => (
              <label class="checkbox">
                <input
                  type="checkbox"
                  name="services"
                  value={s.id}
                  checked={(f.values.services ?? '').split(',').includes(s.id)}
                />{' '}
                <code>{s.label}</code>
              </label>
            ))}
          </fieldset>
          <Field ctx={ctx} errors={f.errors} name="description" id="b-description" label={t('breach.description')}>
            <textarea id="b-description" name="description" rows={5} cols={80} required maxLength={5000}>
              {v('description')}
            </textarea>
          </Field>
          <button type="submit">{t('breach.record')}</button>
        </form>
      )}
    </Layout>
  );
}

export interface BreachPageData {
  breach: Breach;
  services: string[];
  people: { people: number; reads: number; subjects: { subject: string; reads: number }[] };
  canEdit: boolean;
  notice: string | null;
  errors: { vi: string; en: string }[];
}

export function BreachPage({ ctx, data }: { ctx: PageContext; data: BreachPageData }) {
  const { t, lang } = ctx;
  const b = data.breach;
  const draft = b.status === 'draft';
  return (
    <Layout ctx={ctx} title={t('breach.title')}>
      <p class="breadcrumbs">
        <a href="/dashboard">{t('nav.dashboard')}</a> › <a href="/dashboard/privacy/breaches">{t('breach.title')}</a>
      </p>
      <h1>
        {t('breach.title')} — {b.agencyName}
      </h1>
      {data.notice && (
        <p class="notice" role="status">
          {data.notice}
        </p>
      )}
      <dl>
        <dt>{t('breach.clock')}</dt>
        <dd>
          <Clock ctx={ctx} b={b} />
          {b.notifiedAt && <> {t('breach.sentAt', { when: formatBreachTime(b.notifiedAt, lang) })}</>}
        </dd>
        <dt>{t('breach.detectedAt')}</dt>
        <dd>{formatBreachTime(b.detectedAt, lang)}</dd>
        <dt>{t('breach.window')}</dt>
        <dd>
          {formatBreachTime(b.window.from, lang)} – {formatBreachTime(b.window.until, lang)}
        </dd>
        <dt>{t('breach.services')}</dt>
        <dd>
          {data.services.map((s) => (
            <code>{s} </code>
          ))}
        </dd>
        <dt>{t('breach.description')}</dt>
        <dd>{b.description}</dd>
      </dl>
      <h2>{t('breach.people')}</h2>
      <p>{t('breach.peopleLead')}</p>
      <p id="people-count">
        <strong>
          {t('breach.peopleCount', {
            people: formatNumber(data.people.people, lang),
            reads: formatNumber(data.people.reads, lang),
          })}
        </strong>
      </p>
      {data.people.subjects.length > 0 && (
        <div class="table-scroll" tabindex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('breach.subject')}</th>
                <th scope="col">{t('breach.reads')}</th>
              </tr>
            </thead>
            <tbody>
              {data.people.subjects.map((s) => (
                <tr>
                  <td>
                    <code>{s.subject}</code>
                  </td>
                  <td>{formatNumber(s.reads, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <a href={`/api/v1/privacy/breaches/${b.id}/people?limit=1000`}>{t('breach.peopleAll')}</a>
      </p>
      <h2>{t('breach.notification')}</h2>
      {data.errors.length > 0 && (
        <div class="error-summary" role="alert">
          <p>{t('breach.notSaved')}</p>
          <ul>
            {data.errors.map((e) => (
              <li>{lang === 'en' ? e.en : e.vi}</li>
            ))}
          </ul>
        </div>
      )}
      {data.canEdit && draft ? (
        <>
          <form method="post" action={`/dashboard/privacy/breaches/${b.id}/notification`}>
            <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
            <input type="hidden" name="version" value={String(b.version)} />
            <label for="n-vi">{t('breach.notificationVi')}</label>
            <textarea id="n-vi" name="notificationVi" lang="vi" rows={24} cols={100} required maxLength={20000}>
              {b.notification.vi}
            </textarea>
            <label for="n-en">{t('breach.notificationEn')}</label>
            <textarea id="n-en" name="notificationEn" lang="en" rows={24} cols={100} required maxLength={20000}>
              {b.notification.en}
            </textarea>
            <button type="submit">{t('breach.save')}</button>
          </form>
          <form method="post" action={`/dashboard/privacy/breaches/${b.id}/notify`} id="send">
            <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
            <h3>{t('breach.send')}</h3>
            <p class="hint" id="send-hint">
              {t('breach.sendWhere')}
            </p>
            <label class="checkbox">
              <input type="checkbox" name="checked" value="on" required aria-describedby="send-hint" />{' '}
              {t('breach.sendCheck')}
            </label>
            <button type="submit">{t('breach.send')}</button>
          </form>
        </>
      ) : (
        <>
          <h3>{t('breach.notificationVi')}</h3>
          <pre lang="vi" class="notification" tabindex={0}>
            {b.notification.vi}
          </pre>
          <h3>{t('breach.notificationEn')}</h3>
          <pre lang="en" class="notification" tabindex={0}>
            {b.notification.en}
          </pre>
        </>
      )}
    </Layout>
  );
}
