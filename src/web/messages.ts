import type { ClaimStatus, EntityKind, Language, SourceKind, StoryStatus } from '../content/types.js';

// Reader-facing strings. A brief page speaks its brief's language; the other pages speak English
// for now, but take their strings from here too so translating them later is a data change.

type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export interface Messages {
  /** Native name of the language, for language links. */
  languageName: string;
  skipToContent: string;
  siteNav: string;
  allLanguages: string;
  dateline: string;
  source: string;
  quote: string;
  details: string;
  previously: string;
  background: string;
  updated: string;
  retracted: string;
  retractionKept: string;
  story: string;
  mentioned: string;
  anonymous: string;
  claimStatus: Record<ClaimStatus, string>;
  sourceKind: Record<SourceKind, string>;
  storyStatus: Record<StoryStatus, string>;
  entityKind: Record<EntityKind, string>;
  comments: PluralForms;
  briefs: PluralForms;
  tagline: string;
  latestBriefs: string;
  homeDescription: string;
  olderBriefs: string;
  showing: string;
  noBriefs: string;
  status: string;
  timeline: string;
  names: string;
  kind: string;
  aliases: string;
  briefsNaming: string;
  storyDescription: string;
  entityDescription: string;
  errors: Record<'badRequest' | 'notFound' | 'gone' | 'other' | 'internal', { title: string; text: string }>;
  backHome: string;
  /** The header link to logging in or, when signed in, the reader's account page. */
  account: string;
}

const en: Messages = {
  languageName: 'English',
  skipToContent: 'Skip to content',
  siteNav: 'Site',
  allLanguages: 'All languages',
  dateline: 'Dateline',
  source: 'Source',
  quote: 'Quote',
  details: 'Details',
  previously: 'Previously',
  background: 'Background',
  updated: 'Updated',
  retracted: 'Retracted',
  retractionKept: 'The original text is kept below for the record.',
  story: 'Story',
  mentioned: 'Named in this brief',
  anonymous: 'Anonymous',
  claimStatus: { claimed: 'Claimed', confirmed: 'Confirmed', denied: 'Denied', unverified: 'Unverified' },
  sourceKind: {
    official_statement: 'official statement', news_agency: 'news agency', media: 'media',
    social_media: 'social media', own_correspondent: 'our correspondent',
  },
  storyStatus: { developing: 'Developing', concluded: 'Concluded' },
  entityKind: { person: 'Person', organisation: 'Organisation', place: 'Place' },
  comments: { one: '# comment', other: '# comments' },
  briefs: { one: '# brief', other: '# briefs' },
  tagline: 'Sourced briefs on fast-moving events.',
  latestBriefs: 'Latest briefs',
  homeDescription: 'The latest sourced briefs, newest first.',
  olderBriefs: 'Older briefs',
  showing: 'Showing briefs in',
  noBriefs: 'No briefs here yet.',
  status: 'Status',
  timeline: 'Timeline',
  names: 'Names',
  kind: 'Kind',
  aliases: 'Also known as',
  briefsNaming: 'Briefs naming',
  storyDescription: 'A developing story: every brief and the current background.',
  entityDescription: 'Every brief naming',
  errors: {
    badRequest: { title: 'Bad request', text: 'This address has something in it we cannot read. Check the link and try again.' },
    notFound: { title: 'Page not found', text: 'There is no page at this address. It may never have been published.' },
    gone: { title: 'Gone', text: 'This brief was removed and is no longer available.' },
    other: { title: 'Request not handled', text: 'We could not handle this request.' },
    internal: { title: 'Something went wrong', text: 'Something went wrong on our side. It has been logged; please try again later.' },
  },
  backHome: 'Go to the latest briefs',
  account: 'Log in / account',
};

const uk: Messages = {
  languageName: 'Українська',
  skipToContent: 'Перейти до змісту',
  siteNav: 'Сайт',
  allLanguages: 'Усі мови',
  dateline: 'Дата',
  source: 'Джерело',
  quote: 'Цитата',
  details: 'Подробиці',
  previously: 'Раніше',
  background: 'Контекст',
  updated: 'Оновлено',
  retracted: 'Відкликано',
  retractionKept: 'Первинний текст збережено нижче.',
  story: 'Сюжет',
  mentioned: 'Згадано в новині',
  anonymous: 'Анонім',
  claimStatus: { claimed: 'Заява', confirmed: 'Підтверджено', denied: 'Спростовано', unverified: 'Не перевірено' },
  sourceKind: {
    official_statement: 'офіційна заява', news_agency: 'інформагенція', media: 'ЗМІ',
    social_media: 'соцмережі', own_correspondent: 'наш кореспондент',
  },
  storyStatus: { developing: 'Триває', concluded: 'Завершено' },
  entityKind: { person: 'Особа', organisation: 'Організація', place: 'Місце' },
  comments: { one: '# коментар', few: '# коментарі', many: '# коментарів', other: '# коментаря' },
  briefs: { one: '# новина', few: '# новини', many: '# новин', other: '# новини' },
  tagline: 'Новини з джерелами про події, що швидко розвиваються.',
  latestBriefs: 'Останні новини',
  homeDescription: 'Останні новини з джерелами, спершу найновіші.',
  olderBriefs: 'Давніші новини',
  showing: 'Новини мовою',
  noBriefs: 'Тут ще немає новин.',
  status: 'Статус',
  timeline: 'Хронологія',
  names: 'Назви',
  kind: 'Тип',
  aliases: 'Також відомий як',
  briefsNaming: 'Новини, де згадано',
  storyDescription: 'Сюжет: усі новини та поточний контекст.',
  entityDescription: 'Усі новини, де згадано',
  errors: {
    badRequest: { title: 'Помилковий запит', text: 'В адресі є те, що ми не можемо прочитати. Перевірте посилання.' },
    notFound: { title: 'Сторінку не знайдено', text: 'За цією адресою немає сторінки. Можливо, її ніколи не публікували.' },
    gone: { title: 'Видалено', text: 'Цю новину видалено, вона більше недоступна.' },
    other: { title: 'Запит не оброблено', text: 'Ми не змогли обробити цей запит.' },
    internal: { title: 'Щось пішло не так', text: 'Сталася помилка на нашому боці. Ми її зафіксували; спробуйте пізніше.' },
  },
  backHome: 'До останніх новин',
  account: 'Вхід / акаунт',
};

const ru: Messages = {
  languageName: 'Русский',
  skipToContent: 'Перейти к содержанию',
  siteNav: 'Сайт',
  allLanguages: 'Все языки',
  dateline: 'Дата',
  source: 'Источник',
  quote: 'Цитата',
  details: 'Подробности',
  previously: 'Ранее',
  background: 'Контекст',
  updated: 'Обновлено',
  retracted: 'Отозвано',
  retractionKept: 'Исходный текст сохранён ниже.',
  story: 'Сюжет',
  mentioned: 'Упомянуты в новости',
  anonymous: 'Аноним',
  claimStatus: { claimed: 'Заявление', confirmed: 'Подтверждено', denied: 'Опровергнуто', unverified: 'Не проверено' },
  sourceKind: {
    official_statement: 'официальное заявление', news_agency: 'информагентство', media: 'СМИ',
    social_media: 'соцсети', own_correspondent: 'наш корреспондент',
  },
  storyStatus: { developing: 'Развивается', concluded: 'Завершён' },
  entityKind: { person: 'Персона', organisation: 'Организация', place: 'Место' },
  comments: { one: '# комментарий', few: '# комментария', many: '# комментариев', other: '# комментария' },
  briefs: { one: '# новость', few: '# новости', many: '# новостей', other: '# новости' },
  tagline: 'Новости с источниками о быстро развивающихся событиях.',
  latestBriefs: 'Последние новости',
  homeDescription: 'Последние новости с источниками, сначала самые новые.',
  olderBriefs: 'Более ранние новости',
  showing: 'Новости на языке',
  noBriefs: 'Здесь пока нет новостей.',
  status: 'Статус',
  timeline: 'Хронология',
  names: 'Названия',
  kind: 'Тип',
  aliases: 'Также известен как',
  briefsNaming: 'Новости, где упомянут',
  storyDescription: 'Сюжет: все новости и текущий контекст.',
  entityDescription: 'Все новости, где упомянут',
  errors: {
    badRequest: { title: 'Неверный запрос', text: 'В адресе есть то, что мы не можем прочитать. Проверьте ссылку.' },
    notFound: { title: 'Страница не найдена', text: 'По этому адресу нет страницы. Возможно, её никогда не публиковали.' },
    gone: { title: 'Удалено', text: 'Эта новость удалена и больше недоступна.' },
    other: { title: 'Запрос не обработан', text: 'Мы не смогли обработать этот запрос.' },
    internal: { title: 'Что-то пошло не так', text: 'На нашей стороне произошла ошибка. Мы её записали; попробуйте позже.' },
  },
  backHome: 'К последним новостям',
  account: 'Вход / аккаунт',
};

const catalogue: Record<Language, Messages> = { en, uk, ru };

/** The reader-facing strings for one language. */
export function messagesFor(language: Language): Messages {
  return catalogue[language];
}

/** "3 comments", "3 коментарі", "5 комментариев": the count with the plural form its language asks for. */
export function plural(language: Language, forms: PluralForms, count: number): string {
  const rule = new Intl.PluralRules(language).select(count);
  return (forms[rule] ?? forms.other).replace('#', new Intl.NumberFormat(language).format(count));
}
