// `make deploy`: uploads the plugin bundle to the server named by MM_SERVICESETTINGS_SITEURL with
// MM_ADMIN_TOKEN (the convention of Mattermost's plugin template) and enables it.
// Usage: node deploy-plugin.mjs BUNDLE.tar.gz PLUGIN_ID
import {readFileSync, existsSync} from 'node:fs';
import path from 'node:path';

const [bundle, pluginId] = process.argv.slice(2);
const site = (process.env.MM_SERVICESETTINGS_SITEURL ?? '').replace(/\/+$/, '');
const token = process.env.MM_ADMIN_TOKEN ?? '';
const problems = [];
if (!site) problems.push('MM_SERVICESETTINGS_SITEURL is not set (the server URL, e.g. http://127.0.0.1:8065)');
else if (!/^https?:\/\/[^/]+/.test(site)) problems.push(`MM_SERVICESETTINGS_SITEURL must be an http(s) URL (got "${site}")`);
if (!token) problems.push('MM_ADMIN_TOKEN is not set (a system admin\'s personal access token)');
if (!bundle || !existsSync(bundle)) problems.push(`plugin bundle ${bundle ?? '(none)'} not found: run make dist`);
if (problems.length) {
  console.error(`deploy: cannot deploy:\n  - ${problems.join('\n  - ')}`);
  process.exit(2);
}

async function call(method, route, body) {
  let res;
  try {
    res = await fetch(`${site}/api/v4${route}`, {method, headers: {Authorization: `Bearer ${token}`, 'X-Requested-With': 'XMLHttpRequest'}, body});
  } catch (err) {
    console.error(`deploy: cannot reach ${site}: ${err.cause?.code ?? err.message}`);
    process.exit(1);
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = text.slice(0, 300);
    try { detail = JSON.parse(text).message ?? detail; } catch { /* plain text */ }
    const hint = res.status === 401 ? ' (is MM_ADMIN_TOKEN a valid token?)' : res.status === 403 ? ' (the token needs the system admin role)' : res.status === 501 ? ' (enable PluginSettings.EnableUploads and disable RequirePluginSignature on the server)' : '';
    console.error(`deploy: ${method} ${route} failed: ${res.status} ${detail}${hint}`);
    process.exit(1);
  }
  return text ? JSON.parse(text) : null;
}

const form = new FormData();
form.append('plugin', new Blob([readFileSync(bundle)], {type: 'application/gzip'}), path.basename(bundle));
form.append('force', 'true');
const manifest = await call('POST', '/plugins', form);
await call('POST', `/plugins/${encodeURIComponent(pluginId)}/enable`);
console.log(`deploy: ${manifest.id} ${manifest.version} uploaded and enabled on ${site}`);
