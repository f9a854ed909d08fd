import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { assertCan, can } from '../accounts/policy.js';
import { getModerationSettings } from '../comments/policy-settings.js';
import { policiesFor, setCommentPolicy } from '../comments/subject-policy.js';
import { AppError, notFound } from '../common/errors.js';
import { suggestClaim } from '../content/claims.js';
import { acceptClaimSuggestion, differingSuggestion } from '../content/claims-service.js';
import { listEntities } from '../content/entities.js';
import { loadStoryDashboard } from '../content/story-dashboard.js';
import { addBackgroundItem, createStory, findStory, listBackground, listStories, updateBackgroundItem, updateStory } from '../content/stories.js';
import { CLAIM_STATUSES, type ClaimStatus, type Story } from '../content/types.js';
import { deskActor, deskContext, sendDeskPage, seeOther } from './context.js';
import { deskMessages as m } from './messages.js';
import { commentModeFrom } from './moderation.js';
import {
  itemInputFromValues, itemValuesFromBody, storyInputFromValues, storyValuesFromBody, storyValuesFromStory, type FormBody,
} from './forms.js';
import { formErrorsFromAppError, NO_ERRORS } from './views/fields.js';
import type { CommentPolicyView } from './views/ModerationPolicy.js';
import {
  STORY_DONE, StoriesPage, StoryEditPage, describeItemPath, describeStoryPath, describeSuggestion,
  type ItemDraft, type ItemDraftValues, type StoryDoneKey, type StoryPageFailure,
} from './views/StoryPages.js';

const isFixable = (err: unknown): err is AppError => err instanceof AppError && err.status === 400;
const EMPTY_STORY = { title: '', summary: '', language: 'uk', status: 'developing' };

interface IdParams { id: string }
interface ItemParams extends IdParams { itemId: string }

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const isClaimStatus = (value: string): value is ClaimStatus => (CLAIM_STATUSES as readonly string[]).includes(value);

/** An item form as posted, with the source of the change kept apart from the item's own fields. */
function itemDraftFromBody(body: FormBody): ItemDraftValues {
  return { ...itemValuesFromBody(body), changeSource: str(body.changeSource) };
}

function itemInputFromDraft(values: ItemDraftValues) {
  return { ...itemInputFromValues(values), changeSource: values.changeSource.trim() || null };
}

/** Stories and their background ledgers; editors and admins only (services check too). */
export const storyRoutes: FastifyPluginAsync = async (app) => {
  const deps = { db: app.deps.db, bus: app.deps.bus };
  const { db } = app.deps;
  const storyPage = (id: string) => `/desk/stories/${encodeURIComponent(id)}`;

  // The list and edit pages show only forms a contributor could not submit, so they are
  // refused up front rather than rendered and failed on POST.
  app.addHook('preHandler', async (request) => {
    if (request.method === 'GET') assertCan(deskActor(request), 'story.manage');
  });

  async function loadStory(id: string): Promise<Story> {
    const story = await findStory(db, id);
    if (!story) throw notFound('Story', 'id');
    return story;
  }

  /** The story's comment setting, for those who may change it (moderators); null for others. */
  async function commentPolicyOf(request: FastifyRequest, story: Story): Promise<CommentPolicyView | null> {
    if (!can(deskActor(request), 'comment.moderate')) return null;
    // policiesFor reads a brief's and a story's rows by id; a story alone is looked up in the first slot.
    const [own, site] = await Promise.all([policiesFor(db, story.id, null), getModerationSettings(db)]);
    return { own: own.brief, inherited: { from: 'site', mode: site.moderation } };
  }

  async function renderStory(request: FastifyRequest, reply: FastifyReply, story: Story, opts: {
    failure?: StoryPageFailure; status?: number; done?: StoryDoneKey | null; draft?: ItemDraft | null;
  } = {}) {
    const [items, entities, commentPolicy, dashboard] = await Promise.all([
      listBackground(db, story.id), listEntities(db), commentPolicyOf(request, story), loadStoryDashboard(db, story.id),
    ]);
    const storedSuggestions = new Map(items.flatMap((item) => {
      const suggestion = differingSuggestion(item);
      return suggestion ? [[item.id, suggestion] as const] : [];
    }));
    const page = (
      <StoryEditPage ctx={deskContext(request, reply)} story={story} items={items} entities={entities} dashboard={dashboard}
        storedSuggestions={storedSuggestions} draft={opts.draft} storyValues={storyValuesFromStory(story)}
        failure={opts.failure} done={opts.done} commentPolicy={commentPolicy} />
    );
    return sendDeskPage(reply, page, opts.status ?? 200);
  }

  app.get('/', async (request, reply) => {
    const stories = await listStories(db);
    return sendDeskPage(reply, <StoriesPage ctx={deskContext(request, reply)} stories={stories} values={EMPTY_STORY} errors={NO_ERRORS} />);
  });

  app.post('/', { preHandler: app.csrfProtection }, async (request, reply) => {
    const values = storyValuesFromBody(request.body as FormBody);
    try {
      const story = await createStory(deps, deskActor(request), storyInputFromValues(values));
      return seeOther(reply, `${storyPage(story.id)}?done=created`);
    } catch (err) {
      if (!isFixable(err)) throw err;
      const stories = await listStories(db);
      const errors = formErrorsFromAppError(err, describeStoryPath);
      return sendDeskPage(reply, <StoriesPage ctx={deskContext(request, reply)} stories={stories} values={values} errors={errors} />, 400);
    }
  });

  app.get<{ Params: IdParams }>('/:id', async (request, reply) => {
    const done = (request.query as Record<string, unknown>).done;
    const story = await loadStory(request.params.id);
    return renderStory(request, reply, story, { done: typeof done === 'string' && done in STORY_DONE ? (done as StoryDoneKey) : null });
  });

  app.post<{ Params: IdParams }>('/:id', { preHandler: app.csrfProtection }, async (request, reply) => {
    const story = await loadStory(request.params.id);
    const values = storyValuesFromBody(request.body as FormBody);
    try {
      await updateStory(deps, deskActor(request), story.id, storyInputFromValues(values));
      return seeOther(reply, `${storyPage(story.id)}?done=saved`);
    } catch (err) {
      if (!isFixable(err)) throw err;
      return renderStory(request, reply, story, { failure: { form: 'story', values, errors: formErrorsFromAppError(err, describeStoryPath) }, status: 400 });
    }
  });

  app.post<{ Params: IdParams }>('/:id/items', { preHandler: app.csrfProtection }, async (request, reply) => {
    const story = await loadStory(request.params.id);
    const values = itemDraftFromBody(request.body as FormBody);
    try {
      await addBackgroundItem(deps, deskActor(request), story.id, itemInputFromDraft(values));
      return seeOther(reply, `${storyPage(story.id)}?done=item-added`);
    } catch (err) {
      if (!isFixable(err)) throw err;
      const failure: StoryPageFailure = { form: 'item', itemKey: 'new', values, errors: formErrorsFromAppError(err, describeItemPath('new')) };
      return renderStory(request, reply, story, { failure, status: 400 });
    }
  });

  app.post<{ Params: IdParams & { itemId: string } }>('/:id/items/:itemId', { preHandler: app.csrfProtection }, async (request, reply) => {
    const story = await loadStory(request.params.id);
    const { itemId } = request.params;
    // The service finds items by id alone; checking the story keeps URLs honest.
    if (!(await listBackground(db, story.id)).some((item) => item.id === itemId)) throw notFound('Background item', 'id');
    const values = itemDraftFromBody(request.body as FormBody);
    try {
      await updateBackgroundItem(deps, deskActor(request), itemId, itemInputFromDraft(values));
      return seeOther(reply, `${storyPage(story.id)}?done=item-saved`);
    } catch (err) {
      if (!isFixable(err)) throw err;
      const failure: StoryPageFailure = { form: 'item', itemKey: itemId, values, errors: formErrorsFromAppError(err, describeItemPath(itemId)) };
      return renderStory(request, reply, story, { failure, status: 400 });
    }
  });

  // "Suggest status from wording" and "Accept suggestion" without JavaScript: the item's form is
  // redrawn with what was typed and the suggestion beside it, or with the suggestion put in.
  // Nothing is saved here; the editor still presses Save.
  app.post<{ Params: IdParams & { itemKey: string } }>('/:id/items/:itemKey/suggest', { preHandler: app.csrfProtection }, async (request, reply) => {
    assertCan(deskActor(request), 'story.manage');
    const story = await loadStory(request.params.id);
    const { itemKey } = request.params;
    if (itemKey !== 'new' && !(await listBackground(db, story.id)).some((item) => item.id === itemKey)) throw notFound('Background item', 'id');
    const body = request.body as FormBody;
    const values = itemDraftFromBody(body);
    if (str(body.op) === 'accept') {
      const status = str(body.suggestedStatus);
      const attribution = str(body.suggestedAttribution).trim();
      const accepted = isClaimStatus(status) ? { ...values, status, attributionSource: attribution || values.attributionSource } : values;
      return renderStory(request, reply, story, { draft: { itemKey, values: accepted, suggestion: null, isApplied: isClaimStatus(status) } });
    }
    return renderStory(request, reply, story, { draft: { itemKey, values, suggestion: suggestClaim(values.text), isApplied: false } });
  });

  // Accepting the suggestion shown beside a stored item (typically an imported one) saves it:
  // the status and attribution the editor saw, checked against the item's wording now.
  app.post<{ Params: ItemParams }>('/:id/items/:itemId/accept', { preHandler: app.csrfProtection }, async (request, reply) => {
    const story = await loadStory(request.params.id);
    const body = request.body as FormBody;
    const item = await acceptClaimSuggestion(deps, deskActor(request), {
      storyId: story.id, itemId: request.params.itemId, expected: { status: str(body.status), attribution: str(body.attribution) },
    });
    return seeOther(reply, `${storyPage(story.id)}?done=suggestion-accepted#item-${encodeURIComponent(item.id)}`);
  });

  // For the claim-suggest island: the same suggestion as JSON while the editor types.
  app.get<{ Params: IdParams; Querystring: { text?: unknown } }>('/:id/claim-suggestion', async (request, reply) => {
    const story = await loadStory(request.params.id);
    const text = str(request.query.text).slice(0, 2000);
    const suggestion = text.trim() ? suggestClaim(text) : null;
    return reply.header('cache-control', 'no-store').send({
      suggestion, label: suggestion ? describeSuggestion(suggestion) : null,
      statusLabel: suggestion ? m.claimStatus[suggestion.status] : null,
    });
  });

  app.post<{ Params: IdParams }>('/:id/comments', { preHandler: app.csrfProtection }, async (request, reply) => {
    const story = await loadStory(request.params.id);
    await setCommentPolicy(deps, deskActor(request), { scope: 'story', id: story.id }, { mode: commentModeFrom(request.body as FormBody) });
    return seeOther(reply, `${storyPage(story.id)}?done=comments-saved`);
  });
};
