// The caller widget: help articles first, then the queue with live position and wait,
// chat with the agent, a callback or a message, and the CSAT survey. The contact's secret (from joining)
// opens the caller's own contact; it stays in this tab's sessionStorage only. While waiting, the
// status carries the center's offer (a callback at the longest wait, voicemail when the line is full)
// with accept and decline, and an emergency queue's announcement in the page's language.
import { t, api, toast, el } from "/static/js/api.js";
import { mountKbSearch } from "/static/js/kb-search.js";
import { mountChat } from "/static/js/chat.js";

const root = document.getElementById("widget");
const queue = root.dataset.queue;
const $ = (id) => document.getElementById(id);
const POLL_MS = 2000;
const CONTACT_KEY = `callboard.widget.contact.${queue}`;
const SESSION_KEY = "callboard.widget.session";
const PUBLIC_KB = "/api/v1/kb/public";
const LANG = `?lang=${encodeURIComponent(document.documentElement.lang || "en")}`;

/** This tab's sessionStorage; memory where the embedding page denies storage to its
 *  frames (the contact is then forgotten on reload, but the widget still works). */
const storage = (() => {
  try {
    window.sessionStorage.getItem(SESSION_KEY);
    return window.sessionStorage;
  } catch {
    const memory = new Map();
    return {
      getItem: (key) => memory.get(key) ?? null,
      setItem: (key, value) => memory.set(key, String(value)),
      removeItem: (key) => memory.delete(key),
    };
  }
})();

let mine = JSON.parse(storage.getItem(CONTACT_KEY) ?? "null"); // {contact_id, secret, phone, chat}
let lastArticle = null; // the last article read, reported if the caller joins anyway
let following = null;
const chat = queue ? mountChat($("chat"), "caller") : null; // no queue: the page is only an error
// Theming from the embed (docs/widget.md): the accent colour, set through the CSSOM.
if (root.dataset.accent) document.documentElement.style.setProperty("--accent", root.dataset.accent);

/** An anonymous id tying this caller's searches, reads and deflection together. */
function kbSession() {
  let id = storage.getItem(SESSION_KEY);
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    storage.setItem(SESSION_KEY, id);
  }
  return id;
}

function show(step, focus = true) {
  for (const section of root.querySelectorAll(".step")) section.hidden = section.id !== `step-${step}`;
  const heading = $(`step-${step}`).querySelector("h1, h2");
  if (focus) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
}

function remember(contact) {
  mine = contact;
  if (contact) storage.setItem(CONTACT_KEY, JSON.stringify(contact));
  else storage.removeItem(CONTACT_KEY);
}

const minePath = (path) => `/api/v1/widget/contacts/${encodeURIComponent(mine.contact_id)}${path}`;
const mineHeaders = () => ({ "X-Widget-Secret": mine.secret });

function mineApi(path, options = {}) {
  return api(minePath(path), { ...options, headers: mineHeaders() });
}

/** The caller's side of the chat, read on every status poll (see follow). */
function openChat() {
  if (mine.chat) chat.open(minePath("/messages"), { headers: mineHeaders() });
  else chat.close();
}

/** The queue as the page opens: an unknown one is said at once, not after a click, and
 *  with nobody signed in the caller is told before joining, not promised an agent. */
async function checkQueue() {
  try {
    const info = await api(`/api/v1/widget/queues/${encodeURIComponent(queue)}${LANG}`);
    $("closed").hidden = info.open;
    $("nobody").hidden = !info.open || info.agents_logged_in > 0;
    for (const control of $("join-form").elements) control.disabled = !info.open;
    if (info.message) {
      $("announcement").textContent = info.message;
      $("announcement").hidden = false;
    }
  } catch (error) {
    const unknown = error.status === 404;
    for (const id of ["closed", "queue-error"]) {
      $(id).textContent = unknown ? t("widget.unknown_queue") : error.message;
      $(id).hidden = false;
    }
    $("need-agent").hidden = unknown;
  }
}

async function deflect(article, button) {
  button.disabled = true;
  try {
    await api(`${PUBLIC_KB}/deflections`, {
      method: "POST", body: { session: kbSession(), article_id: article.article_id },
    });
    $("deflected").hidden = false;
    $("deflected").focus();
  } catch (error) {
    button.disabled = false;
    toast(error.message);
  }
}

async function join(event) {
  event.preventDefault();
  const channel = event.submitter?.value ?? "chat";
  const phone = $("phone");
  phone.setCustomValidity(channel === "callback" && !phone.value.trim() ? t("widget.phone_needed") : "");
  if (!$("join-form").reportValidity()) return;
  const name = $("name").value.trim();
  const body = { queue, channel, ...(name ? { name } : {}), ...(phone.value.trim() ? { phone: phone.value.trim() } : {}) };
  try {
    const joined = await api("/api/v1/widget/contacts", { method: "POST", body });
    remember({
      contact_id: joined.contact_id, secret: joined.secret, phone: Boolean(body.phone),
      chat: channel === "chat",
    });
    if (lastArticle !== null) {
      api(`${PUBLIC_KB}/escalations`, {
        method: "POST", body: { session: kbSession(), article_id: lastArticle },
      }).catch((error) => console.warn("escalation not counted", error));
    }
    openChat();
    show("wait");
    render(joined);
    follow();
  } catch (error) {
    toast(error.message);
  }
}

function ewtText(seconds) {
  if (seconds === null || seconds === undefined) return t("widget.ewt_unknown");
  if (seconds < 60) return t("widget.ewt_soon");
  return t("widget.ewt_minutes", { n: Math.ceil(seconds / 60) });
}

/** One status from the server onto the page; a finished contact moves to the last step. */
function render(status) {
  if (status.state === "finished") {
    finish(status.last_event);
    return;
  }
  const waiting = status.state === "waiting" || status.state === "prompted";
  // Nobody signed in to answer: say so and point at the callback and the message.
  const nobody = waiting && !status.callback && status.agents_logged_in === 0;
  const text = status.state === "prompted" ? "widget.full"
    : status.callback && waiting ? "widget.callback_waiting"
    : nobody ? "widget.nobody_waiting"
    : waiting ? "widget.waiting"
    : status.state === "offered" ? "widget.connecting" : "widget.connected";
  $("wait-state").textContent = t(text);
  // The heading follows the state, so "in line" never sits above "an agent is with you".
  $("wait-heading").textContent = t(waiting ? "widget.wait_heading" : "widget.agent_heading");
  $("position").textContent = status.position ?? "–";
  $("ewt").textContent = status.state === "waiting" ? ewtText(status.ewt_s) : "–";
  $("figures").hidden = !waiting;
  // A kept-place callback is settled: the engine takes no message or hang-up for it.
  const open = waiting && !status.callback;
  $("wait-actions").hidden = !open;
  $("callback").disabled = !mine.phone;
  $("callback-help").hidden = !open || mine.phone;
  if (!open) $("message-form").hidden = true;
  chat.show(mine.chat && !status.callback);
  renderPrompt(open ? status.prompt : null);
  if (status.announcement) {
    $("announcement").textContent = status.announcement;
    $("announcement").hidden = false;
  }
}

/** The center's question to the caller, over the live status: accept or keep waiting. */
function renderPrompt(prompt) {
  $("prompt").hidden = !prompt;
  if (!prompt) return;
  $("prompt").dataset.offer = prompt.offer;
  const callback = prompt.offer === "callback";
  $("prompt-text").textContent = t(callback ? "widget.prompt_callback" : "widget.prompt_voicemail");
  $("prompt-accept").textContent = t(callback ? "widget.prompt_accept_callback" : "widget.prompt_accept_voicemail");
  $("prompt-accept").disabled = callback && !mine.phone;
  $("prompt-decline").hidden = prompt.reason === "full";
}

async function acceptPrompt() {
  if ($("prompt").dataset.offer === "callback") {
    const kept = await act("/callback");
    if (kept) render(kept);
  } else {
    $("message-form").hidden = false;
    $("message").focus();
  }
}

function follow() {
  clearTimeout(following);
  following = setTimeout(async () => {
    if (!mine) return;
    try {
      const status = await mineApi(LANG);
      render(status);
      if (status.state === "finished") return;
      await chat.read();
      follow();
    } catch (error) {
      if (error.status === 404) {
        remember(null);
        show("help");
      } else {
        toast(error.message);
        follow();
      }
    }
  }, POLL_MS);
}

function finish(lastEvent, text = null) {
  clearTimeout(following);
  const outcome = {
    "contact.completed": ["widget.done_completed", "widget.done_completed_text"],
    "contact.abandoned": ["widget.done_left", "widget.done_left_text"],
  }[lastEvent] ?? ["widget.done_other", "widget.done_other_text"];
  $("done-heading").textContent = t(outcome[0]);
  $("done-text").textContent = text ?? t(outcome[1]);
  const survey = lastEvent === "contact.completed";
  $("csat-form").hidden = !survey;
  if (!survey) remember(null); // nothing more to do with this contact
  show("done");
}

async function act(path, options = {}) {
  try {
    return await mineApi(path, { method: "POST", ...options });
  } catch (error) {
    toast(error.message);
    return null;
  }
}

async function sendMessage(event) {
  event.preventDefault();
  const left = await act("/message", { body: { message: $("message").value.trim() } });
  if (left === null) return;
  finish("contact.exited", t("widget.message_sent", { id: left.case_id }));
}

async function rate(event) {
  event.preventDefault();
  const form = new FormData($("csat-form"));
  try {
    await mineApi("/csat", {
      method: "POST", body: { score: Number(form.get("score")), comment: form.get("comment").trim() },
    });
  } catch (error) {
    $("done-text").textContent = error.status === 409 ? t("widget.csat_not_yet") : error.message;
    return;
  }
  remember(null);
  $("csat-form").hidden = true;
  $("done-text").textContent = t("widget.csat_thanks");
  $("done-heading").focus();
}

function startOver() {
  remember(null);
  lastArticle = null;
  for (const form of root.querySelectorAll("form")) form.reset();
  $("kb-results").replaceChildren();
  $("kb-article").hidden = true;
  $("deflected").hidden = true;
  show("help");
}

if (queue) {
  mountKbSearch({
    form: $("kb-search"), results: $("kb-results"), reader: $("kb-article"),
    base: `${PUBLIC_KB}/articles`,
    params: () => ({ session: kbSession() }),
    onArticle(article, reader) {
      lastArticle = article.article_id;
      const button = el("button", { type: "button" }, t("widget.answered"));
      button.addEventListener("click", () => deflect(article, button));
      reader.append(button);
    },
  });
  $("need-agent").addEventListener("click", () => { show("join"); });
  $("join-form").addEventListener("submit", join);
  $("phone").addEventListener("input", () => $("phone").setCustomValidity(""));
  $("callback").addEventListener("click", async () => {
    const kept = await act("/callback");
    if (kept) render(kept);
  });
  $("show-message").addEventListener("click", () => {
    $("message-form").hidden = false;
    $("message").focus();
  });
  $("message-form").addEventListener("submit", sendMessage);
  $("prompt-accept").addEventListener("click", acceptPrompt);
  $("prompt-decline").addEventListener("click", async () => {
    const kept = await act("/decline");
    if (kept) render(kept);
  });
  $("leave").addEventListener("click", async () => {
    const left = await act("/cancel");
    if (left) render(left);
  });
  $("csat-form").addEventListener("submit", rate);
  $("again").addEventListener("click", startOver);
  checkQueue();
  if (mine) {
    openChat();
    show("wait", false);
    follow();
  } else {
    show("help", false);
  }
}
