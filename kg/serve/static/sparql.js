// The query page: examples, and results rendered with textContent (never as markup).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("sparql-form");
    var query = document.getElementById("query");
    var select = document.getElementById("example");
    var result = document.getElementById("result");
    var status = document.getElementById("status");
    var examples = JSON.parse(document.getElementById("examples").textContent);
    select.addEventListener("change", function () { query.value = examples[select.value] || ""; });

    function cell(term) {
      var td = document.createElement("td");
      if (!term) return td;
      if (term.type === "uri") {
        var a = document.createElement("a");
        a.textContent = term.value;
        var base = form.getAttribute("data-base") || "";
        // the graph's own IRIs open here; others are links only when they are http(s)
        if (base && term.value.indexOf(base) === 0) a.href = "/" + term.value.slice(base.length);
        else if (/^https?:\/\//.test(term.value)) a.href = term.value;
        td.append(a);
      } else {
        td.textContent = term.value;
      }
      return td;
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      status.textContent = "running…";
      var t0 = performance.now();
      fetch("/sparql", { method: "POST", body: new URLSearchParams({ query: query.value }),
                         headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" } })
        .then(function (r) {
          return r.text().then(function (text) { return { ok: r.ok, status: r.status, type: r.headers.get("Content-Type") || "", text: text }; });
        })
        .then(function (r) {
          var ms = Math.round(performance.now() - t0);
          result.replaceChildren();
          if (!r.ok || r.type.indexOf("json") < 0) {
            var pre = document.createElement("pre");
            pre.textContent = r.text;
            result.append(pre);
            status.textContent = (r.ok ? "" : "HTTP " + r.status + " · ") + ms + " ms";
            return;
          }
          var data = JSON.parse(r.text);
          if (typeof data.boolean === "boolean") {
            result.textContent = String(data.boolean);
            status.textContent = ms + " ms";
            return;
          }
          var vars = data.head.vars, table = document.createElement("table");
          var head = document.createElement("tr");
          vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.append(th); });
          table.append(head);
          data.results.bindings.forEach(function (b) {
            var tr = document.createElement("tr");
            vars.forEach(function (v) { tr.append(cell(b[v])); });
            table.append(tr);
          });
          result.append(table);
          status.textContent = data.results.bindings.length + " rows · " + ms + " ms";
        })
        .catch(function (err) { status.textContent = String(err); });
    });
  });
})();
