import type { FastifyPluginAsync } from 'fastify';
import { assertCan } from '../accounts/policy.js';
import { AppError, notFound } from '../common/errors.js';
import { createEntity, findEntity, listEntities, updateEntity } from '../content/entities.js';
import { deskActor, deskContext, sendDeskPage, seeOther } from './context.js';
import { entityInputFromValues, entityValuesFromBody, entityValuesFromEntity, type FormBody } from './forms.js';
import { formErrorsFromAppError, NO_ERRORS } from './views/fields.js';
import { ENTITY_DONE, EntitiesPage, EntityEditPage, describeEntityPath, type EntityDoneKey } from './views/EntityPages.js';

const isFixable = (err: unknown): err is AppError => err instanceof AppError && err.status === 400;
const EMPTY_ENTITY = { kind: 'person', names: { en: '', uk: '', ru: '' }, aliases: '' };

interface IdParams { id: string }

/** People, organisations and places briefs can name; editors and admins only. */
export const entityRoutes: FastifyPluginAsync = async (app) => {
  const deps = { db: app.deps.db, bus: app.deps.bus };
  const { db } = app.deps;
  const entityPage = (id: string) => `/desk/entities/${encodeURIComponent(id)}`;

  app.addHook('preHandler', async (request) => {
    if (request.method === 'GET') assertCan(deskActor(request), 'entity.manage');
  });

  app.get('/', async (request, reply) => {
    const entities = await listEntities(db);
    return sendDeskPage(reply, <EntitiesPage ctx={deskContext(request, reply)} entities={entities} values={EMPTY_ENTITY} errors={NO_ERRORS} />);
  });

  app.post('/', { preHandler: app.csrfProtection }, async (request, reply) => {
    const values = entityValuesFromBody(request.body as FormBody);
    try {
      const entity = await createEntity(deps, deskActor(request), entityInputFromValues(values));
      return seeOther(reply, `${entityPage(entity.id)}?done=created`);
    } catch (err) {
      if (!isFixable(err)) throw err;
      const entities = await listEntities(db);
      const errors = formErrorsFromAppError(err, describeEntityPath);
      return sendDeskPage(reply, <EntitiesPage ctx={deskContext(request, reply)} entities={entities} values={values} errors={errors} />, 400);
    }
  });

  app.get<{ Params: IdParams }>('/:id', async (request, reply) => {
    const entity = await findEntity(db, request.params.id);
    if (!entity) throw notFound('Entity', 'id');
    const done = (request.query as Record<string, unknown>).done;
    const page = (
      <EntityEditPage ctx={deskContext(request, reply)} entity={entity} values={entityValuesFromEntity(entity)} errors={NO_ERRORS}
        done={typeof done === 'string' && done in ENTITY_DONE ? (done as EntityDoneKey) : null} />
    );
    return sendDeskPage(reply, page);
  });

  app.post<{ Params: IdParams }>('/:id', { preHandler: app.csrfProtection }, async (request, reply) => {
    const entity = await findEntity(db, request.params.id);
    if (!entity) throw notFound('Entity', 'id');
    const values = entityValuesFromBody(request.body as FormBody);
    try {
      await updateEntity(deps, deskActor(request), entity.id, entityInputFromValues(values));
      return seeOther(reply, `${entityPage(entity.id)}?done=saved`);
    } catch (err) {
      if (!isFixable(err)) throw err;
      const errors = formErrorsFromAppError(err, describeEntityPath);
      return sendDeskPage(reply, <EntityEditPage ctx={deskContext(request, reply)} entity={entity} values={values} errors={errors} />, 400);
    }
  });
};
