/* The ranking of agents (kiem-tra/xep-hang): GET /audit/agents filtered (month, branch, status,
 * flag), sorted by any KPI column, paged; flags as badges; CSV / XLSX export of the same
 * filters. The filters live in the page URL so a link can open a filtered ranking. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var staff = window.hccStaff;
  var ui = window.hccStaffUi;
  var form = document.getElementById("ranking-filters");
  if (!hcc || !staff || !ui || !form) return;

  var el = ui.el;
  var PAGE_SIZE = 50;
  var STATUS = [["", "Mọi trạng thái"], ["active", "Đang hoạt động"], ["suspended", "Đang tạm dừng"], ["revoked", "Đã chấm dứt"]];
  var url = ui.params();
  var state = {
    month: url.get("month") || ui.recentMonths(1)[0],
    branch: url.get("branch") || "",
    status: url.get("status") || "",
    flag: url.get("flag") || "",
    sort: url.get("sort") || "submissions",
    order: url.get("order") === "asc" ? "asc" : "desc",
    page: Math.max(1, parseInt(url.get("page") || "1", 10) || 1)
  };
  var summary = document.getElementById("ranking-summary");
  var tableBox = document.getElementById("ranking-table");
  var refreshExport = null;

  /* column: label, sort key (when sortable), cell */
  var COLUMNS = [
    { label: "Số", sort: "number", num: true, value: function (a) { return String(a.number); } },
    { label: "Đại lý", value: function (a) {
      return el("span", {}, [ui.agentLink(a.agent_id, a.name, state.month), el("br"), a.agent_id + (a.demo ? " · minh họa" : "")]);
    } },
    { label: "Chi nhánh", num: true, value: function (a) { return String(a.branch_number); } },
    { label: "Trạng thái", value: function (a) { return ui.statusName(a.status); } },
    { label: "Hồ sơ", sort: "submissions", num: true, value: function (a) { return ui.number(a.submissions); } },
    { label: "Ngày có hồ sơ", sort: "active_days", num: true, value: function (a) { return ui.number(a.active_days); } },
    { label: "Toàn trình", sort: "full_online_share", num: true, value: function (a) { return ui.percent(a.full_online_share); } },
    { label: "Khớp hồ sơ gốc", sort: "verified_share", num: true, value: function (a) { return ui.percent(a.verified_share); } },
    { label: "Bị trả lại", sort: "returned_share", num: true, value: function (a) { return ui.percent(a.returned_share); } },
    { label: "Đúng hạn", sort: "on_time_share", num: true, value: function (a) { return ui.percent(a.on_time_share); } },
    { label: "Đánh giá", sort: "rating_average", num: true, value: function (a) {
      return a.rating_count ? a.rating_average.toLocaleString("vi-VN", { maximumFractionDigits: 1 }) + "★ (" + ui.number(a.rating_count) + ")" : "–";
    } },
    { label: "Số ngày không có hồ sơ", sort: "days_since_activity", num: true, value: function (a) { return ui.number(a.days_since_activity); } },
    { label: "Cảnh báo", sort: "flags", value: function (a) { return ui.badges(a.flags); } }
  ];

  function select(id, label, options, value, key) {
    var node = el("select", { id: id, name: key }, options.map(function (o) {
      return el("option", { value: o[0], text: o[1], selected: o[0] === value });
    }));
    node.addEventListener("change", function () { state[key] = node.value; state.page = 1; load(); });
    return el("div", { class: "hcc-field" }, [el("label", { for: id, text: label }), node]);
  }

  function buildFilters(branches) {
    ui.clear(form);
    form.appendChild(ui.monthField("ranking-month", state.month, function (value) { state.month = value; state.page = 1; load(); }));
    form.appendChild(select("ranking-branch", "Chi nhánh quản lý",
      [["", "Mọi chi nhánh"]].concat(branches.map(function (b) { return [String(b.number), b.name]; })), state.branch, "branch"));
    form.appendChild(select("ranking-status", "Trạng thái", STATUS, state.status, "status"));
    form.appendChild(select("ranking-flag", "Cảnh báo",
      [["", "Mọi đại lý"]].concat(ui.FLAG_ORDER.map(function (code) { return [code, ui.flagName(code)]; })), state.flag, "flag"));
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  }

  function query(withPage) {
    var q = new URLSearchParams();
    ["month", "branch", "status", "flag", "sort", "order"].forEach(function (k) { if (state[k]) q.set(k, state[k]); });
    if (withPage) { q.set("page", String(state.page)); q.set("page_size", String(PAGE_SIZE)); }
    return "?" + q.toString();
  }

  function sortHeader(column) {
    var active = state.sort === column.sort;
    var button = el("button", { type: "button", "data-sort": column.sort, text: column.label });
    button.addEventListener("click", function () {
      if (state.sort === column.sort) state.order = state.order === "desc" ? "asc" : "desc";
      else { state.sort = column.sort; state.order = column.sort === "number" ? "asc" : "desc"; }
      state.page = 1;
      load().then(function () {
        var again = tableBox.querySelector('button[data-sort="' + column.sort + '"]');
        if (again) again.focus();
      });
    });
    return { header: button, sort: active ? (state.order === "asc" ? "ascending" : "descending") : "none" };
  }

  function render(data) {
    var columns = COLUMNS.map(function (c) {
      if (!c.sort) return c;
      var h = sortHeader(c);
      return { label: c.label, num: c.num, value: c.value, header: h.header, sort: h.sort };
    });
    ui.clear(tableBox);
    tableBox.appendChild(ui.table("Xếp hạng đại lý từ " + ui.date(data.period.date_from) + " đến " + ui.date(data.period.date_to) +
      "; bấm tiêu đề cột để sắp xếp", columns, data.items, { id: "ranking", className: "hcc-ranking" }));
    var from = data.total ? (data.page - 1) * data.page_size + 1 : 0;
    var to = (data.page - 1) * data.page_size + data.items.length;
    summary.textContent = data.total ? ui.number(data.total) + " đại lý phù hợp; đang xem " + ui.number(from) + "–" + ui.number(to) + "." :
      "Không có đại lý nào phù hợp với bộ lọc.";
    pager(data.total);
  }

  function pager(total) {
    ui.pager(document.getElementById("ranking-pager"), state.page, total, PAGE_SIZE, function (p) { state.page = p; load(); });
  }

  function load() {
    ui.setParams({ month: state.month, branch: state.branch, status: state.status, flag: state.flag,
      sort: state.sort === "submissions" ? "" : state.sort, order: state.order === "desc" ? "" : state.order,
      page: state.page > 1 ? String(state.page) : "" });
    summary.textContent = "Đang tải…";
    return staff.request("GET", "/audit/agents" + query(true)).then(function (response) {
      if (!response.ok) {
        if (response.status !== 401) summary.textContent = ui.problem(response, "Không tải được bảng xếp hạng.");
        return;
      }
      render(response.data);
      if (refreshExport) refreshExport();
    }, function () { summary.textContent = hcc.UNREACHABLE; });
  }

  function describe() {
    var parts = ["tháng " + ui.month(state.month)];
    if (state.flag) parts.push("cảnh báo “" + ui.flagName(state.flag) + "”");
    if (state.status) parts.push(ui.statusName(state.status).toLowerCase());
    if (state.branch) parts.push("chi nhánh " + state.branch);
    return "Mọi đại lý theo bộ lọc đang chọn (" + parts.join(", ") + "), không chia trang.";
  }

  var mounted = false;
  staff.ready(function () {
    var start = mounted ? Promise.resolve() : hcc.request("GET", "/branches").then(function (r) {
      return r.ok ? (r.data.items || r.data) : [];
    }, function () { return []; }).then(function (branches) {
      buildFilters(branches);
      refreshExport = window.hccStaffExport.mount(document.getElementById("export-box"), function () { return query(false); }, describe);
      mounted = true;
    });
    start.then(load);
  });
})();
