import { accountMessages as enAccount } from './account-messages.js';
import type { PluralForms } from '../common/plural.js';
import { LANGUAGES, type ClaimStatus, type EntityKind, type Language, type SourceKind, type StoryStatus } from '../content/types.js';

// Reader-facing strings. A brief page speaks its brief's language; pages that exist in every
// language speak the language of their path (/uk/…, /en/…, /ru/…).

export { plural, type PluralForms } from '../common/plural.js';

/** The comment section's strings (the pipeline's own answers come from comments/messages.ts). */
export interface CommentMessages {
  noComments: string;
  sortLabel: string;
  sortOldest: string;
  sortNewest: string;
  moreComments: string;
  firstComments: string;
  /** "{login} or {signup} to comment.": the placeholders become links. */
  signInPrompt: string;
  logIn: string;
  signUp: string;
  commentingAs: string;
  yourComment: string;
  yourReply: string;
  bodyHint: string;
  postComment: string;
  reply: string;
  edit: string;
  save: string;
  editHint: string;
  delete: string;
  deleteConfirm: string;
  report: string;
  reportLegend: string;
  reportReasons: Record<'abusive' | 'spam' | 'off_topic' | 'other', string>;
  reportText: string;
  staff: string;
  featured: string;
  edited: string;
  errorPrefix: string;
  closedTitle: string;
  closedBecause: Record<'retracted' | 'policy' | 'age', string>;
  published: string;
  saved: string;
  deleted: string;
  gone: string;
  notLoggedIn: string;
  blank: string;
  tooLong: string;
  reasonMissing: string;
  reportTextMissing: string;
  formExpired: { title: string; text: string };
  backToBrief: string;
  /** The live button: "3 new comments". */
  newComments: PluralForms;
  /** Said by the live region once new comments are on the page. */
  newShown: PluralForms;
}

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
  /** The nav's link to the search page. */
  search: string;
  /** Names the language switcher for screen readers. */
  otherLanguages: string;
  /** The story timeline's section of pinned briefs. */
  keyEvents: string;
  /** Before the links to a brief's translations: "Also in: Українська · Русский". */
  alsoIn: string;
  /** The story page's list of the people, organisations and places its briefs name. */
  entitiesInvolved: string;
  comment: CommentMessages;
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
  claimStatus: { claimed: 'Claimed', confirmed: 'Confirmed', denied: 'Denied', unverified: 'Unverified', retracted: 'Withdrawn' },
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
  search: 'Search',
  otherLanguages: 'Other languages',
  keyEvents: 'Key events',
  alsoIn: 'Also in',
  entitiesInvolved: 'People, organisations and places',
  comment: {
    noComments: 'No comments yet.',
    sortLabel: 'Order',
    sortOldest: 'Oldest first',
    sortNewest: 'Newest first',
    moreComments: 'More comments',
    firstComments: 'Back to the first comments',
    signInPrompt: '{login} or {signup} to comment.',
    logIn: 'Log in',
    signUp: 'sign up',
    commentingAs: 'Commenting as',
    yourComment: 'Your comment',
    yourReply: 'Your reply',
    bodyHint: 'Plain text; links become clickable.',
    postComment: 'Post comment',
    reply: 'Reply',
    edit: 'Edit',
    save: 'Save',
    editHint: 'You can edit a comment in the first minutes after posting it.',
    delete: 'Delete',
    deleteConfirm: 'Delete this comment for good?',
    report: 'Report',
    reportLegend: 'What is wrong with this comment?',
    reportReasons: { abusive: 'Abusive', spam: 'Spam', off_topic: 'Off-topic', other: 'Something else' },
    reportText: 'Tell the moderators more (needed for “Something else”)',
    staff: 'Staff',
    featured: 'Featured',
    edited: 'edited',
    errorPrefix: 'Error:',
    closedTitle: 'Comments are closed',
    closedBecause: {
      retracted: 'This brief was retracted.',
      policy: 'The newsroom closed comments on this brief.',
      age: 'Briefs take comments for a limited time after publication.',
    },
    published: 'Your comment was published.',
    saved: 'Your changes were saved.',
    deleted: 'Your comment was deleted.',
    gone: 'That comment is no longer here.',
    blank: 'The comment is empty: write something first.',
    tooLong: 'This is too long: comments may have up to 5,000 characters and reports up to 1,000.',
    reasonMissing: 'Choose what is wrong with the comment.',
    reportTextMissing: 'Say what is wrong when you choose “Something else”.',
    notLoggedIn: 'You are not logged in, or your session has ended. Log in and try again.',
    formExpired: { title: 'Form expired', text: 'This form has expired or did not come from this site. Go back, reload the page and try again.' },
    backToBrief: 'Back to the brief',
    newComments: { one: '# new comment', other: '# new comments' },
    newShown: { one: '# new comment shown', other: '# new comments shown' },
  },
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
  claimStatus: { claimed: 'Заява', confirmed: 'Підтверджено', denied: 'Спростовано', unverified: 'Не перевірено', retracted: 'Відкликано' },
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
  search: 'Пошук',
  otherLanguages: 'Інші мови',
  keyEvents: 'Ключові події',
  alsoIn: 'Іншими мовами',
  entitiesInvolved: 'Особи, організації та місця',
  comment: {
    noComments: 'Коментарів ще немає.',
    sortLabel: 'Порядок',
    sortOldest: 'Спершу давніші',
    sortNewest: 'Спершу новіші',
    moreComments: 'Більше коментарів',
    firstComments: 'До перших коментарів',
    signInPrompt: '{login} або {signup}, щоб коментувати.',
    logIn: 'Увійдіть',
    signUp: 'зареєструйтеся',
    commentingAs: 'Ви коментуєте як',
    yourComment: 'Ваш коментар',
    yourReply: 'Ваша відповідь',
    bodyHint: 'Звичайний текст; посилання стануть активними.',
    postComment: 'Надіслати коментар',
    reply: 'Відповісти',
    edit: 'Редагувати',
    save: 'Зберегти',
    editHint: 'Коментар можна редагувати в перші хвилини після публікації.',
    delete: 'Видалити',
    deleteConfirm: 'Видалити цей коментар назавжди?',
    report: 'Поскаржитися',
    reportLegend: 'Що не так із цим коментарем?',
    reportReasons: { abusive: 'Образливий', spam: 'Спам', off_topic: 'Не на тему', other: 'Інше' },
    reportText: 'Розкажіть модераторам більше (обов’язково для «Інше»)',
    staff: 'Редакція',
    featured: 'Вибране',
    edited: 'змінено',
    errorPrefix: 'Помилка:',
    closedTitle: 'Коментування закрито',
    closedBecause: {
      retracted: 'Цю новину відкликано.',
      policy: 'Редакція закрила коментування цієї новини.',
      age: 'Новини приймають коментарі обмежений час після публікації.',
    },
    published: 'Ваш коментар опубліковано.',
    saved: 'Зміни збережено.',
    deleted: 'Ваш коментар видалено.',
    gone: 'Цього коментаря вже немає.',
    blank: 'Коментар порожній: спершу напишіть щось.',
    tooLong: 'Задовго: коментар може мати до 5000 знаків, скарга — до 1000.',
    reasonMissing: 'Оберіть, що не так із коментарем.',
    reportTextMissing: 'Напишіть, що не так, якщо обираєте «Інше».',
    notLoggedIn: 'Ви не ввійшли або ваш сеанс завершився. Увійдіть і спробуйте знову.',
    formExpired: { title: 'Форма застаріла', text: 'Ця форма застаріла або надіслана не з цього сайту. Поверніться, оновіть сторінку й спробуйте знову.' },
    backToBrief: 'Повернутися до новини',
    newComments: { one: '# новий коментар', few: '# нові коментарі', many: '# нових коментарів', other: '# нового коментаря' },
    newShown: { one: 'Показано # новий коментар', few: 'Показано # нові коментарі', many: 'Показано # нових коментарів', other: 'Показано # нового коментаря' },
  },
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
  claimStatus: { claimed: 'Заявление', confirmed: 'Подтверждено', denied: 'Опровергнуто', unverified: 'Не проверено', retracted: 'Отозвано' },
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
  search: 'Поиск',
  otherLanguages: 'Другие языки',
  keyEvents: 'Ключевые события',
  alsoIn: 'На других языках',
  entitiesInvolved: 'Персоны, организации и места',
  comment: {
    noComments: 'Комментариев пока нет.',
    sortLabel: 'Порядок',
    sortOldest: 'Сначала старые',
    sortNewest: 'Сначала новые',
    moreComments: 'Ещё комментарии',
    firstComments: 'К первым комментариям',
    signInPrompt: '{login} или {signup}, чтобы комментировать.',
    logIn: 'Войдите',
    signUp: 'зарегистрируйтесь',
    commentingAs: 'Вы комментируете как',
    yourComment: 'Ваш комментарий',
    yourReply: 'Ваш ответ',
    bodyHint: 'Обычный текст; ссылки станут активными.',
    postComment: 'Отправить комментарий',
    reply: 'Ответить',
    edit: 'Изменить',
    save: 'Сохранить',
    editHint: 'Комментарий можно изменить в первые минуты после публикации.',
    delete: 'Удалить',
    deleteConfirm: 'Удалить этот комментарий навсегда?',
    report: 'Пожаловаться',
    reportLegend: 'Что не так с этим комментарием?',
    reportReasons: { abusive: 'Оскорбительный', spam: 'Спам', off_topic: 'Не по теме', other: 'Другое' },
    reportText: 'Расскажите модераторам подробнее (обязательно для «Другое»)',
    staff: 'Редакция',
    featured: 'Избранное',
    edited: 'изменён',
    errorPrefix: 'Ошибка:',
    closedTitle: 'Комментирование закрыто',
    closedBecause: {
      retracted: 'Эта новость отозвана.',
      policy: 'Редакция закрыла комментирование этой новости.',
      age: 'Новости принимают комментарии ограниченное время после публикации.',
    },
    published: 'Ваш комментарий опубликован.',
    saved: 'Изменения сохранены.',
    deleted: 'Ваш комментарий удалён.',
    gone: 'Этого комментария больше нет.',
    blank: 'Комментарий пуст: сначала напишите что-нибудь.',
    tooLong: 'Слишком длинно: комментарий может содержать до 5000 знаков, жалоба — до 1000.',
    reasonMissing: 'Выберите, что не так с комментарием.',
    reportTextMissing: 'Напишите, что не так, если выбираете «Другое».',
    notLoggedIn: 'Вы не вошли или ваш сеанс закончился. Войдите и попробуйте снова.',
    formExpired: { title: 'Форма устарела', text: 'Эта форма устарела или отправлена не с этого сайта. Вернитесь, обновите страницу и попробуйте снова.' },
    backToBrief: 'Вернуться к новости',
    newComments: { one: '# новый комментарий', few: '# новых комментария', many: '# новых комментариев', other: '# нового комментария' },
    newShown: { one: 'Показан # новый комментарий', few: 'Показаны # новых комментария', many: 'Показано # новых комментариев', other: 'Показано # нового комментария' },
  },
};

const catalogue: Record<Language, Messages> = { en, uk, ru };

/** The reader-facing strings for one language. */
export function messagesFor(language: Language): Messages {
  return catalogue[language];
}

/**
 * The site language an Accept-Language header prefers most ("uk-UA,uk;q=0.9,en;q=0.8" → uk),
 * or English when it names none of ours. Only the primary subtag counts: ru-UA is still Russian.
 */
export function languageFromAcceptLanguage(header: string | undefined): Language {
  const ranked = (header ?? '').split(',').flatMap((part, index) => {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    const weight = q === undefined ? 1 : Number(q);
    const primary = tag.split('-')[0] as Language;
    return LANGUAGES.includes(primary) && weight > 0 ? [{ language: primary, weight, index }] : [];
  });
  ranked.sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked[0]?.language ?? 'en';
}

// The account pages' strings: English lives in account-messages.ts; these are the same strings in
// uk and ru. account.tsx picks one set per request, for the pages and their refusals alike.
type Widened<T> = T extends string ? string : { [K in keyof T]: Widened<T[K]> };
export type AccountMessages = Widened<typeof enAccount>;

const ukAccount: AccountMessages = {
  signUpTitle: 'Створити акаунт',
  signUpIntro: 'З акаунтом можна коментувати новини.',
  logInTitle: 'Вхід',
  accountTitle: 'Ваш акаунт',
  deletedTitle: 'Акаунт видалено',
  deletedText: 'Ваш акаунт видалено, ви вийшли. Ваші коментарі лишаються, підписані як від видаленого акаунта.',
  displayName: 'Ім’я для показу',
  displayNameHint: 'Показується біля ваших коментарів; до 60 знаків.',
  email: 'Електронна пошта',
  password: 'Пароль',
  newPasswordHint: 'Щонайменше 10 знаків.',
  signUp: 'Створити акаунт',
  logIn: 'Увійти',
  logOut: 'Вийти',
  haveAccount: 'Уже маєте акаунт?',
  noAccount: 'Ще немає акаунта?',
  signedInAs: 'Ви ввійшли як',
  roleLabel: 'Роль',
  role: { reader: 'Читач', contributor: 'Автор', editor: 'Редактор', moderator: 'Модератор', admin: 'Адміністратор' },
  toDesk: 'До редакції',
  deleteTitle: 'Видалити акаунт',
  deleteText: 'Ви вийдете на всіх пристроях, а ваші ім’я та пошту буде видалено. Коментарі лишаться, підписані як від видаленого акаунта. Це не можна скасувати.',
  deleteConfirm: 'Я розумію, що мій акаунт буде видалено назавжди',
  deleteButton: 'Видалити мій акаунт',
  staffCannotDelete: 'Акаунти редакції закриває адміністратор.',
  confirmRequired: 'треба позначити, щоб видалити акаунт',
  backHome: 'До останніх новин',
  errors: {
    csrf: { title: 'Форма застаріла', text: 'Ця форма застаріла або надіслана не з цього сайту. Поверніться, оновіть сторінку й спробуйте знову.' },
    tooMany: { title: 'Забагато спроб', text: 'Забагато спроб за короткий час. Зачекайте хвилину й спробуйте знову.' },
    notLoggedIn: { title: 'Ви не ввійшли', text: 'Ви не ввійшли або ваш сеанс завершився. Увійдіть і спробуйте знову.' },
    other: { title: 'Запит не оброблено', text: 'Ми не змогли обробити цей запит.' },
    internal: { title: 'Щось пішло не так', text: 'Сталася помилка на нашому боці. Ми її зафіксували; спробуйте пізніше.' },
  },
};

const ruAccount: AccountMessages = {
  signUpTitle: 'Создать аккаунт',
  signUpIntro: 'С аккаунтом можно комментировать новости.',
  logInTitle: 'Вход',
  accountTitle: 'Ваш аккаунт',
  deletedTitle: 'Аккаунт удалён',
  deletedText: 'Ваш аккаунт удалён, вы вышли. Ваши комментарии остаются, подписанные как от удалённого аккаунта.',
  displayName: 'Отображаемое имя',
  displayNameHint: 'Показывается рядом с вашими комментариями; до 60 знаков.',
  email: 'Электронная почта',
  password: 'Пароль',
  newPasswordHint: 'Не меньше 10 знаков.',
  signUp: 'Создать аккаунт',
  logIn: 'Войти',
  logOut: 'Выйти',
  haveAccount: 'Уже есть аккаунт?',
  noAccount: 'Ещё нет аккаунта?',
  signedInAs: 'Вы вошли как',
  roleLabel: 'Роль',
  role: { reader: 'Читатель', contributor: 'Автор', editor: 'Редактор', moderator: 'Модератор', admin: 'Администратор' },
  toDesk: 'В редакцию',
  deleteTitle: 'Удалить аккаунт',
  deleteText: 'Вы выйдете на всех устройствах, а ваши имя и почта будут удалены. Комментарии останутся, подписанные как от удалённого аккаунта. Это нельзя отменить.',
  deleteConfirm: 'Я понимаю, что мой аккаунт будет удалён навсегда',
  deleteButton: 'Удалить мой аккаунт',
  staffCannotDelete: 'Аккаунты редакции закрывает администратор.',
  confirmRequired: 'нужно отметить, чтобы удалить аккаунт',
  backHome: 'К последним новостям',
  errors: {
    csrf: { title: 'Форма устарела', text: 'Эта форма устарела или отправлена не с этого сайта. Вернитесь, обновите страницу и попробуйте снова.' },
    tooMany: { title: 'Слишком много попыток', text: 'Слишком много попыток за короткое время. Подождите минуту и попробуйте снова.' },
    notLoggedIn: { title: 'Вы не вошли', text: 'Вы не вошли или ваш сеанс закончился. Войдите и попробуйте снова.' },
    other: { title: 'Запрос не обработан', text: 'Мы не смогли обработать этот запрос.' },
    internal: { title: 'Что-то пошло не так', text: 'На нашей стороне произошла ошибка. Мы её записали; попробуйте позже.' },
  },
};

const accountCatalogue: Record<Language, AccountMessages> = { en: enAccount, uk: ukAccount, ru: ruAccount };

/** The account pages' strings for one language. */
export function accountMessagesFor(language: Language): AccountMessages {
  return accountCatalogue[language];
}
