#!/usr/bin/env node
// Entry point: reads the command line and environment, builds, listens, shuts down on signals.
import {readFileSync} from 'node:fs';
import {checkConfig, sloRulesCommand} from './check-config';
import {SetupError, SETUP_USAGE, UsageError} from './setup/usage';
import {VERSION} from './version';
import {describeError, redact} from './mm/errors';
import {runBridge} from './run';

const USAGE = `Usage: mattermost-healthcheck-bridge run            start the prober (the default; settings from HEALTHCHECK_* variables)
       mattermost-healthcheck-bridge check-config   validate those settings as run would, contacting nothing
       mattermost-healthcheck-bridge slo-rules      print Prometheus recording and alerting rules of the configured SLOs
       mattermost-healthcheck-bridge setup ...      create the bot, channels, probe user and slash commands
       mattermost-healthcheck-bridge --version      print the version
       mattermost-healthcheck-bridge --help         print this help

check-config, slo-rules and run list every problem of the settings at once and exit with code 2.

${SETUP_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  switch (command) {
    case '--version':
    case 'version':
      out(VERSION);
      return 0;
    case '--help':
    case 'help':
      out(USAGE);
      return 0;
    case 'setup':
      try {
        // Loaded only for setup: `run` never loads Client4.
        const {setupCommand} = await import('./setup/cli');
        return await setupCommand(rest, process.env, out, err);
      } catch (e) {
        if (e instanceof UsageError || (e as {code?: string}).code?.startsWith('ERR_PARSE_ARGS')) {
          err(`setup: ${e instanceof Error ? e.message : String(e)}\n\n${SETUP_USAGE}`);
          return 2;
        }
        // A SetupError is already cleaned of the token it read (from a file too); anything else is cleaned here.
        err(`setup failed: ${e instanceof SetupError ? e.message : redact(describeError(e), [process.env.HEALTHCHECK_ADMIN_TOKEN])}`);
        return 1;
      }
    case 'check-config':
      return checkConfig(process.env, (file) => readFileSync(file, 'utf8'), out, err);
    case 'slo-rules':
      return sloRulesCommand(process.env, (file) => readFileSync(file, 'utf8'), out, err);
    case undefined:
    case 'run':
      return runBridge(process.env);
    default:
      err(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`fatal: ${describeError(e)}\n`);
    process.exitCode = 1;
  },
);
