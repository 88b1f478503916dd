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

// A form sent back with errors: the summary of them takes focus (or, with no summary, the one problem or answer the
// page marks with data-focus-on-load, or else the form's first error: a message above its fields, or a field marked
// invalid), so a screen reader reads it first, and on a phone it is scrolled into view. Without the last, a wrong
// password or a void reason too short left focus at the top of the page, the message unread.
// With no problem, the message that says what the last action did (saved, sent, decided) takes focus: read first,
// and the next Tab goes on from it into the page, not from the top through the menus. Not on a page whose field is
// there to type into at once (the sign-in page after signing out): that field keeps the focus it asks for.
const firstProblem = document.getElementById("error-summary") || document.querySelector("[data-focus-on-load]")
  || document.querySelector("main form .alert-danger, main form .is-invalid")
  || (!document.querySelector("[autofocus]") && document.querySelector("main > .alert[role=alert]"));
if (firstProblem) {
  if (!firstProblem.matches("input, select, textarea, button, a[href], [tabindex]")) firstProblem.tabIndex = -1;
  firstProblem.focus({ preventScroll: true });
  // Once the fonts have laid the page out: the field and its message beneath it, both on screen. A form sent from a
  // page reached by the skip link posts to an address ending in #main, and the browser moves focus there as the page
  // loads, after this script: the problem takes it back.
  window.addEventListener("load", () => {
    if (document.activeElement !== firstProblem) firstProblem.focus({ preventScroll: true });
    firstProblem.scrollIntoView({ block: "center" });
  });
}

// A form whose action cannot be undone in one step asks first (data-confirm holds the question, in the page's
// language); the server checks everything again whatever the answer. A form still missing its reason, or with one
// shorter than its box's minlength, is sent without asking: the server says what is missing, beside the box, and
// nothing is done (it had asked "cannot be undone?", then refused the reason).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset ? form.dataset.confirm : undefined;
  const reason = form.elements ? form.elements.namedItem("reason") : null;
  if (reason && reason.value.trim().length < Math.max(reason.minLength, 1)) return;
  if (question && !window.confirm(question)) event.preventDefault();
});

// Switching language reloads the page, which would lose what was typed in its forms (a form sent back with errors
// reloads empty, by GET). What the forms hold goes to this tab's sessionStorage just before the switch and is put
// back into the same forms of the page that comes back; passwords and files are never kept.
const TYPED_KEY = "typed-before-language-switch";
const NOT_KEPT = new Set(["password", "file", "hidden", "submit", "button", "reset", "image"]);

function keptFields(form) {
  return Array.from(form.elements).filter((el) => el.name && !el.disabled && !NOT_KEPT.has(el.type));
}

function formKeys() {
  // A form is known by its action and its place among the forms with that action (the page is the same template).
  const seen = {};
  return Array.from(document.forms)
    .filter((form) => form.id !== "language-form")
    .map((form) => {
      const action = form.getAttribute("action") || "";
      seen[action] = (seen[action] || 0) + 1;
      return [`${action}#${seen[action]}`, form];
    });
}

function fieldValue(el) {
  if (el.type === "checkbox" || el.type === "radio") return el.checked;
  if (el.tagName === "SELECT") return Array.from(el.selectedOptions, (option) => option.value);
  return el.value;
}

function putBack(el, value) {
  // Whether the value could be put back: a choice whose option is not there yet (htmx brings it) waits.
  if (el.type === "checkbox" || el.type === "radio") { el.checked = value; return true; }
  if (el.tagName === "SELECT") {
    const options = Array.from(el.options);
    if (!value.every((v) => options.some((option) => option.value === v))) return false;
    options.forEach((option) => { option.selected = value.includes(option.value); });
    return true;
  }
  el.value = value;
  return true;
}

document.addEventListener("submit", (event) => {
  if (event.target.id !== "language-form") return;
  const next = new URL(event.target.elements.namedItem("next").value || "/", window.location.href);
  const forms = {};
  formKeys().forEach(([key, form]) => {
    forms[key] = keptFields(form).map((el) => [el.name, el.type === "checkbox" || el.type === "radio" ? el.value : null, fieldValue(el)]);
  });
  try {
    sessionStorage.setItem(TYPED_KEY, JSON.stringify({ page: next.pathname + next.search, forms }));
  } catch (e) { /* storage full or refused: the switch goes ahead as before */ }
});

function restoreTyped() {
  let saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(TYPED_KEY) || "null");
    sessionStorage.removeItem(TYPED_KEY);
  } catch (e) { return; }
  if (!saved || saved.page !== window.location.pathname + window.location.search) return;
  const waiting = [];
  const asking = [];
  formKeys().forEach(([key, form]) => {
    (saved.forms[key] || []).forEach(([name, choice, value]) => {
      const el = keptFields(form).find((f) => f.name === name && (choice === null || f.value === choice));
      if (!el) return;
      if (!putBack(el, value)) waiting.push([form, name, value]);
      else if (el.hasAttribute("hx-get") || el.hasAttribute("hx-post")) asking.push(el);
    });
  });
  // A choice that brings its own options (the deposit form's course brings its grades) asks for them again, once
  // everything is back (the request carries the grade chosen); so does a typed ID that names its learner (the card
  // under it had come back empty, and saving then asked once more to confirm whose credits they were).
  asking.forEach((el) => el.dispatchEvent(new Event("change", { bubbles: true })));
  if (!waiting.length) return;
  document.addEventListener("htmx:afterSwap", function again() {
    for (let i = waiting.length - 1; i >= 0; i -= 1) {
      const [form, name, value] = waiting[i];
      const el = keptFields(form).find((f) => f.name === name);
      if (el && putBack(el, value)) waiting.splice(i, 1);
    }
    if (!waiting.length) document.removeEventListener("htmx:afterSwap", again);
  });
}
// After htmx has set up the page (its own DOMContentLoaded handler came first), so a restored choice can ask for more.
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restoreTyped);
else restoreTyped();

// A search kept in the page address (a GET form) refuses a national ID or G-code before it is sent, so the number is
// never in the address bar, the history or a server log; the box carries the words (the server refuses it too).
// As registry.identifiers.looks_like_personal_id: 13 digits (or G and 12) not part of a longer number, read with the
// dashes left out, and with the spaces too; Thai digits read as 0-9 (๑๑๐๑… had gone into the address).
const PERSONAL_ID = /(^|\D)(\d{13}|G\d{12})(?!\d)/;
const holdsPersonalId = (value) => {
  const ascii = value.replace(/[\u0e50-\u0e59]/g, (digit) => String(digit.charCodeAt(0) - 0x0e50));
  const text = ascii.toUpperCase().replace(/-/g, "");
  return PERSONAL_ID.test(text) || PERSONAL_ID.test(text.replace(/\s/g, ""));
};
document.addEventListener("submit", (event) => {
  const form = event.target;
  if ((form.getAttribute("method") || "get").toLowerCase() !== "get") return;
  form.querySelectorAll("[data-personal-id-refused]").forEach((box) => {
    if (holdsPersonalId(box.value)) {
      event.preventDefault();
      box.setCustomValidity(box.dataset.personalIdRefused);
      box.reportValidity();
    }
  });
});
document.addEventListener("input", (event) => {
  if (event.target.dataset && event.target.dataset.personalIdRefused) event.target.setCustomValidity("");
});
// The same for what htmx sends as the words are typed (the request page's programme search, a rule's course
// search): a GET with a national ID in it is not sent at all, and the box says why. It had gone to the server's log
// before Enter was pressed. (Every lookup by ID is a POST.)
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.verb !== "get") return;
  const params = event.detail.parameters;
  const values = params instanceof FormData ? [...params.values()] : Object.values(params || {});
  if (!values.some((value) => typeof value === "string" && holdsPersonalId(value))) return;
  event.preventDefault();
  const box = event.detail.elt;
  if (box && box.dataset && box.dataset.personalIdRefused) {
    box.setCustomValidity(box.dataset.personalIdRefused);
    box.reportValidity();
  }
});

// A search box inside a bigger form (data-search-only) searches on Enter; it does not send the form.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !event.target.matches("input[data-search-only]")) return;
  event.preventDefault();
  event.target.dispatchEvent(new Event("search", { bubbles: true }));
});

// A course found in a catalogue (data-add-code) is added to the codes box it belongs to (data-to), once; the box's
// change event then names it beside the box (htmx).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-code]");
  if (!button) return;
  const box = document.getElementById(button.dataset.to);
  if (!box) return;
  const codes = box.value.split(/[,;]/).map((code) => code.trim()).filter(Boolean);
  if (!codes.includes(button.dataset.addCode)) codes.push(button.dataset.addCode);
  box.value = codes.join(", ");
  box.dispatchEvent(new Event("change", { bubbles: true }));
  box.focus();
});

// A PDF takes some seconds to prepare, and its download leaves the page as it is: nothing said the button had
// worked, so it was pressed again. A form with data-busy says so on its button (which is not pressed twice) and in
// the page's status line ([data-busy-note]) until the file has come: the form sends a random download_token, and the
// server sends it back in a cookie with the file (transcripts.views.pdf_response). An error comes back as a new page.
function downloadCame(token) {
  return document.cookie.split("; ").includes(`download_token=${token}`);
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.dataset || !form.dataset.busy || event.defaultPrevented) return;
  const button = form.querySelector("button");
  const note = document.querySelector("[data-busy-note]");
  const label = button.textContent;
  const token = Math.random().toString(36).slice(2, 12).padEnd(10, "0");
  let field = form.elements.namedItem("download_token");
  if (!field) {
    field = Object.assign(document.createElement("input"), { type: "hidden", name: "download_token" });
    form.appendChild(field);
  }
  field.value = token;
  // Kept as wide as it was: a shorter busy label let the row of buttons reflow under the finger on a phone.
  button.style.minWidth = `${button.getBoundingClientRect().width}px`;
  button.textContent = form.dataset.busy;
  setTimeout(() => { button.disabled = true; }, 0); // after the form has gone
  if (note) note.textContent = note.dataset.busyNote;
  const started = Date.now();
  const watch = setInterval(() => {
    const came = downloadCame(token);
    if (!came && Date.now() - started < 90000) return;
    clearInterval(watch);
    button.textContent = label;
    button.style.minWidth = "";
    button.disabled = false;
    if (note) note.textContent = came ? note.dataset.doneNote : "";
    if (came) {
      document.cookie = "download_token=; Max-Age=0; path=/; SameSite=Lax";
      // A list of what was issued (the registrar's "Transcripts issued") loads itself again on this event.
      document.body.dispatchEvent(new CustomEvent("pdf-downloaded"));
    }
  }, 300);
});
