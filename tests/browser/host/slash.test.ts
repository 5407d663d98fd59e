// Slash hooks in the web app's order: an error stops, {} consumes, {message, args} passes on.
import {runSlashHooks} from './slash';
import type {ComponentEntry} from './store';

const args = {channel_id: 'c', team_id: 't', root_id: ''};
const hook = (fn: ComponentEntry['hook']): ComponentEntry => ({id: String(Math.random()), pluginId: 'p', hook: fn});

describe('runSlashHooks', () => {
  it('passes the command on when no hook answers', async () => {
    await expect(runSlashHooks([], '/echo hi', args)).resolves.toEqual({kind: 'pass', message: '/echo hi', args});
  });
  it('lets a hook rewrite the command for the next one', async () => {
    const seen: string[] = [];
    const outcome = await runSlashHooks([hook(async (m, a) => ({message: `${m}!`, args: a})), hook((m, a) => (seen.push(m), {message: m, args: a}))], '/x', args);
    expect(seen).toEqual(['/x!']);
    expect(outcome).toEqual({kind: 'pass', message: '/x!', args});
  });
  it('stops at the first hook that consumes the command', async () => {
    const later = jest.fn();
    await expect(runSlashHooks([hook(async () => ({})), hook(later)], '/healthcheck', args)).resolves.toEqual({kind: 'consumed'});
    expect(later).not.toHaveBeenCalled();
  });
  it('reports a rejection', async () => {
    await expect(runSlashHooks([hook(() => ({error: {message: 'nope'}}))], '/x', args)).resolves.toEqual({kind: 'error', message: 'nope'});
  });
});
