import {mkdtempSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {setupCommand, slashTokensSetting} from './cli';
import {SetupError, UsageError} from './usage';

describe('setup', () => {
  let server: Server;
  let url: string;
  const token = 'adminfromfile0000000000000';
  beforeAll(async () => {
    // A server that echoes what it was given, as an error text might.
    server = createServer((req, res) => res.writeHead(500, {'content-type': 'application/json'}).end(JSON.stringify({message: `cannot serve ${req.headers.authorization ?? ''}`})));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('never repeats the admin token read from --admin-token-file, in its log or its error', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hc-setup-')), 'admin-token');
    writeFileSync(file, `${token}\n`);
    const lines: string[] = [];
    const failure = await setupCommand(
      ['--url', url, '--admin-token-file', file, '--team', 'ops'],
      {},
      (l) => lines.push(l),
      (l) => lines.push(l),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SetupError);
    expect((failure as Error).message).toContain('[REDACTED]');
    expect([(failure as Error).message, ...lines].join('\n')).not.toContain(token.slice(0, 20));
  });

  it('refuses HEALTHCHECK_NOTICE_TEXT that is not one line of at most 200 characters, with every other problem, before any request', async () => {
    const failure = await setupCommand(
      ['--team', 'ops'],
      {HEALTHCHECK_NOTICE_TEXT: 'two\nlines'},
      () => undefined,
      () => undefined,
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UsageError);
    expect((failure as Error).message).toContain('HEALTHCHECK_NOTICE_TEXT: expected one line');
    expect((failure as Error).message).toContain('--url (or HEALTHCHECK_MM_URL) is required');
    const long = await setupCommand(
      ['--url', url, '--team', 'ops'],
      {HEALTHCHECK_ADMIN_TOKEN: token, HEALTHCHECK_NOTICE_TEXT: 'x'.repeat(201)},
      () => undefined,
      () => undefined,
    ).catch((e: unknown) => e);
    expect((long as Error).message).toBe('HEALTHCHECK_NOTICE_TEXT: expected at most 200 characters');
  });

  it('writes each slash token with its team', () => {
    expect(
      slashTokensSetting([
        {teamId: 'a', teamName: 'alpha', commandId: 'c', token: 't1'},
        {teamId: 'b', teamName: 'beta', commandId: 'd', token: 't2'},
      ]),
    ).toBe('alpha:t1,beta:t2');
  });
});
