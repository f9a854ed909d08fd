import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { assertCan, can } from '../accounts/policy.js';
import { getModerationSettings } from '../comments/policy-settings.js';
import { policiesFor, setCommentPolicy } from '../comments/subject-policy.js';
import { listUsers } from '../accounts/service.js';
import { AppError, conflict, notFound, validationError } from '../common/errors.js';
import { findBrief, findBriefsByIds, listBriefs, listRevisions } from '../content/brief-repository.js';
import { correctBrief, createBrief, publishBrief, retractBrief, submitBrief, updateBrief, type ContentDeps } from '../content/briefs.js';
import { listEntities } from '../content/entities.js';
import { proposePreviously } from '../content/previously.js';
import type { BriefInput } from '../content/schema.js';
import { findStory, listBackground, listStories } from '../content/stories.js';
import { confirmEntityTag, removeEntityTag, suggestedEntityIds } from '../content/tagging.js';
import { findTimelineState, linkTranslation, listTranslations, pinBrief, unlinkTranslation } from '../content/timeline.js';
import { LANGUAGES, type Brief, type Language } from '../content/types.js';
import { atomically } from '../storage/events.js';
import { loadBriefPageOf } from '../web/loaders.js';
import { deskBriefPath } from '../web/paths.js';
import { BriefPage } from '../web/views/BriefPage.js';
import { withPickedBackground } from './background-picker.js';
import { deskActor, deskContext, sendDeskPage, seeOther } from './context.js';
import {
  applyRowOp, briefInputFromValues, briefValuesFromBody, briefValuesFromBrief, compactBriefValues, emptyBriefValues, opOf,
  type BriefFormValues, type FormBody,
} from './forms.js';
import { deskMessages as m } from './messages.js';
import { commentModeFrom } from './moderation.js';
import type { CommentPolicyView } from './views/ModerationPolicy.js';
import { BriefEditor, DONE_MESSAGES, describeBriefPath, describeRetractPath, type DoneKey, type RevisionLine } from './views/BriefEditor.js';
import { NO_ERRORS, formErrorsFrom, formErrorsFromAppError, type FormErrors } from './views/fields.js';
import { describeTimelinePath, type TimelinePanelView } from './views/TimelineForms.js';

// Statuses whose failures are the person's to fix on the same form: bad input (400) and a
// concurrent save or a changed status (409). Anything else (403, 404) becomes an error page.
const isFixable = (err: unknown): err is AppError => err instanceof AppError && (err.status === 400 || err.status === 409);

interface IdParams { id: string }

/** The brief editor, its actions (create, save, submit, publish, correct, retract) and preview. */
export const briefRoutes: FastifyPluginAsync = async (app) => {
  const deps = { db: app.deps.db, bus: app.deps.bus };
  const { db, config } = app.deps;

  async function loadBrief(id: string): Promise<Brief> {
    const brief = await findBrief(db, id);
    if (!brief || brief.status === 'deleted') throw notFound('Brief', 'id');
    return brief;
  }

  async function revisionLines(briefId: string): Promise<RevisionLine[]> {
    const [revisions, users] = await Promise.all([listRevisions(db, briefId), listUsers(db)]);
    const names = new Map(users.map((u) => [u.id, u.displayName]));
    return revisions.map((r) => ({
      number: r.number, kind: r.kind, createdAt: r.createdAt, reason: r.reason,
      who: (r.userId && names.get(r.userId)) || m.brief.systemActor,
    }));
  }

  /** The brief's comment setting and what it follows otherwise, for those who may change it. */
  async function commentPolicyOf(request: FastifyRequest, brief: Brief): Promise<CommentPolicyView | null> {
    if (!can(deskActor(request), 'comment.moderate')) return null;
    const [policies, site] = await Promise.all([policiesFor(db, brief.id, brief.storyId), getModerationSettings(db)]);
    const inherited = policies.story ? { from: 'story' as const, mode: policies.story } : { from: 'site' as const, mode: site.moderation };
    return { own: policies.brief, inherited };
  }

  async function renderEditor(request: FastifyRequest, reply: FastifyReply, opts: {
    brief: Brief | null; values: BriefFormValues; errors?: FormErrors; status?: number; done?: DoneKey | null;
    retractReason?: string; retractErrors?: FormErrors; timelineErrors?: FormErrors;
  }): Promise<FastifyReply> {
    const timeline = opts.brief ? await timelinePanelOf(request, opts.brief) : null;
    const [stories, entities, revisions, commentPolicy, suggestedIds] = await Promise.all([
      listStories(db), listEntities(db), opts.brief ? revisionLines(opts.brief.id) : Promise.resolve([]),
      opts.brief ? commentPolicyOf(request, opts.brief) : Promise.resolve(null),
      opts.brief ? suggestedEntityIds(db, opts.brief.id) : Promise.resolve([]),
    ]);
    const storyItems = opts.values.storyId ? await listBackground(db, opts.values.storyId) : null;
    const previouslyBriefs = await findBriefsByIds(db, opts.values.previouslyLinks);
    const page = (
      <BriefEditor
        ctx={deskContext(request, reply)} brief={opts.brief} values={opts.values} errors={opts.errors ?? NO_ERRORS}
        stories={stories} entities={entities} revisions={revisions} done={opts.done}
        retractReason={opts.retractReason} retractErrors={opts.retractErrors} commentPolicy={commentPolicy}
        suggestedEntityIds={suggestedIds} storyItems={storyItems} previouslyBriefs={previouslyBriefs}
        timeline={timeline} timelineErrors={opts.timelineErrors}
      />
    );
    return sendDeskPage(reply, page, opts.status ?? 200);
  }

  /** Parses the posted form into a patch; a dateline that does not parse comes back as a 400 to show. */
  function patchFrom(values: BriefFormValues): BriefInput {
    const { input, errors } = briefInputFromValues(values, config.timeZone);
    if (errors.length) throw validationError(errors);
    return input;
  }

  const expectedRevision = (values: BriefFormValues) => (/^\d+$/.test(values.revision) ? Number(values.revision) : undefined);

  /**
   * Saves the posted editor form unless it matches the stored brief, so pressing Submit or
   * Publish without edits adds no empty revision. Either way the form must be from the current
   * revision: acting on a brief someone changed since it was opened would approve unseen text.
   */
  async function saveIfChanged(request: FastifyRequest, brief: Brief, values: BriefFormValues, txDeps: ContentDeps = deps): Promise<Brief> {
    const expected = expectedRevision(values);
    if (expected !== undefined && expected !== brief.revision) {
      throw conflict('Someone else saved this brief meanwhile; reload it and apply your change again.', [{ path: 'revision', reason: 'is out of date' }]);
    }
    const patch = patchFrom(values);
    const stored = briefInputFromValues(briefValuesFromBrief(brief, config.timeZone), config.timeZone).input;
    if (JSON.stringify(patch) === JSON.stringify(stored)) return brief;
    return updateBrief(txDeps, deskActor(request), brief.id, patch, expected);
  }

  const doneOf = (query: unknown): DoneKey | null => {
    const done = (query as Record<string, unknown>).done;
    return typeof done === 'string' && done in DONE_MESSAGES ? (done as DoneKey) : null;
  };

  /**
   * Values with Previously proposed from the story's latest published briefs (`selfId` and its
   * translations left out). Only the form changes: the editor edits the proposal, then saves.
   */
  async function withProposedPreviously(values: BriefFormValues, selfId: string | null): Promise<BriefFormValues> {
    if (!values.storyId) throw validationError([{ path: 'storyId', reason: m.brief.proposeNeedsStory }]);
    const language = (LANGUAGES as readonly string[]).includes(values.language) ? (values.language as Language) : 'uk';
    const proposal = await proposePreviously(db, { storyId: values.storyId, language, excludeBriefId: selfId, timeZone: config.timeZone });
    if (proposal.previouslyLinks.length === 0) throw validationError([{ path: 'previously', reason: m.brief.proposeNothing }]);
    return { ...values, previously: proposal.paragraphs.join('\n'), previouslyLinks: proposal.previouslyLinks };
  }

  /** Redraws the editor after "Propose from the story", or with the reason it could not propose. */
  async function renderProposal(request: FastifyRequest, reply: FastifyReply, brief: Brief | null, values: BriefFormValues): Promise<FastifyReply> {
    try {
      return await renderEditor(request, reply, { brief, values: await withProposedPreviously(values, brief?.id ?? null) });
    } catch (err) {
      if (!isFixable(err)) throw err;
      return renderEditor(request, reply, { brief, values, errors: formErrorsFromAppError(err, describeBriefPath), status: err.status });
    }
  }

  app.get('/new', async (request, reply) => {
    assertCan(deskActor(request), 'brief.write');
    // "New brief in this story" from a story's desk page: the story chosen and, when it has
    // published briefs, Previously proposed from them (in the form only, until saved).
    const storyId = (request.query as Record<string, unknown>).storyId;
    const values = emptyBriefValues();
    if (typeof storyId === 'string' && storyId) {
      const story = await findStory(db, storyId);
      if (story) {
        const withStory = { ...values, storyId: story.id, language: story.language };
        const proposal = await proposePreviously(db, { storyId: story.id, language: story.language, timeZone: config.timeZone });
        return renderEditor(request, reply, {
          brief: null, values: { ...withStory, previously: proposal.paragraphs.join('\n'), previouslyLinks: proposal.previouslyLinks },
        });
      }
    }
    return renderEditor(request, reply, { brief: null, values });
  });

  app.post('/', { preHandler: app.csrfProtection }, async (request, reply) => {
    const body = request.body as FormBody;
    const op = opOf(body);
    const posted = await withPickedBackground(db, briefValuesFromBody(body), body);
    const redrawn = applyRowOp(posted, op);
    if (redrawn) return renderEditor(request, reply, { brief: null, values: redrawn });
    if (op === 'propose-previously') return renderProposal(request, reply, null, posted);
    const values = compactBriefValues(posted);
    try {
      const brief = await createBrief(deps, deskActor(request), patchFrom(values));
      return seeOther(reply, op === 'preview' ? `${deskBriefPath(brief)}/preview` : `${deskBriefPath(brief)}?done=created`);
    } catch (err) {
      if (!isFixable(err)) throw err;
      return renderEditor(request, reply, { brief: null, values, errors: formErrorsFromAppError(err, describeBriefPath), status: err.status });
    }
  });

  app.get<{ Params: IdParams }>('/:id', async (request, reply) => {
    const brief = await loadBrief(request.params.id);
    return renderEditor(request, reply, { brief, values: briefValuesFromBrief(brief, config.timeZone), done: doneOf(request.query) });
  });

  /** Shared by save, submit and publish: redraw for row buttons, else save and then `then`. */
  async function handleEditorPost(
    request: FastifyRequest<{ Params: IdParams }>, reply: FastifyReply,
    then: (brief: Brief, txDeps: ContentDeps) => Promise<{ brief: Brief; done: DoneKey | 'preview' }>,
  ): Promise<FastifyReply> {
    const brief = await loadBrief(request.params.id);
    const body = request.body as FormBody;
    const posted = await withPickedBackground(db, briefValuesFromBody(body), body);
    const redrawn = applyRowOp(posted, opOf(body));
    if (redrawn) return renderEditor(request, reply, { brief, values: redrawn });
    if (opOf(body) === 'propose-previously') return renderProposal(request, reply, brief, posted);
    // The small action forms post only a token; the editor posts every field with it.
    const hasForm = typeof body.headline === 'string';
    const values = compactBriefValues(posted);
    try {
      // One transaction: a publish that is refused must not leave the edit it carried saved.
      const result = await atomically(deps, async (txDeps) => {
        const saved = hasForm ? await saveIfChanged(request, brief, values, txDeps) : brief;
        return then(saved, txDeps);
      });
      const path = deskBriefPath(result.brief);
      return seeOther(reply, result.done === 'preview' ? `${path}/preview` : `${path}?done=${result.done}`);
    } catch (err) {
      if (!isFixable(err)) throw err;
      const current = await loadBrief(brief.id);
      const shown = hasForm ? values : briefValuesFromBrief(current, config.timeZone);
      return renderEditor(request, reply, { brief: current, values: shown, errors: formErrorsFromAppError(err, describeBriefPath), status: err.status });
    }
  }

  app.post<{ Params: IdParams }>('/:id', { preHandler: app.csrfProtection }, async (request, reply) =>
    handleEditorPost(request, reply, async (brief) => ({ brief, done: opOf(request.body as FormBody) === 'preview' ? 'preview' : 'saved' })));

  // Submit and publish check the role before saving the posted form: a refused action should
  // not leave half its work (a saved edit) behind.
  app.post<{ Params: IdParams }>('/:id/submit', { preHandler: app.csrfProtection }, async (request, reply) => {
    assertCan(deskActor(request), 'brief.submit');
    return handleEditorPost(request, reply, async (brief, txDeps) => ({ brief: await submitBrief(txDeps, deskActor(request), brief.id), done: 'submitted' }));
  });

  app.post<{ Params: IdParams }>('/:id/publish', { preHandler: app.csrfProtection }, async (request, reply) => {
    assertCan(deskActor(request), 'brief.publish');
    return handleEditorPost(request, reply, async (brief, txDeps) => ({ brief: await publishBrief(txDeps, deskActor(request), brief.id), done: 'published' }));
  });

  app.post<{ Params: IdParams }>('/:id/correct', { preHandler: app.csrfProtection }, async (request, reply) => {
    const brief = await loadBrief(request.params.id);
    const body = request.body as FormBody;
    const posted = await withPickedBackground(db, briefValuesFromBody(body), body);
    // The dateline is fixed once published and not part of the correction form.
    const keepDateline = (v: BriefFormValues) => ({ ...v, dateline: briefValuesFromBrief(brief, config.timeZone).dateline });
    const redrawn = applyRowOp(posted, opOf(body));
    if (redrawn) return renderEditor(request, reply, { brief, values: keepDateline(redrawn) });
    if (opOf(body) === 'propose-previously') return renderProposal(request, reply, brief, keepDateline(posted));
    const values = keepDateline(compactBriefValues(posted));
    try {
      const { publishedAt: _fixed, ...patch } = patchFrom(values);
      const saved = await correctBrief(deps, deskActor(request), brief.id, patch, values.reason, expectedRevision(values));
      return seeOther(reply, `${deskBriefPath(saved)}?done=corrected`);
    } catch (err) {
      if (!isFixable(err)) throw err;
      return renderEditor(request, reply, { brief, values, errors: formErrorsFromAppError(err, describeBriefPath), status: err.status });
    }
  });

  app.post<{ Params: IdParams }>('/:id/retract', { preHandler: app.csrfProtection }, async (request, reply) => {
    const brief = await loadBrief(request.params.id);
    const body = request.body as FormBody;
    const reason = typeof body.reason === 'string' ? body.reason : '';
    try {
      const saved = await retractBrief(deps, deskActor(request), brief.id, reason);
      return seeOther(reply, `${deskBriefPath(saved)}?done=retracted`);
    } catch (err) {
      if (!isFixable(err)) throw err;
      const retractErrors = formErrorsFrom({ fields: err.fields, message: err.message, describe: describeRetractPath });
      return renderEditor(request, reply, {
        brief, values: briefValuesFromBrief(brief, config.timeZone), retractReason: reason, retractErrors, status: err.status,
      });
    }
  });

  // An automatic entity tag: the editor confirms it (it stays whatever the text says later) or
  // removes it (it is not suggested again for this brief).
  app.post<{ Params: IdParams & { entityId: string } }>('/:id/entities/:entityId', { preHandler: app.csrfProtection }, async (request, reply) => {
    const brief = await loadBrief(request.params.id);
    const op = opOf(request.body as FormBody);
    if (op !== 'confirm' && op !== 'remove') throw validationError([{ path: 'op', reason: 'must be confirm or remove' }]);
    const change = op === 'confirm' ? confirmEntityTag : removeEntityTag;
    await change(deps, deskActor(request), brief.id, request.params.entityId);
    return seeOther(reply, `${deskBriefPath(brief)}?done=${op === 'confirm' ? 'tag-confirmed' : 'tag-removed'}`);
  });

  /** The brief's translations and pin, and the briefs it could be linked to; only for those who may change them. */
  async function timelinePanelOf(request: FastifyRequest, brief: Brief): Promise<TimelinePanelView | null> {
    if (!can(deskActor(request), 'story.manage')) return null;
    const [state, translations, storyBriefs] = await Promise.all([
      findTimelineState(db, brief.id), listTranslations(db, brief.id),
      brief.storyId ? listBriefs(db, { storyId: brief.storyId, statuses: ['draft', 'in_review', 'published', 'corrected', 'retracted'], limit: 100 }) : null,
    ]);
    const taken = new Set([brief.language, ...translations.map((t) => t.language)]);
    const option = (b: Brief) => ({ id: b.id, language: b.language, headline: b.headline, status: b.status });
    return {
      isInStory: brief.storyId !== null,
      pinnedAt: state?.pinnedAt ?? null,
      translations: translations.map(option),
      candidates: (storyBriefs?.items ?? []).filter((b) => !taken.has(b.language)).map(option),
    };
  }

  // Translations and the key-event pin: story organisation, so a refusal (a second brief in one
  // language, a brief outside any story) is shown on the editor rather than as an error page.
  app.post<{ Params: IdParams }>('/:id/translations', { preHandler: app.csrfProtection }, async (request, reply) => {
    const brief = await loadBrief(request.params.id);
    const body = request.body as FormBody;
    try {
      if (opOf(body) === 'unlink') await unlinkTranslation(deps, deskActor(request), brief.id);
      else await linkTranslation(deps, deskActor(request), brief.id, typeof body.otherBriefId === 'string' ? body.otherBriefId : '');
      return seeOther(reply, `${deskBriefPath(brief)}?done=${opOf(body) === 'unlink' ? 'translation-unlinked' : 'translation-linked'}`);
    } catch (err) {
      if (!isFixable(err)) throw err;
      const timelineErrors = formErrorsFromAppError(err, describeTimelinePath);
      return renderEditor(request, reply, { brief, values: briefValuesFromBrief(brief, config.timeZone), timelineErrors, status: err.status });
    }
  });

  app.post<{ Params: IdParams }>('/:id/pin', { preHandler: app.csrfProtection }, async (request, reply) => {
    const brief = await loadBrief(request.params.id);
    const isPinned = (request.body as FormBody).pinned === 'yes';
    try {
      await pinBrief(deps, deskActor(request), brief.id, isPinned);
      return seeOther(reply, `${deskBriefPath(brief)}?done=${isPinned ? 'pinned' : 'unpinned'}`);
    } catch (err) {
      if (!isFixable(err)) throw err;
      const timelineErrors = formErrorsFromAppError(err, describeTimelinePath);
      return renderEditor(request, reply, { brief, values: briefValuesFromBrief(brief, config.timeZone), timelineErrors, status: err.status });
    }
  });

  app.post<{ Params: IdParams }>('/:id/comments', { preHandler: app.csrfProtection }, async (request, reply) => {
    const brief = await loadBrief(request.params.id);
    await setCommentPolicy(deps, deskActor(request), { scope: 'brief', id: brief.id }, { mode: commentModeFrom(request.body as FormBody) });
    return seeOther(reply, `${deskBriefPath(brief)}?done=comments-saved`);
  });

  // The reader's own page component on the brief as stored, so staff approve exactly what
  // readers will get. Never cached and kept out of search engines: it may show a draft.
  app.get<{ Params: IdParams }>('/:id/preview', async (request, reply) => {
    const brief = await loadBrief(request.params.id);
    const view = await loadBriefPageOf(db, brief, config);
    const site = { siteName: config.siteName, publicUrl: config.publicUrl, timeZone: config.timeZone };
    return sendDeskPage(reply.header('x-robots-tag', 'noindex, nofollow'), <BriefPage site={site} view={view} />);
  });
};
