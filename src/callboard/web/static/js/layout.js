// Behaviour every page shares: the language switcher submits on change.
for (const select of document.querySelectorAll("select[data-auto-submit]")) {
  select.addEventListener("change", () => select.form.submit());
}
