import { ENTITY_KINDS, type Entity } from '../../content/types.js';
import { entityPath } from '../../web/paths.js';
import { fieldId, type EntityFormValues } from '../forms.js';
import { deskMessages as m } from '../messages.js';
import { DeskPage, type DeskContext } from './DeskPage.js';
import { CsrfField, ErrorSummary, SelectField, TextField, type FormErrors, type PathDescriber } from './fields.js';

const me = m.entitiesPage;

export const ENTITY_DONE = { created: 'Entity created.', saved: 'Entity saved.' } as const;
export type EntityDoneKey = keyof typeof ENTITY_DONE;

const LABELS: Record<string, string> = {
  kind: me.kind, 'names.en': me.nameEn, 'names.uk': me.nameUk, 'names.ru': me.nameRu, names: me.nameEn, aliases: me.aliases,
};

/** Entity errors at their inputs; "needs a name in at least one language" goes to the English name. */
export const describeEntityPath: PathDescriber = (path) => {
  const key = path.startsWith('aliases.') ? 'aliases' : path;
  const label = LABELS[key];
  return label ? { id: fieldId(key === 'names' ? 'names.en' : key), label } : null;
};

function EntityForm(props: { ctx: DeskContext; action: string; values: EntityFormValues; errors: FormErrors; submitLabel: string }) {
  const { values, errors } = props;
  return (
    <form method="post" action={props.action} class="stack">
      <CsrfField token={props.ctx.csrfToken} />
      <SelectField id={fieldId('kind')} name="kind" label={me.kind} value={values.kind} options={ENTITY_KINDS.map((k) => [k, m.entityKind[k]] as const)} errors={errors} />
      <TextField id={fieldId('names.en')} name="names[en]" label={me.nameEn} value={values.names.en} errors={errors} />
      <TextField id={fieldId('names.uk')} name="names[uk]" label={me.nameUk} value={values.names.uk} errors={errors} />
      <TextField id={fieldId('names.ru')} name="names[ru]" label={me.nameRu} value={values.names.ru} errors={errors} />
      <TextField id={fieldId('aliases')} name="aliases" label={me.aliases} value={values.aliases} errors={errors} />
      <div class="actions"><button type="submit" class="primary">{props.submitLabel}</button></div>
    </form>
  );
}

/** Every entity and the form to add one. */
export function EntitiesPage(props: { ctx: DeskContext; entities: Entity[]; values: EntityFormValues; errors: FormErrors }) {
  return (
    <DeskPage ctx={props.ctx} title={me.title} current="entities">
      <ErrorSummary errors={props.errors} />
      {props.entities.length === 0 ? <p>{me.none}</p> : (
        <table aria-label={me.title}>
          <thead><tr><th scope="col">{me.name}</th><th scope="col">{me.kind}</th><th scope="col">{me.nameUk}</th><th scope="col">{me.nameRu}</th></tr></thead>
          <tbody>
            {props.entities.map((entity) => (
              <tr>
                <td><a href={`/desk/entities/${encodeURIComponent(entity.id)}`}>{entity.names.en || entity.names.uk || entity.names.ru}</a></td>
                <td>{m.entityKind[entity.kind]}</td>
                <td lang="uk">{entity.names.uk}</td>
                <td lang="ru">{entity.names.ru}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section aria-labelledby="new-entity">
        <h2 id="new-entity">{me.newEntity}</h2>
        <EntityForm ctx={props.ctx} action="/desk/entities" values={props.values} errors={props.errors} submitLabel={me.create} />
      </section>
    </DeskPage>
  );
}

/** One entity's names, kind and aliases. */
export function EntityEditPage(props: { ctx: DeskContext; entity: Entity; values: EntityFormValues; errors: FormErrors; done?: EntityDoneKey | null }) {
  return (
    <DeskPage ctx={props.ctx} title={me.editTitle} current="entities">
      {props.done ? <p class="notice" role="status">{ENTITY_DONE[props.done]}</p> : null}
      <ErrorSummary errors={props.errors} />
      <p><a href={entityPath(props.entity, 'en')}>{m.brief.viewOnSite}</a></p>
      <EntityForm ctx={props.ctx} action={`/desk/entities/${encodeURIComponent(props.entity.id)}`} values={props.values} errors={props.errors} submitLabel={me.save} />
    </DeskPage>
  );
}
