import type { PageContext } from '../../web/context.js';
import type { SchemaNode } from '../schema-tree.js';

/** A rule on a value in the reader's words: `maxLength 500` → "at most 500 characters". */
function Rules({ ctx, node }: { ctx: PageContext; node: SchemaNode }) {
  const { t } = ctx;
  if (!node.rules.length && !node.choices?.length) return null;
  return (
    <>
      {node.choices?.length ? (
        <span class="schema-rule">
          {t('apidocs.rule.choices')}{' '}
          {node.choices.map((c, i) => (
            <>
              {i > 0 && ', '}
              <code>{c}</code>
            </>
          ))}
        </span>
      ) : null}
      {node.rules.map((r) => {
        const item = r.key.startsWith('item.');
        const key = item ? r.key.slice(5) : r.key;
        return (
          <span class="schema-rule">
            {item && `${t('apidocs.rule.item')} `}
            {t(`apidocs.rule.${key}`)} <code>{r.value}</code>
          </span>
        );
      })}
    </>
  );
}

/** One line: the type, whether it must be given, the rules, the description. */
export function SchemaFacts({ ctx, node, required }: { ctx: PageContext; node: SchemaNode; required?: boolean }) {
  const { t } = ctx;
  return (
    <>
      <span class="schema-type">{node.type}</span>
      {node.nullable && <span class="schema-rule">{t('apidocs.nullable')}</span>}
      {required !== undefined && (
        <span class={required ? 'schema-required' : 'schema-optional'}>
          {t(required ? 'apidocs.required' : 'apidocs.optional')}
        </span>
      )}
      <Rules ctx={ctx} node={node} />
      {node.description && <span class="schema-description">{node.description}</span>}
    </>
  );
}

function Field({ ctx, node }: { ctx: PageContext; node: SchemaNode }) {
  return (
    <li>
      {node.anyName ? <em>{ctx.t('apidocs.anyName')}</em> : <code class="schema-name">{node.name}</code>}{' '}
      <SchemaFacts ctx={ctx} node={node} required={node.anyName ? undefined : node.required} />
      <SchemaFields ctx={ctx} node={node} />
    </li>
  );
}

/** The fields of an object (or of an array's items) as a nested list, and the shapes of a union. */
export function SchemaFields({ ctx, node }: { ctx: PageContext; node: SchemaNode }) {
  return (
    <>
      {node.fields.length > 0 && (
        <ul class="schema">
          {node.fields.map((f) => (
            <Field ctx={ctx} node={f} />
          ))}
        </ul>
      )}
      {node.variants?.length ? (
        <>
          <p class="schema-rule">{ctx.t('apidocs.variants')}</p>
          <ol class="schema">
            {node.variants.map((v) => (
              <li>
                <SchemaFacts ctx={ctx} node={v} />
                <SchemaFields ctx={ctx} node={v} />
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </>
  );
}

/** A whole schema: its own line, then its fields. */
export function SchemaView({ ctx, node }: { ctx: PageContext; node: SchemaNode }) {
  return (
    <div class="schema-view">
      <p>
        <SchemaFacts ctx={ctx} node={node} />
      </p>
      <SchemaFields ctx={ctx} node={node} />
    </div>
  );
}
