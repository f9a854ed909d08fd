import { CLI_ACTOR, type Actor } from '../accounts/policy.js';
import { createUser, type User } from '../accounts/service.js';
import { randomBytes } from 'node:crypto';
import { signUpReader } from '../accounts/readers.js';
import { addComment, postComment } from '../comments/service.js';
import { correctBrief, createBrief, publishBrief, submitBrief } from '../content/briefs.js';
import { createEntity } from '../content/entities.js';
import { addBackgroundItem, createStory, updateBackgroundItem } from '../content/stories.js';
import { linkTranslation, pinBrief } from '../content/timeline.js';
import type { BackgroundEntry } from '../content/types.js';
import type { Runtime } from '../main.js';
import { atomically, type TransactionDeps } from '../storage/events.js';
import {
  DEMO_BRIEFS, DEMO_CLAIMS, DEMO_ENTITIES, DEMO_KEY_EVENTS, DEMO_READER_COMMENTS, DEMO_READERS, DEMO_STAFF, DEMO_STORY, DEMO_TRANSLATIONS,
  type BriefKey, type ClaimKey, type ClaimRef, type ClaimState, type DemoBrief, type EntityKey,
} from './demo-content.js';

export interface DemoLogin {
  email: string;
  password: string;
}

const MINUTE = 60_000;
/** The last brief is dated this long before the seed runs: fresh, but plainly not live. */
const LAST_BRIEF_BEFORE_NOW = 3 * 60 * MINUTE;

const actorOf = (user: User): Actor => ({ userId: user.id, role: user.role, label: user.email });

/**
 * On first start (no users yet) creates the admin, an editor and a contributor, and seeds a demo
 * newsroom. Everything happens in one transaction, so a crash midway leaves an empty database
 * that the next start seeds again, never half a newsroom. Answers the admin's login when it
 * created one, so `serve` can print it once; null when the database already had users.
 */
export async function ensureDemoNewsroom(runtime: Runtime): Promise<DemoLogin | null> {
  const now = new Date();
  return atomically(runtime, async (deps) => {
    // Checked inside the transaction: if two processes start at once, the one that read the empty
    // table too early fails on its first write (the emails are unique) and rolls back whole.
    const hasUsers = await deps.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (hasUsers) return null;
    const create = (member: (typeof DEMO_STAFF)[keyof typeof DEMO_STAFF]) =>
      createUser({ db: deps.db, actor: CLI_ACTOR, input: { email: member.email, displayName: member.displayName, role: member.role } });
    const admin = await create(DEMO_STAFF.admin);
    // The other two get generated passwords nobody is shown; an admin resets them when needed.
    const editor = await create(DEMO_STAFF.editor);
    const contributor = await create(DEMO_STAFF.contributor);
    await create(DEMO_STAFF.moderator);
    const briefIds = await seedNewsroom(deps, { editor: actorOf(editor.user), contributor: actorOf(contributor.user) }, now);
    await seedReaderComments(deps, briefIds.get(DEMO_READER_COMMENTS.brief)!);
    const editorActor = actorOf(editor.user);
    for (const [a, b] of DEMO_TRANSLATIONS) await linkTranslation(deps, editorActor, briefIds.get(a)!, briefIds.get(b)!);
    for (const key of DEMO_KEY_EVENTS) await pinBrief(deps, editorActor, briefIds.get(key)!, true);
    return { email: admin.user.email, password: admin.password };
  });
}

interface Staff {
  editor: Actor;
  contributor: Actor;
}

async function seedNewsroom(deps: TransactionDeps, staff: Staff, now: Date): Promise<Map<BriefKey, string>> {
  const entityIds = new Map<EntityKey, string>();
  for (const [key, input] of Object.entries(DEMO_ENTITIES) as [EntityKey, (typeof DEMO_ENTITIES)[EntityKey]][]) {
    entityIds.set(key, (await createEntity(deps, staff.editor, input)).id);
  }
  const entityId = (key: EntityKey) => entityIds.get(key)!;
  const story = await createStory(deps, staff.editor, DEMO_STORY);
  const ledger = createLedger(deps, staff.editor, story.id, entityId);

  const lastMinute = Math.max(...DEMO_BRIEFS.map((b) => b.minute));
  const firstAt = Math.floor((now.getTime() - LAST_BRIEF_BEFORE_NOW - lastMinute * MINUTE) / MINUTE) * MINUTE;
  const briefIds = new Map<BriefKey, string>();
  const briefId = (key: BriefKey) => {
    const id = briefIds.get(key);
    if (!id) throw new Error(`Demo content: a brief links to "${key}" before it is published`);
    return id;
  };

  for (const brief of DEMO_BRIEFS) {
    const publishedAt = firstAt + brief.minute * MINUTE;
    const background: BackgroundEntry[] = [];
    for (const ref of brief.background) background.push(await ledger.entryFor(ref));
    const id = await publishDemoBrief(deps, staff, brief, {
      storyId: story.id,
      publishedAt: new Date(publishedAt).toISOString(),
      background,
      previouslyLinks: brief.previouslyLinks.map(briefId),
      entityIds: brief.entities.map(entityId),
    });
    briefIds.set(brief.key, id);
    for (const comment of brief.comments) {
      const createdAt = Math.min(publishedAt + comment.minutesAfterPublishing * MINUTE, now.getTime());
      await addComment(deps, { briefId: id, authorName: comment.authorName, body: comment.body, createdAt: new Date(createdAt).toISOString() });
    }
    // Corrected before the next brief moves the ledger on: correctBrief writes the brief's own
    // background entries back to the story's items, so a later correction would roll those
    // claims back to the state this brief showed.
    if (brief.correction) {
      const { find, replaceWith, reason } = brief.correction;
      const fix = (text: string) => text.replaceAll(find, replaceWith);
      await correctBrief(deps, staff.editor, id, { headline: fix(brief.headline), details: brief.details.map(fix) }, reason);
    }
  }
  return briefIds;
}

/** Readers comment through the real pipeline, so what the queues show is what it decided. */
async function seedReaderComments(deps: TransactionDeps, briefId: string): Promise<void> {
  const readers = [];
  for (const reader of DEMO_READERS) {
    const { user } = await signUpReader({ db: deps.db, input: { ...reader, password: randomBytes(18).toString('base64url') } });
    readers.push(user);
  }
  const ids: string[] = [];
  for (const comment of DEMO_READER_COMMENTS.comments) {
    const reader = readers[comment.reader]!;
    const posted = await postComment(deps, {
      actor: { id: reader.id, displayName: reader.displayName, role: reader.role },
      briefId,
      body: comment.body,
      ...(comment.replyTo === undefined ? {} : { parentId: ids[comment.replyTo]! }),
    });
    ids.push(posted.id);
  }
}

/** A contributor's brief goes through review as it would on the desk; an editor publishes directly. */
async function publishDemoBrief(
  deps: TransactionDeps,
  staff: Staff,
  brief: DemoBrief,
  resolved: { storyId: string; publishedAt: string; background: BackgroundEntry[]; previouslyLinks: string[]; entityIds: string[] },
): Promise<string> {
  const author = staff[brief.writtenBy];
  const draft = await createBrief(deps, author, {
    ...resolved,
    language: brief.language,
    headline: brief.headline,
    datelinePrecision: 'minute',
    sources: brief.sources,
    quotes: brief.quotes,
    details: brief.details,
    previously: brief.previously,
  });
  if (author.role === 'contributor') await submitBrief(deps, author, draft.id);
  return (await publishBrief(deps, staff.editor, draft.id)).id;
}

/**
 * The story's background ledger as the day goes on. A claim is added when a brief first cites it
 * and updated when a brief moves it on; briefs already published keep the state they showed.
 */
function createLedger(deps: TransactionDeps, actor: Actor, storyId: string, entityId: (key: EntityKey) => string) {
  const items = new Map<ClaimKey, { id: string; state: ClaimState }>();
  const input = (state: ClaimState) => ({
    text: state.text,
    status: state.status,
    attributionSource: state.attribution,
    attributionEntityId: state.attributedTo ? entityId(state.attributedTo) : null,
  });
  return {
    async entryFor(ref: ClaimRef): Promise<BackgroundEntry> {
      const key = typeof ref === 'string' ? ref : ref.claim;
      let item = items.get(key);
      if (!item) {
        const state = typeof ref === 'string' ? DEMO_CLAIMS[key] : ref.becomes;
        item = { id: (await addBackgroundItem(deps, actor, storyId, input(state))).id, state };
        items.set(key, item);
      } else if (typeof ref !== 'string') {
        await updateBackgroundItem(deps, actor, item.id, input(ref.becomes));
        item = { id: item.id, state: ref.becomes };
        items.set(key, item);
      }
      // The entry repeats the item exactly; any difference would make createBrief rewrite the item.
      return { itemId: item.id, text: item.state.text, status: item.state.status, attribution: item.state.attribution };
    },
  };
}
