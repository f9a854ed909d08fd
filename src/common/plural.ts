// Shared by server views and the browser islands (esbuild bundles it into them), so it imports
// nothing: a server module here would end up in every island's bundle.

/** Plural forms by Intl.PluralRules category; `#` stands for the formatted count. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/**
 * "3 comments", "3 коментарі", "5 комментариев": the count with the plural form its language asks
 * for, chosen by Intl.PluralRules and formatted by Intl.NumberFormat rather than by a table.
 */
export function plural(language: string, forms: PluralForms, count: number): string {
  const { rules, numbers } = intlFor(language);
  return (forms[rules.select(count)] ?? forms.other).replace('#', numbers.format(count));
}

// Constructing the Intl objects costs far more than using them; a page counts many things.
const intl = new Map<string, { rules: Intl.PluralRules; numbers: Intl.NumberFormat }>();
function intlFor(language: string): { rules: Intl.PluralRules; numbers: Intl.NumberFormat } {
  let found = intl.get(language);
  if (!found) {
    found = { rules: new Intl.PluralRules(language), numbers: new Intl.NumberFormat(language) };
    // Languages come from our own pages, a handful; the bound only guards against a caller's bug.
    if (intl.size < 50) intl.set(language, found);
  }
  return found;
}
