/* Where "Tìm điểm gần nhất" finds the nearest branches, reception points and agents: GET
 * {api}/nearest when the API answers ("dữ liệu trực tiếp"), else the static places data written
 * by the build ("dữ liệu tĩnh"):
 *   assets/places/index.json  {generated_at, cell_deg, cells: {"<row>_<col>": n}, holidays,
 *                              office_fields, tiles}  (agents_registry/place_export.py)
 *   assets/places/<row>_<col>.json  [{k, i, n, a, w, y, x, p, h, c, f, b, d}],
 *                              row = floor(lat / cell_deg), col = floor(lon / cell_deg)
 * Only the grid cells that can hold one of the nearest places are fetched: cells are visited in
 * order of a lower bound of their distance, and the search stops once `limit` places are known
 * and no unvisited cell can hold a closer one. Distances and "open now" come from
 * place-rules.js (the server's rules); ties are broken by kind then id, like the server.
 *
 * Needs api.js and place-rules.js (loaded first); used by nearest.js through
 * window.hccNearestPlaces.source({root, limit, fieldSlugs}) -> {index(), nearest(pos, filters,
 * now)}: root gets data-cells-fetched, fieldSlugs maps a field's name to its slug (filled by the
 * page), filters are {kinds, openOnly, procedure: search index entry or null}. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var rules = window.hccPlaces;
  if (!hcc || !rules) return;

  var API_TIMEOUT_MS = 5000;
  var API_RETRY_MS = 60000;
  var KINDS = ["branch", "reception_point", "agent"];
  var KIND_OF = { b: "branch", r: "reception_point", a: "agent" };
  var geodesic = rules.geodesic, cellLowerBound = rules.cellLowerBound, openState = rules.openState;
  var options = null;
  var placesIndex = null;
  var cellCache = {};
  var cellsFetched = 0;
  var apiDownUntil = 0;

  /* An ISO date-time from the API -> {day, time} in Hanoi. */
  function localMoment(iso) {
    if (!iso) return null;
    var date = new Date(iso);
    if (isNaN(date.getTime())) return null;
    var p = hcc.hanoiParts(date);
    return { day: p.y + "-" + p.m + "-" + p.d, time: p.hh + ":" + p.mm };
  }

  function compareRows(x, y) {
    return x.distance_m - y.distance_m ||
      KINDS.indexOf(x.kind) - KINDS.indexOf(y.kind) ||
      (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
  }

  function staticRow(place, pos, holidays, now) {
    var state = openState(place, holidays, now);
    return {
      kind: KIND_OF[place.k], id: place.i, name: place.n, address: place.a, ward_code: place.w,
      lat: place.y, lon: place.x, phone: place.p, branch_number: place.b, demo: !!place.d,
      distance_m: geodesic(pos.lat, pos.lon, place.y, place.x), state: state
    };
  }

  function loadPlacesIndex() {
    if (!placesIndex) {
      placesIndex = hcc.asset("places/index.json").then(function (index) {
        var holidays = {};
        (index.holidays || []).forEach(function (d) {
          if (Array.isArray(d)) holidays[d[0]] = d[1] || true;
          else holidays[d] = true;
        });
        index.holidaySet = holidays;
        return index;
      });
      placesIndex.catch(function () { placesIndex = null; });
    }
    return placesIndex;
  }

  function loadCell(key) {
    if (!cellCache[key]) {
      cellsFetched++;
      options.root.setAttribute("data-cells-fetched", String(cellsFetched));
      cellCache[key] = hcc.asset("places/" + key + ".json");
      cellCache[key].catch(function () { delete cellCache[key]; });
    }
    return cellCache[key];
  }

  /* The `limit` nearest places passing `accepts`, from the static grid. */
  function staticNearest(pos, filters, limit, now) {
    return loadPlacesIndex().then(function (index) {
      var accepts = staticAccepts(filters, index);
      var size = index.cell_deg;
      var cells = Object.keys(index.cells || {}).filter(function (key) {
        return index.cells[key] > 0;
      }).map(function (key) {
        var rc = key.split("_");
        var row = parseInt(rc[0], 10), col = parseInt(rc[1], 10);
        var south = row * size, west = col * size;
        return { key: key, bound: cellLowerBound(pos.lat, pos.lon, south, south + size, west, west + size) };
      }).sort(function (x, y) { return x.bound - y.bound; });
      var found = [];
      var next = 0;

      function kth() {
        return found.length >= limit ? found[limit - 1].distance_m : Infinity;
      }

      function step() {
        if (next >= cells.length || cells[next].bound > kth()) {
          return { rows: found.slice(0, limit), generatedAt: index.generated_at, source: "static" };
        }
        /* A ring's worth of cells at a time: the nearest unvisited cells in parallel. */
        var batch = [];
        var horizon = kth();
        while (next < cells.length && batch.length < 9 && cells[next].bound <= horizon) {
          batch.push(cells[next++]);
        }
        return Promise.all(batch.map(function (cell) { return loadCell(cell.key); })).then(function (lists) {
          lists.forEach(function (places) {
            places.forEach(function (place) {
              var row = staticRow(place, pos, index.holidaySet, now);
              if (accepts(row, place)) found.push(row);
            });
          });
          found.sort(compareRows);
          return step();
        });
      }
      return step();
    });
  }

  /* An agent handles the fields it declared. A branch or reception point (f = null) receives
   * the city and commune procedures; the static data does not carry a procedure's level, only
   * the fields in which offices receive at least one procedure (office_fields), so an office
   * counts as handling every procedure of those fields (the API, when reachable, is exact). */
  function staticAccepts(filters, index) {
    var slug = filters.procedure ? options.fieldSlugs[filters.procedure.f] || filters.procedure.f : null;
    var offices = !slug || !index.office_fields || index.office_fields.indexOf(slug) !== -1;
    return function (row, place) {
      if (filters.kinds.indexOf(row.kind) === -1) return false;
      if (filters.openOnly && !row.state.open) return false;
      if (!slug) return true;
      return place.f ? place.f.indexOf(slug) !== -1 : offices;
    };
  }

  function apiNearest(pos, filters, now) {
    if (Date.now() < apiDownUntil) return Promise.reject(new Error("API recently unreachable"));
    var params = new URLSearchParams();
    params.set("lat", String(pos.lat));
    params.set("lon", String(pos.lon));
    params.set("limit", String(filters.openOnly ? 50 : options.limit));
    if (filters.kinds.length < KINDS.length) filters.kinds.forEach(function (k) { params.append("kind", k); });
    if (filters.procedure) params.set("procedure", filters.procedure.k);
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, API_TIMEOUT_MS) : 0;
    return fetch(hcc.api + "/nearest?" + params.toString(), {
      headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      window.clearTimeout(timer);
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || !/json/.test(type)) throw new Error("nearest: HTTP " + response.status);
      return response.json();
    }).then(function (body) {
      if (!body || !Array.isArray(body.items)) throw new Error("nearest: unexpected answer");
      var rows = body.items.map(function (item) {
        var state = item.open_now
          ? { open: true, closes: localMoment(item.closes_at) }
          : { open: false, opens: localMoment(item.opens_at), reason: item.closed_reason || null };
        return {
          kind: item.kind, id: item.id, name: item.name, address: item.address, ward_code: item.ward_code,
          lat: item.lat, lon: item.lon, phone: item.phone, branch_number: item.branch_number,
          demo: !!item.demo, distance_m: item.distance_m, state: state
        };
      }).filter(function (row) {
        return filters.kinds.indexOf(row.kind) !== -1 && (!filters.openOnly || row.state.open);
      });
      return { rows: rows.slice(0, options.limit), source: "live" };
    }, function (error) {
      window.clearTimeout(timer);
      if (!(error instanceof Error && /^nearest:/.test(error.message))) apiDownUntil = Date.now() + API_RETRY_MS;
      throw error;
    });
  }

  /* The live answer, else the static one (the API is not asked again for a minute after
   * it could not be reached). */
  function nearest(pos, filters, now) {
    return apiNearest(pos, filters, now).catch(function () {
      return staticNearest(pos, filters, options.limit, now);
    });
  }

  /* The page's settings: {root, limit, fieldSlugs}. */
  function source(pageOptions) {
    options = pageOptions;
    return { index: loadPlacesIndex, nearest: nearest };
  }

  window.hccNearestPlaces = { KINDS: KINDS, source: source };
})();
