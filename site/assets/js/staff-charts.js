/* Charts of the staff pages, drawn with the vendored Chart.js (assets/vendor/chart.js, no CDN).
 * Every chart is a canvas with role="img" and a short text alternative, followed by a table
 * holding the same numbers (the accessible and printable version of the chart). */
(function () {
  "use strict";

  var ui = window.hccStaffUi;
  var el = ui.el;
  var COLORS = { blue: "#0b57a4", green: "#0a6b2d", red: "#b3261e", grey: "#3d4650", orange: "#8a4b00" };
  var charts = {};

  function destroy(key) {
    if (charts[key]) { charts[key].destroy(); delete charts[key]; }
  }

  /* The canvas, its text alternative and the data table, in ``box`` (emptied first). Without
   * the library (its file failed to load) a notice stands for the canvas, the table stays open,
   * and null is returned: the caller draws nothing. */
  function frame(box, key, title, summary, tableNode, small) {
    destroy(key);
    ui.clear(box);
    var data = el("details", { class: "hcc-chart-data", open: !window.Chart }, [
      el("summary", { text: "Số liệu của biểu đồ “" + title + "”" }), tableNode
    ]);
    if (!window.Chart) {
      box.appendChild(el("p", { class: "hcc-alert hcc-alert--warning", text: "Không tải được thư viện biểu đồ; số liệu vẫn có trong bảng dưới đây." }));
      box.appendChild(data);
      return null;
    }
    var canvas = el("canvas", { role: "img", "aria-label": title + ". " + summary });
    canvas.textContent = summary;
    box.appendChild(el("div", { class: "hcc-chartbox" + (small ? " hcc-chartbox--small" : "") }, [canvas]));
    box.appendChild(data);
    return canvas;
  }

  function baseOptions(percent, max) {
    var y = { beginAtZero: true, ticks: {} };
    if (percent) {
      y.max = max || 100;
      y.ticks.callback = function (v) { return v + "%"; };
    } else {
      y.ticks.precision = 0;
    }
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: { y: y },
      plugins: { legend: { position: "bottom" } }
    };
  }

  /* Shares by month (0..1 values) with target lines.
   * spec: {key, title, labels: [month keys], series: [{label, values, color}],
   *        targets: [{label, value, color}]} */
  function shares(box, spec) {
    var labels = spec.labels.map(ui.month);
    var last = spec.series.map(function (s) {
      return s.label + " tháng " + labels[labels.length - 1] + ": " + ui.percent(s.values[s.values.length - 1]);
    }).join("; ");
    var targets = (spec.targets || []).map(function (t) { return t.label + " " + ui.percent(t.value); }).join(", ");
    var summary = last + (targets ? ". Chỉ tiêu: " + targets + "." : ".");
    var columns = [{ label: "Tháng", value: function (i) { return labels[i]; } }].concat(spec.series.map(function (s) {
      return { label: s.label, num: true, value: function (i) { return ui.percent(s.values[i]); } };
    }));
    var tableNode = ui.table(spec.title + " theo tháng", columns, labels.map(function (_, i) { return i; }), { rowHeader: true });
    var canvas = frame(box, spec.key, spec.title, summary, tableNode);
    if (!canvas) return;
    var datasets = spec.series.map(function (s) {
      return {
        label: s.label, data: s.values.map(function (v) { return v === null || v === undefined ? null : v * 100; }),
        borderColor: COLORS[s.color] || s.color, backgroundColor: COLORS[s.color] || s.color,
        borderWidth: 2, pointRadius: 3, tension: 0
      };
    }).concat((spec.targets || []).map(function (t) {
      return {
        label: t.label, data: labels.map(function () { return t.value * 100; }),
        borderColor: COLORS[t.color] || t.color, borderDash: [6, 4], borderWidth: 2, pointRadius: 0, fill: false
      };
    }));
    var highest = 0;
    datasets.forEach(function (d) { d.data.forEach(function (v) { if (v !== null && v > highest) highest = v; }); });
    var options = baseOptions(true, Math.min(100, Math.ceil((highest + 10) / 10) * 10));
    options.plugins.tooltip = { callbacks: { label: function (c) { return c.dataset.label + ": " + ui.percent(c.parsed.y / 100); } } };
    charts[spec.key] = new window.Chart(canvas, { type: "line", data: { labels: labels, datasets: datasets }, options: options });
  }

  /* Counts (bars), e.g. an agent's submissions per day split by mode.
   * spec: {key, title, labels: [display labels], series: [{label, values, color}], stacked} */
  function counts(box, spec) {
    var totals = spec.labels.map(function (_, i) {
      return spec.series.reduce(function (sum, s) { return sum + (s.values[i] || 0); }, 0);
    });
    var total = totals.reduce(function (a, b) { return a + b; }, 0);
    var peak = Math.max.apply(null, totals.concat([0]));
    var summary = "Tổng " + ui.number(total) + " hồ sơ trong " + ui.number(spec.labels.length) + " " + (spec.unit || "ngày") +
      ", cao nhất " + ui.number(peak) + " hồ sơ.";
    var columns = [{ label: spec.labelHeader || "Ngày", value: function (i) { return spec.labels[i]; } }].concat(spec.series.map(function (s) {
      return { label: s.label, num: true, value: function (i) { return ui.number(s.values[i]); } };
    }));
    var rows = spec.labels.map(function (_, i) { return i; });
    if (spec.onlyNonZeroRows) rows = rows.filter(function (i) { return totals[i] > 0; });
    var tableNode = ui.table(spec.title, columns, rows, { rowHeader: true });
    var canvas = frame(box, spec.key, spec.title, summary, tableNode, spec.small);
    if (!canvas) return;
    var datasets = spec.series.map(function (s) {
      return { label: s.label, data: s.values, backgroundColor: COLORS[s.color] || s.color, borderWidth: 0 };
    });
    var options = baseOptions(false);
    if (spec.stacked) { options.scales.x = { stacked: true }; options.scales.y.stacked = true; }
    if (spec.horizontal) options.indexAxis = "y";
    charts[spec.key] = new window.Chart(canvas, { type: "bar", data: { labels: spec.labels, datasets: datasets }, options: options });
  }

  window.hccStaffCharts = { shares: shares, counts: counts, destroy: destroy, colors: COLORS };
})();
