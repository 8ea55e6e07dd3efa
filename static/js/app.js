// Small behaviours without inline scripts (the Content Security Policy forbids them).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});
document.addEventListener("submit", (event) => {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});
// Error summary: takes the focus when the page opens, so that a screen reader announces it and
// the keyboard starts there; its links move the focus to the field (and show its label).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-error-summary] a[href^='#']");
  if (!link) return;
  const field = document.getElementById(link.getAttribute("href").slice(1));
  if (!field) return;
  event.preventDefault();
  const label = document.querySelector(`label[for="${field.id}"]`) || field.closest("fieldset") || field;
  label.scrollIntoView({ block: "start" });
  field.focus({ preventScroll: true });
});
// Fields that apply to one choice only: `data-show-when="name=value"` shows the block while the
// radio (or select) `name` of its form has that value (all blocks show without JavaScript).
function applyShowWhen(form) {
  form.querySelectorAll("[data-show-when]").forEach((block) => {
    const [name, value] = block.getAttribute("data-show-when").split("=");
    const field = form.elements[name];
    if (!field) return;
    block.hidden = field.value !== value;
  });
}
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form").forEach((form) => {
    if (form.querySelector("[data-show-when]")) applyShowWhen(form);
  });
});
document.addEventListener("change", (event) => {
  const form = event.target.form;
  if (form && form.querySelector("[data-show-when]")) applyShowWhen(form);
});
