// Which of our languages serves a locale: regional variants use their language; others English.
export function languageOf(locale: string, languages: Readonly<Record<string, unknown>>): string {
  if (languages[locale]) return locale;
  const base = locale.split(/[-_]/)[0] ?? '';
  return languages[base] ? base : 'en';
}
