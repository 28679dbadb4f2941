// Small behaviours, no inline scripts (CSP): the phone menu, auto-submitting selects, confirmations.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-toggle-sidebar]");
  if (toggle) {
    const open = document.body.classList.toggle("sidebar-open");
    toggle.setAttribute("aria-expanded", String(open));
    return;
  }
  if (document.body.classList.contains("sidebar-open") && !event.target.closest("#sidebar")) {
    document.body.classList.remove("sidebar-open");
  }
});
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
});
document.addEventListener("submit", (event) => {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});
