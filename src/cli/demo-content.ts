import type { StaffRole } from '../accounts/policy.js';
import type { EntityInput, StoryInput } from '../content/schema.js';
import type { ClaimStatus, Language, Quote, Source } from '../content/types.js';

// The demo newsroom as data; src/cli/demo.ts feeds it through the ordinary services.
//
// The event is invented on purpose — the region, town, reservoir, company, officials and the
// news agency — so a demo site can never put words into a real person's mouth. Times in the
// texts are durations ("about an hour after the first alarm") rather than clock times, because
// the datelines are computed relative to the moment the demo is seeded.

export interface DemoStaffMember {
  email: string;
  displayName: string;
  role: StaffRole;
}

/** The admin comes first: it is the account whose one-time password `serve` prints. */
export const DEMO_STAFF = {
  admin: { email: 'admin@newsdesk.local', displayName: 'Desk admin', role: 'admin' },
  editor: { email: 'editor@newsdesk.local', displayName: 'Desk editor', role: 'editor' },
  contributor: { email: 'contributor@newsdesk.local', displayName: 'Desk contributor', role: 'contributor' },
  moderator: { email: 'moderator@newsdesk.local', displayName: 'Desk moderator', role: 'moderator' },
} as const satisfies Record<string, DemoStaffMember>;

export const DEMO_STORY: StoryInput = {
  title: 'Dam breach at the Zoriane Reservoir',
  summary:
    'Water broke through the Zoriane dam above the town of Verkhnia Zoria, forcing the evacuation of the lower town. ' +
    'Demonstration content: the event, the people and the organisations in this story are fictional.',
  language: 'en',
  status: 'developing',
};

export type EntityKey =
  | 'levchyshyn'
  | 'maliovana'
  | 'halaiko'
  | 'verkhovets'
  | 'stepovaEnergy'
  | 'emergencyService'
  | 'hydromet'
  | 'prosecutors'
  | 'verkhniaZoria'
  | 'zorianeReservoir'
  | 'stepovytsiaRegion';

// Aliases carry the inflected forms (Ukrainian and Russian cases) that appear in running text,
// so matching a name in a brief does not depend on the grammatical case it happens to be in.
export const DEMO_ENTITIES: Record<EntityKey, EntityInput> = {
  levchyshyn: {
    kind: 'person',
    names: { en: 'Ostap Levchyshyn', uk: 'Остап Левчишин', ru: 'Остап Левчишин' },
    aliases: ['Levchyshyn', 'Governor Levchyshyn', 'Левчишин', 'Левчишина', 'Левчишину', 'Левчишиним', 'Левчишиным', 'Остапа Левчишина'],
  },
  maliovana: {
    kind: 'person',
    names: { en: 'Iryna Maliovana', uk: 'Ірина Мальована', ru: 'Ирина Мальованая' },
    aliases: ['Maliovana', 'Malyovana', 'Мальована', 'Мальованої', 'Мальованій', 'Мальовану', 'Ірини Мальованої', 'Мальованой', 'Ирины Мальованой'],
  },
  halaiko: {
    kind: 'person',
    names: { en: 'Viktor Halaiko', uk: 'Віктор Галайко', ru: 'Виктор Галайко' },
    aliases: ['Halaiko', 'Halayko', 'Галайко', 'Галайка', 'Галайкові', 'Віктора Галайка', 'Виктора Галайко'],
  },
  verkhovets: {
    kind: 'person',
    names: { en: 'Halyna Verkhovets', uk: 'Галина Верховець', ru: 'Галина Верховец' },
    aliases: ['Verkhovets', 'Mayor Verkhovets', 'Верховець', 'Галини Верховець', 'Верховец', 'Галины Верховец'],
  },
  stepovaEnergy: {
    kind: 'organisation',
    names: { en: 'Stepova Energy', uk: 'Степова енергія', ru: 'Степова энергия' },
    aliases: ['Stepova Enerhiia', 'Степової енергії', 'Степовій енергії', 'Степову енергію', 'Степовой энергии', 'Степовую энергию'],
  },
  emergencyService: {
    kind: 'organisation',
    names: {
      en: 'Stepovytsia Regional Emergency Service',
      uk: 'Обласна служба порятунку Степовиччини',
      ru: 'Областная служба спасения Степовитчины',
    },
    aliases: ['Regional Emergency Service', 'emergency service', 'служба порятунку', 'служби порятунку', 'службі порятунку', 'службу порятунку', 'служба спасения', 'службы спасения'],
  },
  hydromet: {
    kind: 'organisation',
    names: { en: 'Stepovytsia Hydrometeorological Centre', uk: 'Степовицький гідрометцентр', ru: 'Степовицкий гидрометцентр' },
    aliases: ['hydromet centre', 'гідрометцентр', 'гідрометцентру', 'гідрометцентром', 'гидрометцентр', 'гидрометцентра'],
  },
  prosecutors: {
    kind: 'organisation',
    names: { en: 'Stepovytsia Regional Prosecutor’s Office', uk: 'Степовицька обласна прокуратура', ru: 'Степовицкая областная прокуратура' },
    aliases: ['prosecutor’s office', 'обласна прокуратура', 'обласної прокуратури', 'прокуратура', 'прокуратури', 'областной прокуратуры'],
  },
  verkhniaZoria: {
    kind: 'place',
    names: { en: 'Verkhnia Zoria', uk: 'Верхня Зоря', ru: 'Верхняя Заря' },
    aliases: ['Verkhnya Zorya', 'Verkhnia Zorya', 'Верхньої Зорі', 'Верхній Зорі', 'Верхню Зорю', 'Верхньою Зорею', 'Верхней Зари', 'Верхней Заре', 'Верхнюю Зарю'],
  },
  zorianeReservoir: {
    kind: 'place',
    names: { en: 'Zoriane Reservoir', uk: 'Зорянське водосховище', ru: 'Зорянское водохранилище' },
    aliases: ['Zoriane dam', 'Zorianske Reservoir', 'Зорянського водосховища', 'Зорянському водосховищі', 'Зорянська гребля', 'Зорянської греблі', 'Зорянского водохранилища', 'Зорянском водохранилище'],
  },
  stepovytsiaRegion: {
    kind: 'place',
    names: { en: 'Stepovytsia Region', uk: 'Степовицька область', ru: 'Степовицкая область' },
    aliases: ['Stepovytsia', 'Stepovytsia Oblast', 'Степовиччина', 'Степовиччини', 'Степовицької області', 'Степовицькій області', 'Степовицкой области'],
  },
};

/** A claim in the story's background ledger as it stands at some point in the day. */
export interface ClaimState {
  text: string;
  status: ClaimStatus;
  /** Where the claim was made; shown after the text in briefs. */
  attribution: string | null;
  /** Who made it; the story page names the entity before the attribution. */
  attributedTo: EntityKey | null;
}

export type ClaimKey = 'damFacts' | 'floodZone' | 'spillway' | 'overload' | 'cracks' | 'drownings' | 'gaugeData';

/** Each claim as it is first reported; briefs later in the day move some of them on. */
export const DEMO_CLAIMS: Record<ClaimKey, ClaimState> = {
  damFacts: {
    text: 'According to Stepova Energy’s annual report, the Zoriane dam, a 1967 earth embankment with a 45-megawatt hydro plant, holds back about 180 million cubic metres of water.',
    status: 'confirmed',
    attribution: 'annual report for 2023',
    attributedTo: 'stepovaEnergy',
  },
  floodZone: {
    text: 'Regional governor Ostap Levchyshyn claimed that about 3,000 people live in the flood zone of the lower town.',
    status: 'claimed',
    attribution: 'video address',
    attributedTo: 'levchyshyn',
  },
  spillway: {
    text: 'Regional governor Ostap Levchyshyn claimed the spillway gates were opened in time and the operator followed protocol.',
    status: 'claimed',
    attribution: 'video address',
    attributedTo: 'levchyshyn',
  },
  overload: {
    text: 'Stepova Energy claimed the reservoir level was within the permitted range before the breach.',
    status: 'claimed',
    attribution: 'press release',
    attributedTo: 'stepovaEnergy',
  },
  cracks: {
    text: 'Slovo Press Agency, citing a source in the regional administration, reported that cracks in the left embankment were recorded during a spring inspection and that repairs were postponed.',
    status: 'unverified',
    attribution: 'Slovo Press Agency',
    attributedTo: null,
  },
  drownings: {
    text: 'Posts on social media claimed two people drowned on Naberezhna Street.',
    status: 'unverified',
    attribution: 'Telegram and Facebook posts',
    attributedTo: null,
  },
  gaugeData: {
    text: 'Gauge readings published by the Stepovytsia Hydrometeorological Centre suggest the spillway discharge rose about two hours after the first alarm; Newsdesk could not establish when the gates were opened.',
    status: 'unverified',
    attribution: 'hydrological bulletin',
    attributedTo: 'hydromet',
  },
};

/** A claim as a brief shows it: as it stands, or moved on to a new state from this brief onwards. */
export type ClaimRef = ClaimKey | { claim: ClaimKey; becomes: ClaimState };

export type BriefKey =
  | 'breachEn' | 'breachUk' | 'evacuationEn' | 'operatorEn' | 'evacuationUk' | 'cracksEn'
  | 'floodingEn' | 'floodingUk' | 'noDeathsEn' | 'noDeathsUk' | 'investigationEn' | 'returnUk';

export interface DemoComment {
  authorName: string;
  body: string;
  minutesAfterPublishing: number;
}

export interface DemoBrief {
  key: BriefKey;
  language: Language;
  /** Minutes after the first brief of the day; the seed anchors the last one a few hours before now. */
  minute: number;
  /** A contributor's brief goes through review; an editor's is published straight away. */
  writtenBy: 'editor' | 'contributor';
  headline: string;
  sources: Source[];
  quotes: Quote[];
  details: string[];
  previously: string[];
  previouslyLinks: BriefKey[];
  /**
   * Only English briefs carry background: the story's ledger is kept in the story's language,
   * and every background entry of a brief in a story becomes (or updates) a ledger item.
   */
  background: ClaimRef[];
  entities: EntityKey[];
  comments: DemoComment[];
  /** A mistake made at publication and corrected later, so the "Updated" note can be seen. */
  correction?: { reason: string; find: string; replaceWith: string };
}

const emergencyServiceEn: Source = { name: 'Stepovytsia Regional Emergency Service', url: 'https://example.org/stepovytsia-rescue/breach-alert', kind: 'official_statement' };
const emergencyServiceUk: Source = { name: 'Обласна служба порятунку Степовиччини', url: 'https://example.org/stepovytsia-rescue/breach-alert-uk', kind: 'official_statement' };
const correspondentEn: Source = { name: 'Newsdesk correspondent in Verkhnia Zoria', url: null, kind: 'own_correspondent' };
const correspondentUk: Source = { name: 'Кореспондент Newsdesk у Верхній Зорі', url: null, kind: 'own_correspondent' };
const councilTelegramUk: Source = { name: 'Telegram-канал Верхньозорянської міської ради', url: 'https://example.org/verkhnia-zoria-council/telegram', kind: 'social_media' };

export const DEMO_BRIEFS: DemoBrief[] = [
  {
    key: 'breachEn',
    language: 'en',
    minute: 0,
    writtenBy: 'editor',
    headline: 'Water breaches the Zoriane dam above Verkhnia Zoria; emergency service tells the lower town to leave',
    sources: [emergencyServiceEn, { name: 'Zoria FM', url: 'https://example.org/zoria-fm/live', kind: 'media' }],
    quotes: [{
      text: '“Water is coming through the left section of the dam. We ask residents of Richkova, Naberezhna and Mlynova streets to leave their homes now and move to higher ground.”',
      speaker: 'Iryna Maliovana, spokesperson',
      sourceIndex: 0,
    }],
    details: [
      'The Regional Emergency Service said water was flowing through a breach in the **left earth embankment** of the Zoriane dam, about four kilometres upstream of Verkhnia Zoria. It did not say how wide the breach was.',
      'Zoria FM, the town’s local radio station, reported that sirens were sounding in the lower town and that police had closed the road along the river. The service has published a [list of assembly points](https://example.org/stepovytsia-rescue/assembly-points) for people leaving the lower streets.',
    ],
    previously: [],
    previouslyLinks: [],
    background: ['damFacts'],
    entities: ['maliovana', 'emergencyService', 'verkhniaZoria', 'zorianeReservoir'],
    comments: [
      { authorName: 'Olena K.', body: 'My parents live on Mlynova Street and are not answering the phone. Is anyone checking the houses there?', minutesAfterPublishing: 18 },
      { authorName: 'Mark D.', body: 'The sirens can be heard as far as the bus station. Traffic on the upper road is slow but moving.', minutesAfterPublishing: 31 },
    ],
  },
  {
    key: 'breachUk',
    language: 'uk',
    minute: 25,
    writtenBy: 'contributor',
    headline: 'Вода прорвала греблю Зорянського водосховища, мешканців нижньої частини Верхньої Зорі закликають виїхати',
    sources: [emergencyServiceUk, councilTelegramUk],
    quotes: [{
      text: '«Вода йде через ліву секцію греблі. Просимо мешканців вулиць Річкової, Набережної та Млинової негайно залишити домівки й піднятися вище».',
      speaker: 'Ірина Мальована, речниця',
      sourceIndex: 0,
    }],
    details: [
      'За даними служби порятунку, вода проходить через пролом у **лівій земляній дамбі** Зорянської греблі, приблизно за чотири кілометри вище за течією від Верхньої Зорі. Ширину пролому в службі не назвали.',
      'Міська рада у своєму Telegram-каналі повідомила, що в нижній частині міста ввімкнули сирени, а поліція перекрила дорогу вздовж річки. Служба опублікувала [перелік пунктів збору](https://example.org/stepovytsia-rescue/assembly-points) для тих, хто виїжджає.',
    ],
    previously: [],
    previouslyLinks: [],
    background: [],
    entities: ['maliovana', 'emergencyService', 'verkhniaZoria', 'zorianeReservoir'],
    comments: [
      { authorName: 'Андрій, Верхня Зоря', body: 'Ми на Садовій, вода поки не дійшла. Сусіди з Річкової вже у нас, місце ще є.', minutesAfterPublishing: 20 },
    ],
  },
  {
    key: 'evacuationEn',
    language: 'en',
    minute: 70,
    writtenBy: 'contributor',
    headline: 'Governor orders evacuation of Verkhnia Zoria’s lower town, says spillway gates were opened in time',
    sources: [
      { name: 'Stepovytsia Regional Administration', url: 'https://example.org/stepovytsia-administration/video-address', kind: 'official_statement' },
      correspondentEn,
    ],
    quotes: [{
      text: '“The spillway gates were opened in time, and the operator acted according to protocol. The breach is limited to one section.\nI have ordered a full evacuation of the lower town — about three thousand people.”',
      speaker: 'Ostap Levchyshyn, governor of Stepovytsia region',
      sourceIndex: 0,
    }],
    details: [
      'Governor Ostap Levchyshyn announced the evacuation in a video address about an hour after the first alarm. **Buses are collecting residents** at the market square and at the railway crossing, the regional administration said.',
      'A Newsdesk correspondent saw water standing at the lower end of Naberezhna Street and rescuers going from door to door with loudhailers.',
    ],
    previously: ['The Regional Emergency Service reported water coming through the left section of the Zoriane dam and asked residents of the lower streets of Verkhnia Zoria to leave their homes.'],
    previouslyLinks: ['breachEn'],
    background: ['damFacts', 'floodZone', 'spillway'],
    entities: ['levchyshyn', 'stepovytsiaRegion', 'verkhniaZoria', 'zorianeReservoir'],
    comments: [],
  },
  {
    key: 'operatorEn',
    language: 'en',
    minute: 150,
    writtenBy: 'editor',
    headline: 'Stepova Energy shuts down the Zoriane hydro plant, says the reservoir level was within the permitted range',
    sources: [
      { name: 'Stepova Energy press release', url: 'https://example.org/stepova-energy/press/zoriane-shutdown', kind: 'official_statement' },
      { name: 'Slovo Press Agency', url: 'https://example.org/slovo-press/zoriane-operator', kind: 'news_agency' },
    ],
    quotes: [{
      text: '“We stopped all three units as soon as the pressure readings on the left embankment changed. The reservoir level was within the permitted range.”',
      speaker: 'Viktor Halaiko, Stepova Energy spokesman',
      sourceIndex: 1,
    }],
    details: [
      'Stepova Energy, which operates the dam and its hydro plant, said **all three generating units** had been stopped and that its engineers were on the dam with the emergency service.',
      'The company did not say when the spillway gates were opened. Its spokesman told Slovo Press Agency that the regional grid had covered the shortfall from other plants and that no customers had lost power.',
    ],
    previously: ['Governor Ostap Levchyshyn ordered the evacuation of the lower town of Verkhnia Zoria and said the spillway gates had been opened in time.'],
    previouslyLinks: ['evacuationEn', 'breachEn'],
    background: ['spillway', 'overload', 'damFacts'],
    entities: ['halaiko', 'stepovaEnergy', 'zorianeReservoir'],
    comments: [],
  },
  {
    key: 'evacuationUk',
    language: 'uk',
    minute: 185,
    writtenBy: 'contributor',
    headline: 'Голова області оголосив евакуацію нижньої частини Верхньої Зорі, «Степова енергія» зупинила ГЕС',
    sources: [
      { name: 'Степовицька обласна адміністрація', url: 'https://example.org/stepovytsia-administration/video-address', kind: 'official_statement' },
      { name: 'Агентство «Слово-Прес»', url: 'https://example.org/slovo-press/zoriane-operator-uk', kind: 'news_agency' },
    ],
    quotes: [
      {
        text: '«Шлюзи водоскиду були відкриті вчасно, оператор діяв за протоколом. Прорив обмежується однією секцією».',
        speaker: 'Остап Левчишин, голова Степовицької обласної адміністрації',
        sourceIndex: 0,
      },
      {
        text: '«Ми зупинили всі три агрегати, щойно змінилися показники тиску на лівій дамбі. Рівень води у водосховищі був у допустимих межах».',
        speaker: 'Віктор Галайко, речник «Степової енергії»',
        sourceIndex: 1,
      },
    ],
    details: [
      'Остап Левчишин оголосив евакуацію приблизно за годину після першої тривоги. За його словами, у зоні підтоплення живуть **близько трьох тисяч людей**. Автобуси забирають мешканців з ринкової площі та від залізничного переїзду.',
      '«Степова енергія», яка експлуатує греблю та ГЕС, зупинила всі три агрегати. Коли саме відкрили шлюзи водоскиду, у компанії не уточнили.',
    ],
    previously: ['Обласна служба порятунку повідомила, що вода йде через ліву секцію Зорянської греблі, і закликала мешканців нижніх вулиць Верхньої Зорі залишити домівки.'],
    previouslyLinks: ['breachUk'],
    background: [],
    entities: ['levchyshyn', 'halaiko', 'stepovaEnergy', 'verkhniaZoria', 'zorianeReservoir'],
    comments: [],
  },
  {
    key: 'cracksEn',
    language: 'en',
    minute: 290,
    writtenBy: 'editor',
    headline: 'Slovo agency, citing a source, reports cracks were found in the Zoriane dam in spring; operator declines to comment',
    sources: [
      { name: 'Slovo Press Agency', url: 'https://example.org/slovo-press/zoriane-cracks', kind: 'news_agency' },
      { name: 'Newsdesk, by phone', url: null, kind: 'own_correspondent' },
    ],
    quotes: [{
      text: '“We will not comment on anonymous claims while people are being evacuated. All inspection documents will be handed to investigators.”',
      speaker: 'Viktor Halaiko, Stepova Energy spokesman',
      sourceIndex: 1,
    }],
    details: [
      'Slovo Press Agency, citing a source in the regional administration, reported that an inspection in April recorded cracks in the **left embankment**, the section that gave way, and that repairs were postponed until the autumn. The agency did not publish the inspection report.',
      'Newsdesk has not seen the report and could not confirm the agency’s account. The regional administration did not respond to a request for comment.',
    ],
    previously: ['Stepova Energy shut down the hydro plant and said the reservoir level had been within the permitted range.'],
    previouslyLinks: ['operatorEn', 'evacuationEn'],
    background: ['spillway', 'overload', 'cracks'],
    entities: ['halaiko', 'stepovaEnergy', 'zorianeReservoir'],
    comments: [],
  },
  {
    key: 'floodingEn',
    language: 'en',
    minute: 380,
    writtenBy: 'contributor',
    // Published with the figure's digits swapped; the correction below fixes it, as the desk would.
    headline: 'Water reaches the lower streets of Verkhnia Zoria; rescuers have evacuated 1,420 people',
    sources: [correspondentEn, { name: 'Stepovytsia Regional Emergency Service', url: 'https://example.org/stepovytsia-rescue/evacuation-update', kind: 'official_statement' }],
    quotes: [{
      text: '“We have taken 1,240 people out of the lower streets, including 86 children. No deaths have been reported to us.”',
      speaker: 'Iryna Maliovana, spokesperson',
      sourceIndex: 1,
    }],
    details: [
      'Six hours after the breach was first reported, water was **knee-deep on Naberezhna Street** and rising on Richkova Street, a Newsdesk correspondent saw. Rescuers in boats were taking people off porches and out of ground-floor windows.',
      'The emergency service said 1,420 people had been evacuated by boat and bus, most of them to the gym of School No. 2 and the Zoria Palace of Culture in the upper town. The city council keeps a [list of shelters and what they need](https://example.org/verkhnia-zoria-council/shelters).',
    ],
    previously: ['Slovo Press Agency reported, citing an unnamed source, that cracks had been found in the dam during a spring inspection; Stepova Energy declined to comment.'],
    previouslyLinks: ['cracksEn', 'evacuationEn'],
    background: ['floodZone', 'spillway', 'drownings'],
    entities: ['maliovana', 'emergencyService', 'verkhniaZoria'],
    comments: [
      { authorName: 'Taras from Kyiv', body: 'Thank you for naming a source for every number. Too many channels are posting figures with no source at all.', minutesAfterPublishing: 40 },
      { authorName: 'Anna W.', body: 'Where can people from the lower town take their pets? The shelter list does not say.', minutesAfterPublishing: 55 },
    ],
    correction: {
      reason: 'An earlier version of this brief said 1,420 people had been evacuated. The Regional Emergency Service’s figure was 1,240.',
      find: '1,420',
      replaceWith: '1,240',
    },
  },
  {
    key: 'floodingUk',
    language: 'uk',
    minute: 425,
    writtenBy: 'contributor',
    headline: 'Вода дійшла до нижніх вулиць Верхньої Зорі, рятувальники евакуювали понад 1200 людей',
    sources: [correspondentUk, { name: 'Обласна служба порятунку Степовиччини', url: 'https://example.org/stepovytsia-rescue/evacuation-update-uk', kind: 'official_statement' }],
    quotes: [{
      text: '«Ми вивезли з нижніх вулиць 1240 людей, серед них 86 дітей. Про загиблих нам не повідомляли».',
      speaker: 'Ірина Мальована, речниця',
      sourceIndex: 1,
    }],
    details: [
      'На вулиці Набережній вода стоїть **по коліна**, на Річковій — прибуває, бачив кореспондент Newsdesk. Рятувальники на човнах знімають людей з ґанків і з вікон перших поверхів.',
      'Евакуйованих розміщують у спортзалі школи № 2 та в Палаці культури «Зоря» у верхній частині міста. Міська рада веде [перелік пунктів прихистку й того, чого там бракує](https://example.org/verkhnia-zoria-council/shelters).',
    ],
    previously: ['Голова обласної адміністрації Остап Левчишин оголосив евакуацію нижньої частини міста, а «Степова енергія» зупинила ГЕС.'],
    previouslyLinks: ['evacuationUk'],
    background: [],
    entities: ['maliovana', 'emergencyService', 'verkhniaZoria'],
    comments: [
      { authorName: 'Світлана М.', body: 'Дякую за список пунктів прихистку. У школі № 2 вже бракує ковдр, якщо хтось може привезти.', minutesAfterPublishing: 30 },
    ],
  },
  {
    key: 'noDeathsEn',
    language: 'en',
    minute: 610,
    writtenBy: 'editor',
    headline: 'Emergency service denies reports of deaths in Verkhnia Zoria as the water at the dam begins to fall',
    sources: [
      { name: 'Stepovytsia Regional Emergency Service briefing', url: 'https://example.org/stepovytsia-rescue/briefing', kind: 'official_statement' },
      { name: 'Zoria FM', url: 'https://example.org/zoria-fm/news', kind: 'media' },
    ],
    quotes: [{
      text: '“The reports of two people drowned on Naberezhna Street are not true. Everyone we were told was missing there has been found alive.”',
      speaker: 'Iryna Maliovana, spokesperson',
      sourceIndex: 0,
    }],
    details: [
      'The service said **2,130 people** have now left the lower town and 14 were taken to hospital with hypothermia. It said 2,960 residents are registered in the evacuation zone.',
      'Zoria FM, citing the Stepovytsia Hydrometeorological Centre, reported that the water level at the dam had fallen by 40 centimetres over three hours. The centre’s [hydrological bulletin](https://example.org/stepovytsia-hydromet/bulletin) shows the spillway discharge rising about two hours after the first alarm; Newsdesk has asked the regional administration when the gates were opened.',
    ],
    previously: ['Water reached the lower streets of Verkhnia Zoria, and rescuers evacuated more than 1,200 people by boat and bus.'],
    previouslyLinks: ['floodingEn'],
    background: [
      {
        claim: 'floodZone',
        becomes: {
          text: 'The Regional Emergency Service confirmed that 2,960 residents are registered in the evacuation zone of the lower town.',
          status: 'confirmed',
          attribution: 'briefing',
          attributedTo: 'emergencyService',
        },
      },
      {
        claim: 'drownings',
        becomes: {
          text: 'Posts on social media claimed two people drowned on Naberezhna Street; the Regional Emergency Service denied this, saying everyone reported missing there was found alive.',
          status: 'denied',
          attribution: 'briefing',
          attributedTo: 'emergencyService',
        },
      },
      'spillway',
      'gaugeData',
    ],
    entities: ['maliovana', 'emergencyService', 'hydromet', 'verkhniaZoria', 'zorianeReservoir'],
    comments: [],
  },
  {
    key: 'noDeathsUk',
    language: 'uk',
    minute: 650,
    writtenBy: 'contributor',
    headline: 'Служба порятунку спростувала чутки про загиблих у Верхній Зорі, рівень води біля греблі почав знижуватися',
    sources: [
      { name: 'Брифінг обласної служби порятунку', url: 'https://example.org/stepovytsia-rescue/briefing-uk', kind: 'official_statement' },
      { name: 'Радіо «Зоря FM»', url: 'https://example.org/zoria-fm/news', kind: 'media' },
    ],
    quotes: [{
      text: '«Повідомлення про двох потонулих на вулиці Набережній не відповідають дійсності. Усіх, кого там шукали, знайдено живими».',
      speaker: 'Ірина Мальована, речниця',
      sourceIndex: 0,
    }],
    details: [
      'За даними служби, з нижньої частини міста виїхали **2130 людей**, 14 госпіталізовано з переохолодженням. У зоні евакуації зареєстровано 2960 мешканців.',
      'Радіо «Зоря FM» з посиланням на Степовицький гідрометцентр повідомило, що за три години рівень води біля греблі знизився на 40 сантиметрів.',
    ],
    previously: ['Вода дійшла до нижніх вулиць Верхньої Зорі; рятувальники вивезли звідти понад 1200 людей.'],
    previouslyLinks: ['floodingUk'],
    background: [],
    entities: ['maliovana', 'emergencyService', 'hydromet', 'verkhniaZoria'],
    comments: [],
  },
  {
    key: 'investigationEn',
    language: 'en',
    minute: 900,
    writtenBy: 'editor',
    headline: 'Prosecutors open negligence case over the Zoriane dam; Stepova Energy confirms cracks were found in April',
    sources: [
      { name: 'Stepova Energy briefing', url: 'https://example.org/stepova-energy/press/briefing', kind: 'official_statement' },
      { name: 'Slovo Press Agency', url: 'https://example.org/slovo-press/zoriane-case', kind: 'news_agency' },
    ],
    quotes: [{
      text: '“The April inspection recorded hairline cracks in the left embankment. Our engineers judged them not critical, and the repair was scheduled for September. That judgement is now for the investigators to examine.”',
      speaker: 'Viktor Halaiko, Stepova Energy spokesman',
      sourceIndex: 0,
    }],
    details: [
      'Slovo Press Agency reported that the Stepovytsia Regional Prosecutor’s Office had opened a criminal case on suspected **negligence in the maintenance of the dam**. The prosecutor’s office has not named any suspects.',
      'Governor Ostap Levchyshyn said residents of the upper streets, including Sadova and Shkilna, could return home. The lower town stays closed until engineers have checked every house, he said, while workers close the breach with stone and sandbags.',
    ],
    previously: ['The emergency service denied social media reports of deaths, and the water level at the dam began to fall.'],
    previouslyLinks: ['noDeathsEn', 'cracksEn'],
    background: [
      {
        claim: 'cracks',
        becomes: {
          text: 'Stepova Energy confirmed that an April inspection recorded hairline cracks in the left embankment and that the repair had been scheduled for September.',
          status: 'confirmed',
          attribution: 'briefing',
          attributedTo: 'stepovaEnergy',
        },
      },
      'spillway',
      'gaugeData',
      'overload',
    ],
    entities: ['halaiko', 'stepovaEnergy', 'prosecutors', 'levchyshyn', 'zorianeReservoir', 'verkhniaZoria'],
    comments: [
      { authorName: 'Petro H.', body: 'If the cracks were found in April, why was the repair put off until September? I hope the investigation answers that.', minutesAfterPublishing: 45 },
    ],
  },
  {
    key: 'returnUk',
    language: 'uk',
    minute: 960,
    writtenBy: 'contributor',
    headline: 'Частина евакуйованих повертається до Верхньої Зорі, прокуратура відкрила справу через прорив греблі',
    sources: [councilTelegramUk, { name: 'Агентство «Слово-Прес»', url: 'https://example.org/slovo-press/zoriane-case-uk', kind: 'news_agency' }],
    quotes: [{
      text: '«Повертатися можна лише на верхні вулиці — Садову, Шкільну й усе, що вище. Нижня частина міста закрита, доки інженери не перевірять кожен будинок».',
      speaker: 'Галина Верховець, міська голова Верхньої Зорі',
      sourceIndex: 0,
    }],
    details: [
      'Степовицька обласна прокуратура відкрила кримінальне провадження щодо можливої **недбалості під час обслуговування греблі**, повідомило агентство «Слово-Прес». Підозрюваних не назвали.',
      '«Степова енергія» підтвердила, що під час квітневого огляду на лівій дамбі виявили волосяні тріщини, а ремонт запланували на вересень. Пролом у греблі засипають камінням і мішками з піском, повідомила міська рада.',
    ],
    previously: ['Служба порятунку спростувала чутки про загиблих, а рівень води біля греблі почав знижуватися.'],
    previouslyLinks: ['noDeathsUk'],
    background: [],
    entities: ['verkhovets', 'prosecutors', 'stepovaEnergy', 'verkhniaZoria', 'zorianeReservoir'],
    comments: [],
  },
];

/** Briefs that tell the same news in English and Ukrainian, linked as translations of each other. */
export const DEMO_TRANSLATIONS: [BriefKey, BriefKey][] = [['breachEn', 'breachUk'], ['noDeathsEn', 'noDeathsUk']];

/** The story's key events, pinned at the top of its page. */
export const DEMO_KEY_EVENTS: BriefKey[] = ['breachEn', 'investigationEn'];

export interface DemoReaderComment {
  /** Index into DEMO_READERS. */
  reader: number;
  body: string;
  /** Index of an earlier comment in the same list that this one answers. */
  replyTo?: number;
}

/** Reader accounts for the demo's live comment section; their passwords are random and never shown. */
export const DEMO_READERS = [
  { displayName: 'Taras V.', email: 'taras@readers.newsdesk.local' },
  { displayName: 'Nadia P.', email: 'nadia@readers.newsdesk.local' },
  { displayName: 'angry_reader_77', email: 'angry@readers.newsdesk.local' },
  { displayName: 'Best Deals', email: 'deals@readers.newsdesk.local' },
] as const;

/**
 * Comments written through the moderation pipeline under the latest English brief, so the
 * desk's queues have something in them on first start: a thread, an insult the profanity list
 * flags, and link spam held for a moderator.
 */
export const DEMO_READER_COMMENTS: { brief: BriefKey; comments: DemoReaderComment[] } = {
  brief: 'investigationEn',
  comments: [
    { reader: 0, body: 'Thank you for keeping this updated through the night. Is the road past the bus station open again?' },
    { reader: 1, body: 'It reopened this morning, one lane only. Police are checking documents at the bridge.', replyTo: 0 },
    { reader: 2, body: 'The people who run that dam are bastards and should rot in jail.' },
    { reader: 3, body: 'Cheap flats far from the flood! https://deals.example.com/flats https://deals.example.net/rent https://example.org/now' },
  ],
};
