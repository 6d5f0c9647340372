/* The staff dashboard (kiem-tra/): the network against its targets for a month (KPIs, each
 * branch), month-by-month charts with the 20% fully-online target, the flagged agents, the top
 * and bottom agents, and the month's report as Excel or CSV. Data: GET /audit/summary and
 * GET /audit/agents. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var staff = window.hccStaff;
  var ui = window.hccStaffUi;
  var charts = window.hccStaffCharts;
  var kpiBox = document.getElementById("summary-kpis");
  if (!hcc || !staff || !ui || !charts || !kpiBox) return;

  var el = ui.el;
  var TOP = 10;
  var month = ui.params().get("month") || ui.recentMonths(1)[0];
  var refreshExport = null;

  function renderKpis(data) {
    var n = data.network;
    var t = data.targets;
    var met = n.full_online_share >= t.full_online_share;
    ui.clear(kpiBox);
    kpiBox.appendChild(el("p", {
      text: "Từ " + ui.date(data.period.date_from) + " đến " + ui.date(data.period.date_to) + "."
    }));
    kpiBox.appendChild(el("dl", { class: "hcc-kpis", id: "summary-kpi-list" }, [
      ui.kpi("Hồ sơ đại lý hỗ trợ nộp", ui.number(n.submissions), "tất cả đều nộp trực tuyến (chỉ tiêu trực tuyến ≥ " + ui.percent(t.online_share) + ")"),
      ui.kpi("Tỷ lệ toàn trình", ui.percent(n.full_online_share),
        (met ? "đạt" : "chưa đạt") + " chỉ tiêu ≥ " + ui.percent(t.full_online_share), met),
      ui.kpi("Đại lý có hồ sơ trong kỳ", ui.number(n.active_agents) + "/" + ui.number(n.agents)),
      ui.kpi("Đại lý bị cảnh báo", ui.number(n.flagged_agents)),
      ui.kpi("Khớp hồ sơ gốc", data.reconciled_records ? ui.percent(n.verified_share) : "Chưa đối chiếu",
        data.reconciled_records ? ui.number(n.verified) + " hồ sơ" : "tải tệp ở trang Đối chiếu hồ sơ gốc")
    ]));
    kpiBox.appendChild(branchTable(data));
  }

  function branchTable(data) {
    var target = data.targets.full_online_share;
    return ui.table("Các chi nhánh so với chỉ tiêu toàn trình (≥ " + ui.percent(target) + ")", [
      { label: "Chi nhánh", value: function (b) { return b.name; } },
      { label: "Đại lý", num: true, value: function (b) { return ui.number(b.agents); } },
      { label: "Hồ sơ", num: true, value: function (b) { return ui.number(b.submissions); } },
      { label: "Toàn trình", num: true, value: function (b) {
        return ui.percent(b.full_online_share) + (b.submissions && b.full_online_share < target ? " (chưa đạt)" : "");
      } },
      { label: "Đại lý bị cảnh báo", num: true, value: function (b) { return ui.number(b.flagged_agents); } }
    ], data.branches, { rowHeader: true, id: "summary-branches" });
  }

  function renderCharts(data) {
    var box = document.getElementById("summary-shares");
    ui.clear(box);
    var series = data.series;
    var shares = el("div", { id: "chart-shares" });
    var counts = el("div", { id: "chart-counts" });
    var heading = el("h3", { text: "Tỷ lệ toàn trình theo tháng" });
    box.appendChild(heading);
    box.appendChild(shares);
    box.appendChild(el("h3", { text: "Hồ sơ trực tuyến theo tháng" }));
    box.appendChild(counts);
    /* A month none of whose dossiers met an official record was not reconciled: no point. */
    function checked(p) { return p.verified + p.returned + p.completed > 0; }
    var reconciled = series.some(checked);
    var lines = [{ label: "Toàn trình", values: series.map(function (p) { return p.submissions ? p.full_online_share : null; }), color: "green" }];
    if (reconciled) heading.textContent = "Tỷ lệ toàn trình và tỷ lệ khớp hồ sơ gốc theo tháng";
    if (reconciled) lines.push({ label: "Khớp hồ sơ gốc", values: series.map(function (p) { return checked(p) ? p.verified_share : null; }), color: "blue" });
    charts.shares(shares, {
      key: "shares", title: heading.textContent,
      labels: series.map(function (p) { return p.month; }),
      series: lines,
      targets: [{ label: "Chỉ tiêu toàn trình", value: data.targets.full_online_share, color: "red" }]
    });
    charts.counts(counts, {
      key: "counts", title: "Hồ sơ trực tuyến theo tháng", unit: "tháng", labelHeader: "Tháng", stacked: true,
      labels: series.map(function (p) { return ui.month(p.month); }),
      series: [
        { label: "Toàn trình", values: series.map(function (p) { return p.full_online; }), color: "green" },
        { label: "Một phần", values: series.map(function (p) { return p.submissions - p.full_online; }), color: "blue" }
      ]
    });
  }

  function renderFlags(data, worst) {
    var box = document.getElementById("summary-flagged");
    ui.clear(box);
    var counts = data.network.flags;
    box.appendChild(ui.table("Số đại lý theo cảnh báo", [
      { label: "Cảnh báo", value: function (code) { return ui.flagName(code); } },
      { label: "Số đại lý", num: true, value: function (code) {
        if (!counts[code]) return "0";
        return el("a", { href: ui.pageUrl("xep-hang", { month: month, flag: code }), "data-flag-link": code,
          text: ui.number(counts[code]) + " đại lý" });
      } }
    ], ui.FLAG_ORDER.filter(function (code) { return code in counts; }).concat(Object.keys(counts).filter(function (code) {
      return ui.FLAG_ORDER.indexOf(code) < 0;
    })), { rowHeader: true, id: "summary-flag-counts" }));
    box.appendChild(el("h3", { text: "Đại lý có nhiều cảnh báo nhất" }));
    box.appendChild(agentsTable("Đại lý có nhiều cảnh báo nhất trong kỳ", worst, "summary-worst"));
  }

  function agentsTable(caption, items, id) {
    return ui.table(caption, [
      { label: "Đại lý", value: function (a) { return ui.agentLink(a.agent_id, a.name + " (" + a.agent_id + ")", month); } },
      { label: "Hồ sơ", num: true, value: function (a) { return ui.number(a.submissions); } },
      { label: "Toàn trình", num: true, value: function (a) { return ui.percent(a.full_online_share); } },
      { label: "Cảnh báo", value: function (a) { return ui.badges(a.flags); } }
    ], items, { id: id, wide: true });
  }

  function renderTop(top, bottom) {
    var topBox = document.getElementById("summary-top");
    var bottomBox = document.getElementById("summary-bottom");
    ui.clear(topBox);
    ui.clear(bottomBox);
    var chart = el("div", { id: "chart-top" });
    topBox.appendChild(el("h3", { text: TOP + " đại lý nhiều hồ sơ nhất" }));
    topBox.appendChild(chart);
    charts.counts(chart, {
      key: "top", title: TOP + " đại lý nhiều hồ sơ nhất", unit: "đại lý", labelHeader: "Đại lý", stacked: true, horizontal: true,
      labels: top.map(function (a) { return a.agent_id; }),
      series: [
        { label: "Toàn trình", values: top.map(function (a) { return a.full_online; }), color: "green" },
        { label: "Một phần", values: top.map(function (a) { return a.submissions - a.full_online; }), color: "blue" }
      ]
    });
    topBox.appendChild(agentsTable(TOP + " đại lý nhiều hồ sơ nhất", top, "summary-top-table"));
    bottomBox.appendChild(el("h3", { text: TOP + " đại lý đang hoạt động ít hồ sơ nhất" }));
    bottomBox.appendChild(agentsTable(TOP + " đại lý đang hoạt động ít hồ sơ nhất", bottom, "summary-bottom-table"));
  }

  function query(extra) {
    var q = new URLSearchParams({ month: month });
    Object.keys(extra || {}).forEach(function (k) { q.set(k, extra[k]); });
    return "?" + q.toString();
  }

  function load() {
    staff.say("Đang tải số liệu tháng " + ui.month(month) + "…");
    var calls = [
      staff.request("GET", "/audit/summary" + query()),
      staff.request("GET", "/audit/agents" + query({ sort: "flags", order: "desc", page_size: TOP })),
      staff.request("GET", "/audit/agents" + query({ sort: "submissions", order: "desc", page_size: TOP })),
      staff.request("GET", "/audit/agents" + query({ sort: "submissions", order: "asc", status: "active", page_size: TOP }))
    ];
    return Promise.all(calls).then(function (answers) {
      var failed = answers.filter(function (r) { return !r.ok; })[0];
      if (failed) {
        if (failed.status !== 401) ui.notice(kpiBox, "error", ui.problem(failed, "Không tải được số liệu kiểm tra."));
        return;
      }
      renderKpis(answers[0].data);
      renderCharts(answers[0].data);
      renderFlags(answers[0].data, answers[1].data.items.filter(function (a) { return a.flags.length; }));
      renderTop(answers[2].data.items, answers[3].data.items);
      if (refreshExport) refreshExport();
      staff.say("Số liệu tháng " + ui.month(month) + ".");
    }, function () { ui.notice(kpiBox, "error", hcc.UNREACHABLE); });
  }

  function mountControls() {
    var title = document.getElementById("summary-title");
    var picker = ui.monthField("summary-month", month, function (value) {
      month = value;
      ui.setParams({ month: month });
      load();
    });
    title.parentNode.insertBefore(el("form", { class: "hcc-filters", "aria-label": "Chọn kỳ báo cáo" }, [picker]), title);
    refreshExport = window.hccStaffExport.mount(document.getElementById("export-box"),
      function () { return query(); },
      function () { return "Báo cáo tháng " + ui.month(month) + ": mọi đại lý với số hồ sơ, các tỷ lệ so với chỉ tiêu và cảnh báo."; });
  }

  var mounted = false;
  staff.ready(function () {
    if (!mounted) { mountControls(); mounted = true; }
    load();
  });
})();
