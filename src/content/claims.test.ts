import { describe, expect, it } from 'vitest';
import { suggestClaim } from './claims.js';
import type { ClaimStatus, Language } from './types.js';

type Row = [language: Language | undefined, text: string, status: ClaimStatus | null, attribution: string | null, cue?: string];

// Each row: the wording, the status and attribution the desk should suggest (null: no
// suggestion at all), and for some the cue shown to the editor.
const ROWS: Row[] = [
  // English: claims and their attribution
  ['en', 'Prigozhin claimed that his fighters shot down six helicopters.', 'claimed', 'Prigozhin', 'claimed'],
  ['en', 'Reuters, citing a source, reported that the column had stopped near Yelets.', 'claimed', 'Reuters', 'citing a source'],
  ['en', 'According to the Kremlin, the talks are under way.', 'claimed', 'the Kremlin', 'According to'],
  ['en', 'The column is heading to Moscow, according to Reuters.', 'claimed', 'Reuters'],
  ['en', 'The column reached Rostov at 07:30, the ministry said.', 'claimed', 'the ministry', 'said'],
  ['en', 'Wagner fighters allegedly shot down a helicopter over Voronezh.', 'claimed', null, 'allegedly'],
  ['en', 'Prigozhin reportedly left for Belarus on Sunday.', 'claimed', null, 'reportedly'],
  ['en', 'Wagner chief Yevgeny Prigozhin has repeatedly claimed that the army struck his camp.', 'claimed', 'Wagner chief Yevgeny Prigozhin'],
  ['en', '“We are marching on Moscow,” said Prigozhin.', 'claimed', 'Prigozhin'],
  ['en', 'According to preliminary data, three people were killed.', 'claimed', null],
  ['en', 'PRIGOZHIN CLAIMED VICTORY IN ROSTOV.', 'claimed', 'PRIGOZHIN'],
  // English: open, answered, withdrawn
  ['en', 'It is not known for certain whether Prigozhin is in Belarus.', 'unverified', null, 'It is not known for certain'],
  ['en', 'Prigozhin claimed his fighters shot down six helicopters; this could not be independently verified.', 'unverified', 'Prigozhin', 'could not be independently verified'],
  ['en', 'The Kremlin did not confirm the meeting between Putin and Prigozhin.', 'unverified', 'The Kremlin', 'did not confirm'],
  ['en', 'The Kremlin denied that Putin had met Prigozhin.', 'denied', 'The Kremlin', 'denied'],
  ['en', "Prigozhin's claims were later denied by the Defence Ministry.", 'denied', 'the Defence Ministry'],
  ['en', 'The ministry confirmed that the column had turned back.', 'confirmed', 'The ministry', 'confirmed'],
  ['en', 'Prigozhin later withdrew his claim about the strike on his camp.', 'retracted', 'Prigozhin', 'withdrew'],
  // Ukrainian
  ['uk', 'Пригожин заявив, що його бійці збили шість гелікоптерів.', 'claimed', 'Пригожин', 'заявив'],
  ['uk', '«Ми йдемо на Москву», — заявив Пригожин.', 'claimed', 'Пригожин'],
  ['uk', 'Прес-служба Кремля заявила про початок переговорів.', 'claimed', 'Прес-служба Кремля', 'заявила'],
  ['uk', 'За словами Пригожина, колона зупинилася за 200 кілометрів від Москви.', 'claimed', 'Пригожина', 'За словами'],
  ['uk', 'За даними Міноборони, колона повернула назад.', 'claimed', 'Міноборони'],
  ['uk', 'Вагнерівці нібито збили літак над Воронежем.', 'claimed', null, 'нібито'],
  ['uk', 'Reuters, посилаючись на джерело, повідомило про зупинку колони.', 'claimed', 'Reuters', 'посилаючись на джерело'],
  ['uk', 'Достеменно невідомо, де зараз перебуває Пригожин.', 'unverified', null, 'Достеменно невідомо'],
  ['uk', 'Ці дані не вдалося перевірити.', 'unverified', null, 'не вдалося перевірити'],
  ['uk', 'Пєсков не підтвердив зустріч Путіна з Пригожиним.', 'unverified', 'Пєсков', 'не підтвердив'],
  ['uk', 'Міноборони Росії спростувало заяву Пригожина про удар.', 'denied', 'Міноборони Росії', 'спростувало'],
  ['uk', 'Пригожин заявив про удар по табору, а Кремль заперечив це.', 'denied', 'Кремль', 'заперечив'],
  ['uk', 'Пєсков підтвердив, що Пригожин виїде до Білорусі.', 'confirmed', 'Пєсков', 'підтвердив'],
  ['uk', 'Пригожин відкликав свою заяву про удар.', 'retracted', 'Пригожин', 'відкликав'],
  // Russian
  ['ru', 'Пригожин заявил, что его бойцы сбили вертолёт.', 'claimed', 'Пригожин', 'заявил'],
  ['ru', 'По словам Пригожина, колонна остановилась.', 'claimed', 'Пригожина', 'По словам'],
  ['ru', 'По данным Минобороны, мятеж подавлен.', 'claimed', 'Минобороны'],
  ['ru', 'Как сообщает ТАСС, колонна остановилась под Ельцом.', 'claimed', 'ТАСС'],
  ['ru', 'Бойцы якобы сбили самолёт над Воронежем.', 'claimed', null, 'якобы'],
  ['ru', 'Reuters, ссылаясь на источник, сообщило об остановке колонны.', 'claimed', 'Reuters', 'ссылаясь на источник'],
  ['ru', 'Достоверно неизвестно, где находится Пригожин.', 'unverified', null, 'Достоверно неизвестно'],
  ['ru', 'Эти сведения не удалось проверить.', 'unverified', null],
  ['ru', 'Песков не подтвердил встречу Путина с Пригожиным.', 'unverified', 'Песков', 'не подтвердил'],
  ['ru', 'Минобороны опровергло заявление Пригожина.', 'denied', 'Минобороны', 'опровергло'],
  ['ru', 'Кремль отрицает, что Путин встречался с Пригожиным.', 'denied', 'Кремль', 'отрицает'],
  ['ru', 'Песков подтвердил, что уголовное дело прекратят.', 'confirmed', 'Песков', 'подтвердил'],
  ['ru', 'Пригожин отозвал своё заявление.', 'retracted', 'Пригожин', 'отозвал'],
  // Case, inflection and mixed scripts (a Latin letter typed inside a Cyrillic word)
  ['uk', 'ПРИГОЖИН ЗАЯВИВ ПРО ПОЧАТОК МАРШУ.', 'claimed', 'ПРИГОЖИН'],
  ['uk', 'Пригожин зaявив про початок маршу.', 'claimed', 'Пригожин'],
  ['uk', 'Вагнерівці нiбито захопили аеродром.', 'claimed', null],
  ['uk', 'Бійці «Вагнера» заявили, що контролюють штаб округу.', 'claimed', 'Бійці «Вагнера»'],
  ['ru', 'Мятежники, по предварительным данным, покинули Ростов.', 'claimed', null],
  [undefined, 'Lukashenko said he had brokered the deal.', 'claimed', 'Lukashenko'],
  [undefined, 'Кремль спростував чутки.', 'denied', 'Кремль'],
  // Innocent sentences: plain facts, no suggestion
  ['en', 'The column reached Rostov at 07:30.', null, null],
  ['en', 'Wagner fighters entered Rostov-on-Don on Saturday morning.', null, null],
  ['en', 'The bridge over the Don was closed to traffic.', null, null],
  ['en', 'Saidov arrived in Moscow with the United States delegation.', null, null],
  ['uk', 'Пригожин прибув до Ростова.', null, null],
  ['uk', 'Колона рухалася трасою М4 у бік Москви.', null, null],
  ['uk', 'Заява була опублікована о 10:00.', null, null],
  ['ru', 'Колонна вошла в Воронежскую область.', null, null],
  ['ru', 'Пригожин прибыл в Ростов.', null, null],
  ['ru', 'Мост через Дон закрыли для движения.', null, null],
  [undefined, 'Лукашенко прилетів до Мінська.', null, null],
  // Near misses: a cue word inside a compound, a noun, an instruction or a count
  ['en', 'A denial-of-service attack hit the bank.', null, null],
  ['en', 'The denial of visas delayed the delegation.', null, null],
  ['en', 'Journalists were denied access to the airfield.', null, null],
  ['en', 'The mayor told residents to evacuate.', null, null],
  ['en', 'Police told reporters on the square to leave.', null, null],
  ['en', 'The fire claimed the lives of three people.', null, null],
  ['en', 'The storm claimed 12 lives overnight.', null, null],
  ['en', 'The claim form is on the insurer’s website.', null, null],
  ['en', 'Insurance claims rose sharply after the flood.', null, null],
  ['en', 'A verified account posted the video.', null, null],
  ['en', 'Twelve people were confirmed dead.', 'confirmed', null, 'confirmed dead'],
  ['en', 'By evening the toll stood at 40, with 12 confirmed dead.', 'confirmed', null, 'confirmed dead'],
  ['en', 'The mayor told reporters that residents were told to evacuate.', 'claimed', 'The mayor', 'told'],
  ['en', 'Prigozhin told Reuters he wanted to avoid bloodshed.', 'claimed', 'Prigozhin', 'told'],
  ['en', 'The Kremlin denied the claims of a meeting.', 'denied', 'The Kremlin', 'denied'],
  ['uk', 'Підтверджено 12 загиблих.', 'confirmed', null, 'Підтверджено'],
  ['uk', 'Офіційно підтверджено загибель трьох людей.', 'confirmed', null],
  ['uk', 'Мер сказав мешканцям евакуюватися.', null, null],
  ['uk', 'Відмова у візі затримала делегацію.', null, null],
  ['uk', 'Журналістам відмовили у в’їзді до Росії.', null, null],
  ['uk', 'Він відмовився від участі в переговорах.', null, null],
  ['uk', 'Кібератака типу «відмова в обслуговуванні» вразила банк.', null, null],
  ['ru', 'Подтверждено 12 погибших.', 'confirmed', null, 'Подтверждено'],
  ['ru', 'Мэр сказал жителям эвакуироваться.', null, null],
  ['ru', 'Отказ от переговоров удивил дипломатов.', null, null],
  ['ru', 'Журналистам отказали во въезде.', null, null],
  ['ru', 'Он отказался от участия в переговорах.', null, null],
  ['ru', 'Песков сказал журналистам, что встреча состоится.', 'claimed', 'Песков', 'сказал'],
];

describe('suggestClaim', () => {
  it('has a table large enough to mean something', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(45);
    expect(ROWS.filter((r) => r[2] === null).length).toBeGreaterThanOrEqual(10);
    for (const language of ['uk', 'en', 'ru'] as const) expect(ROWS.filter((r) => r[0] === language).length).toBeGreaterThanOrEqual(10);
  });

  it.each(ROWS)('[%s] %s → %s, %s', (language, text, status, attribution, cue) => {
    const suggestion = suggestClaim(text, language);
    if (status === null) {
      expect(suggestion).toBeNull();
      return;
    }
    expect(suggestion).not.toBeNull();
    expect({ status: suggestion!.status, attribution: suggestion!.attribution }).toEqual({ status, attribution });
    if (cue !== undefined) expect(suggestion!.cue).toBe(cue);
    // The cue is the text's own words, so the desk can quote it.
    expect(text.normalize('NFC')).toContain(suggestion!.cue);
  });

  it('ignores cues of other languages when the language is known', () => {
    expect(suggestClaim('Said Ahmed прибув до Києва.', 'uk')).toBeNull();
    expect(suggestClaim('Said Ahmed прибув до Києва.')).not.toBeNull();
  });
});
