/* govkg view: builds the network and the panels from the JSON payload; DOM text only via textContent. */
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("govkg-data").textContent);
  var model = payload.model;
  var byId = {};
  model.nodes.forEach(function (n) { byId[n.id] = n; });
  var nodes = new vis.DataSet(payload.nodes);
  var edges = new vis.DataSet(payload.edges.map(function (e, i) { e.id = "e" + i; return e; }));
  var container = document.getElementById("net");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, payload.options);
  var status = document.getElementById("status");
  var state = { stabilized: !model.physics, drawn: false };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  network.once("afterDrawing", function () { state.drawn = true; });
  network.on("stabilizationIterationsDone", function () {
    state.stabilized = true;
    network.setOptions({ physics: false });
  });
  status.textContent = model.nodes.length + " nodes, " + model.edges.length + " edges";

  // legend with type filter; the glyph echoes the node's shape
  var SHAPES = { dot: "\u25cf", diamond: "\u25c6", triangle: "\u25b2", square: "\u25a0", star: "\u2605", hexagon: "\u2b22", box: "\u25ac" };
  var hiddenTypes = {};
  var legend = document.getElementById("legend");
  model.legend.forEach(function (t) {
    var label = el("label");
    var box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = t.type; box.className = "type-filter";
    var sw = el("span", SHAPES[t.shape] || "\u25cf", "swatch");
    sw.style.color = t.color;
    var count = model.nodes.filter(function (n) { return n.type === t.type; }).length;
    label.appendChild(box); label.appendChild(sw); label.appendChild(el("span", t.type + " (" + count + ")"));
    box.addEventListener("change", function () { hiddenTypes[t.type] = !box.checked; applyFilters(); });
    legend.appendChild(label);
  });

  function fillSelect(id, values) {
    var sel = document.getElementById(id);
    values.forEach(function (v) { var o = el("option", v); o.value = String(v); sel.appendChild(o); });
    sel.addEventListener("change", applyFilters);
    return sel;
  }
  var docSel = fillSelect("doc", model.documents);
  var yearSel = fillSelect("year", model.years);

  function visible(n) {
    if (hiddenTypes[n.type]) { return false; }
    if (docSel.value && n.documents.length && n.documents.indexOf(docSel.value) < 0) { return false; }
    if (yearSel.value && n.years.length && n.years.indexOf(Number(yearSel.value)) < 0) { return false; }
    return true;
  }
  function applyFilters() {
    var updates = model.nodes.map(function (n) { return { id: n.id, hidden: !visible(n) }; });
    nodes.update(updates);
    var shown = updates.filter(function (u) { return !u.hidden; }).length;
    status.textContent = shown + " of " + model.nodes.length + " nodes shown";
  }

  // the panel: type, facts, source sentences with the mention marked
  var panel = document.getElementById("panel");
  function show(id) {
    var n = byId[id];
    panel.textContent = "";
    if (!n) { return; }
    panel.appendChild(el("h1", n.label));
    if (n.label_en) { panel.appendChild(el("div", n.label_en)); }
    panel.appendChild(el("div", n.type, "type"));
    if (n.facts.length) {
      panel.appendChild(el("h2", "事实 Facts"));
      n.facts.forEach(function (f) {
        var d = el("div", null, "fact");
        d.appendChild(el("b", f[0] + ": "));
        d.appendChild(el("span", f[1]));
        panel.appendChild(d);
      });
    }
    var links = network.getConnectedEdges(id).map(function (eid) { return edges.get(eid); });
    if (links.length) {
      panel.appendChild(el("h2", "关系 Relations"));
      links.forEach(function (e) {
        var other = e.from === id ? e.to : e.from;
        var o = byId[other];
        var line = (e.from === id ? "→ " : "← ") + e.label + " " + (o ? o.label : other);
        var d = el("div", line, "fact");
        d.style.cursor = "pointer";
        d.addEventListener("click", function () { select(other); });
        panel.appendChild(d);
      });
    }
    panel.appendChild(el("h2", "来源 Sources (" + n.mentions.length + ")"));
    n.mentions.forEach(function (m) {
      var box = el("div", null, "mention");
      var s = m.sentence || m.quote || "";
      var a = Math.max(0, (m.start || 0) - (m.sentence_start || 0));
      var b = Math.max(a, (m.end || 0) - (m.sentence_start || 0));
      if (s.substring(a, b) !== m.quote) { a = s.indexOf(m.quote); b = a < 0 ? -1 : a + m.quote.length; }
      if (a >= 0 && b >= a) {
        box.appendChild(document.createTextNode(s.substring(0, a)));
        box.appendChild(el("mark", s.substring(a, b)));
        box.appendChild(document.createTextNode(s.substring(b)));
      } else {
        box.appendChild(document.createTextNode(s));
      }
      box.appendChild(el("div", (m.doc_title || m.doc || "") + " [" + m.start + ", " + m.end + ")", "doc"));
      panel.appendChild(box);
    });
  }
  function select(id) {
    if (!byId[id]) { return false; }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    show(id);
    return true;
  }
  network.on("click", function (params) { if (params.nodes.length) { show(params.nodes[0]); } });

  // search by name: the first match is centred and shown; the others are listed
  var search = document.getElementById("search");
  var hits = document.getElementById("hits");
  function find(q) {
    q = (q || "").trim();
    hits.textContent = "";
    if (!q) { return []; }
    var lq = q.toLowerCase();
    // best first: exact name, then names that start with the query, then any that contain it; shorter first
    function rank(n) {
      var en = (n.label_en || "").toLowerCase();
      if (n.label === q || en === lq) { return 0; }
      if (n.label.indexOf(q) === 0 || en.indexOf(lq) === 0) { return 1; }
      if (n.label.indexOf(q) >= 0 || en.indexOf(lq) >= 0) { return 2; }
      return -1;
    }
    var found = model.nodes.map(function (n) { return [rank(n), n]; })
      .filter(function (r) { return r[0] >= 0; })
      .sort(function (x, y) {
        return x[0] - y[0] || x[1].label.length - y[1].label.length || (x[1].id < y[1].id ? -1 : x[1].id > y[1].id ? 1 : 0);
      })
      .map(function (r) { return r[1]; });
    found.slice(0, 20).forEach(function (n) {
      var d = el("div", n.label + " · " + n.type, "fact");
      d.style.cursor = "pointer";
      d.addEventListener("click", function () { select(n.id); });
      hits.appendChild(d);
    });
    if (found.length) { select(found[0].id); }
    return found.map(function (n) { return n.id; });
  }
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { find(search.value); } });
  search.addEventListener("search", function () { find(search.value); });

  window.govkgView = { network: network, nodes: nodes, state: state, select: select, find: find, applyFilters: applyFilters };
})();
