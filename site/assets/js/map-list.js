/* The network map's text list: the places in scope as a sortable, searchable, paged table with
 * the same open-now line as the popups, for keyboard and screen-reader users.
 * Exposed as window.hccMapList.create(state, page); map.js owns `state` (filter, sort, page, q,
 * wards, all, loadingAll) and gives `page`: {el, kindNames, agentPage, openState, matches,
 * bounds() (the map's view), show(rec) (the place on the map)}. */
(function () {
  "use strict";

  var PAGE_SIZE = 20;

  function fold(text) {
    if (window.hccSearch) return window.hccSearch.fold(text);
    return text.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/\p{M}/gu, "");
  }

  function byId(id) { return document.getElementById(id); }

  function create(state, page) {
    var el = page.el;
    var lastScopeRecords = null;

    function sortValue(rec, key) {
      if (key === "k") return "bra".indexOf(rec.k) + " " + fold(rec.n);
      if (key === "w") return fold(state.wards[rec.w] || rec.w) + " " + fold(rec.n);
      if (key === "o") return (page.openState(rec).open ? "0 " : "1 ") + fold(rec.n);
      return fold(rec.n);
    }

    function inScope(records) {
      if (!records) {
        return {
          records: state.offices.filter(page.matches),
          note: state.loadingAll ? " (đang tải danh sách đại lý…)" :
            ". Có nhiều đại lý: chọn một xã, phường hoặc phóng to bản đồ để liệt kê đại lý"
        };
      }
      var scoped = records.filter(page.matches);
      if (state.all || state.filter.ward) return { records: scoped, note: "" };
      var view = page.bounds();
      return {
        records: scoped.filter(function (r) { return view.contains([r.y, r.x]); }),
        note: " trong vùng bản đồ đang xem"
      };
    }

    /* The list for `records` (null: only the offices; agents are in precomputed clusters). */
    function update(records) {
      lastScopeRecords = records;
      var scope = inScope(records);
      var seen = {};
      var scoped = scope.records.filter(function (r) {
        var key = r.k + r.i;
        if (seen[key]) return false;
        seen[key] = true;
        return true;
      });
      if (state.q) {
        var q = fold(state.q);
        scoped = scoped.filter(function (r) { return fold(r.n + " " + r.a).indexOf(q) !== -1; });
      }
      var key = state.sort.key;
      var dir = state.sort.dir;
      var keyed = scoped.map(function (r) { return [sortValue(r, key), r]; });
      keyed.sort(function (x, y) { return x[0] < y[0] ? -dir : x[0] > y[0] ? dir : 0; });
      state.listRecords = keyed.map(function (p) { return p[1]; });
      state.listNote = scope.note;
      var pages = Math.max(1, Math.ceil(state.listRecords.length / PAGE_SIZE));
      state.page = Math.min(state.page, pages - 1);
      renderPage();
    }

    function row(rec) {
      var show = el("button", { type: "button", class: "hcc-placelist__show" }, ["Xem trên bản đồ"]);
      show.addEventListener("click", function () { page.show(rec); });
      var open = page.openState(rec);
      var name = el("strong", { text: rec.n });
      return el("tr", { "data-kind": rec.k, "data-id": rec.i }, [
        el("td", {}, [
          rec.k === "a" ? el("a", { href: page.agentPage(rec) }, [name]) : name,
          rec.d ? el("span", { class: "hcc-demo-tag", text: " minh họa" }) : null, el("br"), show
        ]),
        el("td", { text: page.kindNames[rec.k] }),
        el("td", { text: state.wards[rec.w] || rec.w }),
        el("td", { text: rec.a }),
        el("td", {}, [el("span", { class: open.open ? "hcc-open" : "hcc-closed", text: open.text })]),
        el("td", {}, rec.p ? [el("a", { href: "tel:" + rec.p.replace(/\s+/g, "") }, [rec.p])] : [])
      ]);
    }

    function renderPage() {
      var body = byId("hcc-list-body");
      var total = state.listRecords.length;
      var pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      var start = state.page * PAGE_SIZE;
      var rows = state.listRecords.slice(start, start + PAGE_SIZE);
      body.textContent = "";
      rows.forEach(function (rec) { body.appendChild(row(rec)); });
      byId("hcc-list-page").textContent = "Trang " + (state.page + 1) + " / " + pages;
      byId("hcc-list-prev").disabled = state.page === 0;
      byId("hcc-list-next").disabled = state.page >= pages - 1;
      byId("hcc-list-status").textContent = total === 0 ?
        "Không có điểm nào theo bộ lọc" + state.listNote + "." :
        "Hiển thị " + (start + 1) + "–" + (start + rows.length) + " trong " + total + " điểm" + state.listNote + ".";
    }

    function sortBy(key) {
      state.sort = { key: key, dir: state.sort.key === key ? -state.sort.dir : 1 };
      document.querySelectorAll("#hcc-list-table th[aria-sort]").forEach(function (th) {
        var k = th.querySelector("button").getAttribute("data-sort");
        th.setAttribute("aria-sort", k !== key ? "none" : state.sort.dir > 0 ? "ascending" : "descending");
      });
      state.page = 0;
      update(lastScopeRecords);
    }

    /* The search box, the sortable headers and the pager. */
    function wire() {
      byId("hcc-list-q").addEventListener("input", function (e) {
        state.q = e.target.value.trim();
        state.page = 0;
        update(lastScopeRecords);
      });
      document.querySelectorAll("#hcc-list-table th button").forEach(function (button) {
        button.addEventListener("click", function () { sortBy(button.getAttribute("data-sort")); });
      });
      byId("hcc-list-prev").addEventListener("click", function () {
        state.page = Math.max(0, state.page - 1);
        renderPage();
      });
      byId("hcc-list-next").addEventListener("click", function () {
        state.page += 1;
        renderPage();
      });
    }

    return { update: update, wire: wire };
  }

  window.hccMapList = { create: create };
})();
