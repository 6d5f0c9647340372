/* Small map of the branches and reception points on procedure pages.
 * Data: assets/places/offices.json and the tile settings in assets/places/index.json, both
 * written by the build (agents_registry/place_export.py); Leaflet is served by the site. */
(function () {
  "use strict";
  var box = document.querySelector("[data-hcc-office-map]");
  if (!box || !window.L) return;
  var base = box.getAttribute("data-base");
  function load(name) {
    return fetch(base + "assets/places/" + name).then(function (r) {
      if (!r.ok) throw new Error(name + ": HTTP " + r.status);
      return r.json();
    });
  }
  Promise.all([load("index.json"), load("offices.json")]).then(function (data) {
    var index = data[0];
    var offices = data[1];
    var map = L.map(box, { scrollWheelZoom: false, fadeAnimation: false });
    L.tileLayer(index.tiles.url, { attribution: index.tiles.attribution, maxZoom: 19 }).addTo(map);
    var bounds = [];
    offices.forEach(function (o) {
      var popup = document.createElement("div");
      var link = document.createElement("a");
      link.href = base + "chi-nhanh/" + o.b + "/";
      link.textContent = o.n;
      var strong = document.createElement("strong");
      strong.appendChild(link);
      popup.appendChild(strong);
      popup.appendChild(document.createElement("br"));
      popup.appendChild(document.createTextNode(o.a));
      L.marker([o.y, o.x], { title: o.n, alt: o.n }).bindPopup(popup).addTo(map);
      bounds.push([o.y, o.x]);
    });
    map.fitBounds(bounds, { padding: [16, 16] });
  }).catch(function () {
    box.textContent = "Không tải được bản đồ. Xem danh sách chi nhánh ở trên.";
  });
})();
