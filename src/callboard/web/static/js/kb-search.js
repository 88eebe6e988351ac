// Knowledge-base search and reading, shared by the KB screen, the agent desk and the
// caller widget; they differ only in the endpoint (staff or public) and extra parameters.
import { t, api, el, toast } from "/static/js/api.js";

/** Paragraphs of an article body: blank lines separate them, line breaks stay. */
export function articleBody(text) {
  return text.split(/\n\s*\n/).map((part) => el("p", { class: "kb-paragraph" }, part));
}

/**
 * Wires a search form to a results list and a reader.
 * `base` is the articles endpoint; `params()` adds query parameters (the widget's session);
 * `onArticle(article, reader)` may add to the reader (an edit button, "this answered it").
 */
export function mountKbSearch({ form, results, reader, base, params = () => ({}), onArticle }) {
  async function search() {
    const query = new URLSearchParams(params());
    for (const [name, value] of new FormData(form)) if (value) query.set(name, value);
    try {
      const { articles } = await api(`${base}?${query}`);
      show(articles);
    } catch (error) {
      toast(error.message);
    }
  }

  function show(articles) {
    results.replaceChildren(
      articles.length === 0
        ? el("p", { class: "muted" }, t("kb.no_results"))
        : el("ul", { class: "kb-list", "aria-label": t("kb.results", { n: articles.length }) },
            articles.map((article) => el("li", {},
              el("button", { type: "button", class: "link", onclick: () => open(article.article_id) },
                article.title),
              el("span", { class: "muted kb-meta" }, ` ${article.category} · ${article.language}`),
              article.snippet ? el("p", { class: "kb-snippet" }, article.snippet) : null,
            ))),
    );
  }

  async function open(articleId) {
    const query = new URLSearchParams(params());
    try {
      const article = await api(`${base}/${encodeURIComponent(articleId)}?${query}`);
      reader.replaceChildren(
        el("h3", {}, article.title),
        el("p", { class: "muted" }, `${article.category} · ${article.language}`),
        ...articleBody(article.body),
      );
      reader.hidden = false;
      if (onArticle) onArticle(article, reader);
      reader.focus();
    } catch (error) {
      toast(error.message);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  return { search, open };
}
