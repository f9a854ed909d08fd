import type { ModerationSettings } from '../../comments/policy-settings.js';
import { fieldId } from '../forms.js';
import { deskMessages as m } from '../messages.js';
import type { DeskContext } from './DeskPage.js';
import { CsrfField, SelectField, TextAreaField, TextField, type FormErrors, type PathDescriber } from './fields.js';
import { ModerationPage } from './ModerationPages.js';

const ms = m.mod.settingsPage;

export const WORD_LANGUAGES = ['en', 'uk', 'ru'] as const;

/** The settings form as typed: strings throughout, lists one entry per line. */
export interface SettingsFormValues {
  moderation: string;
  closeAfterDays: string;
  editWindowMinutes: string;
  reportsToHide: string;
  newReaderMinutes: string;
  maxLinks: string;
  allowedDomains: string;
  commentsPerMinutePerAccount: string;
  commentsPerMinutePerAddress: string;
  bannedTerms: string;
  profanity: { en: string; uk: string; ru: string };
}

export const NUMBER_FIELDS = [
  'closeAfterDays', 'editWindowMinutes', 'reportsToHide', 'newReaderMinutes', 'maxLinks', 'commentsPerMinutePerAccount', 'commentsPerMinutePerAddress',
] as const;

export function settingsValuesFrom(settings: ModerationSettings): SettingsFormValues {
  return {
    moderation: settings.moderation,
    closeAfterDays: String(settings.closeAfterDays),
    editWindowMinutes: String(settings.editWindowMinutes),
    reportsToHide: String(settings.reportsToHide),
    newReaderMinutes: String(settings.newReaderMinutes),
    maxLinks: String(settings.maxLinks),
    allowedDomains: settings.allowedDomains.join('\n'),
    commentsPerMinutePerAccount: String(settings.commentsPerMinutePerAccount),
    commentsPerMinutePerAddress: String(settings.commentsPerMinutePerAddress),
    bannedTerms: settings.bannedTerms.join('\n'),
    profanity: { en: settings.profanity.en.join('\n'), uk: settings.profanity.uk.join('\n'), ru: settings.profanity.ru.join('\n') },
  };
}

const LABELS: Record<string, string> = {
  moderation: ms.moderation,
  closeAfterDays: ms.closeAfterDays,
  editWindowMinutes: ms.editWindowMinutes,
  reportsToHide: ms.reportsToHide,
  newReaderMinutes: ms.newReaderMinutes,
  maxLinks: ms.maxLinks,
  allowedDomains: ms.allowedDomains,
  commentsPerMinutePerAccount: ms.perAccount,
  commentsPerMinutePerAddress: ms.perAddress,
  bannedTerms: ms.bannedTerms,
  'profanity.en': ms.profanity.en,
  'profanity.uk': ms.profanity.uk,
  'profanity.ru': ms.profanity.ru,
};

/**
 * Where a settings error is shown: `maxLinks` at its input, `bannedTerms.4` at the banned-terms
 * box as "Banned terms, entry 5" (entries are the non-blank lines).
 */
export const describeSettingsPath: PathDescriber = (path) => {
  const match = /^(profanity\.(?:en|uk|ru)|[A-Za-z]+)(?:\.(\d+))?$/.exec(path);
  const field = match?.[1];
  if (!field || !LABELS[field]) return null;
  const label = match[2] === undefined ? LABELS[field]! : ms.entry(LABELS[field]!, Number(match[2]) + 1);
  return { id: fieldId(field), label };
};

/** The site's comment policy and word lists, for admins. */
export function SettingsPage(props: { ctx: DeskContext; values: SettingsFormValues; errors: FormErrors; done: string | null }) {
  const { ctx, values, errors } = props;
  const number = (name: (typeof NUMBER_FIELDS)[number], hint?: string) => (
    <TextField id={fieldId(name)} name={name} label={LABELS[name]!} value={values[name]} hint={hint} errors={errors} />
  );
  const list = (name: string, value: string, hint: string, rows: number) => (
    <TextAreaField id={fieldId(name)} name={name.replace(/\.(\w+)$/, '[$1]')} label={LABELS[name]!} value={value} hint={hint} rows={rows} errors={errors} />
  );
  return (
    <ModerationPage ctx={ctx} title={ms.title} section="settings" done={props.done} errors={errors}>
      <form method="post" action="/desk/moderation/settings" class="stack" noValidate>
        <CsrfField token={ctx.csrfToken} />
        <fieldset class="group">
          <legend>{ms.policy}</legend>
          <SelectField id={fieldId('moderation')} name="moderation" label={ms.moderation} value={values.moderation}
            options={[['post', ms.moderationModes.post], ['pre', ms.moderationModes.pre]]} errors={errors} />
          {number('closeAfterDays', ms.closeAfterDaysHint)}
          {number('editWindowMinutes', ms.editWindowMinutesHint)}
          {number('reportsToHide')}
          {number('newReaderMinutes', ms.newReaderMinutesHint)}
        </fieldset>
        <fieldset class="group">
          <legend>{ms.links}</legend>
          {number('maxLinks')}
          {list('allowedDomains', values.allowedDomains, ms.allowedDomainsHint, 4)}
        </fieldset>
        <fieldset class="group">
          <legend>{ms.rateLimits}</legend>
          {number('commentsPerMinutePerAccount')}
          {number('commentsPerMinutePerAddress')}
        </fieldset>
        <fieldset class="group">
          <legend>{ms.wordLists}</legend>
          {list('bannedTerms', values.bannedTerms, ms.bannedTermsHint, 8)}
          {WORD_LANGUAGES.map((lang) => list(`profanity.${lang}`, values.profanity[lang], ms.profanityHint, 6))}
        </fieldset>
        <div class="actions"><button type="submit" class="primary">{ms.save}</button></div>
      </form>
    </ModerationPage>
  );
}
