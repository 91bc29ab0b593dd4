// paperkg explorer: search as you type (home page) and the neighbourhood graph (entity pages).
// Every value from the server is inserted with textContent, never as markup.
(function () {
  "use strict";

  function badge(label) {
    var span = document.createElement("span");
    span.className = "badge t-" + String(label).toLowerCase();
    span.textContent = label;
    return span;
  }

  function liveSearch() {
    var input = document.getElementById("live-search");
    var list = document.getElementById("live-results");
    var type = document.getElementById("live-type");
    if (!input || !list) return;
    var timer = null, seq = 0;
    function run() {
      var q = input.value.trim(), mine = ++seq;
      if (!q) { list.replaceChildren(); return; }
      var url = "/search?format=json&limit=12&q=" + encodeURIComponent(q);
      if (type && type.value) url += "&type=" + encodeURIComponent(type.value);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (mine !== seq) return;  // an older answer arriving late
          var items = data.results.map(function (h) {
            var li = document.createElement("li");
            li.className = "hit";
            var a = document.createElement("a");
            a.href = h.href;
            a.textContent = h.name;
            li.append(badge(h.type), " ", a);
            if (h.matched !== h.name) {
              var m = document.createElement("span");
              m.className = "muted";
              m.textContent = " (" + h.kind + ": " + h.matched + ")";
              li.append(m);
            }
            if (h.type !== "Paper") {
              var n = document.createElement("span");
              n.className = "muted";
              n.textContent = " " + h.papers + (h.papers === 1 ? " paper" : " papers");
              li.append(n);
            }
            return li;
          });
          if (!items.length) {
            var none = document.createElement("li");
            none.className = "muted";
            none.textContent = "No match.";
            items = [none];
          }
          list.replaceChildren.apply(list, items);
        })
        .catch(function () {});
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
    if (type) type.addEventListener("change", run);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        var first = list.querySelector("a");
        if (first) { window.location.href = first.href; }
      }
    });
  }

  var COLOURS = { Method: "#2b7bb9", Model: "#d9822b", Dataset: "#3c9a5f", Hardware: "#8e44ad", Task: "#c0392b",
                  Paper: "#7f8c8d" };

  function graph() {
    var box = document.getElementById("graph");
    var data = document.getElementById("graph-data");
    if (!box || !data || typeof cytoscape === "undefined") return;
    var g = JSON.parse(data.textContent);
    var elements = g.nodes.map(function (n) {
      return { group: "nodes", data: { id: n.id, label: n.label, type: n.type, href: n.href, center: !!n.center } };
    }).concat(g.edges.map(function (e) {
      return { group: "edges", data: { id: e.id, source: e.source, target: e.target, rel: e.rel } };
    }));
    var cy = cytoscape({
      container: box,
      elements: elements,
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: {
            "background-color": function (n) { return COLOURS[n.data("type")] || "#999"; },
            "label": function (n) { var l = n.data("label"); return l.length > 32 ? l.slice(0, 31) + "…" : l; },
            "font-size": 9, "color": "#1d2430", "text-valign": "bottom", "text-margin-y": 3,
            "width": 16, "height": 16 } },
        { selector: "node[?center]", style: { "width": 30, "height": 30, "font-size": 12, "font-weight": "bold",
            "border-width": 3, "border-color": "#1d2430" } },
        { selector: "edge", style: { "width": 1, "line-color": "#cbd5e1", "curve-style": "haystack" } },
        { selector: "edge[rel = 'BASED_ON'], edge[rel = 'OUTPERFORMS'], edge[rel = 'TRAINED_ON']", style: {
            "width": 2, "line-color": "#64748b", "curve-style": "bezier", "target-arrow-shape": "triangle",
            "target-arrow-color": "#64748b" } }
      ],
      // deterministic: the node in the middle, entities on the inner ring, papers on the outer one
      layout: { name: "concentric",
                concentric: function (n) { return n.data("center") ? 3 : (n.data("type") === "Paper" ? 1 : 2); },
                levelWidth: function () { return 1; }, minNodeSpacing: 18, animate: false }
    });
    cy.on("tap", "node", function (evt) {
      var href = evt.target.data("href");
      if (href && !evt.target.data("center")) window.location.href = href;
    });
    cy.on("mouseover", "node", function () { box.style.cursor = "pointer"; });
    cy.on("mouseout", "node", function () { box.style.cursor = ""; });
    window.kgGraph = cy;  // for the browser tests and the curious
  }

  document.addEventListener("DOMContentLoaded", function () { liveSearch(); graph(); });
})();
