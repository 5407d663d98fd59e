// `make deploy`: uploads the plugin bundle to the server named by MM_SERVICESETTINGS_SITEURL with
// MM_ADMIN_TOKEN (the convention of Mattermost's plugin template) and enables it.
// Usage: node deploy-plugin.mjs BUNDLE.tar.gz PLUGIN_ID
import {readFileSync, existsSync} from 'node:fs';
import path from 'node:path';
import mattermostClient from '@mattermost/client';

const [bundle, pluginId] = process.argv.slice(2);
const site = (process.env.MM_SERVICESETTINGS_SITEURL ?? '').replace(/\/+$/, '');
const token = process.env.MM_ADMIN_TOKEN ?? '';
const problems = [];
if (!site) problems.push('MM_SERVICESETTINGS_SITEURL is not set (the server URL, e.g. http://127.0.0.1:8065)');
else if (!/^https?:\/\/[^/]+/.test(site)) problems.push(`MM_SERVICESETTINGS_SITEURL must be an http(s) URL (got "${site}")`);
if (!token) problems.push("MM_ADMIN_TOKEN is not set (a system admin's personal access token)");
if (!bundle || !existsSync(bundle)) problems.push(`plugin bundle ${bundle ?? '(none)'} not found: run make dist`);
if (problems.length) {
  console.error(`deploy: cannot deploy:\n  - ${problems.join('\n  - ')}`);
  process.exit(2);
}

// Through the official client: this is the one-off admin work Client4 is made for.
const {Client4} = mattermostClient;
const client = new Client4();
client.setUrl(site);
client.setToken(token);

const HINTS = {
  401: ' (is MM_ADMIN_TOKEN a valid token?)',
  403: ' (the token needs the system admin role)',
  413: ' (the bundle is larger than the server accepts)',
  501: ' (enable PluginSettings.EnableUploads and disable RequirePluginSignature on the server)',
};

/** Runs one call; a failure ends the process with what the server said and what to do about it. */
async function step(what, call) {
  try {
    return await call();
  } catch (err) {
    const status = err?.status_code;
    if (!status) console.error(`deploy: cannot reach ${site} (${what}): ${err?.cause?.code ?? err?.message ?? err}`);
    else console.error(`deploy: ${what} failed: ${status} ${err.message ?? ''}${HINTS[status] ?? ''}`);
    process.exit(1);
  }
}

const file = new globalThis.File([readFileSync(bundle)], path.basename(bundle), {type: 'application/gzip'});
const manifest = await step('uploading the plugin', () => client.uploadPlugin(file, true));
await step('enabling the plugin', () => client.enablePlugin(pluginId));
console.log(`deploy: ${manifest.id} ${manifest.version} uploaded and enabled on ${site}`);
