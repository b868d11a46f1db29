// Old addresses keep working: #TABLE/ID of an id a release retired (the retired_ids table) shows when
// and why it was retired, with links to the records that replace it. app.js asks it when a table with
// a one-column key has no record of that id.
"use strict";

const RETIRED = {
  find(retired, table, id) {
    return retired.find((row) => row.old_table === table && row.old_id === id) || null;
  },

  show(view, row) {
    const link = (table, id) => {
      const a = document.createElement("a");
      a.href = `#${table}/${encodeURIComponent(id)}`;
      a.textContent = `${table}/${id}`;
      return a;
    };
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
  },
};
