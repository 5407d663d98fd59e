// Stops the e2e instance after the suite unless HEALTHCHECK_E2E_KEEP=1 (to look at it afterwards).
const {execFileSync} = require('node:child_process');
const path = require('node:path');
const {instanceEnv} = require('./instance');

module.exports = async () => {
  if (process.env.HEALTHCHECK_E2E_KEEP === '1') return;
  execFileSync('bash', [path.join(__dirname, '../mattermost/down.sh')], {stdio: 'inherit', env: {...process.env, ...instanceEnv()}});
};
