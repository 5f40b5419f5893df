// Autocomplete for the rule editor's condition: suggests catalogue variables and functions for the word being typed.
// Plain JavaScript over GET /api/rules/catalogue; the form works without it.
(function () {
  "use strict";
  const textarea = document.getElementById("expression");
  const list = document.getElementById("expression-suggestions");
  if (!textarea || !list || textarea.disabled) {
    return;
  }
  let entries = [];
  let selected = -1;

  fetch(textarea.dataset.catalogue, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(response => response.ok ? response.json() : null)
    .then(body => {
      if (!body) {
        return;
      }
      entries = body.data.variables.map(v => ({ name: v.name, hint: v.label, insert: v.name }))
        .concat(body.data.functions.map(f => ({ name: f.name, hint: f.signature, insert: f.name + "(" })));
    })
    .catch(() => { entries = []; });

  function currentWord() {
    const upToCaret = textarea.value.slice(0, textarea.selectionStart);
    const match = /[A-Za-z_][A-Za-z0-9_]*$/.exec(upToCaret);
    return match ? { text: match[0], start: upToCaret.length - match[0].length } : null;
  }

  function close() {
    list.hidden = true;
    list.replaceChildren();
    selected = -1;
  }

  function render() {
    const word = currentWord();
    if (!word || word.text.length < 2) {
      close();
      return;
    }
    const needle = word.text.toLowerCase();
    const found = entries.filter(e => e.name.startsWith(needle))
      .concat(entries.filter(e => !e.name.startsWith(needle) && e.name.includes(needle)))
      .slice(0, 8);
    if (found.length === 0 || (found.length === 1 && found[0].name === needle)) {
      close();
      return;
    }
    list.replaceChildren(...found.map((entry, index) => {
      const item = document.createElement("li");
      item.setAttribute("role", "option");
      item.id = "suggestion-" + index;
      item.dataset.insert = entry.insert;
      const code = document.createElement("code");
      code.textContent = entry.name;
      const hint = document.createElement("small");
      hint.textContent = entry.hint;
      item.append(code, hint);
      item.addEventListener("mousedown", event => { event.preventDefault(); accept(item); });
      return item;
    }));
    selected = 0;
    highlight();
    list.hidden = false;
  }

  function highlight() {
    [...list.children].forEach((item, index) => item.setAttribute("aria-selected", index === selected ? "true" : "false"));
    textarea.setAttribute("aria-activedescendant", selected >= 0 ? "suggestion-" + selected : "");
  }

  function accept(item) {
    const word = currentWord();
    if (!word) {
      return;
    }
    const before = textarea.value.slice(0, word.start);
    const after = textarea.value.slice(textarea.selectionStart);
    textarea.value = before + item.dataset.insert + after;
    const caret = before.length + item.dataset.insert.length;
    textarea.setSelectionRange(caret, caret);
    close();
    textarea.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }

  textarea.addEventListener("input", render);
  textarea.addEventListener("blur", close);
  textarea.addEventListener("keydown", event => {
    if (list.hidden) {
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const count = list.children.length;
      selected = (selected + (event.key === "ArrowDown" ? 1 : count - 1)) % count;
      highlight();
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      accept(list.children[selected]);
    } else if (event.key === "Escape") {
      close();
    }
  });
})();
