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

// A form sent back with errors: the summary of them takes focus, so a screen reader reads it first and a keyboard
// user starts from its links to each field.
const errorSummary = document.getElementById("error-summary");
if (errorSummary) errorSummary.focus();

// A form whose action cannot be undone in one step asks first (data-confirm holds the question, in the page's
// language); the server checks everything again whatever the answer.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset ? event.target.dataset.confirm : undefined;
  if (question && !window.confirm(question)) event.preventDefault();
});
