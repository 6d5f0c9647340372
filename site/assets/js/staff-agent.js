/* One agent for staff (kiem-tra/dai-ly/?id=DL-0001): KPIs of the month against the targets,
 * flags with the evidence behind them, the daily series, twelve months of fully-online share,
 * the procedures filed, suspend / reinstate, and the agent's audit-log entries.
 * Data: GET /audit/agents/{id}?month=YYYY-MM. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var staff = window.hccStaff;
  var ui = window.hccStaffUi;
  var charts = window.hccStaffCharts;
  var head = document.getElementById("agent-head");
  if (!hcc || !staff || !ui || !charts || !head) return;

  var el = ui.el;
  var DAY_MS = 86400000;
  var ACTIONS = {
    "agent.create": "Tạo đại lý (duyệt đơn)",
    "agent.suspended": "Tạm dừng hoạt động",
    "agent.active": "Khôi phục hoạt động",
    "agent.revoked": "Chấm dứt hoạt động",
    "agent.token_rotate": "Cấp mã truy cập mới",
    "place.hours_set": "Cập nhật giờ mở cửa",
    "place.hours_reset": "Trả về giờ mở cửa đã đăng ký",
    "place.closure_add": "Báo tạm nghỉ",
    "place.closure_remove": "Hủy thông báo tạm nghỉ",
    "submission.contested": "Mã hồ sơ bị đại lý khác ghi nhận trùng"
  };
  var id = (ui.params().get("id") || "").trim();
  var month = ui.params().get("month") || ui.recentMonths(1)[0];
  var wards = {};
  var wardsLoaded = hcc.asset("wards.json").then(function (items) {
    items.forEach(function (w) { wards[w.code] = w.name; });
  }, function () {});

  function box(name) { return document.getElementById(name); }

  function renderHead(report) {
    var a = report.agent;
    ui.clear(head);
    head.appendChild(el("h2", { id: "agent-name", tabindex: "-1", text: a.name + " (" + a.agent_id + ")" }));
    head.appendChild(ui.facts([
      ["Loại hình", ui.kindName(a.kind)],
      ["Xã, phường", wards[a.ward_code] || a.ward_code],
      ["Chi nhánh quản lý", "Chi nhánh số " + a.branch_number],
      ["Trạng thái", ui.statusName(a.status)],
      ["Hồ sơ gần nhất", a.last_activity ? ui.date(a.last_activity) + " (" + ui.number(a.days_since_activity) + " ngày trước)" : "Chưa có hồ sơ nào"]
    ]));
    if (a.demo) head.appendChild(el("p", { class: "hcc-demo", text: "Dữ liệu minh họa: đại lý thuộc mạng lưới mẫu để trình diễn." }));
    var picker = ui.monthField("agent-month", month, function (value) {
      month = value;
      ui.setParams({ id: id, month: month });
      load();
    });
    head.appendChild(el("form", { class: "hcc-filters", "aria-label": "Chọn kỳ báo cáo" }, [picker]));
    head.appendChild(el("p", { text: "Số liệu từ " + ui.date(report.period.date_from) + " đến " + ui.date(report.period.date_to) + "." }));
  }

  function renderKpis(report) {
    var a = report.agent;
    var target = report.targets.full_online_share;
    var met = a.submissions ? a.full_online_share >= target : undefined;
    var node = box("agent-kpis");
    ui.clear(node);
    node.appendChild(el("dl", { class: "hcc-kpis" }, [
      ui.kpi("Hồ sơ", ui.number(a.submissions)),
      ui.kpi("Ngày có hồ sơ", ui.number(a.active_days)),
      ui.kpi("Toàn trình (chỉ tiêu ≥ " + ui.percent(target) + ")", ui.percent(a.full_online_share), null, met),
      ui.kpi("Khớp hồ sơ gốc", ui.percent(a.verified_share)),
      ui.kpi("Bị trả lại, từ chối", ui.percent(a.returned_share)),
      ui.kpi("Giải quyết đúng hạn", a.completed ? ui.percent(a.on_time_share) : "–"),
      ui.kpi("Ghi nhận ngoài giờ", ui.number(a.off_hours)),
      ui.kpi("Mã hồ sơ trùng", ui.number(a.contested)),
      ui.kpi("Đánh giá", a.rating_count ? a.rating_average.toLocaleString("vi-VN", { maximumFractionDigits: 1 }) + "★ (" + ui.number(a.rating_count) + ")" : "Chưa có")
    ]));
  }

  function evidenceTable(flag) {
    var rows = flag.evidence || [];
    if (!rows.length) return el("p", { text: "Không có bằng chứng chi tiết cho cảnh báo này." });
    var columns = [];
    if (rows.some(function (e) { return e.day; })) columns.push({ label: "Ngày", value: function (e) { return ui.date(e.day); } });
    if (rows.some(function (e) { return e.at; })) columns.push({ label: "Thời điểm", value: function (e) { return hcc.formatDateTime(e.at); } });
    if (rows.some(function (e) { return e.dossier_code; })) columns.push({ label: "Mã hồ sơ", value: function (e) { return e.dossier_code || ""; } });
    if (rows.some(function (e) { return e.report_code; })) {
      columns.push({ label: "Mã phản ánh", value: function (e) {
        return e.report_code ? el("a", { href: ui.pageUrl("phan-anh", { subject_kind: "agent", subject_id: id }), text: e.report_code }) : "";
      } });
    }
    if (rows.some(function (e) { return e.count !== undefined; })) columns.push({ label: "Số lượng", num: true, value: function (e) { return ui.number(e.count); } });
    columns.push({ label: "Chi tiết", value: function (e) { return e.detail; } });
    return ui.table("Bằng chứng: " + ui.flagName(flag.code), columns, rows);
  }

  function renderFlags(report) {
    var node = box("agent-flags");
    ui.clear(node);
    var flags = report.agent.flags;
    if (!flags.length) { node.appendChild(el("p", { id: "agent-no-flags", text: "Không có cảnh báo nào trong kỳ này." })); return; }
    flags.forEach(function (flag) {
      node.appendChild(el("section", { class: "hcc-flag", "data-flag": flag.code, "aria-label": ui.flagName(flag.code) }, [
        el("h3", { text: ui.flagName(flag.code) }),
        el("p", { text: flag.message }),
        evidenceTable(flag)
      ]));
    });
  }

  /* Every calendar day of the period up to today, zeros included. */
  function renderDays(report) {
    var node = box("agent-series");
    var byDay = {};
    report.days.forEach(function (d) { byDay[d.day] = d; });
    var today = hcc.hanoiParts(new Date());
    var last = today.y + "-" + today.m + "-" + today.d;
    var days = [];
    for (var t = Date.parse(report.period.date_from + "T00:00:00Z"); ; t += DAY_MS) {
      var key = new Date(t).toISOString().slice(0, 10);
      if (key > report.period.date_to || key > last) break;
      days.push(key);
    }
    var full = days.map(function (k) { return byDay[k] ? byDay[k].full_online : 0; });
    var partial = days.map(function (k) { return byDay[k] ? byDay[k].submissions - byDay[k].full_online : 0; });
    charts.counts(node, {
      key: "days", title: "Hồ sơ theo ngày", stacked: true, onlyNonZeroRows: true,
      labels: days.map(function (k) { return k.slice(8, 10) + "/" + k.slice(5, 7) + (byDay[k] && byDay[k].burst ? "*" : ""); }),
      series: [
        { label: "Toàn trình", values: full, color: "green" },
        { label: "Một phần", values: partial, color: "blue" }
      ]
    });
    if (report.days.some(function (d) { return d.burst; })) {
      node.appendChild(el("p", { class: "hcc-hint", text: "Dấu * đánh dấu ngày tăng đột biến." }));
    }
    var months = el("div", { id: "agent-months" });
    node.appendChild(el("h3", { text: "Tỷ lệ toàn trình 12 tháng" }));
    node.appendChild(months);
    charts.shares(months, {
      key: "months", title: "Tỷ lệ toàn trình 12 tháng",
      labels: report.series.map(function (p) { return p.month; }),
      series: [{ label: "Toàn trình", values: report.series.map(function (p) { return p.submissions ? p.full_online_share : null; }), color: "green" }],
      targets: [{ label: "Chỉ tiêu toàn trình", value: report.targets.full_online_share, color: "red" }]
    });
  }

  function renderProcedures(report) {
    var node = box("agent-procedures");
    ui.clear(node);
    if (!report.by_procedure.length) { node.appendChild(el("p", { text: "Không có hồ sơ nào trong kỳ." })); return; }
    node.appendChild(ui.table("Hồ sơ theo thủ tục", [
      { label: "Thủ tục", value: function (p) { return p.name + " (" + p.procedure_code + ")"; } },
      { label: "Hồ sơ", num: true, value: function (p) { return ui.number(p.submissions); } },
      { label: "Toàn trình", num: true, value: function (p) { return ui.number(p.full_online); } },
      { label: "Khớp hồ sơ gốc", num: true, value: function (p) { return ui.number(p.verified); } },
      { label: "Bị trả lại", num: true, value: function (p) { return ui.number(p.returned); } },
      { label: "Đúng hạn", num: true, value: function (p) { return ui.number(p.on_time) + "/" + ui.number(p.completed); } }
    ], report.by_procedure, { wide: true, id: "agent-procedure-table" }));
  }

  function change(entry) {
    var after = entry.after || {};
    if (after.status_reason) return "Lý do: " + after.status_reason;
    if (after.reason) return "Lý do: " + after.reason;
    return entry.after ? JSON.stringify(entry.after) : "";
  }

  function renderLog(report) {
    var node = box("agent-audit");
    ui.clear(node);
    if (!report.audit_log.length) { node.appendChild(el("p", { text: "Chưa có thay đổi nào được ghi." })); return; }
    node.appendChild(ui.table("Nhật ký thay đổi của đại lý, mới nhất trước", [
      { label: "Thời điểm", value: function (e) { return hcc.formatDateTime(e.at); } },
      { label: "Thao tác", value: function (e) { return ACTIONS[e.action] || e.action; } },
      { label: "Người thực hiện", value: function (e) { return e.actor; } },
      { label: "Nội dung", value: change }
    ], report.audit_log, { wide: true, id: "agent-audit-table" }));
  }

  function render(report) {
    renderHead(report);
    renderKpis(report);
    renderFlags(report);
    renderDays(report);
    renderProcedures(report);
    window.hccStaffLifecycle.mount(box("agent-action"), { id: report.agent.agent_id, status: report.agent.status }, function (_, message) {
      load().then(function () {
        var result = box("lifecycle-result");
        if (result) ui.notice(result, "success", message);
        var state = box("lifecycle-state");
        if (state) { state.tabIndex = -1; state.focus(); }
      });
    });
    renderLog(report);
  }

  function load() {
    staff.say("Đang tải số liệu của đại lý " + id + "…");
    return Promise.all([staff.request("GET", "/audit/agents/" + encodeURIComponent(id) + "?month=" + encodeURIComponent(month)), wardsLoaded]).then(function (all) {
      var response = all[0];
      if (!response.ok) {
        if (response.status !== 401) ui.notice(head, "error", ui.problem(response, "Không tải được số liệu của đại lý."));
        return;
      }
      render(response.data);
      staff.say("Số liệu của đại lý " + id + ", tháng " + ui.month(month) + ".");
    }, function () { ui.notice(head, "error", hcc.UNREACHABLE); });
  }

  staff.ready(function () {
    if (!id) {
      ui.clear(head);
      head.appendChild(el("p", { class: "hcc-alert hcc-alert--info" }, [
        "Chưa chọn đại lý. Hãy chọn một đại lý trong ",
        el("a", { href: ui.pageUrl("xep-hang"), text: "bảng xếp hạng" }), "."
      ]));
      return;
    }
    load();
  });
})();
