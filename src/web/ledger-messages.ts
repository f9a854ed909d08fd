import type { BackgroundChangeKind, ClaimStatus, Language } from '../content/types.js';

// Reader-facing strings of the background ledger: the "later" marks on a brief's background and
// the page with an item's history. Kept apart from messages.ts so the two can grow separately.

export interface LedgerMessages {
  /** The mark on an entry whose status changed after the brief was published, before its time. */
  later: Record<ClaimStatus, string>;
  /** Link from a background item to its history. */
  historyLink: string;
  historyTitle: string;
  /** The page's description: "How one background item of {story} changed, with who and when." */
  historyDescription: (story: string) => string;
  /** Above the list: the item as it stands now. */
  currentState: string;
  changes: string;
  kind: Record<BackgroundChangeKind, string>;
  by: string;
  changeSource: string;
  attribution: string;
  story: string;
}

const en: LedgerMessages = {
  later: {
    claimed: 'Later claimed', confirmed: 'Later confirmed', denied: 'Later denied',
    unverified: 'Later marked unverified', retracted: 'Later withdrawn',
  },
  historyLink: 'History',
  historyTitle: 'History of a background item',
  historyDescription: (story) => `How one background item of “${story}” changed, with who changed it and when.`,
  currentState: 'As it stands now',
  changes: 'Every change, oldest first',
  kind: { created: 'Added', edited: 'Changed', baseline: 'In the background when its history began' },
  by: 'By',
  changeSource: 'Source of the change',
  attribution: 'According to',
  story: 'Story',
};

const uk: LedgerMessages = {
  later: {
    claimed: 'Згодом заявлено', confirmed: 'Згодом підтверджено', denied: 'Згодом спростовано',
    unverified: 'Згодом позначено як неперевірене', retracted: 'Згодом відкликано',
  },
  historyLink: 'Історія',
  historyTitle: 'Історія пункту контексту',
  historyDescription: (story) => `Як змінювався один пункт контексту сюжету «${story}»: хто і коли його змінив.`,
  currentState: 'Зараз',
  changes: 'Усі зміни, від найдавнішої',
  kind: { created: 'Додано', edited: 'Змінено', baseline: 'Був у контексті, коли почали вести історію' },
  by: 'Хто змінив',
  changeSource: 'Джерело зміни',
  attribution: 'За даними',
  story: 'Сюжет',
};

const ru: LedgerMessages = {
  later: {
    claimed: 'Позже заявлено', confirmed: 'Позже подтверждено', denied: 'Позже опровергнуто',
    unverified: 'Позже помечено как непроверенное', retracted: 'Позже отозвано',
  },
  historyLink: 'История',
  historyTitle: 'История пункта контекста',
  historyDescription: (story) => `Как менялся один пункт контекста сюжета «${story}»: кто и когда его изменил.`,
  currentState: 'Сейчас',
  changes: 'Все изменения, от самого раннего',
  kind: { created: 'Добавлено', edited: 'Изменено', baseline: 'Был в контексте, когда начали вести историю' },
  by: 'Кто изменил',
  changeSource: 'Источник изменения',
  attribution: 'По данным',
  story: 'Сюжет',
};

const ALL: Record<Language, LedgerMessages> = { en, uk, ru };

export function ledgerMessagesFor(language: Language): LedgerMessages {
  return ALL[language];
}
