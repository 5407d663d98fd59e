import {EventEmitter} from 'node:events';
import {guardUnhandledRejections} from './process-guard';

describe('guardUnhandledRejections', () => {
  it('logs an unhandled rejection without its secrets, and can be removed', () => {
    const emitter = new EventEmitter() as unknown as NodeJS.Process;
    const logged: string[] = [];
    const remove = guardUnhandledRejections({error: (f, m) => logged.push(`${m}: ${String(f.err)}`)}, ['sekret-token-123'], emitter);
    emitter.emit('unhandledRejection', new Error('POST failed with sekret-token-123'), Promise.resolve());
    expect(logged).toEqual(['unhandled promise rejection (a bug in the bridge); it keeps running: POST failed with [REDACTED]']);
    remove();
    expect(emitter.listenerCount('unhandledRejection')).toBe(0);
  });
});
