import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { findBrief } from '../content/brief-repository.js';
import { publishBrief } from '../content/briefs.js';
import { itemHistory } from '../content/ledger.js';
import { addBackgroundItem, listBackground, updateBackgroundItem } from '../content/stories.js';
import type { BackgroundItem } from '../content/types.js';
import { buildTestApp, makeStory, makeUser, type TestContext } from '../test/factories.js';
import { applyPicks, PICKED_FIELD, PICKER_FIELD } from './background-picker.js';
import { emptyBriefValues, type BriefFormValues } from './forms.js';
import { deskClient, unescapeHtml, type DeskClient } from './test-client.js';

const item = (id: string, text: string, status: BackgroundItem['status'] = 'claimed'): BackgroundItem => ({
  id, storyId: 's', position: 0, text, status, attributionEntityId: null, attributionSource: null, occurredAt: null, updatedAt: '2026-06-24T00:00:00Z',
});

describe('applyPicks', () => {
  const ledger = [item('a', 'A now', 'confirmed'), item('b', 'B now'), item('c', 'C now')];
  const values = (background: BriefFormValues['background']): BriefFormValues => ({ ...emptyBriefValues(), storyId: 's', background });

  it('keeps the brief\'s wording of items it showed, brings new ticks in as the ledger has them, drops unticked ones', () => {
    const posted = values([
      { itemId: 'c', text: 'C as published', status: 'claimed', attribution: 'TASS' },
      { itemId: 'b', text: 'B as published', status: 'claimed', attribution: '' },
      { itemId: '', text: 'A new claim', status: 'unverified', attribution: '' },
    ]);
    expect(applyPicks(posted, ['a', 'c', 'elsewhere'], ledger).background).toEqual([
      { itemId: 'a', text: 'A now', status: 'confirmed', attribution: '' },
      { itemId: 'c', text: 'C as published', status: 'claimed', attribution: 'TASS' },
      { itemId: '', text: 'A new claim', status: 'unverified', attribution: '' },
    ]);
  });

  it('drops every story row when nothing is ticked, keeping typed rows', () => {
    const posted = values([{ itemId: 'a', text: 'A', status: 'claimed', attribution: '' }, { itemId: '', text: 'New', status: 'claimed', attribution: '' }]);
    expect(applyPicks(posted, [], ledger).background.map((r) => r.text)).toEqual(['New']);
  });
});

describe('picking a story\'s background in the brief editor', () => {
  let t: TestContext;
  let editor: DeskClient;
  beforeEach(async () => {
    t = await buildTestApp();
    const user = await makeUser(t.db, 'editor');
    editor = deskClient(t.app);
    await editor.logIn(user.email, user.password);
  });
  afterEach(async () => { await t.close(); });

  const form = (storyId: string, fields: Record<string, string | string[]> = {}) => ({
    language: 'en', headline: 'Wagner fighters enter Rostov', storyId, dateline: '',
    'sources[0][name]': 'Reuters', 'sources[0][url]': '', 'sources[0][kind]': 'news_agency',
    details: 'Armoured vehicles were seen in the city centre.', previously: '', op: 'save',
    [PICKER_FIELD]: '1', ...fields,
  });

  it('shows the story\'s items as ticks, saves the ticked ones without touching the ledger, and adds typed ones to the story', async () => {
    const story = await makeStory(t.deps);
    const rostov = await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'Prigozhin claimed Rostov.', status: 'claimed' });
    const helicopter = await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'A helicopter was shot down.', status: 'unverified' });

    const created = await editor.post('/desk/briefs', form(story.id, {
      [PICKED_FIELD]: helicopter.id,
      'background[0][text]': 'Columns were seen near Voronezh.', 'background[0][status]': 'unverified', 'background[0][attribution]': '',
    }));
    expect(created.statusCode).toBe(303);
    const id = /\/desk\/briefs\/([^/?]+)/.exec(String(created.headers.location))![1]!;
    const brief = (await findBrief(t.db, id))!;
    const ledger = await listBackground(t.db, story.id);
    expect(ledger.map((i) => i.text)).toEqual(['Prigozhin claimed Rostov.', 'A helicopter was shot down.', 'Columns were seen near Voronezh.']);
    expect(brief.background).toEqual([
      { itemId: helicopter.id, text: 'A helicopter was shot down.', status: 'unverified', attribution: null },
      { itemId: ledger[2]!.id, text: 'Columns were seen near Voronezh.', status: 'unverified', attribution: null },
    ]);
    expect((await itemHistory(t.db, helicopter.id)).map((c) => c.kind)).toEqual(['created']);

    const page = (await editor.get(`/desk/briefs/${id}`)).body;
    const box = (itemId: string) => new RegExp(`<input type="checkbox" id="f-pick-\\d+" name="${PICKED_FIELD}" value="${itemId}"( checked)?`).exec(page);
    expect(box(rostov.id)?.[1]).toBeUndefined();
    expect(box(helicopter.id)?.[1]).toBe(' checked');
    expect(box(ledger[2]!.id)?.[1]).toBe(' checked');
    // Ticked items are not retyped: their words travel hidden, so there is no box to edit them in.
    expect(page).not.toContain('>A helicopter was shot down.</textarea>');
    expect(unescapeHtml(page)).toContain(`<input type="hidden" name="background[0][text]" value="A helicopter was shot down."`);

    const saved = await editor.post(`/desk/briefs/${id}`, form(story.id, {
      revision: String(brief.revision), [PICKED_FIELD]: [rostov.id, helicopter.id],
      'background[0][itemId]': helicopter.id, 'background[0][text]': 'A helicopter was shot down.', 'background[0][status]': 'unverified', 'background[0][attribution]': '',
      'background[1][itemId]': ledger[2]!.id, 'background[1][text]': 'Columns were seen near Voronezh.', 'background[1][status]': 'unverified', 'background[1][attribution]': '',
    }));
    expect(saved.statusCode).toBe(303);
    expect((await findBrief(t.db, id))!.background.map((e) => e.itemId)).toEqual([rostov.id, helicopter.id]);
    expect((await listBackground(t.db, story.id)).map((i) => i.text)).toEqual(ledger.map((i) => i.text));
  });

  it('keeps a published brief\'s wording when a correction is sent with the ticks unchanged', async () => {
    const story = await makeStory(t.deps);
    const rostov = await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'Prigozhin claimed Rostov.', status: 'claimed' });
    const created = await editor.post('/desk/briefs', form(story.id, { [PICKED_FIELD]: rostov.id }));
    const id = /\/desk\/briefs\/([^/?]+)/.exec(String(created.headers.location))![1]!;
    const published = await publishBrief(t.deps, CLI_ACTOR, id);
    await updateBackgroundItem(t.deps, CLI_ACTOR, rostov.id, { text: 'Wagner held Rostov for a day.', status: 'confirmed' });

    const page = unescapeHtml((await editor.get(`/desk/briefs/${id}`)).body);
    expect(page).toContain('<input type="hidden" name="background[0][text]" value="Prigozhin claimed Rostov."');
    const corrected = await editor.post(`/desk/briefs/${id}/correct`, form(story.id, {
      revision: String(published.revision), reason: 'A typo in the headline.', headline: 'Wagner fighters entered Rostov',
      [PICKED_FIELD]: rostov.id,
      'background[0][itemId]': rostov.id, 'background[0][text]': 'Prigozhin claimed Rostov.', 'background[0][status]': 'claimed', 'background[0][attribution]': '',
    }));
    expect(corrected.statusCode).toBe(303);
    expect((await findBrief(t.db, id))!.background).toEqual([{ itemId: rostov.id, text: 'Prigozhin claimed Rostov.', status: 'claimed', attribution: null }]);
    expect((await listBackground(t.db, story.id))[0]).toMatchObject({ text: 'Wagner held Rostov for a day.', status: 'confirmed' });
  });
});
