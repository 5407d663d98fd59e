// `mattermost-healthcheck-bridge setup`: runs the setup and prints the bridge configuration to use.
import {chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {noticeText} from '../config/schema';
import {describeError, redact} from '../mm/errors';
import {ensureSlashCommands, trustedCreators, DEFAULT_TRIGGER, type Registration} from '../slash/register';
import {SLASH_PATH} from '../slash/route';
import {ROTATABLE, runSetup, SetupStopped, type Rotatable, type SetupResult} from './setup';
import {SETUP_USAGE, SetupError, UsageError} from './usage';

function readSecret(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

export type SetupOutput = SetupResult & {bridgeUrl?: string; slashCommands: Registration[]};

/** HEALTHCHECK_SLASH_TOKENS: each command token with the team it belongs to. */
export const slashTokensSetting = (commands: readonly Registration[]) => commands.map((c) => `${c.teamName}:${c.token}`).join(',');

export function settingsLines(result: SetupOutput, secrets: {dir?: string; show: boolean}): string[] {
  const lines = [
    `HEALTHCHECK_MM_URL=${result.url}`,
    `HEALTHCHECK_TEAMS=${result.teams.join(',')}`,
    `HEALTHCHECK_OPS_CHANNEL=${result.opsChannel}`,
    `HEALTHCHECK_LOG_CHANNEL=${result.logChannel}`,
    `HEALTHCHECK_PROBE_CHANNEL=${result.probeChannel}`,
    `HEALTHCHECK_PROBE_USERNAME=${result.probeUsername}`,
  ];
  const slash = result.slashCommands.length > 0;
  if (result.bridgeUrl) lines.push(`HEALTHCHECK_PUBLIC_URL=${result.bridgeUrl}`);
  if (secrets.dir) {
    lines.push(`HEALTHCHECK_BOT_TOKEN_FILE=${path.join(secrets.dir, 'bot-token')}`);
    lines.push(`HEALTHCHECK_PROBE_PASSWORD_FILE=${path.join(secrets.dir, 'probe-password')}`);
    lines.push(`HEALTHCHECK_SIGNING_KEY_FILE=${path.join(secrets.dir, 'signing-key')}`);
    if (slash) lines.push(`HEALTHCHECK_SLASH_TOKENS_FILE=${path.join(secrets.dir, 'slash-tokens')}`);
  } else if (secrets.show) {
    lines.push(`HEALTHCHECK_BOT_TOKEN=${result.botToken}`);
    lines.push(`HEALTHCHECK_PROBE_PASSWORD=${result.probePassword}`);
    lines.push(`HEALTHCHECK_SIGNING_KEY=${result.signingKey}`);
    if (slash) lines.push(`HEALTHCHECK_SLASH_TOKENS=${slashTokensSetting(result.slashCommands)}`);
  } else {
    lines.push('# HEALTHCHECK_BOT_TOKEN, HEALTHCHECK_PROBE_PASSWORD and HEALTHCHECK_SIGNING_KEY not shown: use --secrets-dir DIR or --show-secrets');
  }
  return lines;
}

export async function setupCommand(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const {values} = parseArgs({
    args: argv,
    options: {
      url: {type: 'string'},
      'admin-token-file': {type: 'string'},
      team: {type: 'string', multiple: true},
      'secrets-dir': {type: 'string'},
      'show-secrets': {type: 'boolean', default: false},
      json: {type: 'boolean', default: false},
      'bot-username': {type: 'string', default: 'healthcheck-bot'},
      'probe-username': {type: 'string', default: 'healthcheck-probe'},
      'ops-channel': {type: 'string', default: 'healthcheck-ops'},
      'log-channel': {type: 'string', default: 'healthcheck-log'},
      'probe-channel': {type: 'string', default: 'healthcheck-probe'},
      'bridge-url': {type: 'string'},
      'bot-token-file': {type: 'string'},
      'probe-password-file': {type: 'string'},
      'signing-key-file': {type: 'string'},
      rotate: {type: 'string', multiple: true},
      'revoke-token': {type: 'string', multiple: true},
      'make-ops-private': {type: 'boolean', default: false},
      trigger: {type: 'string', default: DEFAULT_TRIGGER},
      help: {type: 'boolean', default: false},
    },
    strict: true,
  });
  if (values.help) {
    out(SETUP_USAGE);
    return 0;
  }
  const problems: string[] = [];
  const url = values.url ?? env.HEALTHCHECK_MM_URL;
  if (!url) problems.push('--url (or HEALTHCHECK_MM_URL) is required');
  else if (!/^https?:\/\//.test(url)) problems.push(`--url must start with http:// or https:// (got "${url}")`);
  const tokenFile = values['admin-token-file'] ?? env.HEALTHCHECK_ADMIN_TOKEN_FILE;
  const adminToken = tokenFile ? readSecret(tokenFile) : env.HEALTHCHECK_ADMIN_TOKEN;
  if (!adminToken) problems.push(tokenFile ? `the admin token file ${tokenFile} is missing or empty` : 'an admin token is required: --admin-token-file FILE or HEALTHCHECK_ADMIN_TOKEN');
  const teams =
    values.team ??
    (env.HEALTHCHECK_TEAMS
      ? env.HEALTHCHECK_TEAMS.split(',')
          .map((t) => t.trim())
          .filter(Boolean)
      : []);
  if (teams.length === 0) problems.push('at least one --team NAME is required');
  const bridgeUrl = values['bridge-url']?.replace(/\/+$/, '');
  if (bridgeUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(bridgeUrl)) problems.push(`--bridge-url must start with http:// or https:// (got "${bridgeUrl}")`);
  const rotate = values.rotate ?? [];
  for (const r of rotate) if (!(ROTATABLE as readonly string[]).includes(r)) problems.push(`--rotate takes ${ROTATABLE.join(' or ')} (got "${r}")`);
  const dir = values['secrets-dir'];
  const given = {botToken: values['bot-token-file'], probePassword: values['probe-password-file'], signingKey: values['signing-key-file']};
  for (const file of Object.values(given)) if (file !== undefined && !readSecret(file)) problems.push(`the file ${file} is missing or empty`);
  const noticeWords = env.HEALTHCHECK_NOTICE_TEXT ? noticeText.safeParse(env.HEALTHCHECK_NOTICE_TEXT) : null;
  if (noticeWords && !noticeWords.success) problems.push(`HEALTHCHECK_NOTICE_TEXT: ${noticeWords.error.issues.map((i) => i.message).join('; ')}`);
  if (problems.length > 0) throw new UsageError(problems.join('\n'));

  const fromDir = (name: string) => (dir ? readSecret(path.join(dir, name)) : undefined);
  const fromEnv = (variable: string) => (env[`${variable}_FILE`] ? readSecret(env[`${variable}_FILE`] as string) : env[variable] || undefined);
  const previous = {
    botToken: (given.botToken && readSecret(given.botToken)) || fromDir('bot-token') || fromEnv('HEALTHCHECK_BOT_TOKEN'),
    probePassword: (given.probePassword && readSecret(given.probePassword)) || fromDir('probe-password') || fromEnv('HEALTHCHECK_PROBE_PASSWORD'),
    signingKey: (given.signingKey && readSecret(given.signingKey)) || fromDir('signing-key') || fromEnv('HEALTHCHECK_SIGNING_KEY'),
  };
  const slashCommands: Registration[] = [];
  const slashRefused: string[] = [];
  // The admin token may come from a file: every line and error is cleaned of it and of what setup learns.
  const secrets = [adminToken, previous.botToken, previous.probePassword, previous.signingKey];
  const clean = (text: string) => redact(text, [...secrets, ...slashCommands.map((c) => c.token)]);
  let setup: SetupResult;
  try {
    setup = await runSetup({
      url: url as string,
      adminToken: adminToken as string,
      teams,
      botUsername: values['bot-username'],
      opsChannel: values['ops-channel'],
      logChannel: values['log-channel'],
      probeChannel: values['probe-channel'],
      probeUsername: values['probe-username'],
      previous,
      ...(noticeWords?.success ? {noticeText: noticeWords.data} : {}),
      rotate: rotate as Rotatable[],
      revokeTokens: values['revoke-token'] ?? [],
      makeOpsPrivate: values['make-ops-private'],
      ...(dir ? {secretsDir: path.resolve(dir)} : {}),
      extraSteps: bridgeUrl
        ? [
            async (ctx) => {
              const adoption = {
                creator: trustedCreators(
                  async () => ctx.bot.id,
                  (id) => ctx.admin.getUser(id),
                ),
                refused: slashRefused,
              };
              slashCommands.push(...(await ensureSlashCommands([ctx.admin], ctx.teams, {trigger: values.trigger, url: `${bridgeUrl}${SLASH_PATH}`}, ctx.changes, adoption)));
            },
          ]
        : [],
      log: (line) => err(`setup: ${clean(line)}`),
    });
  } catch (e) {
    if (!(e instanceof SetupStopped)) throw new SetupError(clean(describeError(e)), {cause: e});
    err('setup stopped; nothing that running bridges use was changed:');
    for (const p of e.problems) err(`  - ${clean(p)}`);
    return 3;
  }
  const result: SetupOutput = {...setup, ...(bridgeUrl ? {bridgeUrl} : {}), slashCommands};
  if (dir) {
    mkdirSync(dir, {recursive: true, mode: 0o700});
    // An existing folder keeps its mode on mkdir: the secrets are readable by the owner alone.
    chmodSync(dir, 0o700);
    const files: [string, string][] = [
      ['bot-token', result.botToken],
      ['probe-password', result.probePassword],
      ['signing-key', result.signingKey],
    ];
    if (slashCommands.length > 0) files.push(['slash-tokens', slashTokensSetting(slashCommands)]);
    for (const [name, value] of files) {
      const file = path.join(dir, name);
      writeFileSync(file, `${value}\n`, {mode: 0o600});
      chmodSync(file, 0o600);
    }
  }
  if (result.changes.length === 0) err('setup: everything was already in place; nothing changed');
  for (const line of [...result.warnings, ...slashRefused]) err(`setup: WARNING: ${clean(line)}`);
  for (const notice of result.notices) err(`setup: ${notice}`);
  if (result.botTokens.length > 1) {
    err(`setup: @${result.botUsername} has ${result.botTokens.length} active tokens; revoke those no bridge uses with --revoke-token ID:`);
    for (const t of result.botTokens) err(`setup:   ${t.id}  ${t.description}`);
  }
  if (values.json) {
    const {botToken, probePassword, signingKey, ...rest} = result;
    const hidden = {
      ...rest,
      botToken: botToken ? '[hidden]' : '',
      probePassword: probePassword ? '[hidden]' : '',
      signingKey: signingKey ? '[hidden]' : '',
      slashCommands: slashCommands.map((c) => ({...c, token: '[hidden]'})),
    };
    out(JSON.stringify(values['show-secrets'] ? result : hidden, null, 2));
  } else {
    for (const line of settingsLines(result, {dir, show: values['show-secrets']})) out(line);
  }
  return 0;
}
