/* Export buttons of the staff pages: the ranking as CSV or Excel (XLSX), fetched with the staff
 * token and saved as a download. ``query()`` returns the current filters ("?month=...") so the
 * file holds exactly what the page shows. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var staff = window.hccStaff;
  var ui = window.hccStaffUi;
  if (!hcc || !staff || !ui) return;
  var el = ui.el;

  function mount(box, query, describe) {
    ui.clear(box);
    var state = el("p", { class: "hcc-status", role: "status", "aria-live": "polite", id: box.id + "-status" });
    var intro = el("p", { text: describe ? describe() : "Bảng xếp hạng theo bộ lọc đang chọn." });
    function button(kind, label) {
      var b = el("button", { type: "button", class: "hcc-button hcc-button--secondary", id: box.id + "-" + kind, text: label });
      b.addEventListener("click", function () {
        hcc.busy(b, true, "Đang tạo tệp…");
        state.textContent = "";
        staff.download("/audit/agents." + kind + query(), "xep-hang-dai-ly." + kind).then(function (name) {
          hcc.busy(b, false);
          state.textContent = "Đã tải xuống tệp " + name + ".";
        }, function (error) {
          hcc.busy(b, false);
          state.textContent = error.message;
        });
      });
      return b;
    }
    box.appendChild(intro);
    box.appendChild(el("p", { class: "hcc-actions" }, [button("xlsx", "Tải Excel (XLSX)"), button("csv", "Tải CSV")]));
    box.appendChild(state);
    return function refresh() { if (describe) intro.textContent = describe(); };
  }

  window.hccStaffExport = { mount: mount };
})();
