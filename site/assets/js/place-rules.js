/* Rules about places shared by the site's pages, mirroring the server so that answers from the
 * static data equal the API's:
 * - geodesic(lat1, lon1, lat2, lon2): metres on WGS84 (Vincenty's inverse; sub-millimetre
 *   against geopy/Karney used by agents_registry/nearest.py);
 * - cellLowerBound(...): a distance no place in a lat/lon cell can beat (for grid searches);
 * - openState(record, holidays, now): agents_registry/hours.py open_state in Hanoi time
 *   (UTC+7, no daylight saving) over a compact place record {h, c} of assets/places/.
 * Exposed as window.hccPlaces. */
(function () {
  "use strict";

  var DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  var LOOKAHEAD_DAYS = 14; /* open days to look through for the next opening */
  var MAX_SCAN_DAYS = 400;
  var HANOI_MS = 7 * 3600 * 1000;
  var DAY_MS = 86400 * 1000;

  /* --- Geodesy ------------------------------------------------------------------------------ */

  var A = 6378137, F = 1 / 298.257223563, B = A * (1 - F);
  /* The smallest radius of curvature of the ellipsoid, b²/a: on a sphere of this radius (with
   * geodetic coordinates) every path is shorter than on the ellipsoid, so spherical distances
   * with it are lower bounds of geodesic ones. */
  var R_LOWER = A * (1 - F) * (1 - F);
  var RAD = Math.PI / 180;

  /* Geodesic distance in metres on WGS84 (Vincenty's inverse). */
  function geodesic(lat1, lon1, lat2, lon2) {
    if (lat1 === lat2 && lon1 === lon2) return 0;
    var L = wrap(lon2 - lon1) * RAD;
    var U1 = Math.atan((1 - F) * Math.tan(lat1 * RAD));
    var U2 = Math.atan((1 - F) * Math.tan(lat2 * RAD));
    var sinU1 = Math.sin(U1), cosU1 = Math.cos(U1), sinU2 = Math.sin(U2), cosU2 = Math.cos(U2);
    var lambda = L, previous, iterations = 0;
    var sinSigma, cosSigma, sigma, cosSqAlpha, cos2SigmaM;
    do {
      var sinL = Math.sin(lambda), cosL = Math.cos(lambda);
      var t1 = cosU2 * sinL, t2 = cosU1 * sinU2 - sinU1 * cosU2 * cosL;
      sinSigma = Math.sqrt(t1 * t1 + t2 * t2);
      if (sinSigma === 0) return 0;
      cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
      sigma = Math.atan2(sinSigma, cosSigma);
      var sinAlpha = cosU1 * cosU2 * sinL / sinSigma;
      cosSqAlpha = 1 - sinAlpha * sinAlpha;
      cos2SigmaM = cosSqAlpha !== 0 ? cosSigma - 2 * sinU1 * sinU2 / cosSqAlpha : 0;
      var C = F / 16 * cosSqAlpha * (4 + F * (4 - 3 * cosSqAlpha));
      previous = lambda;
      lambda = L + (1 - C) * F * sinAlpha *
        (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    } while (Math.abs(lambda - previous) > 1e-12 && ++iterations < 200);
    if (iterations >= 200) return haversine(lat1, lon1, lat2, lon2, 6371008.8); /* near-antipodal */
    var uSq = cosSqAlpha * (A * A - B * B) / (B * B);
    var bigA = 1 + uSq / 16384 * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
    var bigB = uSq / 1024 * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
    var deltaSigma = bigB * sinSigma * (cos2SigmaM + bigB / 4 * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) -
      bigB / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
    return B * bigA * (sigma - deltaSigma);
  }

  function wrap(degrees) {
    var d = ((degrees + 180) % 360 + 360) % 360 - 180;
    return d === -180 ? 180 : d;
  }

  function haversine(lat1, lon1, lat2, lon2, radius) {
    var dLat = (lat2 - lat1) * RAD, dLon = wrap(lon2 - lon1) * RAD;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * radius * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  /* A lower bound of the geodesic distance from (lat, lon) to any point of the cell
   * [south, north] x [west, east]. Outside the cell's longitudes the nearest point lies on the
   * nearer meridian edge, at the clamped foot of the perpendicular great circle. */
  function cellLowerBound(lat, lon, south, north, west, east) {
    var fromWest = wrap(lon - west);
    if (fromWest >= 0 && fromWest <= east - west) {
      var clamped = Math.min(Math.max(lat, south), north);
      return Math.max(0, R_LOWER * Math.abs(lat - clamped) * RAD - 1);
    }
    var toWest = Math.abs(fromWest), toEast = Math.abs(wrap(lon - east));
    var edge = toWest <= toEast ? west : east;
    var dLon = Math.min(toWest, toEast) * RAD;
    var foot = Math.cos(dLon) > 0
      ? Math.atan(Math.tan(lat * RAD) / Math.cos(dLon)) / RAD
      : (lat >= 0 ? 90 : -90);
    var nearest = Math.min(Math.max(foot, south), north);
    return Math.max(0, haversine(lat, lon, nearest, edge, R_LOWER) - 1);
  }

  /* --- Opening hours (mirror of agents_registry/hours.py open_state) ------------------------ */

  function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

  function minutes(hhmm) {
    var parts = hhmm.split(":");
    return parseInt(parts[0], 10) * 60 + parseInt(parts[1], 10);
  }

  function closedReason(place, day, holidays) {
    var closures = place.c || [];
    for (var i = 0; i < closures.length; i++) {
      if (closures[i][0] <= day && day <= closures[i][1]) return closures[i][2] || "Tạm nghỉ";
    }
    var name = holidays[day];
    return name ? "Nghỉ lễ" + (name === true ? "" : ": " + name) : null;
  }

  /* Opening ranges in time order from today on, as minutes from today's midnight, skipping
   * holidays and closures; closed days do not use up the look-ahead. An end of 23:59 means
   * "until midnight". */
  function openRanges(place, holidays, midnight) {
    var hours = place.h || {};
    var weekday = (new Date(midnight).getUTCDay() + 6) % 7;
    var ranges = [];
    var openDays = 0;
    for (var offset = 0; offset < MAX_SCAN_DAYS; offset++) {
      if (closedReason(place, isoDay(midnight + offset * DAY_MS), holidays) !== null) continue;
      (hours[DAYS[(weekday + offset) % 7]] || []).forEach(function (range) {
        var se = range.split("-");
        var end = se[1] === "23:59" ? 1440 : minutes(se[1]);
        ranges.push([offset * 1440 + minutes(se[0]), offset * 1440 + end]);
      });
      if (++openDays > LOOKAHEAD_DAYS) break;
    }
    return ranges;
  }

  /* {open: true, closes: {day, time}} or {open: false, opens: {day, time} | null, reason}.
   * Ranges that touch (18:00-23:59 then 00:00-02:00) count as one opening. */
  function openState(place, holidays, now) {
    var local = now.getTime() + HANOI_MS;
    var midnight = Math.floor(local / DAY_MS) * DAY_MS;
    var nowMin = (local - midnight) / 60000;
    function moment(m) {
      var day = Math.floor(m / 1440);
      var rest = m - day * 1440;
      var hh = Math.floor(rest / 60), mm = rest % 60;
      return { day: isoDay(midnight + day * DAY_MS), time: (hh < 10 ? "0" : "") + hh + ":" + (mm < 10 ? "0" : "") + mm };
    }
    var ranges = openRanges(place, holidays, midnight);
    for (var i = 0; i < ranges.length; i++) {
      if (ranges[i][1] <= nowMin) continue;
      if (ranges[i][0] > nowMin) {
        return { open: false, opens: moment(ranges[i][0]), reason: closedReason(place, isoDay(midnight), holidays) };
      }
      var end = ranges[i][1];
      for (var j = i + 1; j < ranges.length && ranges[j][0] === end; j++) end = ranges[j][1];
      return { open: true, closes: moment(end) };
    }
    return { open: false, opens: null, reason: closedReason(place, isoDay(midnight), holidays) };
  }

  window.hccPlaces = {
    geodesic: geodesic,
    haversine: haversine,
    wrap: wrap,
    cellLowerBound: cellLowerBound,
    openState: openState,
    isoDay: isoDay,
    HANOI_MS: HANOI_MS,
    DAY_MS: DAY_MS
  };
})();
