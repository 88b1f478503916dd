// Small behaviours without inline scripts (the Content Security Policy allows scripts from this site only).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) window.print();
});

// A table too wide for a phone scrolls sideways inside .table-responsive: keyboard users must be able to reach and
// scroll it too (WCAG 2.1.1), so the region takes focus. Also for tables htmx swaps in later.
function focusableScrollRegions(root) {
  root.querySelectorAll(".table-responsive:not([tabindex])").forEach((region) => { region.tabIndex = 0; });
}
focusableScrollRegions(document);
document.addEventListener("htmx:afterSwap", (event) => focusableScrollRegions(event.target));

// A form sent back with errors: the summary of them takes focus (or, with no summary, the one problem the page marks
// with data-focus-on-load), so a screen reader reads it first, and on a phone it is scrolled into view.
const firstProblem = document.getElementById("error-summary") || document.querySelector("[data-focus-on-load]");
if (firstProblem) {
  firstProblem.focus({ preventScroll: true });
  // Once the fonts have laid the page out: the field and its message beneath it, both on screen.
  window.addEventListener("load", () => firstProblem.scrollIntoView({ block: "center" }));
}

// A form whose action cannot be undone in one step asks first (data-confirm holds the question, in the page's
// language); the server checks everything again whatever the answer. A form still missing its reason is sent
// without asking: the server says what is missing, beside the box, and nothing is done.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset ? form.dataset.confirm : undefined;
  const reason = form.elements ? form.elements.namedItem("reason") : null;
  if (reason && !reason.value.trim()) return;
  if (question && !window.confirm(question)) event.preventDefault();
});
