import type { ClaimStatus, SourceKind } from '../content/types.js';

// Word material for `newsdesk demo-data` (demo-data.ts): sentences in uk, en and ru that the
// generator combines into briefs, stories, background items and comments. Every sentence exists
// in the three languages, so a translation group says the same thing in each. Places and
// organisations come from the gazetteer (content/fixtures/gazetteer.ts) and are tagged by the
// ordinary tagger; people are never quoted or made to act, since the gazetteer names real ones:
// quotes come from unnamed officials and residents. `{n}` stands for a multiple of ten, which
// takes the same plural form in Ukrainian and Russian whatever its value.

/** One sentence in each language, in the order of LANGUAGES (uk, en, ru). */
export type Tri = readonly [uk: string, en: string, ru: string];

export const HEADLINES: readonly Tri[] = [
  ['У Києві та області оголосили повітряну тривогу', 'Air raid alert declared in Kyiv and the surrounding region', 'В Киеве и области объявили воздушную тревогу'],
  ['У Києві пролунали вибухи, влада закликає залишатися в укриттях', 'Explosions heard in Kyiv, officials urge residents to stay in shelters', 'В Киеве прогремели взрывы, власти призывают оставаться в укрытиях'],
  ['Колони ПВК «Вагнер» рухаються на північ від Ростова-на-Дону', 'Wagner Group columns reported moving north from Rostov-on-Don', 'Колонны ЧВК «Вагнер» движутся на север от Ростова-на-Дону'],
  ['Міноборони Росії заявило, що відбило атаку біля Бахмута', 'Russian Defence Ministry says it repelled an attack near Bakhmut', 'Минобороны России заявило, что отразило атаку под Бахмутом'],
  ['Білорусь заявила, що погодилася прийняти бійців ПВК «Вагнер»', 'Belarus says it has agreed to host Wagner Group fighters', 'Беларусь заявила, что согласилась принять бойцов ЧВК «Вагнер»'],
  ['В’їзди до Москви перекрили через посилення заходів безпеки', 'Roads into Moscow closed as security is tightened', 'Въезды в Москву перекрыли из-за усиления мер безопасности'],
  ['У {n} населених пунктах Київщини зникло світло', 'Power cuts reported in {n} settlements around Kyiv', 'В {n} населенных пунктах Киевской области пропал свет'],
  ['Рух трасою М4 біля Воронежа відновили, повідомляє обласна влада', 'Traffic on the M4 highway near Voronezh restored, regional authorities say', 'Движение по трассе М4 под Воронежем восстановлено, сообщают областные власти'],
  ['ФСБ порушила кримінальну справу про збройний заколот', 'FSB opens a criminal case over the armed mutiny', 'ФСБ возбудила уголовное дело о вооруженном мятеже'],
  ['У Кремлі заявили, що кримінальну справу проти бійців ПВК «Вагнер» закриють', 'Kremlin says the criminal case against Wagner Group fighters will be dropped', 'В Кремле заявили, что уголовное дело против бойцов ЧВК «Вагнер» прекратят'],
  ['Протягом ночі ППО України збила {n} дронів, повідомили в Повітряних силах', 'Ukraine’s air defence shot down {n} drones overnight, the air force says', 'За ночь ПВО Украины сбила {n} беспилотников, сообщили в Воздушных силах'],
  ['З Києва вирушили евакуаційні потяги на захід України', 'Evacuation trains leave Kyiv for the west of Ukraine', 'Из Киева отправились эвакуационные поезда на запад Украины'],
  ['Мінськ і Москва провели переговори щодо заколоту, повідомляють державні ЗМІ', 'Minsk and Moscow hold talks on the mutiny, state media report', 'Минск и Москва провели переговоры о мятеже, сообщают государственные СМИ'],
  ['Мешканці Ростова-на-Дону повідомляють про військову техніку в центрі міста', 'Residents of Rostov-on-Don report military vehicles in the city centre', 'Жители Ростова-на-Дону сообщают о военной технике в центре города'],
  ['Через обстріл у Харківській області пошкоджено {n} будинків', 'Shelling damages {n} houses in the Kharkiv region', 'Из-за обстрела в Харьковской области повреждены {n} домов'],
  ['Росія перемістила військову техніку до Білорусі, підтвердили в Мінську', 'Russia moves military equipment to Belarus, Minsk confirms', 'Россия переместила военную технику в Беларусь, подтвердили в Минске'],
  ['Школи Києва на тиждень переходять на дистанційне навчання', 'Schools in Kyiv switch to remote learning for the week', 'Школы Киева на неделю переходят на дистанционное обучение'],
  ['Україна та Росія провели обмін: додому повернулися {n} військовополонених', 'Ukraine and Russia carry out an exchange, {n} prisoners of war return home', 'Украина и Россия провели обмен: домой вернулись {n} военнопленных'],
  ['У Московській області повідомляють про перебої з інтернетом', 'Internet outages reported across the Moscow region', 'В Московской области сообщают о перебоях с интернетом'],
  ['Станції метро Києва відкрили як укриття під час тривоги', 'Kyiv metro stations open as shelters during the alert', 'Станции метро Киева открыли как укрытия во время тревоги'],
  ['У ПВК «Вагнер» заявили, що їхні бійці залишили Бахмут', 'Wagner Group says its fighters have left Bakhmut', 'В ЧВК «Вагнер» заявили, что их бойцы покинули Бахмут'],
  ['Рейси в аеропорту Ростова-на-Дону призупинили до окремого розпорядження', 'Flights at Rostov-on-Don airport suspended until further notice', 'Рейсы в аэропорту Ростова-на-Дону приостановлены до особого распоряжения'],
  ['У Кремлі відмовилися коментувати повідомлення про арешти в командуванні армії', 'Kremlin declines to comment on reports of arrests in the army command', 'В Кремле отказались комментировать сообщения об арестах в командовании армии'],
  ['Волонтери в Києві зібрали {n} тонн допомоги для переселенців', 'Volunteers in Kyiv collect {n} tonnes of aid for displaced families', 'Волонтеры в Киеве собрали {n} тонн помощи для переселенцев'],
];

export const DETAILS: readonly Tri[] = [
  ['Рятувальники працювали всю ніч, до тимчасових укриттів перевезли {n} людей.', 'Rescue teams worked through the night, and {n} people were moved to temporary shelters.', 'Спасатели работали всю ночь, во временные укрытия перевезли {n} человек.'],
  ['Посадовці заявили, що ситуація під контролем, але попросили мешканців стежити за офіційними каналами.', 'Officials said the situation was under control but asked residents to follow official channels.', 'Чиновники заявили, что ситуация под контролем, но попросили жителей следить за официальными каналами.'],
  ['Рух транспорту в центрі міста перекрили приблизно на {n} хвилин.', 'Traffic was diverted around the city centre for about {n} minutes.', 'Движение транспорта в центре города перекрыли примерно на {n} минут.'],
  ['На момент публікації про постраждалих не повідомлялося.', 'No casualties were reported at the time of publication.', 'На момент публикации о пострадавших не сообщалось.'],
  ['Місцеві медіа оприлюднили відео з колонами військових вантажівок на трасі.', 'Local media published videos showing columns of military trucks on the highway.', 'Местные СМИ опубликовали видео с колоннами военных грузовиков на трассе.'],
  ['В обласній адміністрації повідомили, що **{n} шкіл** у понеділок не працюватимуть.', 'The regional administration said **{n} schools** would stay closed on Monday.', 'В областной администрации сообщили, что **{n} школ** в понедельник не будут работать.'],
  ['У кількох районах мобільний зв’язок працював з перебоями.', 'Mobile networks were working intermittently in several districts.', 'В нескольких районах мобильная связь работала с перебоями.'],
  ['За даними міської ради, без опалення залишилися {n} будинків.', 'According to the city council, {n} buildings were left without heating.', 'По данным городского совета, без отопления остались {n} домов.'],
  ['Незалежно перевірити цю інформацію не вдалося.', 'The claim could not be independently verified.', 'Независимо проверить эту информацию не удалось.'],
  ['На заправках на околицях Москви утворилися черги.', 'Queues formed at petrol stations on the outskirts of Moscow.', 'На заправках на окраинах Москвы образовались очереди.'],
  ['Залізничний перевізник повідомив, що {n} поїздів затримуються до двох годин.', 'The rail operator said {n} trains were delayed by up to two hours.', 'Железнодорожный перевозчик сообщил, что {n} поездов задерживаются до двух часов.'],
  ['Прикордонники Білорусі повідомили про пожвавлення руху на пунктах пропуску.', 'Border guards in Belarus reported heavier traffic at checkpoints.', 'Пограничники Беларуси сообщили об оживлении движения на пунктах пропуска.'],
  ['Енергетики розраховують відновити постачання протягом {n} годин.', 'Energy companies expect to restore supply within {n} hours.', 'Энергетики рассчитывают восстановить подачу в течение {n} часов.'],
  ['Повну заяву читайте на [офіційному сайті](https://example.org/statement).', 'Read the full statement on the [official website](https://example.org/statement).', 'Полное заявление читайте на [официальном сайте](https://example.org/statement).'],
  ['Влада Києва відкрила {n} пунктів обігріву для мешканців.', 'Kyiv city authorities opened {n} heating points for residents.', 'Власти Киева открыли {n} пунктов обогрева для жителей.'],
  ['Росія офіційно не коментувала ці повідомлення.', 'Russia has not officially commented on the reports.', 'Россия официально не комментировала эти сообщения.'],
];

/** A quote and who said it; speakers are roles, never named people. */
export const QUOTES: readonly { text: Tri; speaker: Tri }[] = [
  { text: ['«Просимо всіх зберігати спокій і залишатися вдома».', '“We ask everyone to stay calm and stay indoors.”', '«Просим всех сохранять спокойствие и оставаться дома».'], speaker: ['речниця обласної адміністрації', 'a spokesperson for the regional administration', 'пресс-секретарь областной администрации'] },
  { text: ['«Ситуація складна, але служби працюють».', '“The situation is difficult, but the services are working.”', '«Ситуация сложная, но службы работают».'], speaker: ['заступник міського голови', 'the deputy mayor', 'заместитель мэра города'] },
  { text: ['«Ми почули кілька вибухів близько четвертої ранку».', '“We heard several explosions around four in the morning.”', '«Мы услышали несколько взрывов около четырёх утра».'], speaker: ['мешканка міста', 'a resident', 'жительница города'] },
  { text: ['«Усі рейси скасовано до окремого розпорядження».', '“All flights are cancelled until further notice.”', '«Все рейсы отменены до особого распоряжения».'], speaker: ['пресслужба аеропорту', 'the airport’s press office', 'пресс-служба аэропорта'] },
  { text: ['«Нам ніхто нічого не казав, ми дізналися з новин».', '“Nobody told us anything, we learned it from the news.”', '«Нам никто ничего не говорил, мы узнали из новостей».'], speaker: ['водій на блокпосту', 'a driver at the checkpoint', 'водитель на блокпосту'] },
  { text: ['«Ремонтні бригади працюватимуть цілодобово».', '“Repair crews will work around the clock.”', '«Ремонтные бригады будут работать круглосуточно».'], speaker: ['енергетична компанія', 'the energy company', 'энергетическая компания'] },
  { text: ['«Жодного офіційного запиту ми не отримували».', '“We have received no official request.”', '«Никакого официального запроса мы не получали».'], speaker: ['речник уряду', 'a government spokesperson', 'представитель правительства'] },
];

export const SOURCES: Readonly<Record<'uk' | 'en' | 'ru', readonly { name: string; kind: SourceKind; hasUrl: boolean }[]>> = {
  uk: [
    { name: 'Укрінформ', kind: 'news_agency', hasUrl: true }, { name: 'Інтерфакс-Україна', kind: 'news_agency', hasUrl: true },
    { name: 'Суспільне', kind: 'media', hasUrl: true }, { name: 'Обласна військова адміністрація', kind: 'official_statement', hasUrl: true },
    { name: 'Telegram-канал міської ради', kind: 'social_media', hasUrl: false }, { name: 'Власний кореспондент', kind: 'own_correspondent', hasUrl: false },
  ],
  en: [
    { name: 'Reuters', kind: 'news_agency', hasUrl: true }, { name: 'Associated Press', kind: 'news_agency', hasUrl: true },
    { name: 'BBC News', kind: 'media', hasUrl: true }, { name: 'Regional administration statement', kind: 'official_statement', hasUrl: true },
    { name: 'City council Telegram channel', kind: 'social_media', hasUrl: false }, { name: 'Newsdesk correspondent', kind: 'own_correspondent', hasUrl: false },
  ],
  ru: [
    { name: 'Интерфакс', kind: 'news_agency', hasUrl: true }, { name: 'ТАСС', kind: 'news_agency', hasUrl: true },
    { name: 'Медуза', kind: 'media', hasUrl: true }, { name: 'Областная администрация', kind: 'official_statement', hasUrl: true },
    { name: 'Telegram-канал городского совета', kind: 'social_media', hasUrl: false }, { name: 'Собственный корреспондент', kind: 'own_correspondent', hasUrl: false },
  ],
};

/** Claims for a story's background ledger: how they start, and what they may become. */
export const CLAIMS: readonly { text: Tri; starts: ClaimStatus; becomes: readonly ClaimStatus[] }[] = [
  { text: ['Бійці ПВК «Вагнер» уночі увійшли до Ростова-на-Дону.', 'Wagner Group fighters entered Rostov-on-Don overnight.', 'Бойцы ЧВК «Вагнер» ночью вошли в Ростов-на-Дону.'], starts: 'claimed', becomes: ['confirmed'] },
  { text: ['Дорогу до Москви перекрили біля Воронежа.', 'The road to Moscow was blocked near Voronezh.', 'Дорогу на Москву перекрыли под Воронежем.'], starts: 'unverified', becomes: ['confirmed', 'denied'] },
  { text: ['Під час удару пошкоджено електростанцію.', 'A power station was damaged in the strike.', 'При ударе повреждена электростанция.'], starts: 'claimed', becomes: ['confirmed', 'denied'] },
  { text: ['У Москві затримали кількох людей.', 'Several people were detained in Moscow.', 'В Москве задержали нескольких человек.'], starts: 'unverified', becomes: ['confirmed'] },
  { text: ['Посередником на переговорах виступила Білорусь.', 'Belarus mediated the talks.', 'Посредником на переговорах выступила Беларусь.'], starts: 'claimed', becomes: ['confirmed', 'denied'] },
  { text: ['Міст у центрі міста закрили.', 'The bridge in the city centre was closed.', 'Мост в центре города закрыли.'], starts: 'confirmed', becomes: [] },
  { text: ['Дрони запустили з території Росії.', 'The drones were launched from Russian territory.', 'Беспилотники запустили с территории России.'], starts: 'claimed', becomes: ['confirmed', 'unverified'] },
  { text: ['ФСБ затримала двох підозрюваних.', 'The FSB detained two suspects.', 'ФСБ задержала двух подозреваемых.'], starts: 'claimed', becomes: ['denied', 'retracted'] },
  { text: ['Почалася евакуація нижніх районів.', 'Evacuation of the lower districts has begun.', 'Началась эвакуация нижних районов.'], starts: 'unverified', becomes: ['confirmed'] },
  { text: ['Над Києвом працювала ППО.', 'Air defence was active over Kyiv.', 'Над Киевом работала ПВО.'], starts: 'confirmed', becomes: [] },
];

export const ATTRIBUTIONS: readonly Tri[] = [
  ['обласна влада', 'regional authorities', 'областные власти'],
  ['неназвані посадовці', 'unnamed officials', 'неназванные чиновники'],
  ['місцеві медіа', 'local media', 'местные СМИ'],
  ['дописи в соцмережах', 'social media posts', 'публикации в соцсетях'],
];

/** Where the news of a change in the ledger came from. */
export const CHANGE_SOURCES: readonly string[] = ['Reuters', 'Укрінформ', 'Интерфакс', 'Associated Press', 'Суспільне'];

export const STORY_TOPICS: readonly Tri[] = [
  ['Заколот ПВК «Вагнер»', 'Wagner Group mutiny', 'Мятеж ЧВК «Вагнер»'],
  ['Атаки на Київ', 'Air strikes on Kyiv', 'Атаки на Киев'],
  ['Відключення світла', 'Power outages', 'Отключения света'],
  ['Обміни полоненими', 'Prisoner exchanges', 'Обмены пленными'],
  ['Бої за Бахмут', 'Fighting for Bakhmut', 'Бои за Бахмут'],
  ['Білорусь і війна', 'Belarus and the war', 'Беларусь и война'],
  ['Безпека в Москві', 'Security in Moscow', 'Безопасность в Москве'],
  ['Евакуації', 'Evacuations', 'Эвакуации'],
];

export const MONTHS: Readonly<Record<'uk' | 'en' | 'ru', readonly string[]>> = {
  uk: ['січень', 'лютий', 'березень', 'квітень', 'травень', 'червень', 'липень', 'серпень', 'вересень', 'жовтень', 'листопад', 'грудень'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  ru: ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'],
};

export const STORY_SUMMARY: Tri = [
  'Згенеровані демонстраційні дані: події та цитати вигадані.',
  'Generated demonstration data: the events and quotes are invented.',
  'Сгенерированные демонстрационные данные: события и цитаты вымышлены.',
];

export const CORRECTION_REASONS: Tri = [
  'Виправлено кількість у другому абзаці.', 'Corrected the figure in the second paragraph.', 'Исправлено число во втором абзаце.',
];
export const RETRACTION_REASONS: Tri = [
  'Джерело відкликало своє повідомлення.', 'The source withdrew its report.', 'Источник отозвал своё сообщение.',
];

export const COMMENT_PHRASES: Readonly<Record<'uk' | 'en' | 'ru', readonly string[]>> = {
  uk: [
    'Дякую за оперативне оновлення.', 'Чи є вже офіційне підтвердження?', 'Бережіть себе.', 'Це вже втретє за тиждень.',
    'Де можна прочитати повну заяву?', 'Цифри в заголовку здаються завищеними.', 'Гарна робота, як завжди.',
    'У нас теж було чути, хвилин десять тому.', 'Є новини про потяги?', 'Сподіваюся, ремонтники в безпеці.',
    'Будь ласка, оновлюйте цю сторінку.', 'Важко повірити, що це знову відбувається.',
  ],
  en: [
    'Thanks for the quick update.', 'Is there any official confirmation yet?', 'Stay safe, everyone.', 'This is the third time this week.',
    'Where can I find the full statement?', 'The numbers in the headline look too high to me.', 'Good reporting, as always.',
    'We heard it here too, about ten minutes ago.', 'Any news about the trains?', 'I hope the repair crews are safe.',
    'Please keep updating this page.', 'Hard to believe this is happening again.',
  ],
  ru: [
    'Спасибо за оперативное обновление.', 'Есть ли уже официальное подтверждение?', 'Берегите себя.', 'Это уже третий раз за неделю.',
    'Где можно прочитать полное заявление?', 'Цифры в заголовке кажутся завышенными.', 'Хорошая работа, как всегда.',
    'У нас тоже было слышно, минут десять назад.', 'Есть новости о поездах?', 'Надеюсь, ремонтники в безопасности.',
    'Пожалуйста, обновляйте эту страницу.', 'Трудно поверить, что это снова происходит.',
  ],
};

export const REPLY_PHRASES: Readonly<Record<'uk' | 'en' | 'ru', readonly string[]>> = {
  uk: ['Згоден.', 'Не думаю, що це так.', 'Джерело є в першому абзаці.', 'Дякую, не помітив.'],
  en: ['Agreed.', 'I don’t think that’s right.', 'The source is in the first paragraph.', 'Thanks, I missed that.'],
  ru: ['Согласен.', 'Не думаю, что это так.', 'Источник есть в первом абзаце.', 'Спасибо, не заметил.'],
};

/** Readers sign with a first name and an initial, as many do. */
export const READER_FIRST_NAMES: readonly string[] = [
  'Олена', 'Андрій', 'Ірина', 'Тарас', 'Наталія', 'Богдан', 'Оксана', 'Дмитро', 'Юлія', 'Максим', 'Софія',
  'Анна', 'Сергей', 'Мария', 'Алексей', 'Екатерина', 'Павел', 'Ольга', 'Игорь',
  'Emma', 'James', 'Olivia', 'Daniel', 'Sophie', 'Michael', 'Laura', 'Peter',
];
export const READER_INITIALS: readonly string[] = ['К.', 'М.', 'Ш.', 'Б.', 'Л.', 'С.', 'Т.', 'П.', 'D.', 'R.', 'W.', 'H.'];

export const CORRESPONDENTS: readonly string[] = [
  'Olena Kovalenko', 'Taras Melnyk', 'Iryna Bondarenko', 'Anna Sokolova', 'Mark Ellison', 'Dmytro Tkachenko', 'Sofia Levchenko', 'Pavel Orlov',
];
