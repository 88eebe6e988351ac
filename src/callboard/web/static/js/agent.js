// The agent desk: state, offers over the agent WebSocket, the caller, the case form,
// chat with a chat caller, wrap-up and callbacks. Everything goes through /api/v1 as the signed-in agent.
import { t, api, poll, toast, duration, el } from "/static/js/api.js";
import { mountKbSearch } from "/static/js/kb-search.js";
import { mountChat } from "/static/js/chat.js";

const desk = document.getElementById("desk");
const agentId = desk.dataset.agent;
const base = `/api/v1/agents/${encodeURIComponent(agentId)}`;
const $ = (id) => document.getElementById(id);
const RECONNECT_MS = 2000;
const CHAT_POLL_MS = 2000;

let state = null;
let offered = null; // the contact offered now, with its caller's details
let current = null; // { contact, caseId } while talking and until completed
let wrapUpEnds = null;
let wrapUpTimer = null;
const chat = mountChat($("chat"), "agent");

async function act(path, body = {}) {
  try {
    showState(await api(`${base}${path}`, { method: "POST", body }));
    await refreshContacts();
  } catch (error) {
    toast(error.message);
  }
}

function showState(view) {
  state = view.state;
  const label = view.reason
    ? t("agent.state_reason", { state: t(`agent.state.${view.state}`), reason: t(`agent.reason.${view.reason}`) })
    : t(`agent.state.${view.state}`);
  const badge = $("state");
  badge.textContent = label;
  badge.className = `badge state-${view.state}`;
  const out = view.state === "logged_out";
  $("login").disabled = !out;
  $("logout").disabled = out;
  $("ready").disabled = !["not_ready", "wrap_up"].includes(view.state);
  for (const control of $("not-ready-form").elements) control.disabled = out;
  if (view.state !== "wrap_up") stopWrapUp();
}

async function refreshState() {
  try {
    showState(await api(base));
  } catch (error) {
    toast(error.message);
  }
}

async function refreshContacts() {
  const { contacts } = await api(`${base}/contacts`);
  showOffer(contacts.find((c) => c.state === "offered") ?? null);
  const talking = contacts.find((c) => c.state === "connected");
  if (talking && current?.contact.contact_id !== talking.contact_id) startContact(talking);
}

function who(contact) {
  return contact.name && contact.caller ? `${contact.name} (${contact.caller})`
    : contact.name ?? contact.caller ?? t("agent.unknown_caller");
}

function showOffer(contact) {
  const wasShown = offered !== null;
  offered = contact;
  $("offer").hidden = contact === null;
  if (contact === null) return;
  const values = { queue: contact.queue, caller: who(contact), waited: duration(contact.waited_s) };
  $("offer-text").textContent = t(contact.callback ? "agent.offer_callback" : "agent.offer_text", values);
  if (!wasShown) $("accept").focus();
}

function startContact(contact) {
  current = { contact, caseId: null };
  $("contact").hidden = false;
  $("caller").replaceChildren(
    ...fact(t("agent.caller_id"), contact.caller ?? t("agent.unknown_caller")),
    ...fact(t("agent.name"), contact.name ?? "–"),
    ...fact(t("agent.queue"), contact.queue),
    ...fact(t("agent.channel"), t(`agent.channel.${contact.channel}`)),
    ...fact(t("agent.waited"), duration(contact.waited_s)),
    ...suggested(contact.attributes ?? {}),
  );
  $("case-form").reset();
  preselect("category", contact.attributes?.triage_category);
  preselect("priority", contact.attributes?.triage_priority);
  $("case-id").textContent = "";
  markSaved(false);
  resumeFiled(contact.contact_id);
  showHistory(contact.caller);
  startChat(contact);
  $("category").focus();
}

/** Triage's suggestion (server/triage_hook.py), shown beside the caller; none below its threshold. */
function suggested(attributes) {
  if (attributes.triage_priority === undefined) return [];
  const priority = attributes.triage_priority;
  const text = attributes.triage_category
    ? t("agent.suggested_value", { category: label("agent.category", attributes.triage_category),
        confidence: Math.round(Number(attributes.triage_confidence) * 100), priority })
    : t("agent.suggested_none", { priority });
  return fact(t("agent.suggested"), text);
}

/** The case form starts from the suggestion where the form offers that value. */
function preselect(id, value) {
  if ([...$(id).options].some((o) => o.value === value)) $(id).value = value;
}

/** A category the agent chose over triage's suggestion is a correction it learns from. */
async function correct(contact, category) {
  const suggestion = contact.attributes?.triage_category;
  if (!suggestion || suggestion === category) return;
  await api("/api/v1/triage/corrections", {
    method: "POST", body: { contact_id: contact.contact_id, category, suggested: suggestion },
  });
}

/** A chat contact's conversation: what the caller wrote while waiting, then new messages. */
function startChat(contact) {
  const id = encodeURIComponent(contact.contact_id);
  // An e-mail's conversation is its case's thread; replies go out by SMTP (routes/channels.py).
  const paths = { chat: `/api/v1/contacts/${id}/messages`, email: `/api/v1/channels/email/contacts/${id}/messages` };
  if (!(contact.channel in paths)) {
    chat.close();
    return;
  }
  chat.open(paths[contact.channel], { everyMs: CHAT_POLL_MS });
  chat.show(true);
}

/** A desk reloaded mid-contact finds the case it already filed for the contact. */
async function resumeFiled(contactId) {
  try {
    const query = new URLSearchParams({ contact_id: contactId, limit: "1" });
    const [filed] = (await api(`/api/v1/cases?${query}`)).cases;
    if (filed && current?.contact.contact_id === contactId && current.caseId === null) resume(filed);
  } catch (error) {
    toast(error.message);
  }
}

/** A stored key shown in the page's language; a value typed elsewhere is shown as it is. */
function label(prefix, value) {
  if (!value) return "–";
  const key = `${prefix}.${value}`;
  const text = t(key);
  return text === key ? value : text;
}

/** Complete waits for the case: every handled contact leaves a registration record. */
function markSaved(saved) {
  $("complete").disabled = !saved;
  $("complete-hint").hidden = saved;
}

function fact(name, value) {
  return [el("dt", {}, name), el("dd", {}, value)];
}

async function showHistory(caller) {
  const box = $("history");
  if (!caller) {
    box.replaceChildren(el("p", { class: "muted" }, t("agent.no_caller_id")));
    return;
  }
  box.replaceChildren(el("p", { class: "muted" }, t("common.loading")));
  try {
    const { cases } = await api(`/api/v1/cases?${new URLSearchParams({ caller, limit: "20" })}`);
    const contactId = current?.contact.contact_id;
    const earlier = cases.filter((c) => !c.contact_ids.includes(contactId));
    box.replaceChildren(earlier.length === 0
      ? el("p", { class: "muted" }, t("agent.no_history"))
      : el("table", { "aria-label": t("agent.history") },
          el("thead", {}, el("tr", {},
            ["agent.case_no", "agent.opened", "agent.category", "agent.status", "agent.outcome", "agent.contacts"]
              .map((key) => el("th", { scope: "col" }, t(key))))),
          el("tbody", {}, earlier.map((c) => el("tr", {},
            el("td", {}, `#${c.id}`),
            el("td", {}, new Date(c.opened_at).toLocaleString(document.documentElement.lang)),
            el("td", {}, label("agent.category", c.category)),
            el("td", {}, label("agent.status", c.status)),
            el("td", {}, label("agent.outcome", c.outcome)),
            el("td", { class: "num" }, c.contact_ids.length),
          )))));
  } catch (error) {
    box.replaceChildren(el("p", { class: "error" }, error.message));
  }
}

/** The case already filed for this contact goes back into the form, so saving updates it. */
function resume(filed) {
  current.caseId = filed.id;
  const form = $("case-form").elements;
  form.category.value = filed.category ?? "";
  form.priority.value = String(filed.priority);
  form.status.value = filed.status === "new" ? "open" : filed.status;
  form.outcome.value = filed.outcome ?? "";
  $("case-id").textContent = `#${filed.id}`;
  markSaved(true);
}

async function saveCase(event) {
  event.preventDefault();
  const form = new FormData($("case-form"));
  const fields = {
    category: form.get("category"),
    priority: Number(form.get("priority")),
    status: form.get("status"),
    outcome: form.get("outcome") || null,
  };
  const notes = form.get("notes").trim();
  const { contact } = current;
  try {
    if (current.caseId === null) {
      const opened = await api("/api/v1/cases", {
        method: "POST",
        body: {
          caller: contact.caller, queue: contact.queue, category: fields.category,
          priority: fields.priority, notes, contact_ids: [contact.contact_id],
        },
      });
      current.caseId = opened.id;
      await correct(contact, fields.category);
      await api(`/api/v1/cases/${opened.id}`, {
        method: "PATCH", body: { status: fields.status, outcome: fields.outcome },
      });
    } else {
      await api(`/api/v1/cases/${current.caseId}`, {
        method: "PATCH", body: { ...fields, ...(notes ? { notes } : {}) },
      });
    }
    $("notes").value = "";
    $("case-id").textContent = `#${current.caseId}`;
    markSaved(true);
    toast(t("agent.case_saved", { id: current.caseId }));
  } catch (error) {
    toast(error.message);
  }
}

async function complete(event) {
  event.preventDefault();
  const acw = Number(new FormData($("complete-form")).get("acw"));
  const { contact } = current;
  try {
    showState(await api(`${base}/contacts/${encodeURIComponent(contact.contact_id)}/complete`, {
      method: "POST", body: { acw_s: acw },
    }));
  } catch (error) {
    toast(error.message);
    return;
  }
  current = null;
  chat.close();
  $("contact").hidden = true;
  if (state === "wrap_up") startWrapUp(acw);
  $("ready").focus();
}

function startWrapUp(seconds) {
  wrapUpEnds = Date.now() + seconds * 1000;
  const box = $("wrap-up");
  const tick = () => {
    box.textContent = t("agent.wrap_up_left", { left: duration((wrapUpEnds - Date.now()) / 1000) });
  };
  tick();
  box.hidden = false;
  clearInterval(wrapUpTimer);
  wrapUpTimer = setInterval(tick, 1000);
}

function stopWrapUp() {
  clearInterval(wrapUpTimer);
  wrapUpEnds = null;
  $("wrap-up").hidden = true;
}

function showCallbacks({ callbacks }) {
  $("callbacks").replaceChildren(callbacks.length === 0
    ? el("p", { class: "muted" }, t("agent.no_callbacks"))
    : el("table", { "aria-label": t("agent.callbacks") },
        el("thead", {}, el("tr", {},
          ["agent.caller_id", "agent.name", "agent.queue", "agent.position", "agent.waited"]
            .map((key) => el("th", { scope: "col" }, t(key))))),
        el("tbody", {}, callbacks.map((c) => el("tr", {},
          el("td", {}, c.caller ?? "–"),
          el("td", {}, c.name ?? "–"),
          el("td", {}, c.queue),
          el("td", { class: "num" }, c.position ?? "–"),
          el("td", { class: "num" }, duration(c.waited_s)),
        )))));
}

/** The callback list between polls: an offer or a state change often means one was taken. */
async function refreshCallbacks() {
  try {
    showCallbacks(await api(`${base}/callbacks`));
  } catch (error) {
    toast(error.message);
  }
}

/** Offers and state changes arrive here. An offer carries its caller and is shown at
 *  once; anything else makes the desk read the truth from the API. */
function listen() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}${base}/stream`);
  const sync = () => {
    refreshState();
    refreshContacts().catch((error) => toast(error.message));
    refreshCallbacks();
  };
  socket.addEventListener("open", sync);
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "offer" && message.waited_s !== null) {
      showOffer(message);
      refreshState();
    } else {
      sync();
    }
  });
  socket.addEventListener("close", () => setTimeout(listen, RECONNECT_MS));
}

$("login").addEventListener("click", () => act("/login", { ready: true }));
$("logout").addEventListener("click", () => act("/logout"));
$("ready").addEventListener("click", () => act("/state", { state: "ready" }));
$("not-ready-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act("/state", { state: "not_ready", reason: $("reason").value });
});
$("accept").addEventListener("click", () => {
  if (offered) act(`/offers/${encodeURIComponent(offered.contact_id)}/accept`);
});
$("reject").addEventListener("click", () => {
  if (offered) act(`/offers/${encodeURIComponent(offered.contact_id)}/reject`, { reason: "other" });
});
$("case-form").addEventListener("submit", saveCase);
$("complete-form").addEventListener("submit", complete);
mountKbSearch({
  form: $("kb-search"), results: $("kb-results"), reader: $("kb-article"), base: "/api/v1/kb/articles",
});
poll(`${base}/callbacks`, 5000, showCallbacks);
refreshState();
listen();
