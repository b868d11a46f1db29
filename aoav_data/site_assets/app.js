// aoav-data site: one page, no network. Every view is drawn from the manifest in index.html and the data
// files store.js loads when a view needs them (a view that lacks one throws AOAV.Missing and is drawn
// again once it is loaded). A view's address is `#<view>[/<id>][?<filters>]`, so that a filtered table,
// a search or a map can be shared.
"use strict";

const D = AOAV.M;
let BASEMAP = null;  // loaded with the map view
// Rows a table page shows at once; a table's filters and sort apply to all of its rows.
const PAGE = 1000;
const view = document.getElementById("view");
const panel = document.getElementById("panel");
const NS = "http://www.w3.org/2000/svg";
const KIND_TABLES = { incident: "incidents", operation: "operations", arrest: "arrests" };
const LOCATED = Object.values(KIND_TABLES);
// Kinds differ by shape as well as colour (for readers who cannot tell the colours apart).
const SHAPES = { incidents: "circle", operations: "square", arrests: "triangle" };
// Columns whose values are ids of another table's records.
const LINKS = {
  incident_id: "incidents", operation_id: "operations", arrest_id: "arrests", lead_actor: "actors",
  partners: "actors", attributed_to: "actors", claimant: "actors", actor_id: "actors", source_id: "sources",
  cited_by: "sources", cited_source_id: "sources", reference_source_id: "sources", erratum_id: "errata",
};
// The first and last day a row covers, per table: the date range filter keeps rows that overlap it.
const DATE_COLUMNS = [["date_start", "date_end"], ["period_start", "period_end"], ["published", "published"]];

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

function svgEl(parent, tag, attrs, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  parent.append(node);
  return node;
}

function isTable(name) {
  return Object.prototype.hasOwnProperty.call(D.tables, name);
}

function keyOf(table, row) {
  return D.keys[table].map((k) => row[k]).join("/");
}

function recordHref(table, id) {
  return `#${table}/${encodeURIComponent(id)}`;
}

function findRecord(table, id) {
  return AOAV.lookup(table, "key", id)[0];
}

const KIND_OF = Object.fromEntries(Object.entries(KIND_TABLES).map(([kind, table]) => [table, kind]));

function idLink(table, id) {
  return el("a", { href: recordHref(table, id), text: id });
}

function cell(column, value) {
  const target = LINKS[column];
  if (!value || !target) return document.createTextNode(value || "");
  const span = el("span");
  value.split("; ").forEach((id, i) => {
    if (i) span.append("; ");
    span.append(AOAV.has(target, id) ? idLink(target, id) : id);
  });
  return span;
}

function badge(table, label) {
  return el("span", { class: `badge k-${table}`, text: label || table });
}

function isLocated(row) {
  return row.latitude !== undefined && row.latitude !== "" && row.longitude !== "";
}

function onTimeline(table, id) {
  return Boolean(KIND_OF[table]) && AOAV.lookup("timeline", "record", `${KIND_OF[table]}/${id}`).length > 0;
}

// The ids the cells of these rows link to are looked up (in the index of a large table) before they
// are drawn, all at once.
function prefetchLinks(columns, rows) {
  AOAV.prefetch(() => {
    for (const row of rows) {
      for (const column of columns) {
        if (LINKS[column] && row[column]) row[column].split("; ").forEach((id) => AOAV.has(LINKS[column], id));
      }
    }
  });
}

// The address of the current view with new query parameters, without re-drawing the view (typing in
// a filter box keeps its focus); the address can then be copied and shared.
function replaceQuery(base, params) {
  const query = params.toString();
  history.replaceState(null, "", `#${base}${query ? `?${query}` : ""}`);
}

// ---- the panel: what a highlighted passage supports -------------------------------------------------

let panelOpener = null;

function openPanel(title, opener, ...content) {
  const close = el("button", { type: "button", class: "close", "aria-label": "Close (Escape)", text: "Close ✕" });
  close.addEventListener("click", closePanel);
  panel.replaceChildren(el("div", { class: "panel-bar" }, close, el("h2", { id: "panel-title", text: title })), ...content);
  panel.hidden = false;
  panelOpener = opener;
  close.focus();  // the close control comes first, and the panel is one Tab away from it
}

function closePanel() {
  if (panel.hidden) return;
  panel.hidden = true;
  document.querySelectorAll("mark.selected").forEach((m) => m.classList.remove("selected"));
  if (panelOpener && document.contains(panelOpener)) panelOpener.focus();
  panelOpener = null;
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !panel.hidden) { event.preventDefault(); closePanel(); }
});

// ---- the article view ----------------------------------------------------------------------------

// The article's file carries its highlights: the evidence quoted from it and its errata, with offsets.
function spansOf(article) {
  return [...article.spans.map((e) => ({ start: e.start, end: e.end, kind: e.table, evidence: e })),
    ...article.errata.map((r) => ({ start: r.start, end: r.end, kind: "erratum", erratum: r }))];
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
    const kinds = [...new Set(covering.filter((s) => s.kind !== "erratum").map((s) => s.kind))];
    const erratum = covering.some((s) => s.kind === "erratum");
    const mark = el("mark", {
      tabindex: "0", role: "button",
      class: `k-${kinds[0] || "none"}${erratum ? " erratum" : ""}${covering.length > 1 ? " overlap" : ""}`,
      "data-evidence": covering.filter((s) => s.evidence).map((s) => s.evidence.evidence_id).join(" "),
      "data-errata": covering.filter((s) => s.erratum).map((s) => s.erratum.erratum_id).join(" "),
      // The kinds are named, not only coloured.
      "aria-label": `${text} (supports ${[...kinds, ...(erratum ? ["erratum"] : [])].join(", ")}; ${covering.length} facts)`,
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
      list.append(el("li", {}, badge(e.table), " ", idLink(e.table, e.record_id), " · field ", el("code", { text: e.field }),
        ` · ${e.provenance}`));
    } else {
      const r = span.erratum;
      list.append(el("li", {}, el("span", { class: "badge erratum", text: "erratum" }), " ",
        idLink("errata", r.erratum_id), `: the article says “${r.article_says}”; recorded: ${r.corrected}`));
    }
  }
  openPanel("This passage supports", mark, el("blockquote", { text: mark.textContent }), list);
}

// Each primary source's article is its own file: `#article` shows the first, `#article/<source_id>`
// another, and `#article/<evidence_id>` the one the quote is from, with the quote highlighted.
function showArticle(tail) {
  if (!D.articles.length) { view.replaceChildren(el("h1", { text: "Article" }), el("p", { text: "This build has no stored article." })); return; }
  let sourceId = D.articles[0].source_id, evidenceId = "";
  if (D.articles.some((a) => a.source_id === tail)) sourceId = tail;
  else if (tail) {
    evidenceId = tail;
    const quoted = findRecord("evidence", tail);
    if (quoted && D.articles.some((a) => a.source_id === quoted.source_id)) sourceId = quoted.source_id;
  }
  const article = AOAV.articleOf(sourceId);
  const legend = el("p", { class: "legend" }, "Highlighted words support a record (the underline tells the kind too): ",
    ...["incidents", "operations", "arrests", "statistics", "sources", "actors"].flatMap((k) => [el("span", { class: `sample k-${k}`, text: k }), " "]),
    el("span", { class: "sample erratum", text: "erratum" }), ". Select one to see its records; Escape closes the panel.");
  view.replaceChildren(legend, ...articleList(sourceId), el("article", {}, el("h1", { text: article.title }), renderArticle(article)));
  if (evidenceId) {
    const marks = [...view.querySelectorAll(".article-text mark")].filter((m) => m.dataset.evidence.split(" ").includes(evidenceId));
    marks.forEach((m) => m.classList.add("active"));
    if (marks.length) { marks[0].scrollIntoView({ block: "center" }); marks[0].focus({ preventScroll: true }); }
  }
}

// With several articles, the list of them (folded: a build of many reports has a thousand).
function articleList(current) {
  if (D.articles.length < 2) return [];
  const list = el("ol", { class: "article-list" }, ...D.articles.map((a) => el("li", {},
    a.source_id === current ? el("strong", { text: a.title }) : el("a", { href: `#article/${encodeURIComponent(a.source_id)}`, text: a.title }))));
  return [el("details", { class: "articles" }, el("summary", { text: `All ${D.articles.length} articles` }), list)];
}

// ---- filters, shared by the tables and the map ------------------------------------------------------

// A partial date ("2016", "2016-12") as the first or last day it allows, so ranges compare as text.
function firstDay(text) { return text ? (text + "-01-01").slice(0, 10) : ""; }
function lastDay(text) { return text ? (text.length === 4 ? `${text}-12-31` : text.length === 7 ? `${text}-31` : text) : ""; }

function dateColumns(table) {
  return DATE_COLUMNS.find(([start]) => D.fields[table].includes(start)) || null;
}

// The filters a table offers: a value list for each controlled column that has values, a date
// range where the table has dates, and free text.
// (The values present are worked out when the site is written, so the filters show before the rows load.)
function filtersOf(table) {
  return { choices: D.tables[table].choices, dates: dateColumns(table) };
}

function matches(table, row, params, filters) {
  for (const { column } of filters.choices) {
    const wanted = params.get(column);
    if (wanted && row[column] !== wanted) return false;
  }
  if (filters.dates) {
    const [startColumn, endColumn] = filters.dates;
    const from = params.get("from"), to = params.get("to");
    if ((from || to) && !row[startColumn]) return false;
    if (from && lastDay(row[endColumn]) < from) return false;
    if (to && firstDay(row[startColumn]) > to) return false;
  }
  const text = (params.get("q") || "").trim().toLowerCase();
  if (text && !D.fields[table].some((c) => (row[c] || "").toLowerCase().includes(text))) return false;
  return true;
}

function compareBy(table, column, descending) {
  const numeric = ["integer", "number"].includes(D.types[table][column]);
  return (a, b) => {
    const [x, y] = [a[column] || "", b[column] || ""];
    if (x === "" || y === "") return x === y ? 0 : x === "" ? 1 : -1;  // empty cells last, either way
    const order = numeric ? +x - +y : x.localeCompare(y);
    return descending ? -order : order;
  };
}

// Whether the address filters or sorts the table (then every row is looked at; else a page is loaded).
function narrowed(table, params) {
  return ["q", "from", "to", "sort", ...filtersOf(table).choices.map((c) => c.column)].some((name) => params.get(name));
}

function filteredRows(table, params) {
  const filters = filtersOf(table);
  const rows = AOAV.rows(table).filter((row) => matches(table, row, params, filters));
  const sort = params.get("sort");
  if (sort && D.fields[table].includes(sort)) rows.sort(compareBy(table, sort, params.get("dir") === "desc"));
  return rows;
}

// The filter form: every control writes its value into the address and calls `changed`.
function filterForm(table, params, filters, changed) {
  const form = el("form", { class: "filters", "aria-label": `Filter ${table}` });
  const field = (label, control) => el("label", {}, el("span", { text: label }), control);
  const update = (name, value) => { if (value) params.set(name, value); else params.delete(name); changed(); };
  const text = el("input", { type: "search", name: "q", value: params.get("q") || "" });
  text.addEventListener("input", () => update("q", text.value.trim()));
  form.append(field("Contains", text));
  for (const { column, values } of filters.choices) {
    const select = el("select", { name: column }, el("option", { value: "", text: "any" }),
      ...values.map((v) => el("option", { value: v, text: v })));
    select.value = params.get(column) || "";
    select.addEventListener("change", () => update(column, select.value));
    form.append(field(column, select));
  }
  if (filters.dates) {
    for (const [name, label] of [["from", "From"], ["to", "To"]]) {
      const input = el("input", { type: "date", name, value: params.get(name) || "" });
      input.addEventListener("change", () => update(name, input.value));
      form.append(field(label, input));
    }
  }
  form.addEventListener("submit", (event) => event.preventDefault());
  return form;
}

// ---- tables and records --------------------------------------------------------------------------

function showTables() {
  const list = el("ul", { class: "table-list" });
  for (const name of Object.keys(D.tables)) {
    list.append(el("li", {}, el("a", { href: `#tables/${name}`, text: name }), ` (${D.tables[name].count} rows)`));
  }
  view.replaceChildren(el("h1", { text: "Tables" }), list, el("p", {}, "Every file to download: ", el("a", { href: "#downloads", text: "Downloads" })));
}

// RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled; lines end in CRLF.
function csvText(columns, rows) {
  const quote = (value) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return [columns, ...rows.map((row) => columns.map((c) => row[c] || ""))].map((line) => line.map(quote).join(",")).join("\r\n") + "\r\n";
}

function saveFile(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// The rows of the page shown, the count of rows that match, and the page. A table that is neither
// filtered nor sorted loads only the chunk of its page; otherwise every row is looked at, so the count
// is always that of the whole table. `focus` (a record's id) picks the page that holds it.
function tablePage(name, params) {
  const total = D.tables[name].count;
  const focus = params.get("focus");
  let matching, at = -1;
  if (narrowed(name, params)) {
    matching = filteredRows(name, params);
    if (focus) at = matching.findIndex((row) => keyOf(name, row) === focus);
  } else if (focus) at = AOAV.position(name, focus);
  const count = matching ? matching.length : total;
  const pages = Math.max(1, Math.ceil(count / PAGE));
  const page = at >= 0 ? Math.floor(at / PAGE) + 1 : Math.min(pages, Math.max(1, parseInt(params.get("page"), 10) || 1));
  const from = (page - 1) * PAGE, to = Math.min(count, page * PAGE);
  const rows = matching ? matching.slice(from, to) : AOAV.slice(name, from, to);
  prefetchLinks(D.fields[name], rows);
  return { rows, count, total, page, pages, from };
}

function pager(name, params, shown, redraw) {
  if (shown.pages < 2) return null;
  const go = (page, text) => {
    params.delete("focus");
    if (page > 1) params.set("page", String(page)); else params.delete("page");
    refocus = `nav.pager button[data-go="${text}"]:not([disabled])`;
    redraw();
  };
  const button = (text, page, disabled) => {
    const b = el("button", { type: "button", class: "page", "data-go": text, text });
    if (disabled) b.disabled = true; else b.addEventListener("click", () => go(page, text));
    return b;
  };
  const label = `Page ${shown.page} of ${shown.pages} (rows ${shown.from + 1}–${shown.from + shown.rows.length})`;
  return el("nav", { class: "pager", "aria-label": `Pages of ${name}` }, button("Previous", shown.page - 1, shown.page === 1),
    el("span", { text: label }), button("Next", shown.page + 1, shown.page === shown.pages));
}

function showTable(name, params) {
  const columns = D.fields[name];
  const filters = filtersOf(name);
  const base = `tables/${name}`;
  const count = el("p", { class: "count", role: "status" });
  const holder = el("div", { class: "scroll" });
  const pages = el("div", { class: "pages" });
  const csvButton = el("button", { type: "button", class: "download-rows" });
  const token = routeToken;
  const current = () => token === routeToken;
  const draw = () => {
    const shown = tablePage(name, params);
    replaceQuery(base, params);
    count.textContent = `${shown.count} of ${shown.total} rows`;
    csvButton.textContent = `Download these ${shown.count} rows (CSV)`;
    holder.replaceChildren(tableElement(name, columns, shown.rows, params, redraw));
    pages.replaceChildren(...[pager(name, params, shown, redraw)].filter(Boolean));
    focusRow(name, params.get("focus"));
    const again = refocus && view.querySelector(refocus);
    if (again) again.focus();
    refocus = null;
  };
  // A change of filter, sort or page may need rows not loaded yet: the count says so while they load.
  const redraw = () => whenLoaded(draw, current, () => { count.textContent = `Loading the ${D.tables[name].count} rows…`; });
  const filtered = () => (narrowed(name, params) ? filteredRows(name, params) : AOAV.rows(name));
  csvButton.addEventListener("click", () => whenLoaded(() => saveFile(`${name}-filtered.csv`, csvText(columns, filtered()), "text/csv"), current,
    () => { csvButton.textContent = "Loading the rows…"; }));
  const reset = el("a", { href: `#${base}`, text: "Clear filters" });
  const form = filterForm(name, params, filters, () => { params.delete("page"); params.delete("focus"); redraw(); });
  draw();  // before the view is replaced: what it lacks is loaded first, and the view drawn again
  view.replaceChildren(el("h1", { text: name }), form, el("div", { class: "row-tools" }, count, csvButton, reset),
    pages, holder, el("h2", { text: `Download ${name}` }), downloadsTable(D.downloads.filter((f) => f.table === name || f.table === null)));
  focusRow(name, params.get("focus"));
}

let refocus = null;  // the control used (a sort or page button), to focus once it is redrawn

function tableElement(name, columns, rows, params, redraw) {
  const sort = params.get("sort"), descending = params.get("dir") === "desc";
  const head = el("tr", {}, ...columns.map((c) => {
    const button = el("button", { type: "button", class: "sort", text: c });
    button.addEventListener("click", () => {
      if (sort === c && !descending) params.set("dir", "desc"); else params.delete("dir");
      params.set("sort", c);
      params.delete("page");
      refocus = `th[data-column="${c}"] button`;  // the button is redrawn (once the rows are loaded, for a large table): focus goes back to it
      redraw();
    });
    const state = sort === c ? (descending ? "descending" : "ascending") : "none";
    return el("th", { scope: "col", "data-column": c, "aria-sort": state }, button);
  }));
  const body = el("tbody");
  for (const row of rows) {
    const id = keyOf(name, row);
    const first = el("td", {}, idLink(name, id));
    if (isLocated(row)) first.append(" ", el("a", { href: `#map?focus=${encodeURIComponent(`${name}/${id}`)}`, class: "to-map", "aria-label": `${id} on the map`, text: "map" }));
    body.append(el("tr", { id: `row-${name}-${id}`, "data-id": id }, first, ...columns.slice(1).map((c) => el("td", {}, cell(c, row[c])))));
  }
  return el("table", { class: "data" }, el("caption", { class: "visually-hidden", text: `${name}, sortable by any column` }), el("thead", {}, head), body);
}

function focusRow(name, id) {
  if (!id) return;
  const row = [...view.querySelectorAll("tbody tr")].find((tr) => tr.dataset.id === id);
  if (row) { row.classList.add("focused"); row.scrollIntoView({ block: "center" }); }
}

function evidenceList(table, id) {
  const rows = AOAV.lookup("evidence", "record", `${table}/${id}`);
  if (!rows.length) return null;
  const list = el("ul", { class: "evidence" });
  for (const e of rows) {
    const item = el("li", {}, el("code", { text: e.field }), ` · ${e.provenance} · `, idLink("sources", e.source_id));
    if (e.claim_id) {
      const claim = findRecord("claims", e.claim_id);
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
  if (table === "actors") for (const role of AOAV.lookup("actor_roles", "actor", id)) add(`${role.role} in ${role.table}`, role.table, role.record_id);
  for (const role of AOAV.lookup("actor_roles", "record", `${table}/${id}`)) add(role.role, "actors", role.actor_id);
  const backlinks = [["incidents", "attack_id"], ["operations", "attack_id"], ["statistics", "attack_id"], ["operations", "incident_id"], ["arrests", "operation_id"], ["statistics", "incident_id"],
    ["statistics", "operation_id"], ["statistics", "arrest_id"]];
  for (const [t, column] of backlinks) {
    if (LINKS[column] !== table) continue;
    for (const row of AOAV.lookup(t, column, id)) add(`${t} (${column})`, t, keyOf(t, row));
  }
  for (const row of AOAV.lookup("errata", "record", `${table}/${id}`)) add("erratum", "errata", row.erratum_id);
  return items.length ? [el("h2", { text: "Related records" }), el("ul", { class: "related" }, ...items)] : null;
}

// Where else the record is shown: its row, the map, the timeline.
function elsewhere(table, id, row) {
  const focus = encodeURIComponent(`${table}/${id}`);
  const links = [el("a", { href: `#tables/${table}?focus=${encodeURIComponent(id)}`, class: "to-row", text: "its row in the table" })];
  if (isLocated(row)) links.push(el("a", { href: `#map?focus=${focus}`, class: "to-map", text: "on the map" }));
  if (onTimeline(table, id)) links.push(el("a", { href: `#timeline?focus=${focus}`, class: "to-timeline", text: "on the timeline" }));
  const p = el("p", { class: "elsewhere" }, "See ");
  links.forEach((a, i) => p.append(i ? " · " : "", a));
  return p;
}

function showRecord(table, id) {
  const row = findRecord(table, id);
  if (!row) {
    const gone = D.keys[table].length === 1 && RETIRED.find(AOAV.rows("retired_ids"), table, id);
    if (gone) { RETIRED.show(view, gone); return; }
    view.replaceChildren(el("h1", { text: "Not found" }), el("p", {}, `${table} has no record ${id}. `, el("a", { href: `#tables/${table}`, text: `All ${table}` })));
    return;
  }
  // What the record shows of other tables, looked up in one go (and again for the claims its evidence cites).
  AOAV.prefetch(() => { evidenceList(table, id); related(table, id); onTimeline(table, id); });
  AOAV.prefetch(() => { evidenceList(table, id); prefetchLinks(D.fields[table], [row]); });
  const list = el("dl", { class: "record" });
  for (const column of D.fields[table]) list.append(el("dt", { text: column }), el("dd", {}, cell(column, row[column])));
  const heading = el("h1", {}, badge(table), " ", row.title || id);
  view.replaceChildren(heading, el("p", { class: "address" }, "Address: ", el("code", { text: recordHref(table, id) })), elsewhere(table, id, row), list,
    ...(evidenceList(table, id) || []), ...(related(table, id) || []));
}

// ---- search --------------------------------------------------------------------------------------

// Where the words are looked for: each table's titles, names and summaries, and the quotes.
const SEARCHED = ["title", "name", "summary", "description", "location", "explanation"];

// Search looks through every row: a large table's chunks are loaded for it.
function searchResults(words) {
  AOAV.need(Object.keys(D.tables));
  const text = words.toLowerCase();
  const results = [];
  for (const table of Object.keys(D.tables)) {
    for (const row of AOAV.rows(table)) {
      const column = SEARCHED.find((c) => (row[c] || "").toLowerCase().includes(text));
      // A match in the title is shown by the title itself; elsewhere by the words around it.
      const around = ["title", "name"].includes(column) ? "" : row[column];
      if (column) results.push({ table, id: keyOf(table, row), href: recordHref(table, keyOf(table, row)), label: row.title || row.name || keyOf(table, row), text: around });
    }
  }
  // Quotes: a quote from the article jumps to its highlighted words; a claim's excerpt to the claim.
  for (const e of AOAV.rows("evidence")) {
    if (e.char_start !== "" && e.quote.toLowerCase().includes(text)) {
      results.push({ table: e.table, id: e.record_id, href: `#article/${encodeURIComponent(e.evidence_id)}`, label: `quote supporting ${e.record_id}`, text: e.quote, quote: true });
    }
  }
  for (const c of AOAV.rows("claims")) {
    if (c.excerpt.toLowerCase().includes(text)) results.push({ table: "claims", id: c.claim_id, href: recordHref("claims", c.claim_id), label: `claim ${c.claim_id}`, text: c.excerpt, quote: true });
  }
  return results;
}

// The text with the searched words in bold, cut to about 200 characters around them.
function snippet(text, words) {
  const at = text.toLowerCase().indexOf(words.toLowerCase());
  const from = Math.max(0, at - 90);
  const to = Math.min(text.length, at + words.length + 90);
  return el("span", { class: "snippet" }, `${from ? "…" : ""}${text.slice(from, at)}`, el("strong", { text: text.slice(at, at + words.length) }),
    `${text.slice(at + words.length, to)}${to < text.length ? "…" : ""}`);
}

function showSearch(params) {
  const words = (params.get("q") || "").trim();
  document.getElementById("search-box").value = words;
  if (!words) { view.replaceChildren(el("h1", { text: "Search" }), el("p", { text: "Type words in the search box above." })); return; }
  const results = searchResults(words);
  const list = el("ol", { class: "results" }, ...results.slice(0, 300).map((r) =>
    el("li", {}, badge(r.table), " ", el("a", { href: r.href, class: r.quote ? "to-quote" : "to-record", text: r.label }), " ", r.text ? snippet(r.text, words) : null)));
  view.replaceChildren(el("h1", { text: `Search: ${words}` }), el("p", { class: "count", role: "status", text: `${results.length} results` }), list);
}

document.getElementById("search").addEventListener("submit", (event) => {
  event.preventDefault();
  location.hash = `#search?${new URLSearchParams({ q: document.getElementById("search-box").value.trim() })}`;
});

// ---- the timeline --------------------------------------------------------------------------------

// A kind's marker, centred on (x, y), r pixels across: a circle, a square or a triangle.
function marker(parent, table, x, y, r) {
  const shape = SHAPES[table];
  if (shape === "circle") return svgEl(parent, "circle", { cx: x, cy: y, r });
  if (shape === "square") return svgEl(parent, "rect", { x: x - r * 0.9, y: y - r * 0.9, width: r * 1.8, height: r * 1.8 });
  return svgEl(parent, "polygon", { points: `${x},${y - r * 1.2} ${x + r * 1.1},${y + r * 0.8} ${x - r * 1.1},${y + r * 0.8}` });
}

// Drawn at the width it is shown, one unit a pixel, so that its text stays legible on a phone.
function showTimeline(params) {
  AOAV.need(["timeline", ...LOCATED]);
  const rows = AOAV.rows("timeline");
  const focus = params.get("focus") || "";
  const day = (text) => new Date(`${text}T00:00:00Z`).getTime();
  const first = Math.min(...rows.map((r) => day(r.date_start))) - 3e10;
  const last = Math.max(...rows.map((r) => day(r.date_end))) + 3e10;
  const lanes = ["incident", "operation", "arrest"];
  const figure = el("div", { class: "timeline-figure" });
  const list = el("ol", { class: "timeline-list" });
  for (const row of rows) {
    const table = KIND_TABLES[row.kind];
    const item = el("li", { "data-record": `${table}/${row.record_id}` }, el("time", { datetime: row.date_start, text: row.date }), ` (${row.date_precision}) `,
      badge(table, row.kind), " ", idLink(table, row.record_id), ` ${row.title}`);
    const record = findRecord(table, row.record_id);
    if (record && isLocated(record)) item.append(" ", el("a", { href: `#map?focus=${encodeURIComponent(`${table}/${row.record_id}`)}`, class: "to-map", text: "map" }));
    if (`${table}/${row.record_id}` === focus) item.classList.add("focused");
    list.append(item);
  }
  view.replaceChildren(el("h1", { text: "Timeline" }),
    el("p", { class: "legend", text: "Lanes: incidents (circles), operations (squares), arrests (triangles). A shape is a known day; a bar spans the month, year or range a date allows." }),
    figure, list);
  const draw = () => {
    const width = Math.max(300, figure.clientWidth);
    const left = width < 500 ? 24 : 110, rowHeight = 18, top = 30;  // lane names sit above their rows
    const x = (t) => left + ((t - first) / (last - first)) * (width - left - 14);
    const perLane = lanes.map((k) => rows.filter((r) => r.kind === k));
    const height = top + perLane.reduce((n, r) => n + (r.length + 1) * rowHeight, 0) + 30;
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    svg.setAttribute("role", "group");
    svg.setAttribute("aria-label", "Timeline of dated records by kind");
    const firstYear = new Date(first).getUTCFullYear() + 1, lastYear = new Date(last).getUTCFullYear();
    const step = Math.max(1, Math.ceil(44 / (x(Date.UTC(2001, 0, 1)) - x(Date.UTC(2000, 0, 1)))));  // labels 44 px apart at least
    for (let year = firstYear; year <= lastYear; year++) {
      const at = x(Date.UTC(year, 0, 1));
      svgEl(svg, "line", { x1: at, x2: at, y1: top - 10, y2: height - 24, class: "grid" });
      if ((year - firstYear) % step === 0) svgEl(svg, "text", { x: at, y: height - 8, class: "year" }, String(year));
    }
    let y = top;
    lanes.forEach((kind, i) => {
      const table = KIND_TABLES[kind];
      svgEl(svg, "text", { x: 4, y: y + rowHeight * 0.35, class: "lane" }, `${kind}s`);
      for (const row of perLane[i]) {
        y += rowHeight;
        const link = svgEl(svg, "a", { href: recordHref(table, row.record_id), class: `tl-item k-${table}`,
          "data-precision": row.date_precision, "data-record": row.record_id, "aria-label": `${row.date}: ${row.title}` });
        if (`${table}/${row.record_id}` === focus) link.classList.add("focused");
        svgEl(link, "title", {}, `${row.date} (${row.date_precision}): ${row.title}`);
        const start = x(day(row.date_start)), end = x(day(row.date_end) + 864e5);
        if (row.date_precision === "day") marker(link, table, start, y, 5.5);
        else svgEl(link, "rect", { x: start, y: y - 5, width: Math.max(end - start, 4), height: 10, rx: 2, class: "span" });
      }
      y += rowHeight;
    });
    figure.replaceChildren(svg);
  };
  draw();
  redrawOnResize = draw;
  const focused = view.querySelector(".timeline-list li.focused");
  if (focused) focused.scrollIntoView({ block: "center" });
}

// ---- the map -------------------------------------------------------------------------------------

// The area a coordinate of each precision stands for, as a radius in km (a city, a region, a country).
const AREA_KM = { city: 10, region: 45, country: 200 };
const KM_PER_DEGREE = 111.32;

// Degrees to base-map pixels: scripts/basemap.py projects the countries with the same formula.
function project(lon, lat) {
  const p = BASEMAP.projection;
  const cos = Math.cos((p.standard_parallel * Math.PI) / 180);
  return [(lon - p.west) * cos * p.scale, (p.north - lat) * p.scale];
}

function locatedRecords() {
  const records = [];
  for (const table of LOCATED) {
    for (const row of AOAV.rows(table)) {
      if (!isLocated(row)) continue;
      const id = keyOf(table, row);
      records.push({ table, id, key: `${table}/${id}`, kind: table.slice(0, -1), row, at: project(+row.longitude, +row.latitude) });
    }
  }
  return records;
}

const MAP_FILTERS = {
  choices: [{ column: "kind", values: ["incident", "operation", "arrest"] }, { column: "geo_precision", values: ["exact", "city", "region", "country"] }],
};

function mapMatches(record, params) {
  const row = { ...record.row, kind: record.kind };
  for (const { column } of MAP_FILTERS.choices) if (params.get(column) && row[column] !== params.get(column)) return false;
  if (params.get("country_iso3") && row.country_iso3 !== params.get("country_iso3")) return false;
  const from = params.get("from"), to = params.get("to");
  if (from && lastDay(row.date_end) < from) return false;
  if (to && firstDay(row.date_start) > to) return false;
  const text = (params.get("q") || "").trim().toLowerCase();
  return !text || [row.title, row.summary, row.location, record.id].some((v) => (v || "").toLowerCase().includes(text));
}

// The window of the base map shown: the records' extent, padded, or the whole map when there are none.
function fitWindow(records) {
  if (!records.length) return { x: 0, y: 0, w: BASEMAP.width, h: BASEMAP.height };
  const xs = records.map((r) => r.at[0]), ys = records.map((r) => r.at[1]);
  const pad = 20;
  const x0 = Math.min(...xs) - pad, x1 = Math.max(...xs) + pad, y0 = Math.min(...ys) - pad, y1 = Math.max(...ys) + pad;
  return { x: x0, y: y0, w: Math.max(x1 - x0, 60), h: Math.max(y1 - y0, 60) };
}

function showMap(params) {
  AOAV.need(["timeline", ...LOCATED]);
  BASEMAP = AOAV.baseMap();
  const all = locatedRecords();
  const countries = [...new Set(all.map((r) => r.row.country_iso3).filter(Boolean))].sort();
  const filters = { choices: [...MAP_FILTERS.choices, { column: "country_iso3", values: countries }], dates: ["date_start", "date_end"] };
  const figure = el("div", { class: "map-figure" });
  const count = el("p", { class: "count", role: "status" });
  const details = el("div", { class: "map-details", "aria-live": "polite" });
  const list = el("ol", { class: "map-list" });
  let shown = [];
  let frame = null;  // the window of the base map in view; null: fit the records shown
  const draw = () => {
    replaceQuery("map", params);
    shown = all.filter((r) => mapMatches(r, params));
    count.textContent = `${shown.length} of ${all.length} located records`;
    const win = frame || fitWindow(shown);
    figure.replaceChildren(mapSvg(win, shown, params.get("focus"), figure.clientWidth || 800, (key) => {
      params.set("focus", key);
      draw();
    }));
    list.replaceChildren(...shown.map((r) => mapListItem(r, params.get("focus"), () => { params.set("focus", r.key); frame = null; draw(); })));
    showDetails(details, all.find((r) => r.key === params.get("focus")));
  };
  const zoom = (factor) => {
    const win = frame || fitWindow(shown);
    const cx = win.x + win.w / 2, cy = win.y + win.h / 2;
    frame = { x: cx - (win.w * factor) / 2, y: cy - (win.h * factor) / 2, w: win.w * factor, h: win.h * factor };
    draw();
  };
  const button = (text, action) => { const b = el("button", { type: "button", text }); b.addEventListener("click", action); return b; };
  const tools = el("div", { class: "map-tools" }, button("Zoom in", () => zoom(0.5)), button("Zoom out", () => zoom(2)),
    button("Fit the records", () => { frame = null; draw(); }), button("Whole map", () => { frame = { x: 0, y: 0, w: BASEMAP.width, h: BASEMAP.height }; draw(); }));
  view.replaceChildren(el("h1", { text: "Map" }), filterForm("map", params, filters, () => { frame = null; draw(); }),
    el("p", { class: "legend" }, "Incidents are circles, operations squares, arrests triangles. A solid shape is an exact site; a shape in a dashed ring stands for a city or region, the ring its rough extent. Select a marker for its record, its row and its place on the timeline."),
    el("div", { class: "row-tools" }, count, tools), figure, details, el("h2", { text: "Located records shown" }), list,
    el("p", { class: "attribution", text: BASEMAP.attribution }));
  draw();
  redrawOnResize = draw;
}

// The window widened or heightened about its centre to the shape of the figure.
function toAspect(win, aspect) {
  const w = Math.max(win.w, win.h * aspect), h = w / aspect;
  return { x: win.x + (win.w - w) / 2, y: win.y + (win.h - h) / 2, w, h };
}

function mapSvg(frame, records, focus, width, choose) {
  const height = Math.round(Math.min(width * 0.8, 640));
  const win = toAspect(frame, width / height);
  const k = width / win.w;  // pixels per base-map unit
  const px = ([x, y]) => [(x - win.x) * k, (y - win.y) * k];
  const svg = document.createElementNS(NS, "svg");
  for (const [name, value] of Object.entries({ viewBox: `0 0 ${width} ${height}`, width, height, role: "group", "aria-label": "Map of the located records", class: "map" })) {
    svg.setAttribute(name, value);
  }
  const land = svgEl(svg, "g", { class: "land", transform: `scale(${k}) translate(${-win.x} ${-win.y})`, "aria-hidden": "true" });
  for (const country of BASEMAP.countries) svgEl(land, "path", { d: country.d, "vector-effect": "non-scaling-stroke" });
  const unitsPerKm = BASEMAP.projection.scale / KM_PER_DEGREE;
  const placed = spread(records.map((r) => ({ record: r, at: px(r.at) })));
  for (const { record, at, from } of placed) {
    const link = svgEl(svg, "a", { href: `#map?focus=${encodeURIComponent(record.key)}`, class: `marker k-${record.table}${record.key === focus ? " focused" : ""}`,
      "data-record": record.key, "data-precision": record.row.geo_precision, "aria-label": `${record.kind}: ${record.row.title} (${record.row.geo_precision})` });
    svgEl(link, "title", {}, `${record.row.title} (${record.row.date}, ${record.row.location || record.row.country_iso3}; ${record.row.geo_precision})`);
    if (from) svgEl(link, "line", { x1: from[0], y1: from[1], x2: at[0], y2: at[1], class: "leader" });
    const km = AREA_KM[record.row.geo_precision];
    if (km) svgEl(link, "circle", { cx: from ? from[0] : at[0], cy: from ? from[1] : at[1], r: Math.max(km * unitsPerKm * k, 9), class: "area" });
    if (record.key === focus) svgEl(link, "circle", { cx: at[0], cy: at[1], r: 13, class: "halo" });  // seen at a glance
    marker(link, record.table, at[0], at[1], 6).setAttribute("class", "glyph");
    link.addEventListener("click", (event) => { event.preventDefault(); choose(record.key); });
  }
  return svg;
}

// Markers closer than 14 px are set around a small ring, each with a line to its true place, so
// that every one can be seen and selected (the six sites of the Paris attacks lie within 6 km).
function spread(items) {
  const groups = [];
  for (const item of items) {
    const group = groups.find((g) => Math.hypot(g[0].at[0] - item.at[0], g[0].at[1] - item.at[1]) < 14);
    if (group) group.push(item); else groups.push([item]);
  }
  return groups.flatMap((group) => {
    if (group.length === 1) return group;
    const radius = 10 + group.length * 3;
    return group.map((item, i) => {
      const angle = (2 * Math.PI * i) / group.length - Math.PI / 2;
      return { ...item, from: item.at, at: [item.at[0] + radius * Math.cos(angle), item.at[1] + radius * Math.sin(angle)] };
    });
  });
}

function mapListItem(record, focus, choose) {
  const show = el("button", { type: "button", class: "show-on-map", text: "show on the map" });
  show.addEventListener("click", choose);
  return el("li", { class: record.key === focus ? "focused" : "", "data-record": record.key }, badge(record.table, record.kind), " ",
    idLink(record.table, record.id), ` ${record.row.title} · ${record.row.geo_precision} · `, show);
}

function showDetails(box, record) {
  if (!record) { box.replaceChildren(); return; }
  box.replaceChildren(el("h2", { text: record.row.title }),
    el("p", {}, badge(record.table, record.kind), ` ${record.row.date} · ${record.row.location || ""} ${record.row.country_iso3} · position: ${record.row.geo_precision} (${record.row.latitude}, ${record.row.longitude})`),
    el("p", {}, el("a", { href: recordHref(record.table, record.id), class: "to-record", text: "the record" }), " · ",
      el("a", { href: `#tables/${record.table}?focus=${encodeURIComponent(record.id)}`, class: "to-row", text: "its row" }),
      ...(onTimeline(record.table, record.id) ? [" · ", el("a", { href: `#timeline?focus=${encodeURIComponent(record.key)}`, class: "to-timeline", text: "on the timeline" })] : [])));
}

// ---- downloads and the dataset card ----------------------------------------------------------------

function size(bytes) {
  return bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

// What this build left out (the Excel workbook, without openpyxl), or nothing.
function note() {
  return D.downloads_note ? [el("p", { class: "note", text: D.downloads_note })] : [];
}

function downloadsTable(files) {
  const head = el("tr", {}, ...["file", "what", "size", "SHA-256"].map((h) => el("th", { scope: "col", text: h })));
  const rows = files.map((f) => el("tr", { "data-file": f.name },
    el("td", {}, el("a", { href: f.path, download: f.name, class: "download", text: f.name })),
    el("td", { text: f.table ? `${f.format}, ${f.table}` : f.format }),
    el("td", { text: size(f.bytes), "data-bytes": String(f.bytes) }),
    el("td", {}, el("code", { class: "sha256", text: f.sha256 }))));
  return el("div", { class: "scroll" }, el("table", { class: "downloads" }, el("thead", {}, head), el("tbody", {}, ...rows)));
}

function showDownloads() {
  view.replaceChildren(el("h1", { text: "Downloads" }),
    el("p", {}, `Every file of release ${D.meta.version}, and each table as CSV. Check a file with `, el("code", { text: "sha256sum --check SHA256SUMS" }),
      " (", el("a", { href: "downloads/SHA256SUMS", download: "SHA256SUMS", text: "SHA256SUMS" }), ", for the release files)."),
    ...note(),
    downloadsTable(D.downloads));
}

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
  AOAV.need(["sources", "errata"]);
  const m = D.meta;
  const bib = el("pre", { id: "cite-bibtex", text: D.citation.bibtex });
  const apa = el("pre", { id: "cite-apa", text: D.citation.apa });
  const counts = el("table", { class: "counts" }, el("tr", {}, el("th", { text: "table" }), el("th", { text: "rows" })),
    ...Object.keys(D.tables).map((t) => el("tr", {}, el("td", {}, el("a", { href: `#tables/${t}`, text: t })), el("td", { text: String(D.tables[t].count) }))));
  const coverage = el("table", { class: "coverage" }, el("tr", {}, ...["source", "kind", "accounted", "total", "share"].map((h) => el("th", { text: h }))));
  for (const [source, kinds] of Object.entries(m.coverage || {})) {
    for (const [kind, [done, total]] of Object.entries(kinds)) {
      coverage.append(el("tr", {}, el("td", { text: source }), el("td", { text: kind }), el("td", { text: String(done) }),
        el("td", { text: String(total) }), el("td", { text: `${total ? ((100 * done) / total).toFixed(1) : "100.0"}%` })));
    }
  }
  const documents = el("ul", {}, ...AOAV.rows("sources").filter((s) => s.role !== "external").map((s) =>
    el("li", {}, idLink("sources", s.source_id), ` ${s.title}${s.footnote ? ` (footnote ${s.footnote})` : ""}`)));
  const errata = el("ul", {}, ...AOAV.rows("errata").map((r) =>
    el("li", {}, idLink("errata", r.erratum_id), ` (${r.status}): ${r.explanation}`)));
  view.replaceChildren(el("h1", { text: m.title }), el("p", { text: m.description }),
    el("p", {}, `Version ${m.version} · released ${String(m.created).slice(0, 10)} · licence `,
      ...m.licenses.map((l) => el("a", { href: l.path, text: l.name }))),
    el("h2", { text: "Download" }), el("p", {}, "The whole dataset in each format; each table's own files are on ", el("a", { href: "#downloads", text: "Downloads" }), " and its table's page."),
    ...note(),
    downloadsTable(D.downloads.filter((f) => f.table === null)),
    el("h2", { text: "How to cite" }), el("h3", { text: "BibTeX" }), bib, copyButton(bib), el("h3", { text: "APA" }), apa, copyButton(apa),
    el("h2", { text: "Records" }), counts, el("h2", { text: "Coverage of the source" }), coverage,
    el("h2", { text: "Sources" }), documents, el("h2", { text: "Errata" }), errata);
}

// ---- routing -------------------------------------------------------------------------------------

let redrawOnResize = null;  // the timeline and the map are drawn at the width they are shown

// Run `draw`; if it lacks data files, load them (saying so with `waiting`) and run it again, unless the
// view has changed meanwhile (`current`). Views of data already loaded are drawn at once.
function whenLoaded(draw, current, waiting) {
  try {
    draw();
  } catch (error) {
    if (!(error instanceof AOAV.Missing)) throw error;
    if (waiting) waiting(error.files.length);
    AOAV.loadAll(error.files).then(() => { if (current()) whenLoaded(draw, current, waiting); },
      (failure) => { if (current()) view.replaceChildren(el("h1", { text: "Not loaded" }), el("p", { text: `${failure.message}: is the site's folder complete?` })); });
  }
}

let routeToken = 0;  // a route's data may arrive after the address has changed again

// The view is drawn: `document.body.dataset.ready` tells the tests and the benchmark so.
function route() {
  const token = ++routeToken;
  delete document.body.dataset.ready;
  panelOpener = null;  // the view is redrawn: the highlight that opened the panel is gone
  closePanel();
  redrawOnResize = null;
  const waiting = () => { view.setAttribute("aria-busy", "true"); view.replaceChildren(el("p", { class: "loading", role: "status", text: "Loading…" })); };
  whenLoaded(() => { drawRoute(); view.removeAttribute("aria-busy"); document.body.dataset.ready = "true"; }, () => token === routeToken, waiting);
}

function drawRoute() {
  const raw = location.hash.slice(1);
  const cut = raw.indexOf("?");
  const params = new URLSearchParams(cut < 0 ? "" : raw.slice(cut + 1));
  const [head, ...rest] = decodeURIComponent(cut < 0 ? raw : raw.slice(0, cut)).split("/");
  const tail = rest.join("/");
  if (head === "" || head === "article") showArticle(tail);
  else if (head === "tables") (tail && isTable(tail) ? showTable(tail, params) : showTables());
  else if (head === "timeline") showTimeline(params);
  else if (head === "map") showMap(params);
  else if (head === "search") showSearch(params);
  else if (head === "downloads") showDownloads();
  else if (head === "card") showCard();
  else if (isTable(head) && !tail) showTable(head, params);  // #errata: the table itself
  else if (isTable(head)) showRecord(head, tail);
  else view.replaceChildren(el("h1", { text: "Not found" }), el("p", {}, "No view has this address. ", el("a", { href: "#article", text: "Back to the article" })));
  if (head !== "search") document.getElementById("search-box").value = "";
  document.querySelectorAll("nav a").forEach((a) => a.toggleAttribute("aria-current", a.hash === `#${head || "article"}`));
  if (!tail || head !== "article") view.focus({ preventScroll: true });
}

let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { if (redrawOnResize) redrawOnResize(); }, 150);
});

// The skip link moves focus to the view without changing the address (the address names the view).
document.getElementById("skip").addEventListener("click", (event) => { event.preventDefault(); view.focus(); });

// A link within the site draws its view at once, in the click (a hashchange event would come later).
document.addEventListener("click", (event) => {
  const link = event.target.closest ? event.target.closest("a[href^='#']") : null;
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  if (link.getAttribute("href") === location.hash) return;
  history.pushState(null, "", link.getAttribute("href"));
  route();
});

window.addEventListener("hashchange", route);
window.addEventListener("popstate", route);
route();
