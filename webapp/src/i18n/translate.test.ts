import {en} from './en';
import {nl} from './nl';
import {hostTranslations, translator} from './translate';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('translations', () => {
  it('has every English key in Dutch, non-empty, with the same placeholders', () => {
    expect(Object.keys(nl).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const dutch = nl[key as keyof typeof en];
      expect(dutch.trim()).not.toBe('');
      expect([key, placeholders(dutch)]).toEqual([key, placeholders(text)]);
    }
  });

  it('fills placeholders and falls back to English for unknown languages and regional variants', () => {
    expect(translator('nl')('run.failed', {error: 'x'})).toBe('De probes konden niet worden uitgevoerd: x');
    expect(translator('nl-BE')('state.failing')).toBe('Faalt');
    expect(translator('xx')('state.failing')).toBe('Failing');
  });

  it('hands the host every message under the plugin id', () => {
    const messages = hostTranslations('mattermost-healthcheck')('en');
    expect(Object.keys(messages)).toHaveLength(Object.keys(en).length);
    expect(messages['mattermost-healthcheck.panel.deep']).toBe('Deep check');
  });
});
