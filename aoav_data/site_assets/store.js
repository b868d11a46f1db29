// aoav-data site: the data store. index.html carries the manifest (the tables' columns, counts and
// chunks, the filters, the downloads, the list of articles); the rows and the articles are in data files
// that are scripts (a page opened from file:// may not fetch() local files), loaded by a <script src>
// tag when a view needs them, each handing its data to AOAV.chunk, AOAV.index or AOAV.article.
// A view asks for data synchronously; what is not loaded yet throws AOAV.Missing naming the files, and
// the view is drawn again once they are loaded (app.js, whenLoaded).
"use strict";

const AOAV = (() => {
  const M = JSON.parse(document.getElementById("data").textContent);
  const chunks = {};  // table -> chunk number -> rows
  const buckets = {};  // "table.index-b" -> { value: [chunk numbers] }
  const whole = {};  // table -> every row, once every chunk is loaded
  const maps = {};  // "table.index" -> Map(value -> rows), for a table wholly loaded
  const articles = {};
  const pending = {};
  let basemap = null;
  let collecting = null;  // while prefetching: the files found missing (the lookups return nothing)
  for (const table of Object.keys(M.tables)) chunks[table] = [];

  class Missing extends Error {
    constructor(files) { super(`waiting for ${files.length} data files`); this.files = [...new Set(files)]; }
  }

  function missing(files) {
    if (collecting) { collecting.push(...files); return true; }
    throw new Missing(files);
  }

  // FNV-1a over UTF-16 code units, as aoav_data/site_files.py hashes a value to its bucket.
  function fnv(text) {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return h;
  }

  function load(src) {
    if (!pending[src]) {
      pending[src] = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = src;
        script.onload = () => resolve();
        script.onerror = () => { delete pending[src]; script.remove(); reject(new Error(`${src} could not be loaded`)); };
        document.head.append(script);
      });
    }
    return pending[src];
  }

  const chunkFile = (table, n) => `data/${table}-${n}.js`;
  const starts = (table) => M.tables[table].chunks.reduce((acc, n) => [...acc, acc[acc.length - 1] + n], [0]);

  // Every row of a table, in its published order.
  function rows(table) {
    if (whole[table]) return whole[table];
    const absent = M.tables[table].chunks.map((_, n) => n).filter((n) => !chunks[table][n]);
    if (absent.length) return missing(absent.map((n) => chunkFile(table, n))) && [];
    whole[table] = [].concat(...chunks[table]);
    return whole[table];
  }

  const isWhole = (table) => Boolean(whole[table]) || M.tables[table].chunks.every((_, n) => chunks[table][n]);
  const valueOf = (row, columns) => columns.map((c) => row[c]).join("/");

  // The rows whose index value is `value` (the record with this key, the rows about a record...): from
  // memory for a table that is loaded whole, else from the index bucket and the chunks it names.
  function lookup(table, index, value) {
    const columns = M.tables[table].indexes[index].columns;
    if (M.tables[table].eager || isWhole(table)) {
      const all = rows(table);
      const name = `${table}.${index}`;
      if (!maps[name]) {
        maps[name] = new Map();
        for (const row of all) {
          const v = valueOf(row, columns);
          if (!maps[name].has(v)) maps[name].set(v, []);
          maps[name].get(v).push(row);
        }
      }
      return maps[name].get(value) || [];
    }
    const b = fnv(value) % M.tables[table].indexes[index].buckets;
    const file = `data/${table}.${index}-${b}.js`;
    if (!buckets[`${table}.${index}-${b}`]) return missing([file]) && [];
    const where = buckets[`${table}.${index}-${b}`][value] || [];
    const absent = where.filter((n) => !chunks[table][n]);
    if (absent.length) return missing(absent.map((n) => chunkFile(table, n))) && [];
    return where.flatMap((n) => chunks[table][n].filter((row) => valueOf(row, columns) === value));
  }

  // Whether a table has a record with this key, without loading its rows where an index says so.
  function has(table, id) {
    if (!M.tables[table].eager && !isWhole(table)) {
      const b = fnv(id) % M.tables[table].indexes.key.buckets;
      const bucket = buckets[`${table}.key-${b}`];
      if (!bucket) return missing([`data/${table}.key-${b}.js`]) && false;
      return Object.prototype.hasOwnProperty.call(bucket, id);
    }
    return lookup(table, "key", id).length > 0;
  }

  // The rows from `from` to `to` (a page), loading only the chunks that hold them.
  function slice(table, from, to) {
    const at = starts(table);
    const needed = M.tables[table].chunks.map((_, n) => n).filter((n) => at[n] < to && at[n + 1] > from);
    const absent = needed.filter((n) => !chunks[table][n]);
    if (absent.length) return missing(absent.map((n) => chunkFile(table, n))) && [];
    return needed.flatMap((n) => chunks[table][n].map((row, i) => [at[n] + i, row])).filter(([i]) => i >= from && i < to).map(([, row]) => row);
  }

  // A record's place in its table's published order (-1: none).
  function position(table, id) {
    const found = lookup(table, "key", id)[0];
    if (!found) return -1;
    const at = starts(table);
    for (const [n, part] of chunks[table].entries()) {
      const i = part ? part.indexOf(found) : -1;
      if (i >= 0) return at[n] + i;
    }
    return -1;
  }

  function articleOf(sourceId) {
    const entry = M.articles.find((a) => a.source_id === sourceId);
    if (!entry) return null;
    return articles[sourceId] || (missing([entry.path]) && null);
  }

  function baseMap() {
    return basemap || (missing([M.basemap]) && null);
  }

  // Run `fn` noting every file its lookups lack (they return nothing meanwhile); throw them all at once,
  // so that a view's data loads in one go rather than a file at a time.
  function prefetch(fn) {
    const outer = collecting;
    collecting = [];
    let found;
    try { fn(); } finally { found = collecting; collecting = outer; }
    if (found.length) missing(found);
  }

  // Every chunk of these tables (the map, the timeline, search and filters look at every row).
  function need(tables) {
    prefetch(() => tables.forEach((t) => rows(t)));
  }

  return {
    M, Missing, load, rows, lookup, has, slice, position, articleOf, baseMap, prefetch, need,
    loadAll: (files) => Promise.all(files.map(load)),
    chunk(table, n, data) {
      const columns = M.fields[table];
      chunks[table][n] = data.map((values) => { const row = {}; columns.forEach((c, i) => { row[c] = values[i]; }); return row; });
    },
    index(table, index, b, data) { buckets[`${table}.${index}-${b}`] = data; },
    article(data) { articles[data.source_id] = data; },
    basemap(data) { basemap = data; },
  };
})();
