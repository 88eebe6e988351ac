// The one way pages talk to the server: the same /api/v1 integrators use.
// The sign-in cookie travels with every request; errors carry the server's message.

const catalog = JSON.parse(document.getElementById("cb-catalog").textContent);

/** UI text in the page's language; {name} placeholders are filled from `values`. */
export function t(key, values = {}) {
  const text = catalog[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? `{${name}}`));
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Calls the API; resolves to the JSON body, or throws ApiError with the server's message.
 *  `headers` carries what the cookie cannot, such as the caller widget's contact secret. */
export async function api(path, { method = "GET", body, headers = {} } = {}) {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? headers : { ...headers, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : {};
  if (!response.ok) {
    throw new ApiError(response.status, data.error ?? `${response.status} ${response.statusText}`);
  }
  return data;
}

/** Follows a Server-Sent Events stream; the browser reconnects by itself. */
export function follow(path, eventName, onData) {
  const source = new EventSource(path, { withCredentials: true });
  source.addEventListener(eventName, (event) => onData(JSON.parse(event.data)));
  return source;
}

/** Polls `path` every `periodMs` while the page is open; errors are shown, not thrown. */
export function poll(path, periodMs, onData) {
  let stopped = false;
  async function once() {
    try {
      onData(await api(path));
    } catch (error) {
      toast(error.message);
    }
    if (!stopped) setTimeout(once, periodMs);
  }
  once();
  return () => { stopped = true; };
}

/** A short message in the page's live region, read out by screen readers. */
export function toast(message) {
  const box = document.getElementById("toast");
  box.textContent = message;
  box.classList.add("shown");
  clearTimeout(box.hideTimer);
  box.hideTimer = setTimeout(() => box.classList.remove("shown"), 5000);
}

/** Seconds as m:ss, or h:mm:ss from an hour on. */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "–";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n) => String(n).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** A ratio as a whole percentage, or a dash when there is nothing to divide. */
export function percent(ratio) {
  return ratio === null || ratio === undefined ? "–" : `${Math.round(ratio * 100)}%`;
}

/** Builds an element: el("td", {class: "num"}, "12"). Text is always set as text, never HTML. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
