// Old addresses keep working: #TABLE/ID of an id a release retired (the retired_ids table) shows
// when and why it was retired, with links to the records that replace it. Loaded before app.js, so
// its hashchange listener runs first and keeps app.js from drawing "Not found" over it.
"use strict";

(() => {
  const data = JSON.parse(document.getElementById("data").textContent);
  const retired = data.tables.retired_ids || [];

  function lookup() {
    const [table, ...rest] = decodeURIComponent(location.hash.slice(1)).split("/");
    const id = rest.join("/");
    const key = (data.keys[table] || [])[0];
    if (!key || data.keys[table].length !== 1 || data.tables[table].some((row) => row[key] === id)) return null;
    return retired.find((row) => row.old_table === table && row.old_id === id) || null;
  }

  function link(table, id) {
    const a = document.createElement("a");
    a.href = `#${table}/${encodeURIComponent(id)}`;
    a.textContent = `${table}/${id}`;
    return a;
  }

  function show(row) {
    const view = document.getElementById("view");
    const heading = document.createElement("h1");
    heading.textContent = `Retired: ${row.old_table}/${row.old_id}`;
    const why = document.createElement("p");
    why.className = "retired";
    why.textContent = `Retired in version ${row.version}. ${row.reason}`;
    const ids = row.new_ids ? row.new_ids.split("; ") : [];
    const now = document.createElement("p");
    now.textContent = ids.length ? "It is now:" : "Nothing replaces it.";
    const list = document.createElement("ul");
    list.className = "successors";
    for (const id of ids) {
      const item = document.createElement("li");
      item.append(link(row.new_table, id));
      list.append(item);
    }
    view.replaceChildren(heading, why, now, ...(ids.length ? [list] : []));
    view.focus({ preventScroll: true });
  }

  window.addEventListener("hashchange", (event) => {
    const row = lookup();
    if (row) { event.stopImmediatePropagation(); show(row); }
  });
  document.addEventListener("DOMContentLoaded", () => { const row = lookup(); if (row) show(row); });
})();
