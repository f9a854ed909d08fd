// Shared by server views and the browser islands (esbuild bundles it into them), so it imports
// nothing: a server module here would end up in every island's bundle.

/** Plural forms by Intl.PluralRules category; `#` stands for the formatted count. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/**
 * "3 comments", "3 коментарі", "5 комментариев": the count with the plural form its language asks
 * for, chosen by Intl.PluralRules and formatted by Intl.NumberFormat rather than by a table.
 */
export function plural(language: string, forms: PluralForms, count: number): string {
  const rule = new Intl.PluralRules(language).select(count);
  return (forms[rule] ?? forms.other).replace('#', new Intl.NumberFormat(language).format(count));
}
