/* The network map's places: the files of assets/places/ written at build time (format in
 * agents_registry/place_export.py), the API's active agents, the filters, and the build's grid
 * clustering applied in the page to loaded agents.
 * Exposed as window.hccMapData.create(state, options); map.js owns `state` (index, filter,
 * all, cells, clusterFiles) and this reads and caches into it. */
(function () {
  "use strict";

  var API_PAGE_SIZE = 500;

  function getJSON(url, options) {
    return fetch(url, options).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }

  function mercator(lat, lon, zoom) {
    var scale = 256 * Math.pow(2, zoom);
    var sin = Math.sin(lat * Math.PI / 180);
    return [
      (lon + 180) / 360 * scale,
      (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale
    ];
  }

  /* options: {base, api, small}: the site's base URL, the API's, the small-network limit. */
  function create(state, options) {
    var dataUrl = options.base + "/assets/places/";

    /* [index, wards, fields, offices]: what the map needs before its first draw. */
    function loadStart() {
      return Promise.all([
        getJSON(dataUrl + "index.json"),
        getJSON(options.base + "/assets/wards.json"),
        getJSON(options.base + "/assets/fields.json"),
        getJSON(dataUrl + "offices.json")
      ]);
    }

    function handlesField(rec, field) {
      if (!field) return true;
      if (rec.f) return rec.f.indexOf(field) !== -1;
      return state.index.office_fields.indexOf(field) !== -1;
    }

    function matches(rec) {
      var f = state.filter;
      return f.kinds[rec.k] && (!f.ward || rec.w === f.ward) && handlesField(rec, f.field);
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

    function maxClusterZoom() {
      var zooms = state.index.cluster_zooms;
      return zooms[zooms.length - 1];
    }

    /* Records in scope: all of them (small network), the ward's cells, or the cells in view
     * (`bounds`, the map's); null while the precomputed clusters stand for the agents. */
    function scopeRecords(zoom, bounds) {
      if (state.all) return Promise.resolve(state.all);
      if (state.filter.ward) return loadCells(state.index.ward_cells[state.filter.ward] || []);
      if (zoom > maxClusterZoom()) return loadCells(viewCells(bounds));
      return Promise.resolve(null);
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

    /* The API's active agents as place records (closures kept from the build's records when
     * the API leaves them out); rejects without an API or with more than `small` agents. */
    function liveAgents() {
      var agents = [];
      function page(n) {
        return getJSON(options.api + "/agents?page_size=" + API_PAGE_SIZE + "&page=" + n,
          { headers: { Accept: "application/json" }, cache: "no-store" }).then(function (body) {
          agents = agents.concat(body.items);
          if (body.total > options.small) throw new Error("too many agents to refresh in the page");
          if (agents.length < body.total && body.items.length > 0) return page(n + 1);
          return agents;
        });
      }
      return page(1).then(function (items) {
        var previous = {};
        state.all.forEach(function (r) { if (r.k === "a") previous[r.i] = r; });
        return items.map(function (a) {
          return {
            k: "a", i: a.id, n: a.name, a: a.address, w: a.ward_code, y: a.lat, x: a.lon,
            p: a.phone, h: a.opening_hours, c: a.closures || (previous[a.id] ? previous[a.id].c : []),
            f: a.fields, b: a.branch_number, d: a.demo ? 1 : 0
          };
        });
      });
    }

    return {
      loadStart: loadStart,
      matches: matches,
      loadCells: loadCells,
      scopeRecords: scopeRecords,
      agentGroups: agentGroups,
      liveAgents: liveAgents
    };
  }

  window.hccMapData = { create: create };
})();
