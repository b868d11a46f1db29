// aoav-data site: one page, no network. Every view is drawn from the JSON embedded in index.html.
"use strict";

const D = JSON.parse(document.getElementById("data").textContent);
const view = document.getElementById("view");
const panel = document.getElementById("panel");
const KIND_TABLES = { incident: "incidents", operation: "operations", arrest: "arrests" };
// Columns whose values are ids of another table's records.
const LINKS = {
  incident_id: "incidents", operation_id: "operations", arrest_id: "arrests", lead_actor: "actors",
  partners: "actors", attributed_to: "actors", claimant: "actors", actor_id: "actors", source_id: "sources",
  cited_by: "sources", cited_source_id: "sources", reference_source_id: "sources", erratum_id: "errata",
};

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function keyOf(table, row) {
  return D.keys[table].map((k) => row[k]).join("/");
}

function recordHref(table, id) {
  return `#${table}/${encodeURIComponent(id)}`;
}

function findRecord(table, id) {
  return (D.tables[table] || []).find((row) => keyOf(table, row) === id);
}

function idLink(table, id) {
  return el("a", { href: recordHref(table, id), text: id });
}

function cell(column, value) {
  const target = LINKS[column];
  if (!value || !target) return document.createTextNode(value || "");
  const span = el("span");
  value.split("; ").forEach((id, i) => {
    if (i) span.append("; ");
    span.append(findRecord(target, id) ? idLink(target, id) : id);
  });
  return span;
}

// ---- the article view ----------------------------------------------------------------------------

function spansOf(article) {
  const spans = [];
  for (const row of D.tables.evidence) {
    if (row.source_id === article.source_id && row.char_start !== "") {
      spans.push({ start: +row.char_start, end: +row.char_end, kind: row.table, evidence: row });
    }
  }
  for (const row of D.tables.errata) {
    if (row.source_id === article.source_id) {
      spans.push({ start: +row.char_start, end: +row.char_end, kind: "erratum", erratum: row });
    }
  }
  return spans;
}

function renderArticle(article) {
  const spans = spansOf(article);
  const cuts = new Set([0, article.text.length]);
  spans.forEach((s) => { cuts.add(s.start); cuts.add(s.end); });
  const bounds = [...cuts].sort((a, b) => a - b);
  const body = el("div", { class: "article-text", id: `text-${article.source_id}` });
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [from, to] = [bounds[i], bounds[i + 1]];
    const text = article.text.slice(from, to);
    const covering = spans.filter((s) => s.start <= from && to <= s.end);
    if (!covering.length) { body.append(text); continue; }
    const kinds = covering.filter((s) => s.kind !== "erratum").map((s) => s.kind);
    const mark = el("mark", {
      tabindex: "0", role: "button",
      class: `k-${kinds[0] || "none"}${covering.some((s) => s.kind === "erratum") ? " erratum" : ""}${covering.length > 1 ? " overlap" : ""}`,
      "data-evidence": covering.filter((s) => s.evidence).map((s) => s.evidence.evidence_id).join(" "),
      "data-errata": covering.filter((s) => s.erratum).map((s) => s.erratum.erratum_id).join(" "),
      "aria-label": `${text} (${covering.length} facts)`,
    }, text);
    mark.spans = covering;
    body.append(mark);
  }
  body.addEventListener("click", (event) => {
    const mark = event.target.closest("mark");
    if (mark) select(mark);
  });
  body.addEventListener("keydown", (event) => {
    const mark = event.target.closest("mark");
    if (mark && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); select(mark); }
  });
  return body;
}

function select(mark) {
  document.querySelectorAll("mark.selected").forEach((m) => m.classList.remove("selected"));
  mark.classList.add("selected");
  const list = el("ul", { class: "supports" });
  for (const span of mark.spans) {
    if (span.evidence) {
      const e = span.evidence;
      list.append(el("li", {}, el("span", { class: `badge k-${e.table}`, text: e.table }), " ",
        idLink(e.table, e.record_id), ` · field `, el("code", { text: e.field }), ` · ${e.provenance}`));
    } else {
      const r = span.erratum;
      list.append(el("li", {}, el("span", { class: "badge erratum", text: "erratum" }), " ",
        idLink("errata", r.erratum_id), `: the article says “${r.article_says}”; recorded: ${r.corrected}`));
    }
  }
  panel.replaceChildren(el("h2", { text: "This passage supports" }), el("blockquote", { text: mark.textContent }), list,
    el("button", { type: "button", class: "close", text: "Close" }));
  panel.querySelector("button.close").addEventListener("click", () => { panel.hidden = true; mark.focus(); });
  panel.hidden = false;
}

function showArticle(evidenceId) {
  const legend = el("p", { class: "legend" }, "Highlighted words support a record: ",
    ...["incidents", "operations", "arrests", "statistics", "sources", "actors"].map((k) => el("span", { class: `badge k-${k}`, text: k })),
    el("span", { class: "badge erratum", text: "erratum" }), ". Select one to see its records.");
  view.replaceChildren(legend, ...D.articles.map((a) => el("article", {}, el("h1", { text: a.title }), renderArticle(a))));
  if (evidenceId) {
    const marks = [...document.querySelectorAll("mark")].filter((m) => m.dataset.evidence.split(" ").includes(evidenceId));
    marks.forEach((m) => m.classList.add("active"));
    if (marks.length) { marks[0].scrollIntoView({ block: "center" }); marks[0].focus({ preventScroll: true }); }
  }
}

// ---- tables and records --------------------------------------------------------------------------

function showTables() {
  const list = el("ul", { class: "table-list" });
  for (const name of Object.keys(D.tables)) {
    list.append(el("li", {}, el("a", { href: `#tables/${name}`, text: name }), ` (${D.tables[name].length} rows)`));
  }
  view.replaceChildren(el("h1", { text: "Tables" }), list);
}

function showTable(name) {
  const columns = D.fields[name];
  const head = el("tr", {}, ...columns.map((c) => el("th", { scope: "col", text: c })));
  const body = el("tbody");
  for (const row of D.tables[name]) {
    const id = keyOf(name, row);
    body.append(el("tr", { id: `row-${name}-${id}` }, ...columns.map((c, i) =>
      el("td", {}, i === 0 ? idLink(name, id) : cell(c, row[c])))));
  }
  view.replaceChildren(el("h1", { text: name }), el("div", { class: "scroll" }, el("table", {}, el("thead", {}, head), body)));
}

function evidenceList(table, id) {
  const rows = D.tables.evidence.filter((e) => e.table === table && e.record_id === id);
  if (!rows.length) return null;
  const list = el("ul", { class: "evidence" });
  for (const e of rows) {
    const item = el("li", {}, el("code", { text: e.field }), ` · ${e.provenance} · `, idLink("sources", e.source_id));
    if (e.claim_id) {
      const claim = D.tables.claims.find((c) => c.claim_id === e.claim_id);
      item.append(" ", el("q", { text: e.quote }));
      if (claim && claim.gloss) item.append(" ", el("span", { class: "gloss", text: `(${claim.gloss})` }));
      item.append(" · claim ", idLink("claims", e.claim_id));
      if (e.confidence) item.append(` · confidence ${e.confidence}`);
    } else if (e.quote) {
      item.append(" ", el("q", { text: e.quote }), " ",
        el("a", { href: `#article/${encodeURIComponent(e.evidence_id)}`, class: "show-quote", text: "show in the article" }));
    }
    if (e.erratum_id) item.append(" · erratum ", idLink("errata", e.erratum_id));
    list.append(item);
  }
  return [el("h2", { text: "Evidence" }), list];
}

function related(table, id) {
  const items = [];
  const add = (label, t, rid) => items.push(el("li", {}, `${label}: `, idLink(t, rid)));
  for (const role of D.tables.actor_roles) {
    if (table === "actors" && role.actor_id === id) add(`${role.role} in ${role.table}`, role.table, role.record_id);
    if (role.table === table && role.record_id === id) add(role.role, "actors", role.actor_id);
  }
  const backlinks = [["incidents", "attack_id"], ["operations", "attack_id"], ["statistics", "attack_id"], ["operations", "incident_id"], ["arrests", "operation_id"], ["statistics", "incident_id"],
    ["statistics", "operation_id"], ["statistics", "arrest_id"]];
  for (const [t, column] of backlinks) {
    if (LINKS[column] !== table) continue;
    for (const row of D.tables[t]) if (row[column] === id) add(`${t} (${column})`, t, keyOf(t, row));
  }
  for (const row of D.tables.errata) if (row.table === table && row.record_id === id) add("erratum", "errata", row.erratum_id);
  return items.length ? [el("h2", { text: "Related records" }), el("ul", { class: "related" }, ...items)] : null;
}

function showRecord(table, id) {
  const row = findRecord(table, id);
  if (!row) { view.replaceChildren(el("h1", { text: "Not found" }), el("p", { text: `${table} has no record ${id}` })); return; }
  const list = el("dl", { class: "record" });
  for (const column of D.fields[table]) list.append(el("dt", { text: column }), el("dd", {}, cell(column, row[column])));
  const heading = el("h1", {}, el("span", { class: `badge k-${table}`, text: table }), " ", row.title || id);
  view.replaceChildren(heading, el("p", { class: "address" }, "Address: ", el("code", { text: recordHref(table, id) })), list,
    ...(evidenceList(table, id) || []), ...(related(table, id) || []));
}

// ---- the timeline --------------------------------------------------------------------------------

function showTimeline() {
  const rows = D.tables.timeline;
  const day = (text) => new Date(`${text}T00:00:00Z`).getTime();
  const first = Math.min(...rows.map((r) => day(r.date_start))) - 3e10;
  const last = Math.max(...rows.map((r) => day(r.date_end))) + 3e10;
  const lanes = ["incident", "operation", "arrest"];
  const width = 960, left = 110, rowHeight = 16, top = 30;
  const x = (t) => left + ((t - first) / (last - first)) * (width - left - 20);
  const perLane = lanes.map((k) => rows.filter((r) => r.kind === k));
  const height = top + perLane.reduce((n, r) => n + (r.length + 1) * rowHeight, 0) + 30;
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "Timeline of dated records by kind");
  const add = (parent, tag, attrs, text) => {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text) node.textContent = text;
    parent.append(node);
    return node;
  };
  for (let year = new Date(first).getUTCFullYear() + 1; year <= new Date(last).getUTCFullYear(); year++) {
    const at = x(Date.UTC(year, 0, 1));
    add(svg, "line", { x1: at, x2: at, y1: top - 10, y2: height - 20, class: "grid" });
    add(svg, "text", { x: at, y: height - 5, class: "year" }, String(year));
  }
  let y = top;
  lanes.forEach((kind, i) => {
    add(svg, "text", { x: 5, y: y + rowHeight * 0.7, class: "lane" }, `${kind}s`);
    for (const row of perLane[i]) {
      y += rowHeight;
      const link = add(svg, "a", { href: recordHref(KIND_TABLES[kind], row.record_id), class: `tl-item k-${KIND_TABLES[kind]}`,
        "data-precision": row.date_precision, "data-record": row.record_id });
      add(link, "title", {}, `${row.date} (${row.date_precision}): ${row.title}`);
      const start = x(day(row.date_start)), end = x(day(row.date_end) + 864e5);
      if (row.date_precision === "day") add(link, "circle", { cx: start, cy: y, r: 5 });
      else add(link, "rect", { x: start, y: y - 5, width: Math.max(end - start, 4), height: 10, rx: 2 });
    }
    y += rowHeight;
  });
  const list = el("ol", { class: "timeline-list" });
  for (const row of rows) {
    list.append(el("li", {}, el("time", { datetime: row.date_start, text: row.date }), ` (${row.date_precision}) `,
      el("span", { class: `badge k-${KIND_TABLES[row.kind]}`, text: row.kind }), " ", idLink(KIND_TABLES[row.kind], row.record_id),
      ` ${row.title}`));
  }
  view.replaceChildren(el("h1", { text: "Timeline" }),
    el("p", { class: "legend", text: "A dot is a known day; a bar spans the month, year or range a date allows." }), svg, list);
}

// ---- the dataset card ----------------------------------------------------------------------------

function copyButton(target) {
  const button = el("button", { type: "button", class: "copy", text: "Copy" });
  button.addEventListener("click", async () => {
    try { await navigator.clipboard.writeText(target.textContent); button.textContent = "Copied"; }
    catch { const range = document.createRange(); range.selectNodeContents(target);
      getSelection().removeAllRanges(); getSelection().addRange(range); button.textContent = "Selected: press Ctrl+C"; }
  });
  return button;
}

function showCard() {
  const m = D.meta;
  const bib = el("pre", { id: "cite-bibtex", text: D.citation.bibtex });
  const apa = el("pre", { id: "cite-apa", text: D.citation.apa });
  const counts = el("table", { class: "counts" }, el("tr", {}, el("th", { text: "table" }), el("th", { text: "rows" })),
    ...Object.keys(D.tables).map((t) => el("tr", {}, el("td", {}, el("a", { href: `#tables/${t}`, text: t })), el("td", { text: String(D.tables[t].length) }))));
  const coverage = el("table", { class: "coverage" }, el("tr", {}, ...["source", "kind", "accounted", "total", "share"].map((h) => el("th", { text: h }))));
  for (const [source, kinds] of Object.entries(m.coverage || {})) {
    for (const [kind, [done, total]] of Object.entries(kinds)) {
      coverage.append(el("tr", {}, el("td", { text: source }), el("td", { text: kind }), el("td", { text: String(done) }),
        el("td", { text: String(total) }), el("td", { text: `${total ? ((100 * done) / total).toFixed(1) : "100.0"}%` })));
    }
  }
  const documents = el("ul", {}, ...D.tables.sources.filter((s) => s.role !== "external").map((s) =>
    el("li", {}, idLink("sources", s.source_id), ` ${s.title}${s.footnote ? ` (footnote ${s.footnote})` : ""}`)));
  const errata = el("ul", {}, ...D.tables.errata.map((r) =>
    el("li", {}, idLink("errata", r.erratum_id), ` (${r.status}): ${r.explanation}`)));
  view.replaceChildren(el("h1", { text: m.title }), el("p", { text: m.description }),
    el("p", {}, `Version ${m.version} · released ${String(m.created).slice(0, 10)} · licence `,
      ...m.licenses.map((l) => el("a", { href: l.path, text: l.name }))),
    el("h2", { text: "How to cite" }), el("h3", { text: "BibTeX" }), bib, copyButton(bib), el("h3", { text: "APA" }), apa, copyButton(apa),
    el("h2", { text: "Records" }), counts, el("h2", { text: "Coverage of the source" }), coverage,
    el("h2", { text: "Sources" }), documents, el("h2", { text: "Errata" }), errata);
}

// ---- routing -------------------------------------------------------------------------------------

function route() {
  panel.hidden = true;
  const [head, ...rest] = decodeURIComponent(location.hash.slice(1)).split("/");
  const tail = rest.join("/");
  if (head === "" || head === "article") showArticle(tail);
  else if (head === "tables") (tail ? showTable(tail) : showTables());
  else if (head === "timeline") showTimeline();
  else if (head === "card") showCard();
  else if (D.tables[head]) showRecord(head, tail);
  else view.replaceChildren(el("h1", { text: "Not found" }));
  document.querySelectorAll("nav a").forEach((a) => a.toggleAttribute("aria-current", a.hash === `#${head || "article"}`));
  if (!tail || head !== "article") view.focus({ preventScroll: true });
}

window.addEventListener("hashchange", route);
route();
