// 创建活动: the ticks of the task list's 批量分派 (no inline scripts: CSP). "Select all" ticks the page;
// "选择全部符合条件的 N 项" asks the server to take every task matching the filter (all_matching=1).
function bulkRefresh(form) {
  const boxes = Array.from(form.querySelectorAll("input[type=checkbox][name=tasks]"));
  const ticked = boxes.filter((box) => box.checked).length;
  const allMatching = form.querySelector("input[name=all_matching]");
  const count = form.querySelector("[data-selected-count]");
  const matching = form.querySelector("[data-select-matching]");
  const clear = form.querySelector("[data-clear-selection]");
  const all = form.querySelector("[data-check-all]");
  if (!allMatching || !count) return;
  if (allMatching.value && ticked < boxes.length) allMatching.value = "";
  if (all) all.checked = boxes.length > 0 && ticked === boxes.length;
  count.textContent = allMatching.value ? count.dataset.all : count.dataset.onePage.replace("{n}", String(ticked));
  if (matching) matching.hidden = Boolean(allMatching.value) || boxes.length === 0 || ticked < boxes.length;
  if (clear) clear.hidden = ticked === 0;
}

document.addEventListener("change", (event) => {
  const form = event.target.closest("#bulk-form");
  if (!form) return;
  const all = event.target.closest("[data-check-all]");
  if (all) {
    form.querySelectorAll(`input[type=checkbox][name="${all.dataset.checkAll}"]`).forEach((box) => { box.checked = all.checked; });
  }
  if (event.target.matches("input[type=checkbox]")) bulkRefresh(form);
});

document.addEventListener("click", (event) => {
  const form = event.target.closest("#bulk-form");
  if (!form) return;
  if (event.target.closest("[data-select-matching]")) {
    form.querySelector("input[name=all_matching]").value = "1";
    bulkRefresh(form);
  } else if (event.target.closest("[data-clear-selection]")) {
    form.querySelectorAll("input[type=checkbox]").forEach((box) => { box.checked = false; });
    form.querySelector("input[name=all_matching]").value = "";
    bulkRefresh(form);
  }
});

function bulkInit() {
  const form = document.getElementById("bulk-form");
  if (form) bulkRefresh(form);
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bulkInit);
else bulkInit();
document.addEventListener("htmx:afterSettle", bulkInit);
