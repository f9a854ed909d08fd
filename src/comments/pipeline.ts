import { detectProfanity } from './profanity.js';
import type { ModerationSettings } from './policy-settings.js';
import { compileWordList, findMatches, type WordMatcher } from './wordlists.js';

// The moderation pipeline: pure, so every rule is tested without a database. The service
// loads what the rules need (settings, the author's recent comments, the account's flags) and
// stores the verdict. Steps run in a fixed order; a rejection ends the run, any other step
// adds its reason and the strictest outcome wins (rejected > pending > published).

export type ModerationReason = 'banned_term' | 'duplicate' | 'profanity' | 'links' | 'premod_user' | 'new_reader' | 'reported';
export type CommentStatus = 'published' | 'pending' | 'rejected';

export interface ModerationInput {
  body: string;
  settings: ModerationSettings;
  /** Bodies of the same author's comments from the last DUPLICATE_WINDOW_MS. */
  recentBodies: readonly string[];
  /** The account's own flag: every comment it writes waits for a moderator. */
  isPremoderatedAuthor: boolean;
  /** The account is younger than the site's newReaderMinutes. */
  isNewReader?: boolean;
}

export interface ModerationVerdict {
  status: CommentStatus;
  /** Published but worth a moderator's look (post-moderation of a suspect comment). */
  isFlagged: boolean;
  reasons: ModerationReason[];
  /** What set the verdict, for moderators: the listed terms that matched, the links found. */
  evidence: { bannedTerms: string[]; profanity: string[]; links: string[] };
}

export const DUPLICATE_WINDOW_MS = 10 * 60_000;

// Compiling a list takes milliseconds; the banned list changes rarely, so keep the last one.
let bannedCache: { key: string; matcher: WordMatcher } | undefined;
function bannedMatcher(terms: readonly string[]): WordMatcher {
  const key = terms.join('\n');
  if (bannedCache?.key !== key) bannedCache = { key, matcher: compileWordList(terms) };
  return bannedCache.matcher;
}

/**
 * Text as compared for duplicates: case, accents' composition, punctuation and spacing do not
 * make a repost new ("Great point!!" and "great point").
 */
export function duplicateKey(body: string): string {
  return body.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

// Bare domains need a TLD that people actually use in spam, or "e.g.It" would count as a link.
const COMMON_TLDS = 'com|net|org|info|biz|io|co|me|ru|ua|su|by|kz|uk|de|pl|eu|us|xyz|top|site|online|club|shop|link|app|tv|ly|gl|gg|to|cc';
const LINK = new RegExp(
  `\\bhttps?://[^\\s<>"']+|\\bwww\\.[^\\s<>"']+|\\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+(?:${COMMON_TLDS})\\b(?:/[^\\s<>"']*)?`,
  'giu',
);

/** Links in a comment, with their host names (lowercase, without "www."). */
export function findLinks(body: string): { link: string; host: string }[] {
  const links: { link: string; host: string }[] = [];
  for (const match of body.normalize('NFKC').matchAll(LINK)) {
    const link = match[0].replace(/[.,;:!?)\]]+$/, '');
    const withScheme = /^https?:\/\//i.test(link) ? link : `http://${link}`;
    let host: string;
    try {
      host = new URL(withScheme).hostname.toLowerCase();
    } catch {
      host = link.toLowerCase();
    }
    links.push({ link, host: host.replace(/^www\./, '') });
  }
  return links;
}

/** Whether a host is one of the allowed domains or a subdomain of one. */
export function isAllowedHost(host: string, allowedDomains: readonly string[]): boolean {
  if (allowedDomains.length === 0) return true;
  return allowedDomains.some((raw) => {
    const domain = raw.trim().toLowerCase().replace(/^www\./, '');
    return host === domain || host.endsWith(`.${domain}`);
  });
}

/** Runs a comment through the pipeline and answers what should become of it. */
export function moderateComment(input: ModerationInput): ModerationVerdict {
  const { body, settings } = input;
  const evidence: ModerationVerdict['evidence'] = { bannedTerms: [], profanity: [], links: [] };
  const reject = (reason: ModerationReason): ModerationVerdict => ({ status: 'rejected', isFlagged: false, reasons: [reason], evidence });

  // 1. Banned terms: the site's own list, whole words, no appeal by the pipeline.
  if (settings.bannedTerms.length > 0) {
    evidence.bannedTerms = findMatches(bannedMatcher(settings.bannedTerms), body).map((m) => m.term);
    if (evidence.bannedTerms.length > 0) return reject('banned_term');
  }

  // 2. The same author said the same thing a moment ago (a double submit, or flooding).
  const key = duplicateKey(body);
  if (key !== '' && input.recentBodies.some((recent) => duplicateKey(recent) === key)) return reject('duplicate');

  const reasons: ModerationReason[] = [];
  let isHeld = false;
  let isSuspect = false;

  // 3. Profanity and insults: flagged under post-moderation, held under pre-moderation.
  const profanity = detectProfanity(body, settings.profanity);
  if (profanity.isProfane) {
    evidence.profanity = profanity.matches.map((m) => m.term);
    reasons.push('profanity');
    isSuspect = true;
  }

  // 4. Links: too many, or to a domain outside the allow list, wait for a moderator.
  const links = findLinks(body);
  evidence.links = links.map((l) => l.link);
  if (links.length > settings.maxLinks || links.some((l) => !isAllowedHost(l.host, settings.allowedDomains))) {
    reasons.push('links');
    isHeld = true;
  }

  // 5. Pre-moderation: the site policy turns suspicion into a hold; an account's flag holds everything.
  if (isSuspect && settings.moderation === 'pre') isHeld = true;
  if (input.isPremoderatedAuthor) {
    reasons.push('premod_user');
    isHeld = true;
  }
  if (input.isNewReader) {
    reasons.push('new_reader');
    isHeld = true;
  }


  if (isHeld) return { status: 'pending', isFlagged: false, reasons, evidence };
  return { status: 'published', isFlagged: isSuspect, reasons, evidence };
}
