import { describe, expect, it } from 'vitest';
import { duplicateKey, findLinks, isAllowedHost, moderateComment, type ModerationInput } from './pipeline.js';
import { DEFAULT_MODERATION_SETTINGS, type ModerationSettings } from './policy-settings.js';

const run = (body: string, settings: Partial<ModerationSettings> = {}, extra: Partial<ModerationInput> = {}) =>
  moderateComment({ body, settings: { ...DEFAULT_MODERATION_SETTINGS, ...settings }, recentBodies: [], isPremoderatedAuthor: false, ...extra });

describe('moderateComment', () => {
  it('publishes a clean comment with no reasons', () => {
    expect(run('Ha,ha,ha!')).toMatchObject({ status: 'published', isFlagged: false, reasons: [] });
    expect(run('Stay safe, everyone in the lower town.')).toMatchObject({ status: 'published', isFlagged: false, reasons: [] });
  });

  it('flags profanity and insults under post-moderation and holds them under pre-moderation', () => {
    for (const body of ['Prigozhin can go fuck himself.', 'What a prick.']) {
      expect(run(body)).toMatchObject({ status: 'published', isFlagged: true, reasons: ['profanity'] });
      expect(run(body, { moderation: 'pre' })).toMatchObject({ status: 'pending', isFlagged: false, reasons: ['profanity'] });
    }
    expect(run('Ha,ha,ha!', { moderation: 'pre' })).toMatchObject({ status: 'published', reasons: [] });
  });

  it('uses the editable profanity lists on top of the built-in ones', () => {
    expect(run('You absolute wombat.').status).toBe('published');
    expect(run('You absolute wombat.', { profanity: { en: ['wombat'], uk: [], ru: [] } })).toMatchObject({ isFlagged: true, reasons: ['profanity'] });
  });

  it('rejects a banned term as a whole word only, before any other rule', () => {
    const settings = { bannedTerms: ['casino'] };
    const verdict = run('Best casino bonus, fuck yeah: http://spam.example/x', settings);
    expect(verdict).toMatchObject({ status: 'rejected', reasons: ['banned_term'] });
    expect(verdict.evidence.bannedTerms).toEqual(['casino']);
    expect(run('The casinos are closed.', settings).status).toBe('rejected');
    // Whole words: a listed word inside a longer one is innocent unless the entry is a stem.
    expect(run('Occasionally it rains.', { bannedTerms: ['occasion'] }).status).toBe('published');
    expect(run('Occasionally it rains.', { bannedTerms: ['occasion*'] }).status).toBe('rejected');
  });

  it('rejects a repeat of the author\'s recent comment, ignoring case, spacing and punctuation', () => {
    expect(run('Great point!!', {}, { recentBodies: ['great   point'] })).toMatchObject({ status: 'rejected', reasons: ['duplicate'] });
    expect(run('Great point, again', {}, { recentBodies: ['great point'] }).status).toBe('published');
  });

  it('holds more links than allowed, and links outside the allow list', () => {
    expect(run('See https://a.org/1 and https://b.org/2').status).toBe('published');
    expect(run('See https://a.org/1, https://b.org/2 and www.c.org')).toMatchObject({ status: 'pending', reasons: ['links'] });
    expect(run('Spam at cheap-pills.ru now')).toMatchObject({ status: 'published' });
    const allowList = { allowedDomains: ['gov.ua', 'bbc.com'] };
    expect(run('Official: https://www.dsns.gov.ua/news and https://www.bbc.com/x', allowList).status).toBe('published');
    expect(run('Spam at cheap-pills.ru now', allowList)).toMatchObject({ status: 'pending', reasons: ['links'] });
    expect(run('Mr.Smith said e.g. nothing.', { maxLinks: 0 }).status).toBe('published');
  });

  it('holds every comment of a pre-moderated account, keeping the other reasons', () => {
    expect(run('Ha,ha,ha!', {}, { isPremoderatedAuthor: true })).toMatchObject({ status: 'pending', reasons: ['premod_user'] });
    expect(run('What a prick.', {}, { isPremoderatedAuthor: true })).toMatchObject({ status: 'pending', isFlagged: false, reasons: ['profanity', 'premod_user'] });
  });
});

describe('pipeline helpers', () => {
  it('finds links with and without a scheme, and their hosts', () => {
    expect(findLinks('Read https://Example.org/a?b=1. Then www.bbc.com, or kyiv.ua/news!')).toEqual([
      { link: 'https://Example.org/a?b=1', host: 'example.org' },
      { link: 'www.bbc.com', host: 'bbc.com' },
      { link: 'kyiv.ua/news', host: 'kyiv.ua' },
    ]);
  });

  it('allows subdomains of an allowed domain but not look-alikes', () => {
    expect(isAllowedHost('news.gov.ua', ['gov.ua'])).toBe(true);
    expect(isAllowedHost('evilgov.ua', ['gov.ua'])).toBe(false);
    expect(isAllowedHost('anything.example', [])).toBe(true);
  });

  it('compares comments for duplicates by their words', () => {
    expect(duplicateKey('  Слава   Україні!  ')).toBe(duplicateKey('слава україні'));
  });
});
