/* The application queue (kiem-tra/don-dang-ky): pending applications, oldest first; approve
 * (the new agent's token is shown once, to hand over) or reject with a reason the applicant
 * will read. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var staff = window.hccStaff;
  var ui = window.hccStaffUi;
  var list = document.getElementById("queue-list");
  if (!hcc || !staff || !ui || !list) return;

  var PAGE_SIZE = 10;
  var DAYS = [["mon", "T2"], ["tue", "T3"], ["wed", "T4"], ["thu", "T5"], ["fri", "T6"], ["sat", "T7"], ["sun", "CN"]];
  var el = ui.el;
  var page = 1;
  var wards = {};
  var fields = {};
  var summary = document.getElementById("queue-summary");
  var result = document.getElementById("queue-result");

  hcc.asset("wards.json").then(function (items) { items.forEach(function (w) { wards[w.code] = w.name; }); }, function () {});
  hcc.asset("fields.json").then(function (items) { items.forEach(function (f) { fields[f.slug] = f.name; }); }, function () {});

  function hours(opening) {
    var parts = DAYS.filter(function (d) { return (opening[d[0]] || []).length; }).map(function (d) {
      return d[1] + ": " + opening[d[0]].join(", ");
    });
    return parts.length ? parts.join("; ") : "Chưa khai báo";
  }

  function facts(app) {
    var rows = [
      ["Mã đơn", app.id],
      ["Loại hình", ui.kindName(app.kind)],
      ["Mã số thuế", app.tax_code],
      ["Người đại diện", app.legal_representative],
      ["Địa chỉ", app.address + (wards[app.ward_code] ? " (" + wards[app.ward_code] + ")" : "")],
      ["Điện thoại", app.phone],
      ["Thư điện tử", app.email],
      ["Giờ mở cửa", hours(app.opening_hours || {})],
      ["Nhân sự", ui.number(app.staff_count) + " người"],
      ["Trang thiết bị", app.equipment],
      ["Lĩnh vực hỗ trợ", (app.fields || []).map(function (s) { return fields[s] || s; }).join(", ")],
      ["Ngày nộp đơn", hcc.formatDateTime(app.created_at)]
    ];
    return ui.facts(rows);
  }

  function card(app) {
    var id = app.id;
    var headingId = "app-" + id + "-title";
    var reasonId = "app-" + id + "-reason";
    var errorId = reasonId + "-error";
    var rejectForm = el("form", {
      class: "hcc-queue__reject", id: "app-" + id + "-reject", hidden: true, novalidate: true,
      "data-summary": "app-" + id + "-errors", "aria-label": "Từ chối đơn " + id
    }, [
      el("div", { id: "app-" + id + "-errors", class: "hcc-error-summary", role: "alert", tabindex: "-1", hidden: true }),
      el("div", { class: "hcc-field", "data-field": "reason" }, [
        el("label", { for: reasonId, text: "Lý do từ chối (người nộp đơn sẽ đọc được)" }),
        el("textarea", { id: reasonId, name: "reason", rows: "3", maxlength: "1000", required: true }),
        el("p", { class: "hcc-field-error", id: errorId })
      ]),
      el("p", {}, [el("button", { type: "submit", class: "hcc-button", id: "app-" + id + "-reject-submit", text: "Xác nhận từ chối" })])
    ]);
    var approve = el("button", { type: "button", class: "hcc-button", id: "app-" + id + "-approve", text: "Duyệt đơn" });
    var reject = el("button", {
      type: "button", class: "hcc-button hcc-button--secondary", id: "app-" + id + "-reject-open",
      "aria-expanded": "false", "aria-controls": rejectForm.id, text: "Từ chối…"
    });
    var article = el("article", { class: "hcc-queue__item", id: "app-" + id, "aria-labelledby": headingId }, [
      el("h3", { id: headingId, text: app.business_name }),
      app.demo ? el("p", { class: "hcc-demo", text: "Dữ liệu minh họa." }) : null,
      facts(app),
      el("p", { class: "hcc-actions" }, [approve, " ", reject]),
      rejectForm
    ]);
    approve.addEventListener("click", function () { decide(app, "approve", approve); });
    reject.addEventListener("click", function () {
      rejectForm.hidden = !rejectForm.hidden;
      reject.setAttribute("aria-expanded", String(!rejectForm.hidden));
      if (!rejectForm.hidden) document.getElementById(reasonId).focus();
    });
    rejectForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var reason = document.getElementById(reasonId).value.trim();
      if (reason.length < 3) {
        hcc.showErrors(rejectForm, { extra: [{ key: "reason", message: "Vui lòng ghi lý do từ chối (ít nhất 3 ký tự)." }] },
          { title: "Chưa từ chối được đơn." });
        return;
      }
      decide(app, "reject", document.getElementById("app-" + id + "-reject-submit"), reason, rejectForm);
    });
    return article;
  }

  /* Outcomes stack up, newest first: a token shown once must not vanish on the next decision. */
  function outcome(node) {
    result.insertBefore(node, result.firstChild);
    node.focus();
  }

  function approved(app, data) {
    var box = el("div", { class: "hcc-result-box", id: "app-" + app.id + "-approved", tabindex: "-1" }, [
      el("h3", { text: "Đã duyệt đơn của " + app.business_name }),
      el("p", { text: "Mã truy cập của đại lý chỉ hiển thị một lần, ngay bây giờ. Hãy bàn giao cho đại lý qua kênh an toàn; " +
        "nếu làm mất, có thể cấp mã mới trên trang của đại lý." }),
      el("dl", { class: "hcc-secret" }, [
        el("dt", { text: "Mã đại lý" }), el("dd", {}, [el("code", { id: "app-" + app.id + "-agent", text: data.agent_id })]),
        el("dt", { text: "Mã truy cập" }), el("dd", {}, [el("code", { id: "app-" + app.id + "-token", text: data.token })])
      ]),
      el("p", {}, [ui.agentLink(data.agent_id, "Xem trang kiểm tra của đại lý " + data.agent_id)])
    ]);
    outcome(box);
  }

  function decide(app, action, button, reason, form) {
    hcc.busy(button, true, "Đang gửi…");
    var options = action === "reject" ? { body: { reason: reason } } : { body: {} };
    staff.request("POST", "/applications/" + encodeURIComponent(app.id) + "/" + action, options).then(function (response) {
      hcc.busy(button, false);
      if (response.ok) {
        if (action === "approve") approved(app, response.data);
        else {
          outcome(el("p", { class: "hcc-alert hcc-alert--success", tabindex: "-1", id: "app-" + app.id + "-rejected",
            text: "Đã từ chối đơn của " + app.business_name + ". Lý do: " + reason }));
        }
        load();
        return;
      }
      if (form && response.status === 422) {
        hcc.showErrors(form, response.data, { title: "Chưa từ chối được đơn.", fallback: "Lý do chưa hợp lệ." });
        return;
      }
      outcome(el("p", { class: "hcc-alert hcc-alert--error", tabindex: "-1", text: ui.problem(response, "Không xử lý được đơn " + app.id + ".") }));
      if (response.status === 409) load();
    }, function () {
      hcc.busy(button, false);
      outcome(el("p", { class: "hcc-alert hcc-alert--error", tabindex: "-1", text: hcc.UNREACHABLE }));
    });
  }

  function pager(total) {
    ui.pager(document.getElementById("queue-pager"), page, total, PAGE_SIZE, function (p) { page = p; load(); });
  }

  function load() {
    summary.textContent = "Đang tải các đơn chờ duyệt…";
    var query = "/applications?status=pending&page=" + page + "&page_size=" + PAGE_SIZE;
    return staff.request("GET", query).then(function (response) {
      if (!response.ok) { summary.textContent = ui.problem(response, "Không tải được danh sách đơn."); return; }
      var data = response.data;
      if (!data.items.length && page > 1) { page -= 1; load(); return; }
      ui.clear(list);
      summary.textContent = data.total ? "Có " + ui.number(data.total) + " đơn chờ duyệt (cũ nhất trước)." :
        "Không còn đơn nào chờ duyệt.";
      data.items.forEach(function (app) { list.appendChild(card(app)); });
      pager(data.total);
    }, function () { summary.textContent = hcc.UNREACHABLE; });
  }

  staff.ready(function () { page = 1; ui.clear(result); load(); });
})();
