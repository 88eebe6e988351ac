// The knowledge-base screen: search and read for everyone; supervisors write articles
// and read the deflection statistics.
import { t, api, toast, percent, el } from "/static/js/api.js";
import { mountKbSearch } from "/static/js/kb-search.js";

const $ = (id) => document.getElementById(id);
const editor = $("kb").dataset.editor === "yes";
const ARTICLES = "/api/v1/kb/articles";
const DAY_MS = 86_400_000;

const kb = mountKbSearch({
  form: $("kb-search"), results: $("kb-results"), reader: $("kb-article"), base: ARTICLES,
  onArticle(article, reader) {
    if (!article.published) reader.prepend(el("p", { class: "badge warn" }, t("kb.draft")));
    reader.append(el("p", { class: "muted" }, t("kb.updated", {
      when: new Date(article.updated_at).toLocaleString(document.documentElement.lang),
      who: article.updated_by,
    })));
    if (editor) {
      reader.append(el("button", { type: "button", onclick: () => edit(article) }, t("kb.edit")));
    }
  },
});

function edit(article) {
  const form = $("editor");
  form.elements.article_id.value = article.article_id;
  form.elements.title.value = article.title;
  form.elements.body.value = article.body;
  form.elements.category.value = article.category;
  form.elements.language.value = article.language;
  form.elements.published.checked = article.published;
  $("editor-heading").textContent = t("kb.edit_article", { title: article.title });
  form.elements.title.focus();
}

function blank() {
  $("editor").reset();
  $("editor").elements.article_id.value = "";
  $("editor-heading").textContent = t("kb.new_article");
  $("editor").elements.title.focus();
}

async function save(event) {
  event.preventDefault();
  const form = $("editor").elements;
  const id = form.article_id.value;
  const body = {
    title: form.title.value.trim(), body: form.body.value, category: form.category.value.trim(),
    language: form.language.value, published: form.published.checked,
  };
  try {
    const saved = await api(id ? `${ARTICLES}/${encodeURIComponent(id)}` : ARTICLES, {
      method: id ? "PUT" : "POST", body,
    });
    toast(t("kb.saved", { title: saved.title }));
    edit(saved);
    await kb.search();
    await kb.open(saved.article_id);
  } catch (error) {
    toast(error.message);
  }
}

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

async function showStats(event) {
  event?.preventDefault();
  const start = $("stats-start").value;
  const to = $("stats-end").value;
  const query = new URLSearchParams();
  if (start) query.set("start", start);
  // The form's "to" day is included; the API's end is the first day left out.
  if (to) query.set("end", isoDay(new Date(Date.parse(to) + DAY_MS)));
  try {
    const stats = await api(`/api/v1/kb/stats?${query}`);
    const columns = ["searches", "views", "deflected", "escalated"];
    const row = (label, values, header = false) => el("tr", {},
      el(header ? "th" : "td", header ? { scope: "row" } : {}, label),
      columns.map((name) => el("td", { class: "num" }, values[name])),
      el("td", { class: "num" }, percent(values.deflection_rate)));
    $("stats").replaceChildren(el("table", { class: "kb-stats", "aria-label": t("kb.stats") },
      el("thead", {}, el("tr", {},
        el("th", { scope: "col" }, t("kb.stats.day")),
        [...columns, "deflection_rate"].map((name) => el("th", { scope: "col", class: "num" }, t(`kb.stats.${name}`))))),
      el("tbody", {}, stats.days.map((day) => row(day.day, day))),
      el("tfoot", {}, row(t("kb.stats.total"), stats.total, true))));
    $("stats-definition").textContent = t("kb.stats.definition");
  } catch (error) {
    toast(error.message);
  }
}

if (editor) {
  $("editor").addEventListener("submit", save);
  $("new-article").addEventListener("click", blank);
  $("stats-form").addEventListener("submit", showStats);
  showStats();
}
kb.search();
