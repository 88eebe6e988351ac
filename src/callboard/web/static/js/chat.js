// The chat panel of both screens (templates/chat.html): the caller's widget and the agent's desk.
// A screen says which sender it writes as and where the conversation lives; the panel shows the
// messages, this screen's own on its side, and sends what is typed.
import { api, toast, el } from "/static/js/api.js";

/** An e-mail's own facts above its text (routes/channels.py): the subject, what intake
 *  noted (a damaged message, an attachment over the limit) and the attachments' names. */
function emailFacts(message) {
  const facts = [];
  if (message.subject) facts.push(el("p", { class: "chat-subject" }, el("strong", {}, message.subject)));
  if (message.note) facts.push(el("p", { class: "chat-note muted" }, message.note));
  for (const file of message.attachments || []) {
    facts.push(el("p", { class: "chat-attachment muted" }, `📎 ${file.filename} (${Math.ceil(file.size / 1000)} kB)`));
  }
  return facts;
}

/** Mounts the panel `section`. `me` is the sender this screen writes as ("caller" or "agent");
 *  the names shown on messages come from the section's data-you and data-them, in the page's
 *  language. One conversation is open at a time. */
export function mountChat(section, me) {
  const log = section.querySelector(".chat-log");
  const form = section.querySelector(".chat-form");
  const box = form.elements.body;
  let talk = null; // { path, headers, after, timer } while a conversation is open

  /** Appends what is new: ids only grow, and every read asks from the last one shown, so
   *  whichever of two overlapping reads comes back second adds nothing twice. */
  async function read(reading = talk) {
    if (reading === null) return;
    const { messages } = await api(`${reading.path}?after=${reading.after}`, { headers: reading.headers });
    if (talk !== reading) return; // the conversation closed while the answer was on its way
    for (const message of messages) {
      if (message.id <= reading.after) continue;
      reading.after = message.id;
      const mine = message.sender === me;
      log.append(el("li", { class: `chat-message from-${message.sender} ${mine ? "mine" : "theirs"}` },
        el("span", { class: "chat-who" }, mine ? section.dataset.you : section.dataset.them),
        ...emailFacts(message),
        el("p", {}, message.body)));
    }
  }

  async function keepReading(reading, periodMs) {
    try {
      await read(reading);
    } catch (error) {
      toast(error.message);
    }
    if (talk === reading) reading.timer = setTimeout(keepReading, periodMs, reading, periodMs);
  }

  async function send(event) {
    event.preventDefault();
    const reading = talk;
    if (reading === null) return;
    try {
      await api(reading.path, { method: "POST", body: { body: box.value.trim() }, headers: reading.headers });
      box.value = "";
      await read(reading);
    } catch (error) {
      toast(error.message);
    }
    box.focus();
  }

  function forget() {
    if (talk) clearTimeout(talk.timer);
    talk = null;
  }

  form.addEventListener("submit", send);
  return {
    /** Starts an empty conversation at `path` (the messages endpoint). With `everyMs` the panel
     *  reads it now and then every `everyMs`; without, the screen calls read() itself. */
    open(path, { headers = {}, everyMs = null } = {}) {
      forget();
      talk = { path, headers, after: 0, timer: null };
      log.replaceChildren();
      if (everyMs !== null) keepReading(talk, everyMs);
    },
    /** Reads new messages; rejects with the API's error, for the screen to handle. */
    read: () => read(),
    show(shown) {
      section.hidden = !shown;
    },
    close() {
      forget();
      section.hidden = true;
    },
  };
}
