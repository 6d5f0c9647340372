/* Diacritics-insensitive procedure search for the citizen site.
 * Mirrors catalog/search.py: same folding, same tokens, same scoring.
 * Every form with [data-hcc-search] gets live results; the form still works without
 * JavaScript (it submits to the procedure index page). */
(function () {
  "use strict";

  var TOKEN = /[a-z0-9]+(?:\.[0-9]+[a-z]?)?/g;
  var LEVEL = {
    full_online: "Toàn trình",
    partial_online: "Một phần trực tuyến",
    offline: "Trực tiếp"
  };

  function fold(text) {
    return text.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/\p{M}/gu, "");
  }

  function tokens(text) {
    return fold(text).match(TOKEN) || [];
  }

  function hit(words, token, prefix) {
    for (var i = 0; i < words.length; i++) {
      if (words[i] === token || (prefix && words[i].indexOf(token) === 0)) return true;
    }
    return false;
  }

  function score(entry, query) {
    var q = tokens(query).join(" ");
    if (!q) return 0;
    if (q === fold(entry.k)) return 1000;
    var qt = q.split(" ");
    var name = entry.a.split(" ");
    var keys = entry.b.replace(/\|/g, " ").split(" ").filter(Boolean);
    var other = entry.c.split(" ");
    var total = 0;
    for (var i = 0; i < qt.length; i++) {
      var prefix = i === qt.length - 1;
      if (hit(name, qt[i], prefix)) total += 3;
      else if (hit(keys, qt[i], prefix)) total += 2;
      else if (hit(other, qt[i], prefix)) total += 1;
      else return 0;
    }
    if (entry.a.indexOf(q) !== -1) total += 5 + (entry.a.indexOf(q) === 0 ? 5 : 0);
    else if (entry.b.split(" | ").some(function (k) { return k.indexOf(q) !== -1; })) total += 4;
    if (entry.p) total += 2;
    return total - name.length * 0.01;
  }

  function search(index, query, limit) {
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var s = score(index[i], query);
      if (s > 0) hits.push([s, index[i]]);
    }
    hits.sort(function (x, y) {
      return y[0] - x[0] || (x[1].a < y[1].a ? -1 : x[1].a > y[1].a ? 1 : 0);
    });
    return hits.slice(0, limit).map(function (h) { return h[1]; });
  }

  var base = (function () {
    var config = document.getElementById("__config");
    try { return JSON.parse(config.textContent).base || "."; } catch (e) { return "."; }
  })();
  var indexPromise = null;
  function loadIndex() {
    if (!indexPromise) {
      indexPromise = fetch(base + "/assets/search-index.json").then(function (r) {
        if (!r.ok) throw new Error("search index: HTTP " + r.status);
        return r.json();
      });
    }
    return indexPromise;
  }

  function renderList(list, results, query) {
    list.textContent = "";
    results.forEach(function (entry, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = list.id + "-" + i;
      var a = document.createElement("a");
      a.href = base + "/" + entry.u;
      a.className = "hcc-result";
      var title = document.createElement("span");
      title.className = "hcc-result__name";
      title.textContent = entry.n;
      var meta = document.createElement("span");
      meta.className = "hcc-result__meta";
      meta.textContent = entry.f + " · " + (LEVEL[entry.o] || "") + (/^\d/.test(entry.k) ? " · " + entry.k : "");
      a.appendChild(title);
      a.appendChild(meta);
      li.appendChild(a);
      list.appendChild(li);
    });
    if (!results.length && query) {
      var empty = document.createElement("li");
      empty.className = "hcc-result--empty";
      empty.textContent = "Không tìm thấy thủ tục phù hợp. Hãy thử từ khóa khác hoặc gọi 1022.";
      list.appendChild(empty);
    }
  }

  function attach(form) {
    var input = form.querySelector("input[name=q]");
    var list = form.querySelector("[data-hcc-results]");
    var status = form.querySelector("[data-hcc-status]");
    var limit = parseInt(form.getAttribute("data-hcc-limit") || "8", 10);
    function run() {
      var query = input.value.trim();
      if (!query) { list.textContent = ""; if (status) status.textContent = ""; return; }
      loadIndex().then(function (index) {
        if (input.value.trim() !== query) return;
        var results = search(index, query, limit);
        renderList(list, results, query);
        if (status) status.textContent = results.length + " thủ tục phù hợp";
      }).catch(function () {
        if (status) status.textContent = "Không tải được dữ liệu tìm kiếm.";
      });
    }
    input.addEventListener("input", run);
    input.addEventListener("focus", loadIndex);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        var first = list.querySelector("a");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
    list.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var i = links.indexOf(document.activeElement);
      if (i === -1) return;
      if (event.key === "ArrowDown" && i < links.length - 1) { event.preventDefault(); links[i + 1].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (i ? links[i - 1] : input).focus(); }
      if (event.key === "Escape") { input.focus(); list.textContent = ""; }
    });
    var params = new URLSearchParams(window.location.search);
    if (form.hasAttribute("data-hcc-from-url") && params.get("q")) {
      input.value = params.get("q");
      run();
    }
  }


  /* A procedure picker (ARIA combobox over the search index), shared by the agent console
   * and the nearest page. opts: input, list, status, idPrefix, meta(entry) -> text,
   * onInput(query) before suggesting, onChoose(entry), failMessage, enterAlwaysPrevents
   * (true where Enter must never submit the surrounding form). Returns {close}. */
  function combobox(opts) {
    var input = opts.input;
    var list = opts.list;
    var results = [];
    var active = -1;

    function el(parent, tag, text, cls) {
      var node = document.createElement(tag);
      if (text) node.textContent = text;
      if (cls) node.className = cls;
      parent.appendChild(node);
      return node;
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(entry) {
      opts.onChoose(entry);
      close();
    }

    function highlight(i) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (i + options.length) % options.length;
      options.forEach(function (o, j) { o.setAttribute("aria-selected", j === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function renderOptions() {
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      results.forEach(function (entry, i) {
        var li = el(list, "li");
        li.id = opts.idPrefix + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        el(li, "span", entry.n, "hcc-combo__name");
        el(li, "span", opts.meta(entry), "hcc-combo__meta");
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });
        li.addEventListener("click", function () { choose(entry); input.focus(); });
      });
      list.hidden = !results.length;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
    }

    input.addEventListener("input", function () {
      var query = input.value.trim();
      if (opts.onInput) opts.onInput(query);
      if (query.length < 2) { close(); opts.status.textContent = ""; return; }
      loadIndex().then(function (index) {
        if (input.value.trim() !== query) return;
        results = search(index, query, 8);
        renderOptions();
        opts.status.textContent = results.length
          ? results.length + " thủ tục phù hợp. Dùng phím mũi tên để chọn."
          : "Không tìm thấy thủ tục phù hợp. Hãy thử từ khóa khác.";
      }, function () { opts.status.textContent = opts.failMessage; });
    });
    input.addEventListener("focus", function () { loadIndex().catch(function () {}); });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden && results.length && input.value.trim().length >= 2) renderOptions();
        if (list.hidden) return;
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && (opts.enterAlwaysPrevents || (!list.hidden && active >= 0))) {
        event.preventDefault();
        if (!list.hidden && active >= 0) choose(results[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    return { close: close };
  }

  document.querySelectorAll("form[data-hcc-search]").forEach(attach);

  /* Shared with the other pages' scripts (e.g. the agent console's procedure picker). */
  window.hccSearch = { fold: fold, search: search, loadIndex: loadIndex, base: base, combobox: combobox };
})();
