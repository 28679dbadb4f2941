// The scoring sheet: each line saves itself through htmx (no inline scripts: CSP). This file adds what htmx does not:
// conflicts and errors (409/400) are shown in the line instead of being dropped, Enter saves the line and moves to
// the next one only once it is saved (a refused line keeps the cursor), a grade
// and a typed score exclude each other, and evidence thumbnails open in place.
(function () {
  // Chromium leaves an empty style="" on inputs it has looked at; htmx's settle step would copy it onto the swapped-in
  // element, which the strict CSP (style-src 'self') reports. Nothing here settles on style.
  if (window.htmx) window.htmx.config.attributesToSettle = ["class", "width", "height"];
  const sheet = () => document.querySelector(".score-sheet");

  document.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    if ((status === 409 || status === 400) && event.detail.requestConfig && event.detail.requestConfig.elt.closest(".score-sheet")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A refused save (400/409) is remembered on the row itself: the state cell's new class only settles a moment after
  // the swap (htmx settles "class"), and an Enter pressed in between must still keep the cursor on the line.
  document.addEventListener("htmx:afterRequest", (event) => {
    const row = event.detail.elt.closest && event.detail.elt.closest("tr[data-line]");
    if (!row) return;
    const status = event.detail.xhr && event.detail.xhr.status;
    if (status === 200) delete row.dataset.refused;
    else if (status === 400 || status === 409) row.dataset.refused = "true";
    if (event.detail.successful) row.classList.remove("dirty");
  });

  document.addEventListener("input", (event) => {
    const row = event.target.closest("tr[data-line]");
    if (!row) return;
    if (event.target.dataset) delete event.target.dataset.sent;
    row.classList.add("dirty");
    if (event.target.name === "points" && event.target.value !== "") {
      const grade = row.querySelector("select[name=grade]");
      if (grade) grade.value = "";
    }
  });

  document.addEventListener("change", (event) => {
    // the browser's own change on leaving a field Enter has already saved: not a second save
    if (event.target.dataset && "sent" in event.target.dataset) {
      const already = event.isTrusted && event.target.dataset.sent === event.target.value;
      if (event.isTrusted) delete event.target.dataset.sent;
      if (already) { event.stopPropagation(); return; }
    }
    const row = event.target.closest("tr[data-line]");
    if (row && event.target.name === "grade" && event.target.value) {
      const points = row.querySelector("input[name=points]");
      if (points) points.value = "";
    }
  }, true);

  const focusLine = (field) => { field.focus(); if (field.select) field.select(); };

  // Enter moves on to the next line — once this line is saved. A line whose save is refused (a score the standard
  // does not allow, a conflict) keeps the cursor, so the message beside it is read before anything else is typed.
  const moveOn = (row, input) => {
    const rows = Array.from(sheet().querySelectorAll("tr[data-line]"));
    const next = rows[rows.indexOf(row) + 1];
    const target = next && next.querySelector("[data-first]");
    if (target) { focusLine(target); return; }
    // a big sheet loads each category as it scrolls in: Enter on the last loaded line opens the next category
    const pending = Array.from(sheet().querySelectorAll("tr.lazy-rows")).find(
      (placeholder) => row.compareDocumentPosition(placeholder) & Node.DOCUMENT_POSITION_FOLLOWING);
    if (!pending) { input.blur(); return; }
    const body = pending.closest("tbody");
    body.addEventListener("htmx:afterSettle", () => {
      const first = body.querySelector("tr[data-line] [data-first]");
      if (first) focusLine(first);
    }, { once: true });
    pending.scrollIntoView({ block: "start" });
  };

  const refused = (row) => row.dataset.refused === "true"
    || row.querySelector(".line-state.state-error, .line-state.state-conflict");

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing) return;
    const input = event.target;
    const row = input.closest && input.closest("tr[data-line]");
    if (!row || input.tagName === "BUTTON" || input.tagName === "TEXTAREA") return;
    event.preventDefault();
    if (row.classList.contains("dirty") || row.classList.contains("htmx-request")) {
      const settled = (done) => {
        if (done.detail.elt !== row) return;
        row.removeEventListener("htmx:afterRequest", settled);
        if (done.detail.xhr && done.detail.xhr.status === 200) moveOn(row, input);
        else { focusLine(input); input.setAttribute("aria-invalid", "true"); }
      };
      row.addEventListener("htmx:afterRequest", settled);
      // save now: the change event a blur would send comes too late (the cursor would already be on the next line)
      if (!row.classList.contains("htmx-request")) {
        input.dataset.sent = input.value;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
      return;
    }
    if (refused(row)) { focusLine(input); return; }
    moveOn(row, input);
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    const row = event.detail.elt.closest && event.detail.elt.closest("tr[data-line]");
    if (row && event.detail.xhr && event.detail.xhr.status === 200) {
      row.querySelectorAll("[aria-invalid]").forEach((field) => field.removeAttribute("aria-invalid"));
    }
  });

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-preview]");
    const dialog = document.getElementById("evidence-preview");
    if (!link || !dialog || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    dialog.querySelector("[data-preview-image]").src = link.href;
    dialog.querySelector("[data-preview-caption]").textContent = link.dataset.caption || "";
    dialog.showModal();
  });
})();
