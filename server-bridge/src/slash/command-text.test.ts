import {parseCommandText} from './command-text';

const probes = ['ping', 'login'];
describe('parseCommandText', () => {
  it.each([
    ['', {kind: 'status'}],
    ['  status ', {kind: 'status'}],
    ['RUN', {kind: 'run'}],
    ['history', {kind: 'history', probe: null}],
    ['history login', {kind: 'history', probe: 'login'}],
    ['mute 2h', {kind: 'mute', durationMs: 7_200_000, probe: null}],
    ['mute 30m ping', {kind: 'mute', durationMs: 1_800_000, probe: 'ping'}],
    ['unmute', {kind: 'unmute'}],
    ['help', {kind: 'help'}],
  ])('"%s"', (text, expected) => {
    expect(parseCommandText(text, probes)).toEqual(expected);
  });

  it.each([
    ['frobnicate', 'unknown subcommand `frobnicate`'],
    ['mute', 'needs a duration'],
    ['mute forever', 'expected a duration'],
    ['mute 30d', 'at most 7d'],
    ['mute 1h pong', 'unknown probe `pong`; known probes: ping, login'],
    ['history pong', 'unknown probe `pong`'],
    ['status now', 'takes no arguments'],
  ])('"%s" gets the help with a reason', (text, problem) => {
    const parsed = parseCommandText(text, probes);
    expect(parsed.kind).toBe('help');
    expect(parsed.kind === 'help' && parsed.problem).toContain(problem);
  });

  it('echoes what the user typed only as inert code, never as a link or a mention', () => {
    for (const text of ['[click](https://evil.example)', '@all', 'mute 1h @channel', 'mute [x](https://e.example)', 'history ~town-square']) {
      const parsed = parseCommandText(text, probes);
      const problem = parsed.kind === 'help' ? (parsed.problem ?? '') : '';
      expect(problem).toMatch(/`[^`]*`/);
      expect(problem.replace(/`[^`]*`/g, '')).not.toMatch(/[[@~]|https?:/);
    }
  });

  it('reads slo, slo report and slo ack [slo]', () => {
    expect(parseCommandText('slo', probes)).toEqual({kind: 'slo'});
    expect(parseCommandText('SLO report', probes)).toEqual({kind: 'slo-report'});
    expect(parseCommandText('slo ack log-in', probes)).toEqual({kind: 'slo-ack', slo: 'log-in'});
    expect(parseCommandText('slo ack', probes)).toEqual({kind: 'slo-ack', slo: null});
    expect(parseCommandText('slo report now', probes).kind).toBe('help');
  });
});
