/* The network map page ("Bản đồ mạng lưới"): branches, reception points and agents on a
 * self-hosted Leaflet map, with filters, popups with open-now, and an equivalent text list.
 *
 * Data: assets/places/ written at build time (format in agents_registry/place_export.py).
 * - Small network (≤ SMALL places): every cell is loaded once, agents are grouped in the page
 *   with the same grid as the build, and agents are refreshed from GET /api/v1/agents when
 *   the API answers (a newly approved agent shows without a rebuild).
 * - Large network: the clusters precomputed for the current zoom (clusters/z<z>.json); from
 *   the first zoom without precomputed clusters, or with a ward selected, the cells in view (or
 *   the ward's cells) are loaded and grouped here. No API refresh (the build is the source).
 * Only the clusters and places inside the view get a DOM marker. */
(function () {
  "use strict";

  /* Tests and the benchmark may lower the limit (window.hccMapSmallLimit) before loading. */
  var SMALL = typeof window.hccMapSmallLimit === "number" ? window.hccMapSmallLimit : 5000;
  var PAGE_SIZE = 20;
  var API_PAGE_SIZE = 500;
  var DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  var DAY_NAMES = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"];
  var KIND_NAMES = { b: "Chi nhánh", r: "Điểm tiếp nhận", a: "Đại lý" };
  var HANOI_OFFSET_MS = 7 * 3600 * 1000;

  var root = document.getElementById("hcc-netmap");
  var listRoot = document.getElementById("hcc-place-list");
  if (!root || !listRoot || !window.L) return;
  root.hidden = false;
  listRoot.hidden = false;

  var base = (window.hccSearch && window.hccSearch.base) || (function () {
    var config = document.getElementById("__config");
    try { return JSON.parse(config.textContent).base || "."; } catch (e) { return "."; }
  })();
  var apiMeta = document.querySelector('meta[name="hcc-api"]');
  var api = ((apiMeta && apiMeta.content) || "/api/v1").replace(/\/+$/, "");
  var dataUrl = base + "/assets/places/";

  var state = {
    index: null,
    fields: {},
    wards: {},
    offices: [],
    all: null,          /* small network: every record, agents refreshed from the API */
    cells: {},          /* large network: cell key -> Promise of records */
    clusterFiles: {},   /* zoom -> Promise of precomputed clusters */
    holidays: {},
    live: false,
    filter: { kinds: { a: true, b: true, r: true }, ward: "", field: "" },
    sort: { key: "n", dir: 1 },
    page: 0,
    q: "",
    listRecords: [],
    renderToken: 0
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function fold(text) {
    if (window.hccSearch) return window.hccSearch.fold(text);
    return text.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/\p{M}/gu, "");
  }

  function getJSON(url, options) {
    return fetch(url, options).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }

  function status(text) { document.getElementById("hcc-map-status").textContent = text; }

  /* --- Open now, in Hanoi time (mirrors agents_registry/hours.py) ----------------------- */

  function hanoiDay(offsetDays, now) {
    var d = new Date(now + HANOI_OFFSET_MS + offsetDays * 86400000);
    return { iso: d.toISOString().slice(0, 10), weekday: (d.getUTCDay() + 6) % 7, date: d };
  }

  function minutes(hhmm) {
    var parts = hhmm.split(":");
    return Number(parts[0]) * 60 + Number(parts[1]);
  }

  function closedReason(rec, iso) {
    for (var i = 0; i < (rec.c || []).length; i++) {
      if (rec.c[i][0] <= iso && iso <= rec.c[i][1]) return rec.c[i][2];
    }
    return state.holidays[iso] ? "Nghỉ lễ: " + state.holidays[iso] : null;
  }

  /* {open, closes: "YYYY-MM-DD HH:MM" | undefined, opens: ... | undefined, text}. */
  function openState(rec, now) {
    now = now === undefined ? Date.now() : now;
    var today = hanoiDay(0, now);
    var local = new Date(now + HANOI_OFFSET_MS);
    var nowMin = local.getUTCHours() * 60 + local.getUTCMinutes() + local.getUTCSeconds() / 60;
    var reason = closedReason(rec, today.iso);
    var ranges = rec.h[DAYS[today.weekday]] || [];
    if (!reason) {
      for (var i = 0; i < ranges.length; i++) {
        var r = ranges[i].split("-");
        if (minutes(r[0]) <= nowMin && nowMin < minutes(r[1])) {
          return { open: true, closes: today.iso + " " + r[1], text: "Đang mở cửa, đến " + r[1] };
        }
      }
    }
    for (var offset = 0; offset <= 14; offset++) {
      var day = hanoiDay(offset, now);
      if (closedReason(rec, day.iso)) continue;
      var dayRanges = rec.h[DAYS[day.weekday]] || [];
      for (var j = 0; j < dayRanges.length; j++) {
        var start = dayRanges[j].split("-")[0];
        if (offset > 0 || minutes(start) > nowMin) {
          var when = offset === 0 ? "hôm nay" : offset === 1 ? "ngày mai" :
            DAY_NAMES[day.weekday] + " " + day.iso.slice(8, 10) + "/" + day.iso.slice(5, 7);
          return {
            open: false,
            opens: day.iso + " " + start,
            text: "Đang đóng cửa" + (reason ? " (" + reason + ")" : "") + ", mở lại " + start + " " + when
          };
        }
      }
    }
    return { open: false, text: "Đang đóng cửa" + (reason ? " (" + reason + ")" : "") };
  }

  function hoursLines(rec) {
    var lines = [];
    for (var i = 0; i < 7; i++) {
      var text = (rec.h[DAYS[i]] || []).join(", ").replace(/-/g, "–") || "Nghỉ";
      var last = lines[lines.length - 1];
      if (last && last.text === text) last.to = i;
      else lines.push({ from: i, to: i, text: text });
    }
    return lines.map(function (l) {
      var days = l.from === l.to ? DAY_NAMES[l.from] : DAY_NAMES[l.from] + " – " + DAY_NAMES[l.to];
      return days + ": " + l.text;
    });
  }

  /* --- Filters and grouping ------------------------------------------------------------ */

  function handlesField(rec, field) {
    if (!field) return true;
    if (rec.f) return rec.f.indexOf(field) !== -1;
    return state.index.office_fields.indexOf(field) !== -1;
  }

  function matches(rec) {
    var f = state.filter;
    return f.kinds[rec.k] && (!f.ward || rec.w === f.ward) && handlesField(rec, f.field);
  }

  function mercator(lat, lon, zoom) {
    var scale = 256 * Math.pow(2, zoom);
    var sin = Math.sin(lat * Math.PI / 180);
    return [
      (lon + 180) / 360 * scale,
      (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale
    ];
  }

  /* The build's grid clustering (place_export.clusters) applied to loaded agents. */
  function group(agents, zoom) {
    var px = state.index.cluster_px;
    var groups = {};
    var order = [];
    agents.forEach(function (rec) {
      var p = mercator(rec.y, rec.x, zoom);
      var key = Math.floor(p[0] / px) + ":" + Math.floor(p[1] / px);
      if (!groups[key]) { groups[key] = []; order.push(key); }
      groups[key].push(rec);
    });
    return order.map(function (key) {
      var members = groups[key];
      var lat = 0;
      var lon = 0;
      members.forEach(function (m) { lat += m.y; lon += m.x; });
      return {
        lat: lat / members.length, lon: lon / members.length, n: members.length,
        rec: members.length === 1 ? members[0] : null
      };
    });
  }

  function fromPrecomputed(list) {
    var fi = state.filter.field ? String(state.index.fields.indexOf(state.filter.field)) : null;
    var result = [];
    list.forEach(function (c) {
      var n = fi === null ? c[2] : (c[3][fi] || 0);
      if (n > 0) result.push({ lat: c[0], lon: c[1], n: n, rec: null, ref: n === 1 ? c[4] : null });
    });
    return result;
  }

  function loadCells(keys) {
    return Promise.all(keys.filter(function (k) { return state.index.cells[k]; }).map(function (key) {
      if (!state.cells[key]) state.cells[key] = getJSON(dataUrl + key + ".json");
      return state.cells[key];
    })).then(function (lists) { return [].concat.apply([], lists); });
  }

  function viewCells(bounds) {
    var deg = state.index.cell_deg;
    var keys = [];
    for (var row = Math.floor(bounds.getSouth() / deg); row <= Math.floor(bounds.getNorth() / deg); row++) {
      for (var col = Math.floor(bounds.getWest() / deg); col <= Math.floor(bounds.getEast() / deg); col++) {
        keys.push(row + "_" + col);
      }
    }
    return keys;
  }

  /* Records in scope: all of them (small network), the ward's cells, or the cells in view. */
  function scopeRecords(zoom) {
    if (state.all) return Promise.resolve(state.all);
    if (state.filter.ward) return loadCells(state.index.ward_cells[state.filter.ward] || []);
    if (zoom > maxClusterZoom()) return loadCells(viewCells(map.getBounds()));
    return Promise.resolve(null);
  }

  function maxClusterZoom() {
    var zooms = state.index.cluster_zooms;
    return zooms[zooms.length - 1];
  }

  function agentGroups(zoom, records) {
    if (!state.filter.kinds.a) return Promise.resolve([]);
    if (records) {
      return Promise.resolve(group(records.filter(function (r) { return r.k === "a" && matches(r); }), zoom));
    }
    var z = Math.max(state.index.cluster_zooms[0], zoom);
    if (!state.clusterFiles[z]) state.clusterFiles[z] = getJSON(dataUrl + "clusters/z" + z + ".json");
    return state.clusterFiles[z].then(fromPrecomputed);
  }

  /* --- Map ------------------------------------------------------------------------------ */

  var map;
  var lastScopeRecords = null;
  var layers = {};
  var markersById = {};
  var openId = null;      /* the place whose popup is open: kept open across redraws */
  var redrawing = false;
  var draws = 0;

  function placeName(rec) { return rec.n + (rec.d ? " (minh họa)" : ""); }

  /* An agent's public page (profile, scorecard, rating form). */
  function agentPage(rec) { return base + "/dai-ly/thong-tin/?id=" + encodeURIComponent(rec.i); }

  function popupContent(rec) {
    var state_ = openState(rec);
    var fields = rec.f ? rec.f.map(function (slug) { return state.fields[slug] || slug; }).join(", ") :
      "Thủ tục cấp thành phố, cấp xã và thủ tục phi địa giới";
    var link = rec.k === "a" ?
      el("a", { href: base + "/chi-nhanh/" + rec.b + "/" }, ["Chi nhánh phụ trách: số " + rec.b]) :
      el("a", { href: base + "/chi-nhanh/" + rec.b + "/" }, [rec.k === "b" ? "Trang chi nhánh" : "Trang chi nhánh quản lý"]);
    var directions = el("a", {
      href: "https://www.openstreetmap.org/directions?to=" + rec.y + "%2C" + rec.x,
      rel: "noopener"
    }, ["Chỉ đường"]);
    return el("div", { class: "hcc-popup" }, [
      el("p", { class: "hcc-popup__kind", text: KIND_NAMES[rec.k] + (rec.d ? " · dữ liệu minh họa" : "") }),
      el("p", { class: "hcc-popup__name" }, [el("strong", { text: rec.n })]),
      el("p", { text: rec.a }),
      el("p", { class: state_.open ? "hcc-open" : "hcc-closed", text: state_.text }),
      el("ul", { class: "hcc-popup__hours" }, hoursLines(rec).map(function (l) { return el("li", { text: l }); })),
      rec.p ? el("p", {}, ["Điện thoại: ", el("a", { href: "tel:" + rec.p.replace(/\s+/g, "") }, [rec.p])]) : null,
      el("p", { class: "hcc-popup__fields", text: "Lĩnh vực: " + fields }),
      rec.k === "a" ? el("p", {}, [el("a", { href: agentPage(rec), class: "hcc-popup__page" }, ["Trang đại lý, đánh giá"])]) : null,
      el("p", {}, [link, " · ", directions])
    ]);
  }

  function placeMarker(rec) {
    var marker = L.marker([rec.y, rec.x], {
      icon: L.divIcon({ className: "hcc-pin hcc-pin--" + rec.k, iconSize: [18, 18] }),
      title: KIND_NAMES[rec.k] + ": " + placeName(rec),
      keyboard: true,
      zIndexOffset: rec.k === "b" ? 2000 : rec.k === "r" ? 1000 : 0
    });
    marker.bindPopup(function () { return popupContent(rec); }, { maxWidth: 300 });
    return remembered(marker, rec.i);
  }

  /* Markers are rebuilt on every move (a popup's own auto-pan included): remember the marker
   * by place id so draw() can reopen its popup and give its focus back on the new marker. */
  function remembered(marker, id) {
    markersById[id] = marker;
    marker.on("popupopen", function () { openId = id; });
    marker.on("popupclose", function () { if (!redrawing && openId === id) openId = null; });
    return marker;
  }

  function refMarker(c) {
    var marker = L.marker([c.lat, c.lon], {
      icon: L.divIcon({ className: "hcc-pin hcc-pin--a", iconSize: [18, 18] }),
      title: "Đại lý (Enter để xem)", keyboard: true
    });
    marker.bindPopup("Đang tải…", { maxWidth: 300 });
    marker.on("popupopen", function () {
      loadCells([c.ref[0]]).then(function (records) {
        var rec = records.filter(function (r) { return r.i === c.ref[1]; })[0];
        if (rec) marker.setPopupContent(popupContent(rec));
      });
    });
    return remembered(marker, c.ref[1]);
  }

  function clusterMarker(c) {
    var size = c.n < 10 ? 30 : c.n < 100 ? 36 : c.n < 1000 ? 42 : 50;
    var marker = L.marker([c.lat, c.lon], {
      icon: L.divIcon({
        className: "hcc-cluster",
        html: '<span data-count="' + c.n + '">' + c.n + "</span>",
        iconSize: [size, size]
      }),
      title: "Nhóm " + c.n + " đại lý — Enter để phóng to",
      keyboard: true,
      zIndexOffset: 3000
    });
    function zoomIn() { map.setView([c.lat, c.lon], Math.min(map.getZoom() + 2, map.getMaxZoom())); }
    marker.on("click", zoomIn);
    marker.on("keypress", function (e) {
      if (e.originalEvent.key === "Enter" || e.originalEvent.key === " ") zoomIn();
    });
    return marker;
  }

  function draw(groups, zoom) {
    var view = map.getBounds().pad(0.25);
    var focusedId = null;
    Object.keys(markersById).forEach(function (id) {
      if (markersById[id].getElement() === document.activeElement) focusedId = id;
    });
    redrawing = true;
    layers.a.clearLayers();
    layers.b.clearLayers();
    layers.r.clearLayers();
    redrawing = false;
    markersById = {};
    var shown = 0;
    groups.forEach(function (c) {
      if (!view.contains([c.lat, c.lon])) return;
      shown += c.n;
      layers.a.addLayer(c.n > 1 ? clusterMarker(c) : c.rec ? placeMarker(c.rec) : refMarker(c));
    });
    state.offices.forEach(function (rec) {
      if (matches(rec)) layers[rec.k].addLayer(placeMarker(rec));
    });
    var reopen = openId && markersById[openId];
    if (reopen) reopen.openPopup();
    else openId = null;  /* its place left the view, went into a cluster or was filtered out */
    if (focusedId && markersById[focusedId]) markersById[focusedId].getElement().focus({ preventScroll: true });
    root.setAttribute("data-agents-shown", String(shown));
    root.setAttribute("data-zoom", String(zoom));
    root.setAttribute("data-draws", String(++draws));
  }

  function render() {
    var token = ++state.renderToken;
    var zoom = map.getZoom();
    return scopeRecords(zoom).then(function (records) {
      return agentGroups(zoom, records).then(function (groups) {
        if (token !== state.renderToken) return;
        draw(groups, zoom);
        updateList(records);
        if (!root.hasAttribute("data-ready")) {
          root.setAttribute("data-ready-ms", String(Math.round(performance.now())));
        }
        root.setAttribute("data-ready", "1");
      });
    }).catch(function (err) {
      status("Không tải được dữ liệu bản đồ. Vui lòng thử lại sau hoặc gọi 1022.");
      if (window.console) console.error(err);
    });
  }

  /* --- The text list ---------------------------------------------------------------------- */

  function sortValue(rec, key) {
    if (key === "k") return "bra".indexOf(rec.k) + " " + fold(rec.n);
    if (key === "w") return fold(state.wards[rec.w] || rec.w) + " " + fold(rec.n);
    if (key === "o") return (openState(rec).open ? "0 " : "1 ") + fold(rec.n);
    return fold(rec.n);
  }

  function updateList(records) {
    lastScopeRecords = records;
    var scoped;
    var note = "";
    if (records) {
      scoped = records.filter(matches);
      if (!state.all && !state.filter.ward) {
        var view = map.getBounds();
        scoped = scoped.filter(function (r) { return view.contains([r.y, r.x]); });
        note = " trong vùng bản đồ đang xem";
      }
    } else {
      scoped = state.offices.filter(matches);
      note = state.loadingAll ? " (đang tải danh sách đại lý…)" :
        ". Có nhiều đại lý: chọn một xã, phường hoặc phóng to bản đồ để liệt kê đại lý";
    }
    var seen = {};
    scoped = scoped.filter(function (r) {
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
    state.listNote = note;
    var pages = Math.max(1, Math.ceil(state.listRecords.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    renderListPage();
  }

  function renderListPage() {
    var body = document.getElementById("hcc-list-body");
    var total = state.listRecords.length;
    var pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    var start = state.page * PAGE_SIZE;
    var rows = state.listRecords.slice(start, start + PAGE_SIZE);
    body.textContent = "";
    rows.forEach(function (rec) {
      var show = el("button", { type: "button", class: "hcc-placelist__show" }, ["Xem trên bản đồ"]);
      show.addEventListener("click", function () { focusPlace(rec); });
      var open = openState(rec);
      body.appendChild(el("tr", { "data-kind": rec.k, "data-id": rec.i }, [
        el("td", {}, [rec.k === "a" ? el("a", { href: agentPage(rec) }, [el("strong", { text: rec.n })]) : el("strong", { text: rec.n }), rec.d ? el("span", { class: "hcc-demo-tag", text: " minh họa" }) : null, el("br"), show]),
        el("td", { text: KIND_NAMES[rec.k] }),
        el("td", { text: state.wards[rec.w] || rec.w }),
        el("td", { text: rec.a }),
        el("td", {}, [el("span", { class: open.open ? "hcc-open" : "hcc-closed", text: open.text })]),
        el("td", {}, rec.p ? [el("a", { href: "tel:" + rec.p.replace(/\s+/g, "") }, [rec.p])] : [])
      ]));
    });
    document.getElementById("hcc-list-page").textContent = "Trang " + (state.page + 1) + " / " + pages;
    document.getElementById("hcc-list-prev").disabled = state.page === 0;
    document.getElementById("hcc-list-next").disabled = state.page >= pages - 1;
    document.getElementById("hcc-list-status").textContent = total === 0 ?
      "Không có điểm nào theo bộ lọc" + state.listNote + "." :
      "Hiển thị " + (start + 1) + "–" + (start + rows.length) + " trong " + total + " điểm" + state.listNote + ".";
  }

  function focusPlace(rec) {
    map.setView([rec.y, rec.x], 18);
    render().then(function () {
      var marker = markersById[rec.i];
      if (marker) marker.openPopup();
      document.getElementById("hcc-map").scrollIntoView({ block: "center" });
      document.getElementById("hcc-map").focus();
    });
  }

  /* --- Wiring ------------------------------------------------------------------------------ */

  function fillSelect(select, options) {
    options.forEach(function (o) { select.appendChild(el("option", { value: o[0] }, [o[1]])); });
  }

  function initControls(wards, fields) {
    wards.forEach(function (w) { state.wards[w.code] = w.name; });
    fields.forEach(function (f) { state.fields[f.slug] = f.name; });
    var byName = function (a, b) { return a[1].localeCompare(b[1], "vi"); };
    fillSelect(document.getElementById("hcc-map-ward"),
      wards.map(function (w) { return [w.code, w.name]; }).sort(byName));
    fillSelect(document.getElementById("hcc-map-field"),
      fields.map(function (f) { return [f.slug, f.name]; }).sort(byName));
    var form = document.getElementById("hcc-map-filters");
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("change", function (e) {
      var t = e.target;
      if (t.name === "kind") state.filter.kinds[t.value] = t.checked;
      if (t.name === "ward") state.filter.ward = t.value;
      if (t.name === "field") state.filter.field = t.value;
      state.page = 0;
      if (t.name === "ward") fitWard(); else render();
    });
    document.getElementById("hcc-list-q").addEventListener("input", function (e) {
      state.q = e.target.value.trim();
      state.page = 0;
      updateList(lastScope());
    });
    document.querySelectorAll("#hcc-list-table th button").forEach(function (button) {
      button.addEventListener("click", function () {
        var key = button.getAttribute("data-sort");
        state.sort = { key: key, dir: state.sort.key === key ? -state.sort.dir : 1 };
        document.querySelectorAll("#hcc-list-table th[aria-sort]").forEach(function (th) {
          var k = th.querySelector("button").getAttribute("data-sort");
          th.setAttribute("aria-sort", k !== key ? "none" : state.sort.dir > 0 ? "ascending" : "descending");
        });
        state.page = 0;
        updateList(lastScope());
      });
    });
    document.getElementById("hcc-list-prev").addEventListener("click", function () {
      state.page = Math.max(0, state.page - 1);
      renderListPage();
    });
    document.getElementById("hcc-list-next").addEventListener("click", function () {
      state.page += 1;
      renderListPage();
    });
  }

  function lastScope() { return lastScopeRecords; }

  function fitWard() {
    var code = state.filter.ward;
    if (!code) { map.fitBounds(cityBounds(), { padding: [12, 12] }); return; }
    scopeRecords(map.getZoom()).then(function (records) {
      var points = records.filter(function (r) { return r.w === code; }).map(function (r) { return [r.y, r.x]; });
      if (points.length) map.fitBounds(points, { padding: [24, 24], maxZoom: 15 });
      render();
    });
  }

  function cityBounds() {
    var points = state.offices.map(function (r) { return [r.y, r.x]; });
    Object.keys(state.index.cells).forEach(function (key) {
      var rc = key.split("_").map(Number);
      var deg = state.index.cell_deg;
      points.push([(rc[0] + 0.5) * deg, (rc[1] + 0.5) * deg]);
    });
    return L.latLngBounds(points);
  }

  function announce() {
    var counts = { a: 0, b: 0, r: 0 };
    if (state.all) state.all.forEach(function (r) { counts[r.k] += 1; });
    else {
      counts.a = state.index.counts.agent;
      counts.b = state.index.counts.branch;
      counts.r = state.index.counts.reception_point;
    }
    var demo = state.all ? state.all.some(function (r) { return r.d; }) : state.index.demo;
    document.getElementById("hcc-map-demo").hidden = !demo;
    document.getElementById("hcc-map-no-agents").hidden = counts.a > 0 || state.live ||
      state.index.agents_source !== "none";
    status(counts.b + " chi nhánh, " + counts.r + " điểm tiếp nhận và " + counts.a + " đại lý" +
      (state.live ? " (đại lý cập nhật trực tiếp từ máy chủ)." :
        " (dữ liệu cập nhật lúc " + new Date(state.index.generated_at).toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" }) + ")."));
  }

  /* Replace the build's agents with the API's active agents (small networks only). */
  function refreshFromApi() {
    var agents = [];
    function page(n) {
      return getJSON(api + "/agents?page_size=" + API_PAGE_SIZE + "&page=" + n,
        { headers: { Accept: "application/json" }, cache: "no-store" }).then(function (body) {
        agents = agents.concat(body.items);
        if (body.total > SMALL) throw new Error("too many agents to refresh in the page");
        if (agents.length < body.total && body.items.length > 0) return page(n + 1);
        return agents;
      });
    }
    return page(1).then(function (items) {
      var previous = {};
      state.all.forEach(function (r) { if (r.k === "a") previous[r.i] = r; });
      var fresh = items.map(function (a) {
        return {
          k: "a", i: a.id, n: a.name, a: a.address, w: a.ward_code, y: a.lat, x: a.lon,
          p: a.phone, h: a.opening_hours, c: a.closures || (previous[a.id] ? previous[a.id].c : []),
          f: a.fields, b: a.branch_number, d: a.demo ? 1 : 0
        };
      });
      state.all = state.all.filter(function (r) { return r.k !== "a"; }).concat(fresh);
      state.live = true;
      return render().then(announce);  /* "live" only once the live places are drawn */
    }, function () { /* no API (static hosting): the build's data stays */ });
  }

  function start(index, wards, fields, offices) {
    state.index = index;
    index.holidays.forEach(function (h) { state.holidays[h[0]] = h[1]; });
    state.offices = offices;
    initControls(wards, fields);
    map = L.map("hcc-map", { zoomControl: false, minZoom: 8, maxZoom: 18, keyboard: true, fadeAnimation: false });
    L.control.zoom({ zoomInTitle: "Phóng to", zoomOutTitle: "Thu nhỏ" }).addTo(map);
    L.tileLayer(index.tiles.url, { attribution: index.tiles.attribution, maxZoom: 19 }).addTo(map);
    layers = { a: L.layerGroup().addTo(map), b: L.layerGroup().addTo(map), r: L.layerGroup().addTo(map) };
    map.fitBounds(cityBounds(), { padding: [12, 12] });
    announce();
    map.on("moveend", render);
    var total = index.counts.agent + index.counts.branch + index.counts.reception_point;
    state.loadingAll = total <= SMALL;
    var first = render();  /* precomputed clusters: the map is drawn before the cells arrive */
    if (!state.loadingAll) return first;
    return first.then(function () { return loadCells(Object.keys(index.cells)); }).then(function (records) {
      state.all = records;
      state.loadingAll = false;
      return render();
    }).then(function () {
      root.setAttribute("data-all-loaded", "1");
      return refreshFromApi();
    });
  }

  window.hccMap = { openState: openState };

  Promise.all([
    getJSON(dataUrl + "index.json"),
    getJSON(base + "/assets/wards.json"),
    getJSON(base + "/assets/fields.json"),
    getJSON(dataUrl + "offices.json")
  ]).then(function (r) { return start(r[0], r[1], r[2], r[3]); }).catch(function (err) {
    status("Không tải được dữ liệu bản đồ. Vui lòng thử lại sau hoặc gọi 1022.");
    if (window.console) console.error(err);
  });
})();
