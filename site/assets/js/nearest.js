/* "Tìm điểm gần nhất": the nearest branches, reception points and agents to a position.
 *
 * Position: the device (navigator.geolocation), a ward's point (assets/wards.json) or a click
 * on the map. Filters: kinds, open now, a procedure (combobox over the search index). The
 * places come from nearest-places.js (the live API, else the build's static grid); this page
 * draws them as a list and on the map. Load api.js, place-rules.js and nearest-places.js first. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var rules = window.hccPlaces;
  var nearestPlaces = window.hccNearestPlaces;
  var root = document.getElementById("nearest");
  if (!hcc || !rules || !nearestPlaces || !root) return;

  var LIMIT = parseInt(root.getAttribute("data-limit") || "10", 10);
  var KINDS = nearestPlaces.KINDS;
  var KIND_NAME = { branch: "Chi nhánh", reception_point: "Điểm tiếp nhận", agent: "Đại lý dịch vụ công" };
  var WEEKDAY = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"];
  var HANOI_MS = rules.HANOI_MS;
  var DAY_MS = rules.DAY_MS;
  var isoDay = rules.isoDay, wrap = rules.wrap;

  function $(id) { return document.getElementById(id); }
  function add(parent, tag, text, cls) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) el.textContent = text;
    if (cls) el.className = cls;
    parent.appendChild(el);
    return el;
  }

  /* --- Formatting ---------------------------------------------------------------------------- */

  function whenText(moment, now) {
    var today = isoDay(Math.floor((now.getTime() + HANOI_MS) / DAY_MS) * DAY_MS);
    var dayMs = Date.parse(moment.day + "T00:00:00Z");
    var offset = Math.round((dayMs - Date.parse(today + "T00:00:00Z")) / DAY_MS);
    if (offset === 0) return moment.time + " hôm nay";
    if (offset === 1) return moment.time + " ngày mai";
    var weekday = WEEKDAY[(new Date(dayMs).getUTCDay() + 6) % 7];
    return moment.time + " " + weekday + ", " + moment.day.slice(8, 10) + "/" + moment.day.slice(5, 7);
  }

  function openText(state, now) {
    if (state.open) {
      return "Đang mở cửa" + (state.closes ? " · đóng cửa lúc " + whenText(state.closes, now) : "");
    }
    var text = "Đang đóng cửa";
    if (state.reason) text += " (" + state.reason + ")";
    if (state.opens) text += " · mở cửa lúc " + whenText(state.opens, now);
    return text;
  }

  function distanceText(metres) {
    if (metres < 1000) return Math.round(metres / 10) * 10 + " m";
    var km = metres / 1000;
    return km.toLocaleString("vi-VN", { maximumFractionDigits: km < 100 ? 1 : 0 }) + " km";
  }

  function coordText(value) {
    return value.toLocaleString("vi-VN", { maximumFractionDigits: 5 });
  }

  /* --- Filters ------------------------------------------------------------------------------- */

  var fieldSlugs = {};
  var wardsByCode = {};
  var chosenProcedure = null;
  var places = nearestPlaces.source({ root: root, limit: LIMIT, fieldSlugs: fieldSlugs });

  function currentFilters() {
    return {
      kinds: KINDS.filter(function (k) { return $("nearest-kind-" + k).checked; }),
      openOnly: $("nearest-open").checked,
      procedure: chosenProcedure
    };
  }

  /* --- Results -------------------------------------------------------------------------------- */

  var position = null;
  var searchSerial = 0;
  var map = null, resultLayer = null, positionMarker = null;

  function placeLink(row) {
    if ((row.kind === "branch" || row.kind === "reception_point") && row.branch_number) {
      return hcc.siteBase + "/chi-nhanh/" + row.branch_number + "/";
    }
    if (row.kind === "agent") return hcc.siteBase + "/dai-ly/thong-tin/?id=" + encodeURIComponent(row.id);
    return null;
  }

  function renderRow(list, row, rank, now) {
    var li = add(list, "li", null, "hcc-place");
    li.setAttribute("data-id", row.id);
    li.setAttribute("data-kind", row.kind);
    li.setAttribute("data-distance-m", String(row.distance_m));
    var heading = add(li, "h3", null, "hcc-place__name");
    var url = placeLink(row);
    if (url) {
      var link = add(heading, "a", row.name);
      link.href = url;
    } else {
      heading.textContent = row.name;
    }
    var meta = add(li, "p", null, "hcc-place__meta");
    add(meta, "span", KIND_NAME[row.kind] || row.kind, "hcc-place__kind hcc-place__kind--" + row.kind);
    add(meta, "span", " · cách ");
    add(meta, "strong", distanceText(row.distance_m), "hcc-place__distance");
    if (row.demo) add(meta, "span", " · dữ liệu minh họa", "hcc-demo");
    add(li, "p", openText(row.state, now), "hcc-place__open hcc-place__open--" + (row.state.open ? "yes" : "no"));
    var ward = wardsByCode[row.ward_code];
    add(li, "p", row.address + (ward ? " · " + ward.name : ""), "hcc-place__address");
    var actions = add(li, "p", null, "hcc-place__actions");
    if (row.phone) {
      var tel = add(actions, "a", "Gọi " + row.phone);
      tel.href = "tel:" + String(row.phone).replace(/[^0-9+]/g, "");
    }
    var directions = add(actions, "a", "Chỉ đường");
    directions.href = "https://www.openstreetmap.org/directions?from=" +
      (position ? position.lat + "%2C" + position.lon : "") + "&to=" + row.lat + "%2C" + row.lon;
    directions.rel = "noopener";
    add(directions, "span", " đến " + row.name + " (OpenStreetMap)", "hcc-visually-hidden");
    var geo = add(actions, "a", "Mở ứng dụng bản đồ");
    geo.href = "geo:" + row.lat + "," + row.lon + "?q=" + row.lat + "," + row.lon + "(" + encodeURIComponent(row.name) + ")";
    add(geo, "span", ": " + row.name, "hcc-visually-hidden");
    if (map) {
      window.L.circleMarker([row.lat, row.lon], {
        radius: 8, weight: 2, color: "#ffffff", fillColor: row.kind === "agent" ? "#0b57a4" : "#9b1c1c", fillOpacity: 1
      }).bindTooltip(rank + ". " + row.name).addTo(resultLayer);
    }
  }

  function render(result, now) {
    var list = $("nearest-results");
    list.textContent = "";
    if (resultLayer) resultLayer.clearLayers();
    result.rows.forEach(function (row, i) { renderRow(list, row, i + 1, now); });
    root.setAttribute("data-source", result.source);
    $("nearest-status").textContent = result.rows.length
      ? "Tìm thấy " + result.rows.length + " điểm gần " + position.label + " nhất."
      : "Không tìm thấy điểm nào phù hợp gần " + position.label + ". Hãy bỏ bớt điều kiện lọc.";
    $("nearest-source").textContent = result.source === "live"
      ? "Nguồn: dữ liệu trực tiếp từ máy chủ của Trung tâm."
      : "Nguồn: dữ liệu tĩnh (cập nhật lúc " + hcc.formatDateTime(result.generatedAt) + ").";
    if (map && result.rows.length) {
      var bounds = window.L.latLngBounds([[position.lat, position.lon]]);
      result.rows.forEach(function (row) { bounds.extend([row.lat, row.lon]); });
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    }
  }

  /* Bring the results into view on a phone after the visitor chose a position below them. */
  function showResults() {
    var heading = $("nearest-results-title");
    var box = heading.getBoundingClientRect();
    if (box.top >= 0 && box.top < window.innerHeight * 0.6) return;
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    heading.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
  }

  function search(reveal) {
    if (!position) return;
    var serial = ++searchSerial;
    var filters = currentFilters();
    var now = new Date();
    root.setAttribute("aria-busy", "true");
    $("nearest-status").textContent = "Đang tìm các điểm gần " + position.label + "…";
    var pos = position;
    places.nearest(pos, filters, now).then(function (result) {
      if (serial !== searchSerial) return;
      render(result, now);
      if (reveal === true) showResults();
    }, function () {
      if (serial !== searchSerial) return;
      $("nearest-status").textContent =
        "Không tải được dữ liệu các điểm. Vui lòng thử lại sau hoặc gọi đường dây nóng 1022.";
    }).then(function () {
      if (serial === searchSerial) root.removeAttribute("aria-busy");
    });
  }

  function setPosition(lat, lon, label, reveal) {
    position = { lat: lat, lon: lon, label: label };
    if (map) {
      if (positionMarker) positionMarker.setLatLng([lat, lon]);
      else {
        positionMarker = window.L.circleMarker([lat, lon], {
          radius: 9, weight: 3, color: "#111111", fillColor: "#ffcc00", fillOpacity: 1
        }).bindTooltip("Vị trí tìm kiếm").addTo(map);
      }
    }
    search(reveal);
  }

  /* --- Position: device, ward, map ------------------------------------------------------------- */

  function useDevice() {
    var status = $("nearest-geo-status");
    if (!navigator.geolocation) {
      status.textContent = "Trình duyệt này không hỗ trợ định vị. Hãy chọn xã, phường hoặc bấm vào bản đồ.";
      return;
    }
    status.textContent = "Đang xác định vị trí…";
    navigator.geolocation.getCurrentPosition(function (result) {
      var accuracy = Math.round(result.coords.accuracy || 0);
      status.textContent = "Đã xác định vị trí" + (accuracy ? " (sai số khoảng " + distanceText(accuracy) + ")." : ".");
      $("nearest-ward").value = "";
      setPosition(result.coords.latitude, result.coords.longitude, "vị trí của bạn", true);
    }, function (error) {
      status.textContent = error.code === 1
        ? "Bạn chưa cho phép trang này dùng vị trí. Hãy chọn xã, phường hoặc bấm vào bản đồ; " +
          "bạn cũng có thể cho phép lại trong phần cài đặt của trình duyệt."
        : "Không xác định được vị trí của thiết bị. Hãy chọn xã, phường hoặc bấm vào bản đồ.";
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  function initWards(wards) {
    var select = $("nearest-ward");
    wards.slice().sort(function (x, y) { return x.name.localeCompare(y.name, "vi"); }).forEach(function (w) {
      wardsByCode[w.code] = w;
      var option = add(select, "option", w.name);
      option.value = w.code;
    });
    select.addEventListener("change", function () {
      var ward = wardsByCode[select.value];
      if (ward) setPosition(ward.lat, ward.lon, ward.name, true);
    });
  }

  /* Tiles: the build's setting (index.json "tiles", from HCC_TILE_URL), else the page's
   * data-tile-url (OpenStreetMap's standard tiles). */
  function initMap(tiles) {
    var element = $("nearest-map");
    if (!window.L) { element.hidden = true; $("nearest-map-center").hidden = true; return; }
    map = window.L.map(element, { center: [21.0285, 105.8542], zoom: 11, keyboard: true });
    window.L.tileLayer((tiles && tiles.url) || root.getAttribute("data-tile-url"), {
      attribution: (tiles && tiles.attribution) || root.getAttribute("data-tile-attribution") || "",
      maxZoom: 19
    }).addTo(map);
    resultLayer = window.L.layerGroup().addTo(map);
    map.on("click", function (event) {
      $("nearest-ward").value = "";
      setPosition(event.latlng.lat, wrap(event.latlng.lng), "điểm đã chọn trên bản đồ");
    });
    $("nearest-map-center").addEventListener("click", function () {
      var c = map.getCenter();
      $("nearest-ward").value = "";
      setPosition(c.lat, wrap(c.lng), "tâm bản đồ (" + coordText(c.lat) + "; " + coordText(wrap(c.lng)) + ")", true);
    });
  }

  /* --- Procedure picker (combobox over the search index) -------------------------------------- */

  function initPicker() {
    var picker = $("nearest-procedure");
    var list = $("nearest-procedure-list");
    var chosen = $("nearest-procedure-chosen");
    var clear = $("nearest-procedure-clear");
    var status = $("nearest-procedure-status");
    var combo = null;

    function choose(entry, quiet) {
      chosenProcedure = entry;
      picker.value = entry ? entry.n : "";
      chosen.textContent = entry ? "Đang lọc theo thủ tục: " + entry.n + " (lĩnh vực " + entry.f + ")" : "";
      clear.hidden = !entry;
      status.textContent = "";
      if (combo) combo.close();
      if (!quiet) search();
    }

    combo = window.hccSearch.combobox({
      input: picker,
      list: list,
      status: status,
      idPrefix: "nearest-procedure-opt-",
      meta: function (entry) { return (/^\d/.test(entry.k) ? entry.k + " · " : "") + entry.f; },
      onInput: function (query) {
        if (chosenProcedure && query !== chosenProcedure.n) {
          chosenProcedure = null;
          chosen.textContent = "";
          clear.hidden = true;
          search();
        }
      },
      onChoose: function (entry) { choose(entry); },
      failMessage: "Không tải được danh sách thủ tục.",
      enterAlwaysPrevents: true
    });
    clear.addEventListener("click", function () { choose(null); picker.focus(); });

    var key = new URLSearchParams(window.location.search).get("procedure");
    if (!key || !window.hccSearch) return Promise.resolve();
    return window.hccSearch.loadIndex().then(function (entries) {
      var entry = entries.filter(function (e) { return e.k === key; })[0];
      if (entry) choose(entry, true);
      else status.textContent = "Không tìm thấy thủ tục có mã " + key + "; đang tìm mọi điểm.";
    }, function () {});
  }

  /* --- Start ------------------------------------------------------------------------------------ */

  hcc.reveal();
  $("nearest-geo").addEventListener("click", useDevice);
  ["nearest-kind-branch", "nearest-kind-reception_point", "nearest-kind-agent", "nearest-open"].forEach(function (id) {
    $(id).addEventListener("change", search);
  });
  $("nearest-filters").addEventListener("submit", function (event) { event.preventDefault(); });
  Promise.all([
    places.index().then(function (index) { initMap(index.tiles); }, function () { initMap(null); }),
    hcc.asset("wards.json").then(initWards, function () { $("nearest-ward").disabled = true; }),
    hcc.asset("fields.json").then(function (fields) {
      fields.forEach(function (f) { fieldSlugs[f.name] = f.slug; });
    }, function () {}),
    initPicker()
  ]).then(function () {
    root.setAttribute("data-ready", "true");
    search();
  });
})();
