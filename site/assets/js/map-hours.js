/* Opening hours as the network map shows them: the open-now line and the weekly hours of a
 * compact place record {h, c} of assets/places/. Whether a place is open, until when and when it
 * reopens comes from place-rules.js (agents_registry/hours.py open_state in Hanoi time), which
 * the "Tìm điểm gần nhất" page uses too; this file only words the answer.
 * Exposed as window.hccMapHours. */
(function () {
  "use strict";

  var rules = window.hccPlaces;
  if (!rules) return;

  var DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  var DAY_NAMES = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"];

  /* "hôm nay", "ngày mai" or "Thứ Tư 05/03": the ISO `day` seen from Hanoi's `today`. */
  function dayText(day, today) {
    var dayMs = Date.parse(day + "T00:00:00Z");
    var offset = Math.round((dayMs - Date.parse(today + "T00:00:00Z")) / rules.DAY_MS);
    if (offset === 0) return "hôm nay";
    if (offset === 1) return "ngày mai";
    return DAY_NAMES[(new Date(dayMs).getUTCDay() + 6) % 7] + " " + day.slice(8, 10) + "/" + day.slice(5, 7);
  }

  /* {open, closes: "YYYY-MM-DD HH:MM" | undefined, opens: ... | undefined, text} at `now`
   * (milliseconds, default: now); `holidays` maps an ISO day to its name. */
  function openState(rec, holidays, now) {
    now = now === undefined ? Date.now() : now;
    var s = rules.openState(rec, holidays, new Date(now));
    var today = rules.isoDay(Math.floor((now + rules.HANOI_MS) / rules.DAY_MS) * rules.DAY_MS);
    if (s.open) {
      var until = s.closes.day === today ? "" : " " + dayText(s.closes.day, today);
      return {
        open: true,
        closes: s.closes.day + " " + s.closes.time,
        text: "Đang mở cửa, đến " + s.closes.time + until
      };
    }
    var text = "Đang đóng cửa" + (s.reason ? " (" + s.reason + ")" : "");
    if (!s.opens) return { open: false, text: text };
    return {
      open: false,
      opens: s.opens.day + " " + s.opens.time,
      text: text + ", mở lại " + s.opens.time + " " + dayText(s.opens.day, today)
    };
  }

  /* The weekly hours, days with the same hours run together: ["Thứ Hai – Thứ Sáu: 08:00–17:00", …]. */
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

  window.hccMapHours = { openState: openState, hoursLines: hoursLines };
})();
