/* Reconciliation (kiem-tra/doi-chieu): upload the official dossier export (CSV or XLSX) to
 * POST /audit/reconciliations; show matched / unmatched / conflicting rows, or every bad row
 * of a refused file (nothing is written then). */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var staff = window.hccStaff;
  var ui = window.hccStaffUi;
  var box = document.getElementById("reconcile-box");
  var result = document.getElementById("reconcile-result");
  if (!hcc || !staff || !ui || !box || !result) return;

  var el = ui.el;
  var ROW_KEY = /^rows\[([0-9]+)\]\.(.+)$/;
  var COLUMNS = [
    ["dossier_code", "mã hồ sơ"],
    ["procedure_code", "mã thủ tục"],
    ["received_at", "thời điểm tiếp nhận (ISO 8601; không ghi múi giờ thì hiểu là giờ Hà Nội)"],
    ["status", "trạng thái: received, processing, completed, returned hoặc rejected"],
    ["due_at", "hạn giải quyết (có thể để trống)"],
    ["completed_at", "thời điểm giải quyết xong (bắt buộc khi status là completed)"]
  ];

  function buildForm() {
    var form = el("form", { id: "reconcile-form", "data-summary": "reconcile-errors", novalidate: true, "aria-labelledby": "reconcile-title" }, [
      el("h2", { id: "reconcile-title", text: "Tải lên tệp hồ sơ gốc" }),
      el("div", { id: "reconcile-errors", class: "hcc-error-summary", role: "alert", tabindex: "-1", hidden: true }),
      el("p", { text: "Dòng đầu của tệp là tên các cột (thứ tự tùy ý):" }),
      el("ul", {}, COLUMNS.map(function (c) { return el("li", {}, [el("code", { text: c[0] }), " — " + c[1]]); })),
      el("p", { class: "hcc-hint", text: "Tệp mẫu: examples/official-export-2026-10.xlsx trong mã nguồn (khớp mạng lưới minh họa tạo ngày 23/11/2026); khi khởi động lần đầu, hcc up còn ghi tệp khớp với mạng lưới minh họa hiện tại vào var/official-export-<năm-tháng>.csv." }),
      el("div", { class: "hcc-field", "data-field": "file" }, [
        el("label", { for: "reconcile-file", text: "Tệp CSV (UTF-8) hoặc Excel (.xlsx)" }),
        el("input", { id: "reconcile-file", name: "file", type: "file", accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", required: true }),
        el("p", { class: "hcc-field-error", id: "reconcile-file-error" })
      ]),
      el("p", {}, [el("button", { type: "submit", class: "hcc-button", id: "reconcile-submit", text: "Đối chiếu" })])
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = document.getElementById("reconcile-file");
      var file = input.files && input.files[0];
      if (!file) {
        hcc.showErrors(form, { extra: [{ key: "file", message: "Vui lòng chọn tệp cần đối chiếu." }] }, { title: "Chưa đối chiếu được." });
        return;
      }
      send(form, file);
    });
    box.appendChild(form);
  }

  function send(form, file) {
    var button = document.getElementById("reconcile-submit");
    hcc.clearErrors(form);
    ui.clear(result);
    hcc.busy(button, true, "Đang đối chiếu…");
    staff.upload("/audit/reconciliations?filename=" + encodeURIComponent(file.name.slice(0, 200)), file).then(function (response) {
      hcc.busy(button, false);
      if (response.ok) { report(response.data); return; }
      if (response.status === 422 && response.data.extra) { refused(form, file, response.data); return; }
      if (response.status !== 401) {
        hcc.showErrors(form, {}, { title: "Chưa đối chiếu được.", detailFallback: ui.problem(response, "Máy chủ không nhận tệp này.") });
      }
    }, function (error) {
      hcc.busy(button, false);
      hcc.showErrors(form, {}, { title: "Chưa đối chiếu được.", detailFallback: error.message });
    });
  }

  /* A refused file: file-level problems next to the field, every bad row in a table. */
  function refused(form, file, body) {
    var rows = [];
    var fileProblems = [];
    body.extra.forEach(function (item) {
      var m = ROW_KEY.exec(item.key || "");
      if (m) rows.push({ line: parseInt(m[1], 10), field: m[2], message: item.message });
      else fileProblems.push({ key: "file", message: item.message });
    });
    rows.sort(function (a, b) { return a.line - b.line; });
    var summary = rows.length ? "Tệp " + file.name + " có " + ui.number(rows.length) + " lỗi ở " +
      ui.number(new Set(rows.map(function (r) { return r.line; })).size) + " dòng; chưa có gì được ghi. Sửa các dòng dưới đây rồi tải lại cả tệp." : "";
    hcc.showErrors(form, { detail: summary, extra: fileProblems }, {
      title: "Tệp bị từ chối, chưa có gì thay đổi.", fallback: "Tệp chưa đúng định dạng."
    });
    if (!rows.length) return;
    result.appendChild(ui.table("Các dòng lỗi của tệp " + file.name, [
      { label: "Dòng", num: true, value: function (r) { return String(r.line); } },
      { label: "Cột", value: function (r) { return r.field; } },
      { label: "Lỗi", value: function (r) { return r.message; } }
    ], rows, { id: "reconcile-bad-rows", wide: true }));
  }

  function report(data) {
    var heading = el("h2", { id: "reconcile-done", tabindex: "-1", text: "Kết quả đối chiếu tệp " + data.filename });
    result.appendChild(heading);
    result.appendChild(el("p", { text: data.changed ? "Đã ghi " + ui.number(data.changed) + " hồ sơ gốc; số liệu của " + ui.number(data.agents_affected) + " đại lý đã được cập nhật." :
      "Tệp này đã được đối chiếu trước đó: không có gì thay đổi." }));
    result.appendChild(el("dl", { class: "hcc-kpis", id: "reconcile-counts" }, [
      ["Số dòng", data.rows], ["Khớp với hồ sơ đại lý", data.matched], ["Không có hồ sơ đại lý", data.unmatched], ["Mâu thuẫn", data.conflicting]
    ].map(function (pair) {
      return el("div", { class: "hcc-kpi" }, [el("dt", { text: pair[0] }), el("dd", { text: ui.number(pair[1]) })]);
    })));
    if (data.conflicts.length) {
      result.appendChild(el("h3", { text: "Hồ sơ mâu thuẫn" }));
      result.appendChild(ui.table("Hồ sơ đại lý ghi khác hồ sơ gốc" + (data.conflicting > data.conflicts.length ? " (" + ui.number(data.conflicts.length) + " hồ sơ đầu tiên)" : ""), [
        { label: "Mã hồ sơ", value: function (c) { return c.dossier_code; } },
        { label: "Trường", value: function (c) { return c.field === "procedure_code" ? "Mã thủ tục" : c.field; } },
        { label: "Hồ sơ gốc", value: function (c) { return c.official; } },
        { label: "Đại lý ghi nhận", value: function (c) { return c.recorded; } }
      ], data.conflicts, { id: "reconcile-conflicts", wide: true }));
    }
    if (data.unmatched_codes.length) {
      result.appendChild(el("h3", { text: "Hồ sơ gốc không có đại lý nào ghi nhận" }));
      result.appendChild(el("p", { text: (data.unmatched > data.unmatched_codes.length ? ui.number(data.unmatched_codes.length) + " mã đầu tiên: " : "") +
        data.unmatched_codes.join(", ") }));
    }
    result.appendChild(el("p", {}, [el("a", { href: ui.pageUrl("xep-hang", { flag: "low_verified" }), text: "Xem các đại lý có ít hồ sơ khớp hồ sơ gốc" })]));
    heading.focus();
  }

  var mounted = false;
  staff.ready(function () {
    if (!mounted) { buildForm(); mounted = true; }
  });
})();
