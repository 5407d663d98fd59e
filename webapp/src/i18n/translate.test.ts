import {entryWords} from './entry_words';
import {argumentNames} from './message_format';
import {hostTranslations, MESSAGES, translator, type MessageKey} from './translate';

// The full tables: the entry's few words and the lazy tables together.
const en = MESSAGES.en as Record<MessageKey, string>;
const nl = MESSAGES.nl as Record<MessageKey, string>;
const keys = Object.keys(en) as MessageKey[];

describe('translations', () => {
  it('has every English key in Dutch, non-empty, with the same arguments', () => {
    expect(Object.keys(nl).sort()).toEqual(Object.keys(en).sort());
    for (const key of keys) {
      expect(nl[key].trim()).not.toBe('');
      expect([key, argumentNames(nl[key])]).toEqual([key, argumentNames(en[key])]);
    }
  });

  it('fills every message completely in both languages, for a count of 1 and of 2', () => {
    for (const lang of ['en', 'nl']) {
      const t = translator(lang);
      for (const key of keys) {
        for (const n of [1, 2]) {
          const vars = Object.fromEntries(argumentNames(en[key]).map((name) => [name, n]));
          expect([lang, key, t(key, vars)]).toEqual([lang, key, expect.not.stringMatching(/[{}#]/)]);
        }
      }
    }
  });

  it('uses singular and plural forms for counts', () => {
    const t = translator('en');
    expect(t('chart.failedBuckets', {n: 1})).toBe('1 period with failures');
    expect(t('chart.failedBuckets', {n: 3})).toBe('3 periods with failures');
    expect(t('report.allOk', {count: 1})).toBe('The probe is OK.');
    expect(t('report.allOk', {count: 4})).toBe('All 4 probes OK.');
    expect(t('panel.unhealthyGoroutines', {n: 1})).toContain('at least 1 goroutine (');
    const nlT = translator('nl-BE');
    expect(nlT('chart.failedBuckets', {n: 1})).toBe('1 periode met fouten');
    expect(nlT('chart.failedBuckets', {n: 2})).toBe('2 perioden met fouten');
    expect(nlT('duration.days', {n: 1})).toBe('1 dag');
  });

  it('fills placeholders and falls back to English for unknown languages and regional variants', () => {
    expect(translator('nl')('run.failed', {error: 'x'})).toBe('De probes konden niet worden uitgevoerd: x');
    expect(translator('nl-BE')('state.failing')).toBe('Faalt');
    expect(translator('xx')('state.failing')).toBe('Failing');
    expect(translator('xx')('duration.days', {n: 1})).toBe('1 day');
  });

  it('hands the host every message under the plugin id', () => {
    const messages = hostTranslations('mattermost-healthcheck')('en');
    expect(Object.keys(messages)).toHaveLength(Object.keys(en).length);
    expect(messages['mattermost-healthcheck.panel.deep']).toBe('Deep check');
    expect(messages['mattermost-healthcheck.page.menu']).toBe('Mattermost status');
    expect(hostTranslations('mattermost-healthcheck')('nl-BE')['mattermost-healthcheck.panel.deep']).toBe('Diepe controle');
  });

  it("gives the entry its own words in the user's language without the full tables", () => {
    expect(entryWords('nl-BE')['page.menu']).toBe('Status van Mattermost');
    expect(entryWords('xx')['panel.loading']).toBe(translator('xx')('panel.loading'));
    expect(entryWords('nl')['panel.loadFailed']).toBe(translator('nl')('panel.loadFailed'));
  });
});
