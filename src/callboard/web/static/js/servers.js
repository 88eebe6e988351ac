// Failover without a proxy: the page follows whichever server is active.
//
// A page lists its servers in <meta name="callboard-servers" content="ORIGIN ORIGIN ...">
// (docs/operations.md). Every few seconds this module reads the page's own server's
// /api/v1/health; when that server says it is a standby, or does not answer, the
// module asks the others and moves the page to the first one that says "active",
// keeping the path and query. A page without the meta tag does nothing: behind a
// proxy, the proxy does this job.

const HEALTH = "/api/v1/health";
const TIMEOUT_MS = 1500;

/** The servers this page may move between, as origins; [] when none are listed. */
export function listedServers(doc = document) {
  const meta = doc.querySelector('meta[name="callboard-servers"]');
  if (!meta) return [];
  return meta.content.split(/\s+/).filter(Boolean).map((address) => new URL(address).origin);
}

/** What `origin` says it is: "active", "standby", or null when it does not answer. */
export async function roleOf(origin) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(`${origin}${HEALTH}`, {
      signal: controller.signal, credentials: "omit", cache: "no-store",
    });
    if (!response.ok) return null;
    const health = await response.json();
    return health.role ?? "active";  // a server from before roles was always active
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** The first listed origin that says it is active, or null. */
export async function activeServer(servers) {
  for (const origin of servers) {
    if ((await roleOf(origin)) === "active") return origin;
  }
  return null;
}

/** Watches the page's server and moves the page to the active one when it changes.
 *  Returns a function that stops watching. */
export function followActive({ periodMs = 2000, servers = listedServers() } = {}) {
  if (servers.length === 0) return () => {};
  let stopped = false;
  async function check() {
    if ((await roleOf(location.origin)) !== "active") {
      const active = await activeServer(servers.filter((origin) => origin !== location.origin));
      if (active && !stopped) {
        location.assign(`${active}${location.pathname}${location.search}${location.hash}`);
        return;
      }
    }
    if (!stopped) setTimeout(check, periodMs);
  }
  setTimeout(check, periodMs);
  return () => { stopped = true; };
}
