import type { Language } from '../content/types.js';

// What commenters are told, in the brief's language.

const MESSAGES = {
  en: {
    banned_term: 'Your comment breaks the site\'s rules and was not published.',
    duplicate: 'You posted the same comment a moment ago, so this one was not published.',
    pending: 'Your comment will appear once a moderator has read it.',
    closed: 'Comments on this brief are closed.',
    rateLimited: 'You are commenting too fast; wait a little and try again.',
    banned: 'Your account may no longer comment.',
    suspended: 'Your account may not comment until {until}.',
    editClosed: 'Comments can be edited only in the first {minutes} minutes.',
    reported: 'Thank you: a moderator will look at this comment.',
  },
  uk: {
    banned_term: 'Ваш коментар порушує правила сайту, тому його не опубліковано.',
    duplicate: 'Ви щойно надіслали такий самий коментар, тому цей не опубліковано.',
    pending: 'Ваш коментар з’явиться, щойно його прочитає модератор.',
    closed: 'Коментування цієї новини закрито.',
    rateLimited: 'Ви коментуєте надто часто; зачекайте трохи й спробуйте знову.',
    banned: 'Вашому обліковому запису заборонено коментувати.',
    suspended: 'Ваш обліковий запис не може коментувати до {until}.',
    editClosed: 'Коментар можна редагувати лише протягом перших {minutes} хв.',
    reported: 'Дякуємо: модератор перегляне цей коментар.',
  },
  ru: {
    banned_term: 'Ваш комментарий нарушает правила сайта, поэтому он не опубликован.',
    duplicate: 'Вы только что отправили такой же комментарий, поэтому этот не опубликован.',
    pending: 'Ваш комментарий появится, когда его прочтёт модератор.',
    closed: 'Комментирование этой новости закрыто.',
    rateLimited: 'Вы комментируете слишком часто; подождите немного и попробуйте снова.',
    banned: 'Вашей учётной записи запрещено комментировать.',
    suspended: 'Ваша учётная запись не может комментировать до {until}.',
    editClosed: 'Комментарий можно редактировать только в первые {minutes} мин.',
    reported: 'Спасибо: модератор проверит этот комментарий.',
  },
} as const satisfies Record<Language, Record<string, string>>;

export type CommentMessage = keyof (typeof MESSAGES)['en'];

export function commentMessage(language: string, key: CommentMessage, vars: Record<string, string> = {}): string {
  const table = MESSAGES[language as Language] ?? MESSAGES.en;
  return table[key].replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? '');
}
