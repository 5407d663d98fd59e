// `mattermost-healthcheck-bridge run`: reads the config, composes the bridge (bridge/compose.ts),
// and stops it cleanly on SIGTERM or SIGINT.
import {readFileSync} from 'node:fs';
import {Registry, collectDefaultMetrics} from 'prom-client';
import {composeBridge, type ComposedBridge} from './bridge/compose';
import {secretsOf} from './bridge/parts';
import {reportLoad} from './check-config';
import {loadConfig} from './config';
import {createLogger} from './logger';
import {redact} from './mm/errors';
import {guardUnhandledRejections} from './process-guard';
import {SecretRegistry} from './secrets';

export async function runBridge(env: NodeJS.ProcessEnv): Promise<number> {
  const loaded = loadConfig(env, (file) => readFileSync(file, 'utf8'));
  if (!loaded.ok) {
    reportLoad(loaded, (line) => process.stderr.write(`${line}\n`));
    return 2;
  }
  const {config} = loaded;
  const secrets = new SecretRegistry(secretsOf(config));
  const logger = createLogger({level: config.logLevel, secrets});
  for (const w of loaded.warnings) logger.warn(w);
  const unguard = guardUnhandledRejections(logger, secretsOf(config));
  const registry = new Registry();
  collectDefaultMetrics({register: registry});
  let bridge: ComposedBridge;
  try {
    bridge = await composeBridge(config, logger, secrets, registry);
  } catch (err) {
    logger.fatal({err: redact(String(err), secrets.all())}, 'the bridge could not start');
    return 1;
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({signal}, 'stopping: letting probe runs in flight finish');
  await bridge.stop();
  unguard();
  logger.info('stopped');
  return 0;
}
