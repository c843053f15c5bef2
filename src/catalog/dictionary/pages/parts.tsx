import type { PageContext } from '../../../web/context.js';
import { CATEGORY_LABELS, type PersonalDataCategory } from '../../personal-data.js';

/** A field's personal-data category in words, with its level (basic / sensitive) as a tag. */
export function PersonalFlag({
  ctx,
  category,
  level,
}: {
  ctx: PageContext;
  category: string | null;
  level: 'basic' | 'sensitive' | null;
}) {
  if (!category) return null;
  const label = CATEGORY_LABELS[category as PersonalDataCategory]?.[ctx.lang === 'en' ? 'en' : 'vi'] ?? category;
  return (
    <>
      {label}{' '}
      <strong class={level === 'sensitive' ? 'format-tag sensitive' : 'format-tag'}>
        {ctx.t(level === 'sensitive' ? 'dictionary.sensitive' : 'dictionary.basic')}
      </strong>
    </>
  );
}

/** Error messages above a form, in the page's language. */
export function Problems({ ctx, problems }: { ctx: PageContext; problems: string[] }) {
  if (!problems.length) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1}>
      <h2>{ctx.t('form.errors', { count: problems.length })}</h2>
      <ul>
        {problems.map((p) => (
          <li>{p}</li>
        ))}
      </ul>
    </div>
  );
}

export function Notice({ text }: { text: string | null }) {
  return text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null;
}
