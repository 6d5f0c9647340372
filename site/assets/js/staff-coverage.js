/* Coverage (kiem-tra/vung-chua-phu): the wards with no active agent and no branch or reception
 * point within the chosen distance (GET /audit/coverage?radius_km=), on a map with the offices
 * for context and in a table with the same wards. Tiles and offices come from the build's
 * assets/places/ (index.json, offices.json), like the other maps; Leaflet is vendored. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var staff = window.hccStaff;
  var ui = window.hccStaffUi;
  var mapBox = document.getElementById("coverage-map");
  if (!hcc || !staff || !ui || !mapBox) return;

  var el = ui.el;
  var RADII = [1, 2, 3, 5, 10];
  var radius = parseFloat(ui.params().get("radius_km")) || 3;
  var summary = document.getElementById("coverage-summary");
  var tableBox = document.getElementById("coverage-table");
  var map = null;
  var layer = null;

  function places(name) { return hcc.asset("places/" + name); }

  /* The map with the offices, once; resolves false when Leaflet or the build's files are missing. */
  function ensureMap() {
    if (map) return Promise.resolve(true);
    if (!window.L) return Promise.resolve(false);
    return Promise.all([places("index.json"), places("offices.json")]).then(function (data) {
      map = L.map(mapBox, { scrollWheelZoom: false, fadeAnimation: false });
      L.tileLayer(data[0].tiles.url, { attribution: data[0].tiles.attribution, maxZoom: 19 }).addTo(map);
      data[1].forEach(function (o) {
        L.circleMarker([o.y, o.x], { radius: 5, color: "#0b57a4", weight: 2, fillOpacity: 0.8 })
          .bindTooltip(document.createTextNode(o.n)).addTo(map);
      });
      map.setView([21.03, 105.75], 9);
      return true;
    }, function () { return false; });
  }

  function draw(wards) {
    if (layer) layer.remove();
    layer = L.layerGroup(wards.map(function (w) {
      var popup = el("div", {}, [
        el("strong", { text: w.name }), el("br"),
        "Gần nhất: " + w.nearest_place + " (" + w.nearest_km.toLocaleString("vi-VN") + " km)"
      ]);
      return L.circleMarker([w.lat, w.lon], { radius: 9, color: "#b3261e", weight: 3, fillColor: "#fdecec", fillOpacity: 0.9 })
        .bindPopup(popup);
    })).addTo(map);
    if (wards.length) map.fitBounds(wards.map(function (w) { return [w.lat, w.lon]; }), { padding: [30, 30], maxZoom: 12 });
  }

  function render(data) {
    summary.textContent = data.uncovered.length ?
      ui.number(data.uncovered.length) + " trên " + ui.number(data.wards) + " xã, phường không có đại lý đang hoạt động và không có chi nhánh, điểm tiếp nhận nào trong vòng " +
        data.radius_km.toLocaleString("vi-VN") + " km." :
      "Mọi xã, phường đều có đại lý đang hoạt động hoặc chi nhánh, điểm tiếp nhận trong vòng " + data.radius_km.toLocaleString("vi-VN") + " km.";
    ui.clear(tableBox);
    tableBox.appendChild(ui.table("Xã, phường chưa có đại lý, xa nhất trước", [
      { label: "Xã, phường", value: function (w) { return w.name; } },
      { label: "Mã", value: function (w) { return w.ward_code; } },
      { label: "Điểm gần nhất của Trung tâm", value: function (w) { return w.nearest_place; } },
      { label: "Khoảng cách (km)", num: true, value: function (w) { return w.nearest_km.toLocaleString("vi-VN"); } },
      { label: "Đại lý không hoạt động", num: true, value: function (w) { return ui.number(w.agents); } }
    ], data.uncovered.slice().sort(function (a, b) { return b.nearest_km - a.nearest_km; }), { rowHeader: true, id: "coverage-wards", wide: true }));
    ensureMap().then(function (ok) {
      if (ok) draw(data.uncovered);
      else mapBox.textContent = "Không tải được bản đồ; danh sách các xã, phường ở bên dưới.";
    });
  }

  function load() {
    summary.textContent = "Đang tải…";
    ui.setParams({ radius_km: radius === 3 ? "" : String(radius) });
    return staff.request("GET", "/audit/coverage?radius_km=" + radius).then(function (response) {
      if (!response.ok) {
        if (response.status !== 401) summary.textContent = ui.problem(response, "Không tải được danh sách xã, phường.");
        return;
      }
      render(response.data);
    }, function () { summary.textContent = hcc.UNREACHABLE; });
  }

  function mountControls() {
    var select = el("select", { id: "coverage-radius", name: "radius_km" }, RADII.map(function (km) {
      return el("option", { value: String(km), text: km + " km", selected: km === radius });
    }));
    select.addEventListener("change", function () { radius = parseFloat(select.value); load(); });
    var form = el("form", { class: "hcc-filters", "aria-label": "Khoảng cách" }, [
      el("div", { class: "hcc-field" }, [
        el("label", { for: "coverage-radius", text: "Khoảng cách tối đa tới chi nhánh, điểm tiếp nhận" }), select
      ])
    ]);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    summary.parentNode.insertBefore(form, summary);
  }

  var mounted = false;
  staff.ready(function () {
    if (!mounted) { mountControls(); mounted = true; }
    load().then(function () { if (map) map.invalidateSize(); });
  });
})();
