// What the entry point needs of setup without loading it (and Client4 with it): the usage text and
// the errors it tells apart.

export const SETUP_USAGE = `Usage: mattermost-healthcheck-bridge setup --url URL (--admin-token-file FILE | env HEALTHCHECK_ADMIN_TOKEN)
         --team NAME [--team NAME ...] [--secrets-dir DIR | --show-secrets] [--json]
         [--bot-token-file FILE] [--probe-password-file FILE] [--signing-key-file FILE]
         [--rotate bot-token|probe-password|signing-key ...] [--revoke-token ID ...]
         [--bot-username healthcheck-bot] [--probe-username healthcheck-probe]
         [--ops-channel healthcheck-ops] [--log-channel healthcheck-log] [--probe-channel healthcheck-probe]
         [--bridge-url http://HOST:PORT] [--trigger healthcheck] [--make-ops-private]
Creates, idempotently, the bot and its token, the channels, the probe user, the memberships and,
with --bridge-url (where Mattermost reaches the bridge), the /healthcheck command in every team;
then prints the bridge settings. The ops channel is created private; an existing public one is
only converted with --make-ops-private (setup warns otherwise). Secrets go to files (mode 0600) in --secrets-dir, or are printed
only with --show-secrets.
Never replaces a secret running bridges may use: the bot token, probe password and post signing
key are taken from --bot-token-file / --probe-password-file / --signing-key-file, else from the
files in --secrets-dir, else from HEALTHCHECK_BOT_TOKEN(_FILE) / HEALTHCHECK_PROBE_PASSWORD(_FILE) /
HEALTHCHECK_SIGNING_KEY(_FILE); when the bot, the probe user or a declared signing key exists and
its secret is not available, setup says so, changes nothing and exits with code 3.
--rotate makes a new one and says which bridges need it; the bot's old tokens stay valid (setup
lists them) until revoked with --revoke-token ID.
With HEALTHCHECK_NOTICE_TEXT set, its words for the degraded-service notice go into the bot's props.`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Setup failed after its arguments were read; the message holds no secret. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}
