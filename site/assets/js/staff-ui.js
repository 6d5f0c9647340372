/* Building blocks of the "Kiểm tra đại lý" pages: elements, Vietnamese number and date
 * formats, accessible tables, flag badges, links between the staff pages. No API calls here. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  if (!hcc) return;

  /* Names of the audit flags (agents_registry's flag kinds) for staff. */
  var FLAGS = {
    inactive: "Không hoạt động",
    below_target: "Dưới chỉ tiêu toàn trình",
    burst: "Tăng đột biến",
    off_hours: "Ghi nhận ngoài giờ mở cửa",
    contested: "Mã hồ sơ trùng với đại lý khác",
    low_verified: "Ít hồ sơ khớp hồ sơ gốc",
    low_ratings: "Đánh giá thấp",
    charged: "Bị phản ánh thu phí"
  };
  var FLAG_ORDER = ["inactive", "below_target", "burst", "off_hours", "contested", "low_verified", "low_ratings", "charged"];
  var KINDS = hcc.AGENT_KINDS;
  var STATUSES = { active: "Đang hoạt động", suspended: "Đang tạm dừng", revoked: "Đã chấm dứt" };
  var MODES = { full_online: "Toàn trình", partial_online: "Một phần" };

  /* el("p", {class: "x", text: "..."}, [children]) */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === undefined || value === null || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  function number(n) { return n === null || n === undefined ? "–" : Number(n).toLocaleString("vi-VN"); }
  function percent(share) { return share === null || share === undefined ? "–" : hcc.formatPercent(share); }
  function date(iso) {
    if (!iso) return "–";
    var m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(iso);
    return m ? m[3] + "/" + m[2] + "/" + m[1] : hcc.formatDateTime(iso);
  }
  /* "2025-11" -> "11/2025" */
  function month(key) {
    var m = /^([0-9]{4})-([0-9]{2})/.exec(key || "");
    return m ? m[2] + "/" + m[1] : String(key);
  }

  function flagName(code) { return FLAGS[code] || code; }
  function flagKind(flag) { return typeof flag === "string" ? flag : flag.code; }

  /* A list of badges, one per flag; empty text when there is none. */
  function badges(flags) {
    if (!flags || !flags.length) return el("span", { class: "hcc-badge hcc-badge--ok", text: "Không có cảnh báo" });
    return el("ul", { class: "hcc-badges" }, flags.map(function (flag) {
      var kind = flagKind(flag);
      return el("li", {
        class: "hcc-badge hcc-badge--" + kind, "data-flag": kind, text: flagName(kind),
        title: typeof flag === "string" ? null : flag.message
      });
    }));
  }

  function statusName(s) { return STATUSES[s] || s; }
  function kindName(k) { return KINDS[k] || k; }
  function modeName(m) { return MODES[m] || m; }

  /* The last ``count`` calendar months in Hanoi, newest first, as "YYYY-MM". */
  function recentMonths(count) {
    var p = hcc.hanoiParts(new Date());
    var y = p.y;
    var m = parseInt(p.m, 10);
    var out = [];
    for (var i = 0; i < count; i++) {
      out.push(y + "-" + (m < 10 ? "0" : "") + m);
      m -= 1;
      if (m === 0) { m = 12; y -= 1; }
    }
    return out;
  }

  /* A labelled month picker (the current month reads "đến hôm nay"). */
  function monthField(id, selected, onChange) {
    var months = recentMonths(12);
    var select = el("select", { id: id, name: "month" }, months.map(function (key, i) {
      return el("option", { value: key, text: "Tháng " + month(key) + (i === 0 ? " (đến hôm nay)" : ""), selected: key === selected });
    }));
    if (onChange) select.addEventListener("change", function () { onChange(select.value); });
    return el("div", { class: "hcc-field" }, [el("label", { for: id, text: "Kỳ báo cáo" }), select]);
  }

  /* Query parameters of the page's own URL, and replacing them without reloading. */
  function params() { return new URLSearchParams(window.location.search); }
  function setParams(values) {
    var q = new URLSearchParams();
    Object.keys(values).forEach(function (k) { if (values[k]) q.set(k, values[k]); });
    var text = q.toString();
    window.history.replaceState(null, "", window.location.pathname + (text ? "?" + text : ""));
  }

  /* Links between the staff pages (site-relative, same folder). */
  function pageUrl(page, params) {
    var query = params ? "?" + new URLSearchParams(params).toString() : "";
    return hcc.siteBase + "/kiem-tra/" + (page ? page + "/" : "") + query;
  }
  /* A link to an agent's page, for the month being looked at when there is one. */
  function agentLink(id, name, month) {
    return el("a", { href: pageUrl("dai-ly", month ? { id: id, month: month } : { id: id }), text: name || id });
  }

  /* An accessible, horizontally scrollable table.
   * columns: [{label, num?, value(row) -> string|Node}]; caption is read by screen readers. */
  function table(caption, columns, rows, options) {
    options = options || {};
    var head = el("tr", {}, columns.map(function (c) {
      var th = el("th", { scope: "col", class: c.num ? "hcc-num" : null }, [c.header || c.label]);
      if (c.sort) th.setAttribute("aria-sort", c.sort);
      return th;
    }));
    var body = el("tbody", {}, rows.map(function (row) {
      return el("tr", {}, columns.map(function (c, i) {
        var value = c.value(row);
        var cell = el(i === 0 && options.rowHeader ? "th" : "td", {
          class: c.num ? "hcc-num" : null, scope: i === 0 && options.rowHeader ? "row" : null
        });
        if (value instanceof Node) cell.appendChild(value);
        else cell.textContent = value === null || value === undefined ? "" : String(value);
        return cell;
      }));
    }));
    var tableNode = el("table", { class: "hcc-table" + (options.wide ? " hcc-table--wide" : "") + (options.className ? " " + options.className : ""), id: options.id }, [
      el("caption", { text: caption }), el("thead", {}, [head]), body
    ]);
    /* A scrollable region must be reachable from the keyboard (axe: scrollable-region-focusable). */
    return el("div", { class: "hcc-table-wrap", tabindex: "0", role: "region", "aria-label": caption }, [tableNode]);
  }

  /* Previous / next buttons and "Trang p/n" in ``nav`` for a paged list; ``go(page)`` loads
   * another page. Nothing when everything fits on one page. */
  function pager(nav, page, total, pageSize, go) {
    var pages = Math.max(1, Math.ceil(total / pageSize));
    clear(nav);
    if (pages === 1) return;
    var prev = el("button", { type: "button", class: "hcc-button hcc-button--secondary", text: "Trang trước", disabled: page <= 1 });
    var next = el("button", { type: "button", class: "hcc-button hcc-button--secondary", text: "Trang sau", disabled: page >= pages });
    prev.addEventListener("click", function () { go(page - 1); });
    next.addEventListener("click", function () { go(page + 1); });
    nav.appendChild(prev);
    nav.appendChild(el("span", { text: " Trang " + page + "/" + pages + " " }));
    nav.appendChild(next);
  }

  /* One key figure for a <dl class="hcc-kpis">: met true/false colours it against its target. */
  function kpi(label, value, note, met) {
    var state = met === undefined ? "" : met ? " hcc-kpi--met" : " hcc-kpi--missed";
    return el("div", { class: "hcc-kpi" + state }, [
      el("dt", { text: label }),
      el("dd", {}, [value, note ? el("small", { text: note }) : null])
    ]);
  }

  /* A definition list of [term, description] pairs (hcc-facts). */
  function facts(rows) {
    var dl = el("dl", { class: "hcc-facts" });
    rows.forEach(function (row) {
      dl.appendChild(el("dt", { text: row[0] }));
      dl.appendChild(el("dd", { text: row[1] }));
    });
    return dl;
  }

  /* Write a short message into a box: kind is "error", "info", "success" or "warning". */
  function notice(box, kind, text) {
    clear(box);
    box.appendChild(el("p", { class: "hcc-alert hcc-alert--" + kind, text: text }));
  }

  /* The Vietnamese message for an API answer that is not ok. */
  function problem(response, fallback) {
    if (response.status === 403) return "Tài khoản của bạn không có quyền thực hiện thao tác này.";
    if (response.status === 404) return hcc.say((response.data || {}).detail, "Không tìm thấy dữ liệu yêu cầu.");
    return hcc.say((response.data || {}).detail, fallback || "Không thực hiện được. Vui lòng thử lại sau.");
  }

  window.hccStaffUi = {
    el: el,
    clear: clear,
    number: number,
    percent: percent,
    date: date,
    month: month,
    FLAG_ORDER: FLAG_ORDER,
    recentMonths: recentMonths,
    monthField: monthField,
    params: params,
    setParams: setParams,
    flagName: flagName,
    flagKind: flagKind,
    badges: badges,
    statusName: statusName,
    kindName: kindName,
    modeName: modeName,
    pageUrl: pageUrl,
    agentLink: agentLink,
    table: table,
    facts: facts,
    kpi: kpi,
    notice: notice,
    problem: problem,
    pager: pager
  };
})();
