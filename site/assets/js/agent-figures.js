/* Figures shared by the agent console and the public agent page: key numbers, the fully-online
 * target bar, a stacked bar chart (fully online / partly online) and accessible tables.
 * Styles in assets/css/agents.css (.hcc-kpis, .hcc-target, .hcc-chart, .hcc-table).
 * Needs api.js (loaded first). Exposed as window.hccFigures. */
(function () {
  "use strict";

  function add(parent, tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null && text !== "") node.textContent = text;
    if (className) node.className = className;
    parent.appendChild(node);
    return node;
  }

  function number(n) { return (n || 0).toLocaleString("vi-VN"); }

  var percent = window.hccApi.formatPercent;

  /* A scrollable, labelled table; ``numeric[i]`` right-aligns column i; cells may be nodes. */
  function table(box, caption, headers, rows, numeric) {
    var wrap = add(box, "div", "", "hcc-table-wrap");
    wrap.tabIndex = 0;
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", caption);
    var t = add(wrap, "table", "", "hcc-table");
    add(t, "caption", caption);
    var tr = add(add(t, "thead"), "tr");
    headers.forEach(function (h, i) {
      var th = add(tr, "th", h, numeric && numeric[i] ? "hcc-num" : "");
      th.scope = "col";
    });
    var tbody = add(t, "tbody");
    rows.forEach(function (row) {
      var r = add(tbody, "tr");
      row.forEach(function (cell, i) {
        var td = add(r, "td", "", numeric && numeric[i] ? "hcc-num" : "");
        if (cell && cell.nodeType) td.appendChild(cell); else td.textContent = cell === null || cell === undefined ? "" : String(cell);
      });
    });
    return t;
  }

  /* Key numbers: [[label, value], ...]. */
  function kpis(box, pairs) {
    var list = add(box, "dl", "", "hcc-kpis");
    pairs.forEach(function (k) {
      var div = add(list, "div", "", "hcc-kpi");
      add(div, "dt", k[0]);
      add(div, "dd", k[1]);
    });
    return list;
  }

  /* The fully-online share against its target, in words and as a bar with the target marked. */
  function target(box, share, goal, total) {
    var met = total > 0 && share >= goal;
    var wrap = add(box, "div", "", "hcc-target");
    var text = add(wrap, "p");
    text.appendChild(document.createTextNode("Mục tiêu: ít nhất " + percent(goal) + " hồ sơ nộp toàn trình. "));
    add(text, "span", !total ? "Chưa có hồ sơ để đánh giá."
      : met ? "Đạt mục tiêu." : "Chưa đạt mục tiêu (còn thiếu " + percent(goal - share).replace("%", " điểm phần trăm") + ").",
      total ? (met ? "hcc-target--met" : "hcc-target--missed") : "");
    var bar = add(wrap, "div", "", "hcc-target__bar");
    bar.setAttribute("aria-hidden", "true");
    add(bar, "span", "", "hcc-target__fill").style.width = Math.min(share, 1) * 100 + "%";
    add(bar, "span", "", "hcc-target__mark").style.left = "calc(" + Math.min(goal, 1) * 100 + "% - 1px)";
    return met;
  }

  /* Stacked bars of {label, count, full}; ``axis`` lists the indexes labelled under the chart.
   * Screen readers get one sentence per bar instead of the drawing. */
  function bars(box, id, caption, items, axis) {
    var max = Math.max.apply(null, items.map(function (d) { return d.count; }).concat([1]));
    var figure = add(box, "figure", "", "hcc-chart");
    figure.setAttribute("aria-labelledby", id);
    add(figure, "figcaption", caption).id = id;
    var legend = add(figure, "ul", "", "hcc-legend");
    legend.setAttribute("aria-hidden", "true");
    [["full", "Toàn trình"], ["partial", "Một phần"]].forEach(function (item) {
      var li = add(legend, "li");
      add(li, "span", "", "hcc-swatch hcc-swatch--" + item[0]);
      li.appendChild(document.createTextNode(item[1]));
    });
    var ol = add(figure, "ol");
    items.forEach(function (d) {
      var li = add(ol, "li");
      var bar = add(li, "span", "", "hcc-chart__bar");
      bar.setAttribute("aria-hidden", "true");
      bar.style.height = (d.count / max * 100) + "%";
      add(bar, "span", "", "hcc-chart__full").style.height = (d.count ? d.full / d.count * 100 : 0) + "%";
      add(li, "span", d.label + ": " + number(d.count) + " hồ sơ, " + number(d.full) + " toàn trình", "hcc-visually-hidden");
    });
    var labels = add(figure, "div", "", "hcc-chart__axis");
    labels.setAttribute("aria-hidden", "true");
    axis.forEach(function (i) { add(labels, "span", items[i].label); });
    return figure;
  }

  window.hccFigures = { add: add, number: number, table: table, kpis: kpis, target: target, bars: bars };
})();
