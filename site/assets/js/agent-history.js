/* An agent's public page (dai-ly/thong-tin/): when its facts last changed and a short history,
 * from GET /agents/{id}/history, mounted in #hcc-page-extras once agent-page.js has loaded the
 * agent (the "hcc:agent" event). The API returns only dates, event kinds and the names of the
 * public facts that changed — never reasons, tax codes or personal data. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  if (!hcc) return;

  var EVENTS = {
    created: "Được công nhận là đại lý dịch vụ công trực tuyến",
    suspended: "Tạm ngừng hoạt động",
    reinstated: "Hoạt động trở lại",
    hours_changed: "Thay đổi giờ làm việc",
    closure_added: "Thông báo ngày nghỉ",
    closure_removed: "Hủy thông báo ngày nghỉ",
    updated: "Cập nhật thông tin"
  };
  var FIELDS = {
    name: "tên", kind: "loại hình", address: "địa chỉ", ward_code: "xã, phường", lat: "vị trí",
    lon: "vị trí", phone: "điện thoại", opening_hours: "giờ làm việc", fields: "lĩnh vực hỗ trợ",
    status: "trạng thái", closures: "ngày nghỉ"
  };
  var SHOWN = 5;

  function day(iso) { return hcc.formatDateTime(iso).slice(0, 10); }

  function add(parent, tag, text) {
    var el = document.createElement(tag);
    if (text) el.textContent = text;
    parent.appendChild(el);
    return el;
  }

  function render(box, entries) {
    var section = add(box, "section");
    section.className = "hcc-history";
    section.setAttribute("aria-labelledby", "agent-history-title");
    var title = add(section, "h2", "Lịch sử cập nhật");
    title.id = "agent-history-title";
    if (!entries.length) {
      add(section, "p", "Chưa có thay đổi nào được ghi nhận.");
      return;
    }
    add(section, "p", "Thông tin của đại lý được cập nhật lần cuối ngày " + day(entries[0].at) + ".");
    var list = add(section, "ul");
    entries.slice(0, SHOWN).forEach(function (entry) {
      var names = [];
      entry.fields.forEach(function (f) {
        var name = FIELDS[f] || f;
        if (names.indexOf(name) < 0) names.push(name);
      });
      var text = day(entry.at) + ": " + (EVENTS[entry.event] || EVENTS.updated);
      if (entry.event === "updated" && names.length) text += " (" + names.join(", ") + ")";
      add(list, "li", text);
    });
  }

  document.addEventListener("hcc:agent", function (event) {
    var box = document.getElementById("hcc-page-extras");
    if (!box || !event.detail) return;
    hcc.request("GET", "/agents/" + encodeURIComponent(event.detail.id) + "/history").then(
      function (r) { if (r.ok) render(box, r.data); },
      function () {}
    );
  });
})();
