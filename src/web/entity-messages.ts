import type { Language } from '../content/types.js';

// Reader-facing strings of the entity page's background section. Kept apart from messages.ts,
// like the ledger's, so modules that grow the reader site do not all edit one file.

export interface EntityMessages {
  /** Heading before the entity's name: "Background naming {name}". */
  backgroundNaming: string;
  /** Before the story's title, for screen readers skimming headings. */
  inStory: string;
}

const MESSAGES: Record<Language, EntityMessages> = {
  en: { backgroundNaming: 'Background items naming', inStory: 'Story:' },
  uk: { backgroundNaming: 'Контекст, де згадано', inStory: 'Сюжет:' },
  ru: { backgroundNaming: 'Контекст, где упомянут', inStory: 'Сюжет:' },
};

export const entityMessagesFor = (language: Language): EntityMessages => MESSAGES[language];
