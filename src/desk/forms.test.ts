import { describe, expect, it } from 'vitest';
import { applyRowOp, briefInputFromValues, briefValuesFromBody, compactBriefValues, emptyBriefValues } from './forms.js';
import { localInputToUtc, utcToLocalInput } from '../common/zoned-time.js';

describe('datetime-local in the site zone', () => {
  it('reads wall time in the zone, on both sides of a DST change', () => {
    expect(localInputToUtc('2026-01-15T09:30', 'Europe/Kyiv')).toBe('2026-01-15T07:30:00.000Z');
    expect(localInputToUtc('2026-07-15T09:30', 'Europe/Kyiv')).toBe('2026-07-15T06:30:00.000Z');
    expect(localInputToUtc('2026-07-15T09:30', 'America/New_York')).toBe('2026-07-15T13:30:00.000Z');
  });

  it('refuses text that is not a time, and a wall time the zone skips', () => {
    expect(localInputToUtc('yesterday', 'Europe/Kyiv')).toBeNull();
    expect(localInputToUtc('2026-02-30T10:00', 'Europe/Kyiv')).toBeNull();
    // Kyiv moves from 03:00 to 04:00 on 29 March 2026.
    expect(localInputToUtc('2026-03-29T03:30', 'Europe/Kyiv')).toBeNull();
  });

  it('round-trips a stored time', () => {
    expect(utcToLocalInput('2026-01-15T07:30:00.000Z', 'Europe/Kyiv')).toBe('2026-01-15T09:30');
    // 03:30 happens twice in Kyiv on 25 October 2026; the first (summer time) is meant.
    expect(localInputToUtc('2026-10-25T03:30', 'Europe/Kyiv')).toBe('2026-10-25T00:30:00.000Z');
    expect(localInputToUtc('2026-10-25T04:30', 'Europe/Kyiv')).toBe('2026-10-25T02:30:00.000Z');
  });
});

describe('brief form values', () => {
  it('tolerates a hand-made body with odd shapes', () => {
    const values = briefValuesFromBody({ headline: ['two', 'values'], sources: 'nope', quotes: [{ text: 'Q', speaker: 7 }], entityIds: 'one' });
    expect(values.headline).toBe('');
    expect(values.sources).toEqual([]);
    expect(values.quotes).toEqual([{ text: 'Q', speaker: '', source: '' }]);
    expect(values.entityIds).toEqual(['one']);
  });

  it('drops blank rows and keeps quotes pointing at the same source', () => {
    const values = {
      ...emptyBriefValues(),
      sources: [{ name: '', url: '', kind: 'media' }, { name: 'Ukrinform', url: '', kind: 'news_agency' }],
      quotes: [{ text: 'Q', speaker: '', source: '1' }, { text: ' ', speaker: '', source: '' }],
    };
    const compact = compactBriefValues(values);
    expect(compact.sources.map((s) => s.name)).toEqual(['Ukrinform']);
    expect(compact.quotes).toEqual([{ text: 'Q', speaker: '', source: '0' }]);
  });

  it('clears a quote’s source when that source row is removed', () => {
    const values = {
      ...emptyBriefValues(),
      sources: [{ name: 'A', url: '', kind: 'media' }, { name: 'B', url: '', kind: 'media' }],
      quotes: [{ text: 'from A', speaker: '', source: '0' }, { text: 'from B', speaker: '', source: '1' }],
    };
    const after = applyRowOp(values, 'remove-source:0')!;
    expect(after.quotes.map((q) => q.source)).toEqual(['', '0']);
    expect(applyRowOp(values, 'save')).toBeNull();
  });

  it('turns an unreadable dateline into a field error rather than a guess', () => {
    const { errors } = briefInputFromValues({ ...emptyBriefValues(), dateline: '2026-13-01T10:00' }, 'Europe/Kyiv');
    expect(errors).toEqual([{ path: 'publishedAt', reason: 'must be a date and time' }]);
  });
});
