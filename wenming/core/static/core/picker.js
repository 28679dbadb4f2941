// 多选选择器: a searchable picker with chips over a real <select multiple data-picker>. The select stays in the
// form (hidden) and keeps posting as before; without JavaScript it is shown as it is. Keyboard: type to filter,
// ↑/↓ to move, Enter to add, Backspace on an empty box or × on a chip to remove, Esc to close. No inline
// scripts or styles (CSP): loaded from base.html, styled by core/picker.css.
(() => {
  let serial = 0;

  function clean(text) {
    return text.replace(/^[\s\u3000]+/, "").trim();
  }

  function enhance(select) {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = "1";
    const id = `picker-${++serial}`;
    const wrap = document.createElement("div");
    wrap.className = "picker";
    const chips = document.createElement("ul");
    chips.className = "picker-chips";
    chips.setAttribute("aria-live", "polite");
    const input = document.createElement("input");
    input.type = "text";
    input.className = "picker-input";
    input.id = `${select.id || id}-search`;
    input.autocomplete = "off";
    input.placeholder = select.dataset.pickerPlaceholder || "输入名称或编号筛选";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", `${id}-list`);
    const list = document.createElement("ul");
    list.className = "picker-list";
    list.id = `${id}-list`;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    const removeWord = select.dataset.pickerRemove || "移除";
    const emptyWord = select.dataset.pickerEmpty || "没有匹配的选项";

    const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
    if (label) label.htmlFor = input.id;
    if (select.disabled) input.disabled = true;

    wrap.append(chips, input, list);
    select.classList.add("picker-source");
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.after(wrap);

    const options = Array.from(select.options).filter((option) => option.value !== "");
    let matches = [];
    let active = -1;

    function drawChips() {
      chips.replaceChildren();
      for (const option of options) {
        if (!option.selected) continue;
        const chip = document.createElement("li");
        chip.className = "chip";
        const text = document.createElement("span");
        text.textContent = clean(option.text);
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "chip-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", `${removeWord} ${clean(option.text)}`);
        remove.addEventListener("click", () => {
          option.selected = false;
          changed();
          input.focus();
        });
        chip.append(text, remove);
        chips.append(chip);
      }
    }

    function drawList() {
      const words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      matches = options.filter((option) => !option.selected && !option.disabled
        && words.every((word) => option.text.toLowerCase().includes(word)));
      list.replaceChildren();
      if (active >= matches.length) active = matches.length - 1;
      if (active < 0 && matches.length) active = 0;
      matches.forEach((option, index) => {
        const item = document.createElement("li");
        item.id = `${id}-option-${index}`;
        item.setAttribute("role", "option");
        item.textContent = words.length ? clean(option.text) : option.text;
        item.setAttribute("aria-selected", String(index === active));
        if (index === active) item.classList.add("active");
        item.addEventListener("mousedown", (event) => {
          event.preventDefault(); // keep the focus in the box
          add(index);
        });
        list.append(item);
      });
      if (!matches.length) {
        const item = document.createElement("li");
        item.className = "picker-empty";
        item.textContent = emptyWord;
        list.append(item);
      }
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", `${id}-option-${active}`);
        list.children[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      drawList();
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function changed() {
      drawChips();
      if (!list.hidden) drawList();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function add(index) {
      const option = matches[index];
      if (!option) return;
      option.selected = true;
      input.value = "";
      active = 0;
      changed();
    }

    input.addEventListener("focus", open);
    input.addEventListener("blur", close);
    input.addEventListener("input", () => {
      active = 0;
      open();
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) { open(); return; }
        if (!matches.length) return;
        const step = event.key === "ArrowDown" ? 1 : -1;
        active = (active + step + matches.length) % matches.length;
        drawList();
      } else if (event.key === "Enter") {
        if (list.hidden) return; // a closed picker lets Enter submit the form
        event.preventDefault();
        add(active);
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); close(); }
      } else if (event.key === "Backspace" && input.value === "") {
        const chosen = options.filter((option) => option.selected);
        if (chosen.length) {
          chosen[chosen.length - 1].selected = false;
          changed();
        }
      }
    });
    select.form?.addEventListener("reset", () => setTimeout(drawChips));
    drawChips();
  }

  function enhanceAll(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("select[multiple][data-picker]").forEach(enhance);
    if (root.matches && root.matches("select[multiple][data-picker]")) enhance(root);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => enhanceAll(document));
  } else {
    enhanceAll(document);
  }
  document.addEventListener("htmx:load", (event) => enhanceAll(event.detail.elt));
})();
