// The criteria tree: expand or collapse every group at once (no inline scripts: CSP).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-tree]");
  if (!button) return;
  const open = button.getAttribute("data-tree") === "open";
  document.querySelectorAll(".criteria-tree details").forEach((details) => { details.open = open; });
});
