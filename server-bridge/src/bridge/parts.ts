// What the bridge builds once from its settings and shares: the probe jobs (with the secrets their
// targets learn), the home server's bot and admin clients and the bot's user id.
import type {Config} from '../config';
import {MattermostClient} from '../mm/client';
import {meResolver} from '../mm/lookups';
import {probeRegistry} from '../probes/registry';
import {jobsFor, type Job} from '../scheduler';
import type {SecretRegistry} from '../secrets';
import {postSigner, signingKeyFrom, type PostSigner} from '../signing/post-signer';

export interface BridgeParts {
  jobs: Job[];
  /** Every configured probe and target. */
  keys: {probe: string; target: string}[];
  bot: MattermostClient;
  admin: MattermostClient | null;
  botUserId: () => Promise<string>;
  /** Signs report and alert posts where they are built; absent without HEALTHCHECK_SIGNING_KEY (then the cards trust unsigned posts only when the declaration names no key). */
  sign?: PostSigner;
}

/** Every secret of the config, for the logger and error texts. */
export function secretsOf(config: Config): string[] {
  const target = config.targets.flatMap((t) => [t.botToken, t.adminToken, t.probePassword, t.pushDeviceId]);
  return [...target, ...config.slash.tokens.map((t) => t.token), config.actions.secret, config.signingKey, config.ha?.store].filter((s): s is string => !!s);
}

export function bridgeParts(config: Config, secrets: SecretRegistry): BridgeParts {
  // Each target tells the registry of the session token its probe user is given.
  const targets = config.targets.map((t) => ({...t, onSecret: (value: string) => secrets.add(value)}));
  const jobs = jobsFor(config.probes, probeRegistry, targets, {retryIntervalMs: config.retryIntervalMs});
  const {home} = config;
  const bot = new MattermostClient({url: home.url, token: home.botToken});
  return {
    jobs,
    keys: jobs.map((j) => ({probe: j.probe.name, target: j.target.name})),
    bot,
    admin: home.adminToken ? new MattermostClient({url: home.url, token: home.adminToken}) : null,
    botUserId: meResolver(bot),
    ...(config.signingKey ? {sign: postSigner(signingKeyFrom(config.signingKey))} : {}),
  };
}
