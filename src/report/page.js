// The report page: a sortable, filterable document table drawn a page of rows at a time,
// and one document's lines drawn only when it is opened. The state (filters, sort, open
// document, view) lives in the URL hash, so a link or a test can open any view directly:
// #rule=ID&site=HOST&sort=share|in|id&doc=N&view=inline|side&q=TEXT
(function () {
  "use strict";
  var index = JSON.parse(document.getElementById("index").textContent);
  var RULES = index.rules, SITES = index.sites, DOCS = index.docs;
  var PAGE = 200;
  var shown = PAGE;
  // The document last drawn, so redrawing it (another view) does not scroll.
  var opened = -1;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var key in attrs) {
        if (key === "text") node.textContent = attrs[key];
        else if (key === "onclick") node.onclick = attrs[key];
        else node.setAttribute(key, attrs[key]);
      }
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function num(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function share(d) { return d[2] ? d[4] / d[2] : 0; }

  function state() {
    var s = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      if (!part) return;
      var eq = part.indexOf("=");
      var key = eq < 0 ? part : part.slice(0, eq);
      s[decodeURIComponent(key)] = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1));
    });
    return s;
  }

  function setState(changes) {
    var s = state();
    for (var key in changes) {
      if (changes[key] === null || changes[key] === "") delete s[key];
      else s[key] = changes[key];
    }
    var parts = [];
    for (var k in s) parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(s[k]));
    location.hash = parts.join("&");
  }

  function ruleIndex(id) {
    for (var i = 0; i < RULES.length; i++) if (RULES[i][0] === id) return i;
    return -1;
  }

  function filtered(s) {
    var rule = s.rule ? ruleIndex(s.rule) : null;
    var site = s.site ? SITES.indexOf(s.site) : null;
    var q = (s.q || "").toLowerCase();
    var rows = [];
    for (var i = 0; i < DOCS.length; i++) {
      var d = DOCS[i];
      if (rule !== null && d[5].indexOf(rule) < 0) continue;
      if (site !== null && d[1] !== site) continue;
      if (q && d[0].toLowerCase().indexOf(q) < 0) continue;
      rows.push(i);
    }
    var sort = s.sort || "share";
    rows.sort(function (a, b) {
      var x = DOCS[a], y = DOCS[b];
      if (sort === "in") return y[2] - x[2] || a - b;
      if (sort === "id") return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0;
      return share(y) - share(x) || a - b;
    });
    return rows;
  }

  function select(id, label, options, value, key) {
    var sel = el("select", { id: id, "aria-label": label });
    sel.appendChild(el("option", { value: "", text: "all " + label + "s" }));
    options.forEach(function (o) {
      var opt = el("option", { value: o, text: o });
      if (o === value) opt.selected = true;
      sel.appendChild(opt);
    });
    sel.onchange = function () { shown = PAGE; var c = {}; c[key] = sel.value; setState(c); };
    return sel;
  }

  function drawTable(s) {
    var section = document.getElementById("documents");
    var rows = filtered(s);
    var rulesWithBytes = RULES.map(function (r) { return r[0]; }).sort();
    var sitesSorted = SITES.slice().sort();
    var search = el("input", { type: "search", id: "q", placeholder: "id contains", value: s.q || "" });
    search.onchange = function () { shown = PAGE; setState({ q: search.value }); };
    var controls = el("div", { class: "controls" }, [
      select("rule-filter", "rule", rulesWithBytes, s.rule || "", "rule"),
      select("site-filter", "site", sitesSorted, s.site || "", "site"),
      search,
      el("span", { id: "doc-count", "data-count": rows.length,
        text: num(rows.length) + " of " + num(DOCS.length) + " documents" })
    ]);
    function header(text, key, cls) {
      var attrs = { text: text + ((s.sort || "share") === key ? " \u25BE" : "") };
      if (key) {
        attrs["class"] = "sortable " + (cls || "");
        attrs.onclick = function () { setState({ sort: key }); };
      } else if (cls) attrs["class"] = cls;
      return el("th", attrs);
    }
    var table = el("table", { id: "doc-table" }, [
      el("thead", null, [el("tr", null, [
        header("document", "id"), header("site"), header("share removed", "share", "num"),
        header("bytes in", "in", "num"), header("bytes out", null, "num"),
        header("rules"), header("copy of")
      ])])
    ]);
    var body = el("tbody");
    var open = s.doc === undefined ? -1 : Number(s.doc);
    rows.slice(0, shown).forEach(function (n) {
      var d = DOCS[n];
      var tr = el("tr", { class: "doc" + (n === open ? " open" : ""), "data-doc": n }, [
        el("td", { text: d[0], title: d[10] || "" }),
        el("td", { text: SITES[d[1]] }),
        el("td", { class: "num", text: (100 * share(d)).toFixed(1) + "%" }),
        el("td", { class: "num", text: num(d[2]) }),
        el("td", { class: "num", text: num(d[3]) }),
        el("td", { text: d[5].map(function (r) { return RULES[r][0]; }).join(", ") }),
        el("td", { text: d[6] || "" })
      ]);
      tr.onclick = function () { setState({ doc: String(n) }); };
      body.appendChild(tr);
    });
    table.appendChild(body);
    section.replaceChildren(el("h2", { text: "Documents" }), controls, table);
    if (rows.length > shown) {
      section.appendChild(el("button", { id: "more", text: "show " + Math.min(PAGE, rows.length - shown) + " more",
        onclick: function () { shown += PAGE; drawTable(state()); } }));
    }
  }

  function label(r, why) {
    var rule = RULES[r] || ["?", ""];
    return el("span", { class: "label", "data-rule": rule[0], title: rule[1] + (why ? "\n\nwhy: " + why : ""), text: rule[0] });
  }

  function lineNo(n) { return el("span", { class: "no", text: String(n) }); }

  function inline(items, whys) {
    var box = el("div", { class: "lines", id: "inline" });
    var line = 1;
    items.forEach(function (item) {
      if (typeof item === "string") {
        box.appendChild(el("div", { class: "line kept" }, [lineNo(line), el("span", { text: item })]));
        line += 1;
        return;
      }
      var text = item[4].replace(/\n$/, "");
      var span = el("div", { class: "line removed", "data-rule": RULES[item[0]] ? RULES[item[0]][0] : "" }, [
        lineNo(item[1] === item[2] ? item[1] : item[1] + "\u2013" + item[2]),
        el("span", null, [el("del", { text: text }), label(item[0], whys[item[3]])])
      ]);
      box.appendChild(span);
      line = item[2] + 1;
    });
    return box;
  }

  function side(items, whys) {
    var box = el("div", { class: "lines side", id: "side" });
    box.appendChild(el("div", { text: "page text" }));
    box.appendChild(el("div", { text: "clean text" }));
    items.forEach(function (item) {
      if (typeof item === "string") {
        box.appendChild(el("div", { text: item }));
        box.appendChild(el("div", { text: item }));
        return;
      }
      box.appendChild(el("div", { class: "removed" }, [el("del", { text: item[4].replace(/\n$/, "") }), label(item[0], whys[item[3]])]));
      box.appendChild(el("div", { class: "gap" }));
    });
    return box;
  }

  function diffView(text) {
    var box = el("div", { class: "lines diff", id: "comparison" });
    text.split("\n").forEach(function (line) {
      var cls = line.charAt(0) === "+" ? "add" : line.charAt(0) === "-" ? "del" : line.charAt(0) === "@" ? "hunk" : "";
      box.appendChild(el("div", { class: cls, text: line }));
    });
    return box;
  }

  function drawDetail(s) {
    var section = document.getElementById("detail");
    if (s.doc === undefined || !DOCS[Number(s.doc)]) { section.replaceChildren(); opened = -1; return; }
    var n = Number(s.doc), d = DOCS[n];
    var data = JSON.parse(document.getElementById("d" + n).textContent);
    var view = s.view === "side" ? "side" : "inline";
    function tab(name, text) {
      return el("button", { class: "tab", "aria-pressed": String(view === name), text: text,
        onclick: function () { setState({ view: name }); } });
    }
    var parts = [
      el("h2", { id: "detail-title", text: d[0] }),
      el("p", { text: [SITES[d[1]], d[9], d[8]].filter(Boolean).join(" \u00B7 ") +
        " \u2014 " + num(d[2]) + " bytes in, " + num(d[3]) + " out, " + (100 * share(d)).toFixed(1) + "% removed" }),
      el("div", { class: "controls" }, [tab("inline", "page text, removals struck"), tab("side", "side by side"),
        el("button", { text: "close", onclick: function () { setState({ doc: null }); } })])
    ];
    if (data.note) parts.push(el("p", { class: "note", text: data.note }));
    if (d[6]) {
      parts.push(el("p", { text: "A copy of " + d[6] + " (similarity " + d[7] + ")." }));
      if (data.comparison) parts.push(el("h3", { text: "Differences from the kept copy" }), diffView(data.comparison));
    }
    parts.push(view === "side" ? side(data.items, data.whys) : inline(data.items, data.whys));
    section.replaceChildren.apply(section, parts);
    if (opened !== n) section.scrollIntoView();
    opened = n;
  }

  function drawClusters() {
    var section = document.getElementById("clusters");
    var clusters = index.clusters;
    if (!clusters.length) { section.appendChild(el("p", { text: "No copies found (or deduplication was off)." })); return; }
    var byId = {};
    DOCS.forEach(function (d, n) { byId[d[0]] = n; });
    function link(id, text) {
      if (byId[id] === undefined) return el("span", { text: text });
      return el("a", { href: "#doc=" + byId[id], text: text,
        onclick: function (e) { e.preventDefault(); setState({ doc: String(byId[id]) }); } });
    }
    var list = el("ul", { id: "cluster-list" });
    clusters.slice(0, 500).forEach(function (c) {
      var members = el("ul");
      c.members.forEach(function (m) {
        members.appendChild(el("li", null, [link(m.id, m.id),
          el("span", { text: " similarity " + m.similarity + ", containment " + m.containment + (m.exact ? ", same words" : "") })]));
      });
      list.appendChild(el("li", { class: "cluster" }, [el("span", { text: "kept: " }),
        link(c.kept, c.kept + (c.kept_from_index ? " (from the index)" : "")), members]));
    });
    section.appendChild(list);
    if (clusters.length > 500) section.appendChild(el("p", { text: (clusters.length - 500) + " more stories in duplicates.jsonl" }));
  }

  function draw() {
    var s = state();
    drawTable(s);
    drawDetail(s);
  }

  window.addEventListener("hashchange", draw);
  drawClusters();
  draw();
})();
