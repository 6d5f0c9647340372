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
 * Only the clusters and places inside the view get a DOM marker.
 *
 * Loaded after place-rules.js and map-hours.js (open now, in Hanoi time, and its wording),
 * map-data.js (loading, filters, grouping) and map-list.js (the text list): this file draws
 * the map and wires the page. Exposes window.hccMap.openState(rec, ms) for the tests. */
(function () {
  "use strict";

  /* Tests and the benchmark may lower the limit (window.hccMapSmallLimit) before loading. */
  var SMALL = typeof window.hccMapSmallLimit === "number" ? window.hccMapSmallLimit : 5000;
  var KIND_NAMES = { b: "Chi nhánh", r: "Điểm tiếp nhận", a: "Đại lý" };

  var hours = window.hccMapHours;
  var root = document.getElementById("hcc-netmap");
  var listRoot = document.getElementById("hcc-place-list");
  if (!root || !listRoot || !window.L || !hours || !window.hccMapData || !window.hccMapList) return;
  root.hidden = false;
  listRoot.hidden = false;

  var base = (window.hccSearch && window.hccSearch.base) || (function () {
    var config = document.getElementById("__config");
    try { return JSON.parse(config.textContent).base || "."; } catch (e) { return "."; }
  })();
  var apiMeta = document.querySelector('meta[name="hcc-api"]');
  var api = ((apiMeta && apiMeta.content) || "/api/v1").replace(/\/+$/, "");

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

  var data = window.hccMapData.create(state, { base: base, api: api, small: SMALL });
  var matches = data.matches;

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

  function status(text) { document.getElementById("hcc-map-status").textContent = text; }

  /* Open now at `now` (ms; default: now), with the page's holidays: {open, closes, opens, text}. */
  function openState(rec, now) { return hours.openState(rec, state.holidays, now); }

  /* --- Map ------------------------------------------------------------------------------ */

  var map;
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
      el("ul", { class: "hcc-popup__hours" }, hours.hoursLines(rec).map(function (l) { return el("li", { text: l }); })),
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
      data.loadCells([c.ref[0]]).then(function (records) {
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
    if (reopen) reopenWithoutPanning(reopen);
    else openId = null;  /* its place left the view, went into a cluster or was filtered out */
    if (focusedId && markersById[focusedId]) markersById[focusedId].getElement().focus({ preventScroll: true });
    root.setAttribute("data-agents-shown", String(shown));
    root.setAttribute("data-zoom", String(zoom));
    root.setAttribute("data-draws", String(++draws));
  }

  /* Opening a popup pans the map to show it: right for a click, wrong after the user dragged
   * the map away (the redraw would pull the map back to the popup). */
  function reopenWithoutPanning(marker) {
    var popup = marker.getPopup();
    popup.options.autoPan = false;
    marker.openPopup();
    popup.options.autoPan = true;
  }

  function render() {
    var token = ++state.renderToken;
    var zoom = map.getZoom();
    return data.scopeRecords(zoom, map.getBounds()).then(function (records) {
      return data.agentGroups(zoom, records).then(function (groups) {
        if (token !== state.renderToken) return;
        draw(groups, zoom);
        list.update(records);
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

  /* --- The text list (map-list.js) --------------------------------------------------------- */

  function focusPlace(rec) {
    map.setView([rec.y, rec.x], 18);
    render().then(function () {
      var marker = markersById[rec.i];
      if (marker) marker.openPopup();
      document.getElementById("hcc-map").scrollIntoView({ block: "center" });
      document.getElementById("hcc-map").focus();
    });
  }

  var list = window.hccMapList.create(state, {
    el: el,
    kindNames: KIND_NAMES,
    agentPage: agentPage,
    openState: openState,
    matches: matches,
    bounds: function () { return map.getBounds(); },
    show: focusPlace
  });

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
    list.wire();
  }

  function fitWard() {
    var code = state.filter.ward;
    if (!code) { map.fitBounds(cityBounds(), { padding: [12, 12] }); return; }
    data.scopeRecords(map.getZoom(), map.getBounds()).then(function (records) {
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
    return data.liveAgents().then(function (fresh) {
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
    return first.then(function () { return data.loadCells(Object.keys(index.cells)); }).then(function (records) {
      state.all = records;
      state.loadingAll = false;
      return render();
    }).then(function () {
      root.setAttribute("data-all-loaded", "1");
      return refreshFromApi();
    });
  }

  window.hccMap = { openState: openState };

  data.loadStart().then(function (r) { return start(r[0], r[1], r[2], r[3]); }).catch(function (err) {
    status("Không tải được dữ liệu bản đồ. Vui lòng thử lại sau hoặc gọi 1022.");
    if (window.console) console.error(err);
  });
})();
