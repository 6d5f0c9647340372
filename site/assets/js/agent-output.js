/* The agent console's recent records and output (dai-ly/cong-dai-ly): the last 20 records and
 * the agent's own totals against the fully-online target, asked and drawn together.
 * Needs api.js and agent-figures.js (loaded first); used by agent-console.js through
 * window.hccAgentOutput.mount(session), where session is {token(), procedure(code) -> search
 * index entry or undefined, sectionError(box, response)}. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var fig = window.hccFigures;
  if (!hcc || !fig) return;

  var DAY_MS = 86400000;
  var TOP_PROCEDURES = 10;
  var MODES = { full_online: "Toàn trình", partial_online: "Một phần" };
  var add = fig.add;
  var number = fig.number;
  var table = fig.table;

  function $(id) { return document.getElementById(id); }
  function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

  function chart(box, byDay) {
    var p = hcc.hanoiParts(new Date());
    var today = Date.UTC(p.y, +p.m - 1, +p.d);
    var counts = {};
    (byDay || []).forEach(function (d) { counts[String(d.date).slice(0, 10)] = d; });
    var days = [];
    for (var i = 29; i >= 0; i--) {
      var key = isoDay(today - i * DAY_MS);
      var d = counts[key] || { count: 0, full_online: 0 };
      days.push({ key: key, label: key.slice(8, 10) + "/" + key.slice(5, 7), count: d.count || 0, full: d.full_online || 0 });
    }
    var sum = days.reduce(function (s, d) { return s + d.count; }, 0);
    fig.bars(box, "agent-chart-caption", "Số hồ sơ ghi nhận mỗi ngày, 30 ngày gần nhất (tổng " + number(sum) + " hồ sơ)",
      days, [0, 7, 14, 21, 29]);
  }

  function mount(session) {
    function procedureCell(codeValue, name) {
      var entry = session.procedure(codeValue);
      var label = name || (entry && entry.n) || codeValue;
      if (!entry) return document.createTextNode(label);
      var a = document.createElement("a");
      a.href = hcc.siteBase + "/" + entry.u;
      a.textContent = label;
      return a;
    }

    function renderRecent(data) {
      var box = $("recent-submissions");
      box.textContent = "";
      var items = data.items || [];
      if (!items.length) { add(box, "p", "Chưa có hồ sơ nào được ghi nhận."); return; }
      var t = table(box, items.length + " hồ sơ ghi nhận gần nhất (tổng số " + number(data.total) + ")",
        ["Mã hồ sơ", "Thủ tục", "Hình thức", "Nộp lúc", "Ghi nhận lúc", "Ghi chú"],
        items.map(function (s) {
          return [s.dossier_code, procedureCell(s.procedure_code), MODES[s.mode] || s.mode,
            hcc.formatDateTime(s.submitted_at), hcc.formatDateTime(s.recorded_at), s.notes || ""];
        }));
      t.classList.add("hcc-table--wide");
    }

    /* The ten procedures with most records, and a button to show them all. */
    function byProcedure(box, procedures, all) {
      box.textContent = "";
      if (!procedures.length) { add(box, "p", "Chưa có hồ sơ."); return; }
      var shown = all ? procedures : procedures.slice(0, TOP_PROCEDURES);
      table(box, all || shown.length === procedures.length ? "Số hồ sơ theo thủ tục"
        : "Số hồ sơ theo thủ tục: " + shown.length + " thủ tục nhiều hồ sơ nhất trên " + procedures.length,
        ["Thủ tục", "Mã", "Số hồ sơ"],
        shown.map(function (p) { return [procedureCell(p.procedure_code, p.name), p.procedure_code, number(p.count)]; }),
        [false, false, true]);
      if (procedures.length > TOP_PROCEDURES) {
        var button = add(add(box, "p"), "button", all ? "Chỉ hiện " + TOP_PROCEDURES + " thủ tục nhiều hồ sơ nhất"
          : "Hiện tất cả " + procedures.length + " thủ tục", "hcc-button hcc-button--secondary");
        button.type = "button";
        button.addEventListener("click", function () {
          byProcedure(box, procedures, !all);
          box.querySelector("button").focus();
        });
      }
    }

    function renderOutput(data) {
      var box = $("agent-output");
      box.textContent = "";
      var target = typeof data.target_full_online_share === "number" ? data.target_full_online_share : 0.2;
      var share = data.full_online_share || 0;
      if (data.date_from || data.date_to) {
        add(box, "p", "Số liệu " + (data.date_from ? "từ " + hcc.formatDateTime(data.date_from + "T00:00:00+07:00").slice(0, 10) + " " : "") +
          (data.date_to ? "đến " + hcc.formatDateTime(data.date_to + "T00:00:00+07:00").slice(0, 10) : "") + ".");
      }
      fig.kpis(box, [["Tổng số hồ sơ", number(data.total)], ["Nộp toàn trình", number(data.full_online)],
        ["Tỷ lệ toàn trình", hcc.formatPercent(share)]]);
      fig.target(box, share, target, data.total);

      add(box, "h3", "Theo thủ tục");
      byProcedure(add(box, "div"), data.by_procedure || [], false);
      add(box, "h3", "30 ngày gần nhất");
      chart(box, data.by_day);
    }

    var refreshes = 0;

    function refresh() {
      var token = session.token();
      if (!token) return;
      var serial = ++refreshes;
      var sections = [
        [$("recent-submissions"), "/me/submissions?page=1&page_size=20", renderRecent],
        [$("agent-output"), "/me/output", renderOutput]
      ];
      sections.forEach(function (s) { s[0].setAttribute("aria-busy", "true"); });
      /* Asked together and drawn together: the list and the totals never disagree on screen. */
      Promise.all(sections.map(function (s) {
        return hcc.request("GET", s[1], { token: token }).then(null, function () { return null; });
      })).then(function (answers) {
        /* A newer refresh or a sign-out since: these answers are stale. */
        if (serial !== refreshes || session.token() !== token) return;
        sections.forEach(function (s, i) {
          s[0].removeAttribute("aria-busy");
          if (session.token() !== token) return;  /* a 401 just signed the agent out */
          if (answers[i] && answers[i].ok) s[2](answers[i].data); else session.sectionError(s[0], answers[i]);
        });
      });
    }

    return { refresh: refresh };
  }

  window.hccAgentOutput = { mount: mount, MODES: MODES };
})();
