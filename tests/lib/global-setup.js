// Starts (or reuses) the e2e instance of the real Mattermost server before the suite.
const {execFileSync} = require('node:child_process');
const path = require('node:path');
const {instanceEnv} = require('./instance');

module.exports = async () => {
  const env = instanceEnv();
  execFileSync('bash', [path.join(__dirname, '../mattermost/up.sh')], {stdio: 'inherit', env: {...process.env, ...env}});
};
