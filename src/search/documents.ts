import { inlineMarkdownToText } from '../content/markdown.js';
import { findMentions } from '../content/tagging.js';
import type { Brief, Entity } from '../content/types.js';
import { analyse, isStopword, tokenize } from './analyser.js';

// What goes into the index for a brief or an entity, and what a reader's query becomes: the
// engine-neutral half of search. An engine stores the documents' stem strings and compiles a
// QueryNode into its own syntax.

/** A brief as the index stores it: stems per field. */
export interface BriefDocument {
  headline: string;
  body: string;
  /** Names (every language, aliases) of the entities tagged on the brief, and their entity tokens. */
  names: string;
}

/**
 * A token standing for "tagged with this entity". A query that names the entity in any language
 * or inflected form matches it, so it finds tagged briefs whatever their language. Ids are
 * lowercase ULIDs, so the token is one word to any tokenizer.
 */
export function entityToken(entityId: string): string {
  return `xentity${entityId.replace(/[^0-9a-z]/g, '')}`;
}

function namesOf(entity: Entity): string[] {
  return [...Object.values(entity.names), ...entity.aliases].filter((n) => n.trim());
}

/**
 * The brief's readable text besides its headline, as readers see it (Markdown markup removed):
 * what is indexed and what snippets are cut from, so a highlight never points at hidden text.
 */
export function briefPassages(brief: Brief): string[] {
  return [
    ...brief.details.map(inlineMarkdownToText),
    ...brief.quotes.flatMap((q) => [q.text, q.speaker ?? '']),
    ...brief.previously.map(inlineMarkdownToText),
    ...brief.background.flatMap((b) => [b.text, b.attribution ?? '']),
  ].filter((p) => p.trim());
}

export function briefDocument(brief: Brief, taggedEntities: readonly Entity[]): BriefDocument {
  return {
    headline: analyse(brief.headline),
    body: briefPassages(brief).map(analyse).join(' '),
    names: taggedEntities.map((e) => [entityToken(e.id), ...namesOf(e).map(analyse)].join(' ')).join(' '),
  };
}

/** An entity's document: the stems of all its names and aliases, and its own entity token. */
export function entityDocument(entity: Entity): string {
  return [entityToken(entity.id), ...namesOf(entity).map(analyse)].join(' ');
}

/** A query as a tree any engine can compile: a term matches any of its stems. */
export type QueryNode =
  | { kind: 'term'; stems: string[] }
  | { kind: 'all'; nodes: QueryNode[] }
  | { kind: 'any'; nodes: QueryNode[] }
  | { kind: 'entity'; entityId: string };

export interface QueryPlan {
  /** Null when the query has no words. */
  root: QueryNode | null;
  /** Stems to mark in results: the query's words and every name of the entities it names. */
  highlightTerms: Set<string>;
  /** Entities the query names, in order. */
  entityIds: string[];
}

// A longer query is cut: nobody types forty words into a news search, and each word costs a join.
const MAX_QUERY_WORDS = 16;

function phrase(text: string): QueryNode | null {
  const words = tokenize(text);
  if (words.length === 0) return null;
  const terms: QueryNode[] = words.map((t) => ({ kind: 'term', stems: t.stems }));
  return terms.length === 1 ? terms[0]! : { kind: 'all', nodes: terms };
}

/**
 * Turns what a reader typed into a query: every word must match (in any inflected form); words
 * that name an entity (findMentions, so any language, alias or listed form) match either
 * themselves, any other name of the entity, or the briefs tagged with it.
 */
export function planQuery(text: string, entities: readonly Entity[]): QueryPlan {
  const tokens = tokenize(text).slice(0, MAX_QUERY_WORDS);
  const highlightTerms = new Set<string>();
  const claimed = new Set<number>();
  const groups: QueryNode[] = [];
  const entityIds: string[] = [];
  const byId = new Map(entities.map((e) => [e.id, e]));
  for (const mention of findMentions(text, entities)) {
    const at = text.indexOf(mention.match);
    if (at < 0) continue;
    const covered = tokens.map((t, i) => ({ t, i })).filter(({ t }) => t.start >= at && t.end <= at + mention.match.length);
    if (covered.length === 0 || covered.some(({ i }) => claimed.has(i))) continue;
    covered.forEach(({ i }) => claimed.add(i));
    const entity = byId.get(mention.entityId)!;
    entityIds.push(entity.id);
    const alternatives: QueryNode[] = [{ kind: 'entity', entityId: entity.id }];
    for (const source of [mention.match, ...namesOf(entity)]) {
      const node = phrase(source);
      if (node) alternatives.push(node);
      tokenize(source).forEach((t) => t.stems.forEach((s) => highlightTerms.add(s)));
    }
    groups.push({ kind: 'any', nodes: alternatives });
  }
  const rest = tokens.filter((_, i) => !claimed.has(i));
  const hasContentWord = groups.length > 0 || rest.some((t) => !isStopword(t.word));
  for (const token of rest) {
    if (hasContentWord && isStopword(token.word)) continue;
    token.stems.forEach((s) => highlightTerms.add(s));
    groups.push({ kind: 'term', stems: token.stems });
  }
  const root: QueryNode | null = groups.length === 0 ? null : groups.length === 1 ? groups[0]! : { kind: 'all', nodes: groups };
  return { root, highlightTerms, entityIds };
}
