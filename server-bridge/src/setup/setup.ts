// One-command setup: given an admin token, creates (idempotently) the bot and its token, the ops,
// log and probe channels, the probe user and the memberships, and returns the bridge settings.
import {randomBytes} from 'node:crypto';
import {AdminClient} from '../mm/admin-client';
import {isStatus} from '../mm/client';
import type {MmChannel, MmTeam, MmUser} from '../mm/types';
import {activeTokens, createToken, revokeTokens, tokenBelongsTo, tokenDescription} from './bot-tokens';
import {rotationNotices, sessionsOf} from './rotation';
import {ensureNoticeText} from '../report/notice-text';
import {ensureTrustDeclaration} from './trust';
import {declarationOf, trustPointer} from '../contract';
import {generateSigningKey, publicKeyOf, signingKeyFrom} from '../signing/post-signer';

export interface SetupOptions {
  url: string;
  adminToken: string;
  teams: string[];
  botUsername: string;
  opsChannel: string;
  logChannel: string;
  probeChannel: string;
  probeUsername: string;
  /** The secrets the running bridges use, reused when still valid so a second run changes nothing. */
  previous?: {botToken?: string; probePassword?: string; signingKey?: string};
  /** Secrets to replace even when the current ones are known (the old bot tokens stay valid). */
  rotate?: readonly Rotatable[];
  /** Ids of the bot's tokens to revoke (setup lists them). */
  revokeTokens?: readonly string[];
  /** Where the secrets are written, named in the new token's description. */
  secretsDir?: string;
  now?: () => Date;
  /** The admins' words for the notice (HEALTHCHECK_NOTICE_TEXT); absent: the bot's props keep theirs. */
  noticeText?: string;
  /** Make an existing public ops channel private (never done without being asked). */
  makeOpsPrivate?: boolean;
  /** Extra steps after the base objects exist (e.g. slash-command registration). */
  extraSteps?: ((ctx: SetupContext) => Promise<void>)[];
  log?: (line: string) => void;
}

export interface SetupContext {
  admin: AdminClient;
  bot: MmUser;
  botToken: string;
  teams: MmTeam[];
  changes: string[];
}

export interface SetupResult {
  url: string;
  teams: string[];
  botUserId: string;
  botUsername: string;
  botToken: string;
  /** The bot's post signing key (base64 PKCS#8), its public half in the trust declaration: HEALTHCHECK_SIGNING_KEY. */
  signingKey: string;
  opsChannel: string;
  opsChannelId: string;
  logChannel: string;
  logChannelId: string;
  probeChannel: string;
  probeChannelId: string;
  probeUsername: string;
  probeUserId: string;
  probePassword: string;
  /** What this run created or changed; empty on a run that found everything in place. */
  changes: string[];
  /** The bot's active tokens after this run. */
  botTokens: {id: string; description: string}[];
  /** For a rotation: what every running bridge must be given, and where bridges are known to run. */
  notices: string[];
  /** What setup found wrong and left alone (a public ops channel). */
  warnings: string[];
}

export const ROTATABLE = ['bot-token', 'probe-password', 'signing-key'] as const;
export type Rotatable = (typeof ROTATABLE)[number];

/** Setup would have had to replace a secret running bridges may use: nothing was replaced. */
export class SetupStopped extends Error {
  override readonly name = 'SetupStopped';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

async function findUser(admin: AdminClient, username: string): Promise<MmUser | null> {
  try {
    return await admin.getUserByUsername(username);
  } catch (err) {
    if (isStatus(err, 404)) return null;
    throw err;
  }
}

async function ensureChannel(admin: AdminClient, team: MmTeam, name: string, displayName: string, purpose: string, changes: string[], type: 'O' | 'P' = 'O'): Promise<MmChannel> {
  try {
    return await admin.getChannelByName(team.id, name, true);
  } catch (err) {
    if (!isStatus(err, 404)) throw err;
  }
  changes.push(`created ${type === 'P' ? 'private ' : ''}channel ~${name} in team ${team.name}`);
  return admin.createChannel({team_id: team.id, name, display_name: displayName, purpose, type});
}

/** The ops channel is private: its members may acknowledge. A public one is converted only when asked. */
async function ensureOpsPrivate(admin: AdminClient, ops: MmChannel, convert: boolean, changes: string[], warnings: string[]): Promise<MmChannel> {
  if (ops.type === 'P') return ops;
  if (!convert) {
    warnings.push(
      `~${ops.name} is public: anyone in the team can join it, so its membership grants nothing and only system admins may acknowledge or mute. ` +
        'Run setup again with --make-ops-private to make it private (its members stay).',
    );
    return ops;
  }
  const converted = await admin.updateChannelPrivacy(ops.id, 'P');
  changes.push(`made ~${ops.name} private`);
  return converted as MmChannel;
}

async function ensureTeamMember(admin: AdminClient, team: MmTeam, user: MmUser, changes: string[]): Promise<void> {
  try {
    const member = await admin.getTeamMember(team.id, user.id);
    if (member.delete_at === 0) return;
  } catch (err) {
    if (!isStatus(err, 404)) throw err;
  }
  await admin.addToTeam(team.id, user.id);
  changes.push(`added @${user.username} to team ${team.name}`);
}

async function ensureChannelMember(admin: AdminClient, channel: MmChannel, user: MmUser, changes: string[]): Promise<void> {
  try {
    await admin.getChannelMember(channel.id, user.id);
    return;
  } catch (err) {
    if (!isStatus(err, 404)) throw err;
  }
  await admin.addToChannel(user.id, channel.id);
  changes.push(`added @${user.username} to ~${channel.name}`);
}

async function passwordWorks(url: string, username: string, password: string): Promise<boolean> {
  // A client of its own: login() sets the session token on the client it is called on.
  const client = new AdminClient(url);
  try {
    await client.login(username, password);
    await client.logout().catch(() => undefined);
    return true;
  } catch (err) {
    if (isStatus(err, 401)) return false;
    throw err;
  }
}

export function generatePassword(): string {
  // Mixed classes so any password policy of the server accepts it.
  return `Hc-${randomBytes(18).toString('base64url')}-9a`;
}

/** The public half of the key the bot's current trust declaration names, or null. */
async function declaredSigningKey(admin: AdminClient, bot: MmUser): Promise<string | null> {
  const pointer = trustPointer(bot);
  if (!pointer) return null;
  try {
    return declarationOf((await admin.getPost(pointer, true)).props)?.signingKey ?? null;
  } catch (err) {
    if (isStatus(err, 404) || isStatus(err, 403)) return null;
    throw err;
  }
}

function publicKeyOrNull(secret: string): string | null {
  try {
    return publicKeyOf(signingKeyFrom(secret));
  } catch {
    return null;
  }
}

export async function runSetup(options: SetupOptions): Promise<SetupResult> {
  const log = options.log ?? (() => undefined);
  const changes: string[] = [];
  const admin = new AdminClient(options.url, options.adminToken);
  const me = await admin.getMe();
  if (!me.roles.split(' ').includes('system_admin')) {
    throw new Error(`setup needs a system admin's token; @${me.username} has roles "${me.roles}"`);
  }
  if (options.teams.length === 0) throw new Error('setup needs at least one team');
  const teams: MmTeam[] = [];
  for (const name of options.teams) {
    try {
      teams.push(await admin.getTeamByName(name));
    } catch (err) {
      if (isStatus(err, 404)) throw new Error(`team "${name}" does not exist on ${options.url}`, {cause: err});
      throw err;
    }
  }
  const home = teams[0] as MmTeam;

  let botUser = await findUser(admin, options.botUsername);
  if (botUser && !botUser.is_bot) throw new Error(`@${options.botUsername} exists and is not a bot; choose another bot username`);
  let probeUser = await findUser(admin, options.probeUsername);
  if (probeUser?.is_bot) throw new Error(`@${options.probeUsername} is a bot; the probe user must be a regular user (bots cannot log in)`);
  if (probeUser && probeUser.delete_at !== 0) {
    await admin.updateUserActive(probeUser.id, true);
    changes.push(`re-activated probe user @${probeUser.username}`);
  }

  // Secrets: reuse what the running bridges use; replace one only when asked (--rotate).
  const rotate = new Set(options.rotate ?? []);
  const {botToken: givenToken, probePassword: givenPassword} = options.previous ?? {};
  const tokenOk = !!botUser && !!givenToken && (await tokenBelongsTo(options.url, givenToken, botUser.id));
  const oldTokens = botUser ? await activeTokens(admin, botUser.id) : [];
  const passwordOk = !!probeUser && !!givenPassword && (await passwordWorks(options.url, options.probeUsername, givenPassword));
  const problems: string[] = [];
  if (!tokenOk && !rotate.has('bot-token') && oldTokens.length > 0) {
    problems.push(
      `bot @${options.botUsername} has ${oldTokens.length} active access token(s) (${oldTokens.map((t) => t.id).join(', ')}) and ${givenToken ? 'the token given is not one of them' : 'none is available to this setup'}: ` +
        'give the one the bridges use (--bot-token-file FILE, or the --secrets-dir of the earlier setup), or make a new one with --rotate bot-token',
    );
  }
  if (probeUser && !passwordOk && !rotate.has('probe-password')) {
    problems.push(
      `probe user @${options.probeUsername} exists and ${givenPassword ? 'the password given does not log in' : 'setup does not have its password'}; ` +
        'give the one the bridges use (--probe-password-file FILE, or the --secrets-dir of the earlier setup), or set a new one with --rotate probe-password; running bridges then need it',
    );
  }
  // The post signing key: the bridges sign with the one the declaration names; a new one only on --rotate.
  const declaredKey = botUser ? await declaredSigningKey(admin, botUser) : null;
  const givenKey = options.previous?.signingKey ? publicKeyOrNull(options.previous.signingKey) : null;
  if (declaredKey && givenKey !== declaredKey && !rotate.has('signing-key')) {
    problems.push(
      `the trust declaration of @${options.botUsername} names a post signing key and ${options.previous?.signingKey ? 'the key given is not it' : 'none is available to this setup'}: ` +
        'give the one the bridges use (--signing-key-file FILE, or the --secrets-dir of the earlier setup), or make a new one with --rotate signing-key (every bridge then needs it, or its posts show as plain text)',
    );
  }
  if (problems.length > 0) throw new SetupStopped(problems);

  // The bot (re-enabled if it was disabled) and a token for it.
  if (!botUser) {
    const bot = await admin.createBot({
      username: options.botUsername,
      display_name: 'Health Check',
      description: 'Posts health-check reports and incidents (mattermost-healthcheck).',
    });
    changes.push(`created bot @${bot.username}`);
    botUser = await admin.getUser(bot.user_id);
  } else if (botUser.delete_at !== 0) {
    await admin.enableBot(botUser.id);
    changes.push(`re-enabled bot @${botUser.username}`);
  }
  let botToken = givenToken as string;
  if (!tokenOk || rotate.has('bot-token')) {
    const created = await createToken(admin, botUser.id, tokenDescription((options.now ?? (() => new Date()))(), options.secretsDir));
    botToken = created.token;
    changes.push(`created an access token for @${botUser.username} (id ${created.id})${oldTokens.length > 0 ? '; the older ones stay valid until revoked' : ''}`);
  }
  if (options.revokeTokens?.length) changes.push(...(await revokeTokens(admin, botUser.id, options.revokeTokens)));

  // The probe user: a regular user, since bots cannot log in with a password.
  const sessionsBefore = probeUser && rotate.size > 0 ? await sessionsOf(admin, probeUser.id) : [];
  let probePassword = givenPassword as string;
  if (!probeUser) {
    probePassword = givenPassword ?? generatePassword();
    const newUser = {username: options.probeUsername, email: `${options.probeUsername}@localhost`, password: probePassword, first_name: 'Health Check', last_name: 'Probe'};
    probeUser = await admin.createUser(newUser as MmUser, '', '');
    changes.push(`created probe user @${probeUser.username}`);
  } else if (rotate.has('probe-password')) {
    probePassword = generatePassword();
    // A system admin sets another user's password without the current one.
    await admin.updateUserPassword(probeUser.id, '', probePassword);
    changes.push(`gave probe user @${probeUser.username} a new password`);
  }

  const warnings: string[] = [];
  const ops = await ensureOpsPrivate(
    admin,
    await ensureChannel(admin, home, options.opsChannel, 'Health Check Incidents', 'Incidents opened and resolved by the health-check bot.', changes, 'P'),
    options.makeOpsPrivate ?? false,
    changes,
    warnings,
  );
  const logChannel = await ensureChannel(admin, home, options.logChannel, 'Health Check Log', 'Health-check reports, read by the Health Check plugin.', changes);
  const probe = await ensureChannel(admin, home, options.probeChannel, 'Health Check Probe', 'Synthetic posts of the health-check probes; they delete themselves.', changes);
  for (const team of teams) await ensureTeamMember(admin, team, botUser, changes);
  await ensureTeamMember(admin, home, probeUser, changes);
  for (const channel of [ops, logChannel, probe]) await ensureChannelMember(admin, channel, botUser, changes);
  await ensureChannelMember(admin, probe, probeUser, changes);

  // The key the bridge signs reports and alerts with: the one given, else (none declared yet, or --rotate) a new one.
  const signing = givenKey && options.previous?.signingKey && !rotate.has('signing-key') ? {secret: options.previous.signingKey, publicKey: givenKey} : generateSigningKey();
  if (signing.publicKey !== declaredKey) changes.push(`made a new post signing key${declaredKey ? '; bridges signing with the old one show as plain text until they get it' : ''}`);
  await ensureTrustDeclaration(admin, botUser, logChannel, changes, signing.publicKey);
  if (options.noticeText !== undefined) {
    const changed = await ensureNoticeText(admin, botUser.id, options.noticeText);
    if (changed) changes.push(changed);
  }
  for (const step of options.extraSteps ?? []) await step({admin, bot: botUser, botToken, teams, changes});
  for (const change of changes) log(change);
  const notices = rotate.size > 0 ? await rotationNotices(admin, teams, probeUser, [...rotate], sessionsBefore) : [];
  const botTokens = (await activeTokens(admin, botUser.id)).map((t) => ({id: t.id, description: t.description}));

  return {
    url: options.url,
    teams: teams.map((t) => t.name),
    botUserId: botUser.id,
    botUsername: botUser.username,
    botToken,
    signingKey: signing.secret,
    opsChannel: ops.name,
    opsChannelId: ops.id,
    logChannel: logChannel.name,
    logChannelId: logChannel.id,
    probeChannel: probe.name,
    probeChannelId: probe.id,
    probeUsername: probeUser.username,
    probeUserId: probeUser.id,
    probePassword,
    changes,
    botTokens,
    notices,
    warnings,
  };
}
