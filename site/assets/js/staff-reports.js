/* The staff report queue (kiem-tra/phan-anh): citizens' reports by deadline, overdue ones
 * highlighted; assign, mark in progress, resolve or reject with a note the citizen reads.
 * GET ${api}/reports?status=&kind=&overdue=[&subject_kind=&subject_id=, from the page's own
 * query]; POST ${api}/reports/{code}/{action}. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var staff = window.hccStaff;
  var ui = window.hccStaffUi;
  var report = window.hccReport;
  var list = document.getElementById("reports-list");
  if (!hcc || !staff || !ui || !report || !list) return;

  var PAGE_SIZE = 20;
  var labels = report.labels;
  var el = ui.el;
  var page = 1;
  var filter = document.getElementById("reports-filter");
  var summary = document.getElementById("reports-summary");
  var result = document.getElementById("reports-result");
  /* ?subject_kind=agent&subject_id=DL-0001 narrows the queue to one subject (links from the audit). */
  var scope = new URLSearchParams(window.location.search);
  var subject = scope.get("subject_kind") && scope.get("subject_id") ?
    { kind: scope.get("subject_kind"), id: scope.get("subject_id") } : null;
  var ACTIONS = {
    progress: { button: "Đang xử lý", label: "Ghi chú cho người dân (không bắt buộc)", required: false, done: "Đã chuyển sang đang xử lý" },
    resolve: { button: "Giải quyết", label: "Kết quả giải quyết (người dân sẽ đọc được)", required: true, done: "Đã giải quyết" },
    reject: { button: "Không chấp nhận", label: "Lý do không chấp nhận (người dân sẽ đọc được)", required: true, done: "Đã không chấp nhận" }
  };

  function facts(item) {
    var rows = [
      ["Loại", labels.kinds[item.kind] || item.kind],
      ["Về", (labels.subjects[item.subject.kind] || item.subject.kind) + ": " + item.subject.name + " (" + item.subject.id + ")"],
      ["Nội dung", item.description, "hcc-report-text"],
      ["Tiếp nhận", hcc.formatDateTime(item.received_at) + (item.channel === "open311" ? " (qua Open311)" : "")],
      ["Hạn trả lời", ui.date(item.due_on) + (item.overdue ? " — quá hạn" : ""), item.overdue ? "hcc-report-card__overdue" : null],
      ["Trạng thái", labels.states[item.status] || item.status],
      ["Người xử lý", item.assignee || "Chưa phân công"],
      ["Liên hệ", [item.contact_name, item.contact_phone, item.contact_email].filter(Boolean).join(" · ") || "Không để lại"]
    ];
    if (item.note) rows.push(["Ghi chú", item.note]);
    var dl = el("dl", { class: "hcc-facts" });
    rows.forEach(function (row) {
      dl.appendChild(el("dt", { text: row[0] }));
      dl.appendChild(el("dd", { text: row[1], class: row[2] || null }));
    });
    return dl;
  }

  function noteForm(item, action) {
    var spec = ACTIONS[action];
    var id = "report-" + item.code + "-" + action;
    var form = el("form", { id: id + "-form", hidden: true, novalidate: true, "data-summary": id + "-errors", "aria-label": spec.button + " " + item.code }, [
      el("div", { id: id + "-errors", class: "hcc-error-summary", role: "alert", tabindex: "-1", hidden: true }),
      el("div", { class: "hcc-field", "data-field": "note" }, [
        el("label", { for: id + "-note", text: spec.label }),
        el("textarea", { id: id + "-note", name: "note", rows: "3", maxlength: "1000", required: spec.required }),
        el("p", { class: "hcc-field-error", id: id + "-note-error" })
      ]),
      el("p", {}, [el("button", { type: "submit", class: "hcc-button", id: id + "-submit", text: "Xác nhận: " + spec.button })])
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var note = document.getElementById(id + "-note").value.trim();
      if (spec.required && note.length < 3) {
        hcc.showErrors(form, { extra: [{ key: "note", message: "Vui lòng ghi chú (ít nhất 3 ký tự)." }] }, { title: "Chưa gửi được." });
        return;
      }
      send(item, action, document.getElementById(id + "-submit"), note ? { note: note } : {}, form);
    });
    return form;
  }

  function toggle(button, form) {
    button.addEventListener("click", function () {
      form.hidden = !form.hidden;
      button.setAttribute("aria-expanded", String(!form.hidden));
      if (!form.hidden) form.querySelector("textarea, input").focus();
    });
  }

  function card(item) {
    var headingId = "report-" + item.code + "-title";
    var open = item.status === "received" || item.status === "in_progress";
    var article = el("article", {
      class: "hcc-report-card" + (item.overdue ? " hcc-report-card--overdue" : ""), id: "report-" + item.code,
      "aria-labelledby": headingId, "data-status": item.status
    }, [
      el("h3", { id: headingId, text: item.code + (item.overdue ? " (quá hạn)" : "") }),
      item.demo ? el("p", { class: "hcc-demo", text: "Dữ liệu minh họa." }) : null,
      facts(item)
    ]);
    if (!open) return article;
    var actions = el("p", { class: "hcc-actions hcc-report__bar" });
    var assign = el("button", { type: "button", class: "hcc-button hcc-button--secondary", id: "report-" + item.code + "-assign", text: "Nhận xử lý" });
    assign.addEventListener("click", function () { send(item, "assign", assign, {}); });
    actions.appendChild(assign);
    var forms = [];
    Object.keys(ACTIONS).forEach(function (action) {
      if (action === "progress" && item.status === "in_progress") return;
      var form = noteForm(item, action);
      var button = el("button", {
        type: "button", class: "hcc-button hcc-button--secondary", id: "report-" + item.code + "-" + action + "-open",
        "aria-expanded": "false", "aria-controls": form.id, text: ACTIONS[action].button + "…"
      });
      toggle(button, form);
      actions.appendChild(button);
      forms.push(form);
    });
    article.appendChild(actions);
    forms.forEach(function (form) { article.appendChild(form); });
    return article;
  }

  function outcome(node) {
    ui.clear(result);
    result.appendChild(node);
    node.focus();
  }

  function send(item, action, button, body, form) {
    hcc.busy(button, true, "Đang gửi…");
    staff.request("POST", "/reports/" + encodeURIComponent(item.code) + "/" + action, { body: body }).then(function (response) {
      hcc.busy(button, false);
      if (response.ok) {
        var text = action === "assign" ? "Bạn đã nhận xử lý phản ánh " + item.code + "." :
          ACTIONS[action].done + " phản ánh " + item.code + ".";
        outcome(el("p", { class: "hcc-alert hcc-alert--success", tabindex: "-1", id: "reports-outcome", text: text }));
        load();
        return;
      }
      if (form && response.status === 422) {
        hcc.showErrors(form, response.data, { title: "Chưa gửi được.", fallback: "Ghi chú chưa hợp lệ." });
        return;
      }
      outcome(el("p", { class: "hcc-alert hcc-alert--error", tabindex: "-1", text: ui.problem(response, "Không xử lý được phản ánh " + item.code + ".") }));
      if (response.status === 409) load();
    }, function () {
      hcc.busy(button, false);
      outcome(el("p", { class: "hcc-alert hcc-alert--error", tabindex: "-1", text: hcc.UNREACHABLE }));
    });
  }

  function pager(total) {
    ui.pager(document.getElementById("reports-pager"), page, total, PAGE_SIZE, function (p) { page = p; load(); });
  }

  function query() {
    var params = new URLSearchParams({ page: String(page), page_size: String(PAGE_SIZE) });
    var status = filter.elements.namedItem("status").value;
    var kind = filter.elements.namedItem("kind").value;
    if (status) params.set("status", status);
    if (kind) params.set("kind", kind);
    if (filter.elements.namedItem("overdue").checked) params.set("overdue", "true");
    if (subject) { params.set("subject_kind", subject.kind); params.set("subject_id", subject.id); }
    return "/reports?" + params.toString();
  }

  function load() {
    summary.textContent = "Đang tải phản ánh…";
    return staff.request("GET", query()).then(function (response) {
      if (!response.ok) { summary.textContent = ui.problem(response, "Không tải được danh sách phản ánh."); return; }
      var data = response.data;
      if (!data.items.length && page > 1) { page -= 1; load(); return; }
      ui.clear(list);
      var overdue = data.items.filter(function (i) { return i.overdue; }).length;
      summary.textContent = (subject ? "Về " + (labels.subjects[subject.kind] || subject.kind) + " " + subject.id + ": " : "") + (data.total ?
        "Có " + ui.number(data.total) + " phản ánh (hạn sớm nhất trước)" + (overdue ? "; " + ui.number(overdue) + " phản ánh quá hạn trên trang này." : ".") :
        "Không có phản ánh nào.");
      data.items.forEach(function (item) { list.appendChild(card(item)); });
      pager(data.total);
    }, function () { summary.textContent = hcc.UNREACHABLE; });
  }

  filter.addEventListener("submit", function (event) {
    event.preventDefault();
    page = 1;
    load();
  });

  staff.ready(function () { page = 1; ui.clear(result); load(); });
})();
