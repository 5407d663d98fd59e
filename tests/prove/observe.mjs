// What a round left in the ops channel, read as the admin (edit history rows included): the
// incident roots, their recoveries (in the thread or not), and the edits of each root.
const ALERT_PROP = 'healthcheck_alert';

export async function api(mm, route, token = mm.MM_ADMIN_TOKEN) {
  const res = await fetch(`${mm.MM_URL}/api/v4${route}`, {headers: {Authorization: `Bearer ${token}`}, signal: AbortSignal.timeout(5000)});
  if (!res.ok) throw new Error(`GET ${route} -> ${res.status}`);
  return res.json();
}

/** A write as the admin (config, channel membership). */
export async function adminCall(mm, method, route, body) {
  const res = await fetch(`${mm.MM_URL}/api/v4${route}`, {
    method,
    headers: {Authorization: `Bearer ${mm.MM_ADMIN_TOKEN}`, 'Content-Type': 'application/json'},
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`${method} ${route} -> ${res.status} ${await res.text()}`);
}

/** The first bot root of an incident created since `since` (server clock), or null; cheap enough to poll every few ms. */
export async function firstRoot(mm, since) {
  const rows = await rowsSince(mm, since);
  return rows.find((p) => p.user_id === mm.MM_BOT_USER_ID && !p.root_id && p.props?.[ALERT_PROP]?.event === 'open' && p.create_at >= since) ?? null;
}

/** True when the server answers ping and its database takes a write (what the probes need). */
export async function healthy(mm) {
  try {
    const ping = await api(mm, '/system/ping?get_server_status=true');
    return ping.status === 'OK' && ping.database_status === 'OK';
  } catch {
    return false;
  }
}

/** Every row of the ops channel changed since `since` (server clock), edit history included. */
async function rowsSince(mm, since) {
  const list = await api(mm, `/channels/${mm.MM_OPS_CHANNEL_ID}/posts?since=${since}`);
  return Object.values(list.posts);
}

export async function roundPosts(mm, since) {
  const rows = (await rowsSince(mm, since)).filter((p) => p.user_id === mm.MM_BOT_USER_ID && p.create_at >= since);
  const alertOf = (p) => p.props?.[ALERT_PROP];
  const live = rows.filter((p) => p.delete_at === 0 && !p.original_id && alertOf(p));
  const roots = live.filter((p) => !p.root_id && alertOf(p).event === 'open' && alertOf(p).incidentId.startsWith('inc_'));
  const incidents = new Map();
  for (const root of roots) {
    const id = alertOf(root).incidentId;
    incidents.set(id, [...(incidents.get(id) ?? []), root]);
  }
  const recoveries = live.filter((p) => alertOf(p).event === 'resolved');
  const summary = [...incidents.entries()].map(([id, copies]) => {
    const root = copies.sort((a, b) => a.create_at - b.create_at)[0];
    const mine = recoveries.filter((r) => alertOf(r).incidentId === id);
    const inThread = mine.filter((r) => r.root_id === root.id);
    return {
      id,
      copies: copies.length,
      recoveries: mine.length,
      inThread: inThread.length,
      recoveredPostAt: inThread.length ? Math.min(...inThread.map((r) => r.create_at)) : null,
      edits: rows.filter((p) => p.original_id === root.id).length,
      resolvedRoot: alertOf(root).state === 'resolved',
    };
  });
  return summary;
}
