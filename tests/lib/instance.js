// Which Mattermost instance the e2e suite uses (ports differ from the demo's so both can run).
const os = require('node:os');
const path = require('node:path');

function instanceEnv() {
  return {
    MM_INSTANCE: process.env.E2E_MM_INSTANCE || 'e2e',
    MM_PORT: process.env.E2E_MM_PORT || '18065',
    PG_PORT: process.env.E2E_PG_PORT || '55433',
  };
}

function runDir() {
  const cache = process.env.HEALTHCHECK_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'mattermost-healthcheck');
  return path.join(cache, 'run', instanceEnv().MM_INSTANCE);
}

module.exports = {instanceEnv, runDir};
