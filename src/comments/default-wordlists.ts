// Our own default word lists, on top of the library's English list (see profanity.ts). Edit
// freely; the marker syntax is described in wordlists.ts:
//   word = the word and its inflections, =word = exactly this word, stem* = any word starting
//   with the stem, !word = never a match.
// Roots that are innocent as parts of other words are listed as prefixes of the vulgar word
// only: "еб*" alone would catch "Ебола" (Ukrainian for Ebola), "хуй" inside "страхуйте" is never
// looked at because matching is per whole word, and "сука" is not a prefix because of "сукня"
// and "сукупність".

/** English profanity and insults the library list lacks or lists in one form only. */
export const DEFAULT_EN = [
  'fuck*', 'motherfuck*', 'clusterfuck*', 'cunt*', 'shit', 'shitty', 'shithole', 'shithead', 'shitshow', 'bullshit', 'horseshit', 'dipshit',
  'bitch', 'bitchy', 'asshole', 'arsehole', 'dickhead', 'dickface', '=prick', '=pricks', 'bastard', 'wanker', 'twat', 'tosser',
  'cocksucker', 'dumbass', 'jackass', 'whore', 'slut', 'douchebag', 'scumbag', 'bollocks',
  // Russian mat in Latin transliteration. Not "suka" (Malay/Indonesian "to like") nor "huy" (a
  // Vietnamese given name).
  'blyat', 'blyad*', 'pizd*', 'nahuy', 'nahui', 'pohuy',
];

/** Innocent words that the rules above or the library list would otherwise catch. */
export const DEFAULT_ALLOWED = [
  '!shitake', '!cocker', '!cockers', '!cocked', '!cocking', '!spiced', '!spices', '!spicer', '!spicers', '!spicing',
  '!titter', '!titters', '!tittered', '!tittering',
];

/** Ukrainian mat and insults. */
export const DEFAULT_UK = [
  'хуй*', 'хуї*', 'хує*', 'хуя*', 'хую*', 'нахуй*', 'нахуя*', 'похуй*', 'охуї*', 'охує*',
  'пизд*', 'пізд*', 'спизд*', 'спізд*', 'напизд*', 'розпизд*', 'допизд*',
  'їба*', 'їбу*', 'їби*', 'їбл*', 'їбн*', 'заїб*', 'уїб*', 'виїб*', 'проїб*',
  // "наїб" is also a naib, an imam's deputy: only the verb's stems.
  'наїбат*', 'наїбал*', 'наїбав*', 'наїбн*',
  'бляд*', 'блят*', '=бля', 'вибляд*', 'сука', 'курва', 'мудак', 'мудил*', 'гандон', 'залупа',
  // Plain, not stems: "підр*" would catch "підручник" and "підрозділ", "підор*" "підорати" (to plough up).
  'підар', 'підор', 'підарас*', 'підорас*', 'гівн*', 'срака', 'дебіл', 'шльондр*', 'шлюх*', 'чмо',
];

/** Russian mat and insults. "Ё" is written as "е": text and lists are folded the same way. */
export const DEFAULT_RU = [
  'хуй*', 'хуе*', 'хуя*', 'хую*', 'хуи*', 'нахуй*', 'нахуя*', 'похуй*', 'похуи*', 'охуе*', 'охуи*', 'ахуе*', 'нихуя*', 'захуя*',
  'пизд*', 'спизд*', 'распизд*', 'напизд*', 'запизд*', 'отпизд*', 'допизд*',
  '=еб', '=ебу', 'ебуч*', 'ебат*', 'ебал*', 'ебан*', 'еби*', 'ебл*', 'ебн*', 'ебош*', 'ебет*', 'заеб*', 'наеб*', 'уеб*', 'поеб*', 'проеб*',
  'выеб*', 'съеб*', 'отъеб*', 'разъеб*', 'доеб*', 'въеб*', 'долбоеб*',
  'бляд*', 'блят*', '=бля', 'выбляд*', 'сука', 'курва', 'мудак', 'мудил*', 'пидор*', 'пидар*', 'пидр', 'гандон', 'залупа',
  'говн*', 'жоп*', 'дебил', 'ублюд*', 'мраз*', 'шлюх*', 'чмо',
];

// The library's list was made for filtering image search, so it also holds words a newsroom
// needs in ordinary reporting (crimes, medicine, law, politics) and names. Comments on a story
// about a rape trial or a pension "peg" must not be held for saying so. Removed from the base.
export const LIBRARY_EXCLUSIONS = [
  'anal', 'anus', 'bareback', 'barenaked', 'bastardo', 'bastinado', 'bestiality', 'bondage', 'boner', 'boob', 'bunghole', 'butt', 'clitoris',
  'coon', 'coons', 'cornhole', 'cum', 'cunnilingus', 'cumming', 'daterape', 'dick', 'domination', 'dominatrix', 'ejaculation', 'erotic', 'erotism',
  'escort', 'eunuch', 'fecal', 'fellatio', 'fingering', 'genitals', 'grope', 'hardcore', 'homoerotic', 'hooker', 'humping', 'incest',
  'intercourse', 'kinky', 'lolita', 'lovemaking', 'masturbate', 'negro', 'neonazi', 'nipple', 'nipples', 'nude', 'nudity', 'nymphomania',
  'octopussy', 'orgasm', 'orgy', 'paedophile', 'panties', 'panty', 'pedophile', 'pegging', 'penis', 'playboy', 'poof', 'porn',
  'porno', 'pornography', 'rape', 'raping', 'rapist', 'rectum', 'rimming', 'sadism', 'santorum', 'scat', 'scissoring', 'semen', 'sex', 'sexo',
  'sexy', 'shrimping', 'skeet', 'smut', 'snatch', 'snowballing', 'sodomize', 'sodomy', 'spunk', 'strappado', 'suck', 'sucks', 'swastika',
  'swinger', 'threesome', 'topless', 'twinkie', 'undressing', 'vagina', 'vibrator', 'voyeur', 'vulva', 'xx', 'xxx',
];
