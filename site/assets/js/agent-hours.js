/* The agent console's opening hours and temporary closures (dai-ly/cong-dai-ly): edit the
 * weekly hours, announce or withdraw a closure, and show what citizens see now.
 * Needs api.js and agent-figures.js (loaded first); used by agent-console.js through
 * window.hccAgentHours.mount(session), where session is {token(), signOut(message),
 * suspended(state), sectionError(box, response)}. mount returns {show(agent), clear()}. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var fig = window.hccFigures;
  if (!hcc || !fig) return;

  var DAY_MS = 86400000;
  var DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  var DAY_NAMES = { mon: "Thứ Hai", tue: "Thứ Ba", wed: "Thứ Tư", thu: "Thứ Năm", fri: "Thứ Sáu", sat: "Thứ Bảy", sun: "Chủ nhật" };
  var WEEKDAYS = ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];
  var MAX_CLOSURE_DAYS = 90;
  var add = fig.add;
  var table = fig.table;
  var hoursForm = document.getElementById("hours-form");
  var closureForm = document.getElementById("closure-form");
  var session = null;
  var agentId = null;

  function $(id) { return document.getElementById(id); }

  function fillHours(hours) {
    DAYS.forEach(function (day) {
      hoursForm.elements.namedItem("opening_hours." + day).value = ((hours || {})[day] || []).join(", ");
    });
  }

  /* "2026-11-23" -> "Thứ Hai 23/11/2026" (a calendar date: no time zone involved). */
  function formatDay(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    if (!m) return iso || "";
    var weekday = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay();
    return WEEKDAYS[weekday] + " " + m[3] + "/" + m[2] + "/" + m[1];
  }

  function todayInHanoi() {
    var p = hcc.hanoiParts(new Date());
    return p.y + "-" + p.m + "-" + p.d;
  }

  function daysBetween(from, to) {
    return Math.round((Date.parse(to + "T00:00:00Z") - Date.parse(from + "T00:00:00Z")) / DAY_MS);
  }

  /* What citizens see now, from the public place endpoint. */
  function loadOpenState() {
    var box = $("agent-open-state");
    if (!agentId) return;
    hcc.request("GET", "/places/agent/" + encodeURIComponent(agentId)).then(function (r) {
      if (!r.ok) { box.textContent = ""; return; }
      var place = r.data;
      var text;
      if (place.open_now) {
        text = "Người dân đang thấy: đang mở cửa" + (place.closes_at ? ", đóng cửa lúc " + hcc.formatDateTime(place.closes_at) : "") + ".";
      } else {
        text = "Người dân đang thấy: đang đóng cửa" + (place.closed_reason ? " (" + place.closed_reason + ")" : "") +
          (place.opens_at ? "; mở cửa lại lúc " + hcc.formatDateTime(place.opens_at) : "") + ".";
      }
      box.textContent = text;
    }, function () { box.textContent = ""; });
  }

  function placeError(formEl, response, title) {
    if (response.status === 401) {
      session.signOut("Phiên đăng nhập không còn hiệu lực. Vui lòng đăng nhập lại.");
    } else if (response.status === 403) {
      session.suspended("suspended");
      hcc.showErrors(formEl, {}, { title: title, detailFallback: $("agent-suspended").textContent });
    } else if (response.status >= 500) {
      hcc.showErrors(formEl, {}, { title: "Máy chủ đang gặp sự cố.", detailFallback: "Vui lòng thử lại sau ít phút." });
    } else {
      var body = response.data || {};
      /* The API names a day ("mon", "mon[0]"); the form groups them under opening_hours. */
      var extra = (body.extra || []).map(function (item) {
        var day = hcc.fieldOf(item.key);
        return DAYS.indexOf(day) >= 0 ? { key: "opening_hours." + day, message: item.message } : item;
      });
      hcc.showErrors(formEl, { detail: body.detail, extra: extra }, {
        title: title,
        labelFor: function (key) { return DAY_NAMES[String(key).split(".")[1]] || ""; },
        fallbacks: {
          opening_hours: "Giờ mở cửa chưa hợp lệ.",
          starts_on: "Ngày bắt đầu nghỉ chưa hợp lệ.",
          ends_on: "Ngày kết thúc nghỉ chưa hợp lệ (không trước ngày bắt đầu, chưa qua, tối đa 90 ngày).",
          reason: "Lý do cần từ 3 đến 500 ký tự."
        },
        detailFallback: "Một số thông tin chưa hợp lệ."
      });
    }
  }

  /* The weekly hours form: every day parsed here first, then PUT /me/hours. */
  function saveHours(event) {
    event.preventDefault();
    var button = $("hours-submit");
    if (button.disabled || !session.token()) return;
    var problems = [];
    var hours = {};
    var open = 0;
    DAYS.forEach(function (day) {
      var parsed = hcc.parseRanges((hoursForm.elements.namedItem("opening_hours." + day).value || "").trim());
      hours[day] = parsed.ranges || [];
      open += hours[day].length;
      if (parsed.error) problems.push({ key: "opening_hours." + day, message: parsed.error });
    });
    if (!open && !problems.length) {
      problems.push({ key: "opening_hours", message: "Ghi giờ mở cửa cho ít nhất một ngày. Nếu đại lý tạm nghỉ, hãy dùng mục “Báo tạm nghỉ”." });
    }
    $("hours-result").textContent = "";
    if (problems.length) {
      hcc.showErrors(hoursForm, { extra: problems }, {
        title: "Chưa lưu được giờ mở cửa. Vui lòng kiểm tra lại:",
        labelFor: function (key) { return DAY_NAMES[String(key).split(".")[1]] || ""; }
      });
      return;
    }
    hcc.clearErrors(hoursForm);
    hcc.busy(button, true, "Đang lưu…");
    hcc.request("PUT", "/me/hours", { token: session.token(), body: hours }).then(function (r) {
      hcc.busy(button, false);
      if (!r.ok) { placeError(hoursForm, r, "Chưa lưu được giờ mở cửa."); return; }
      fillHours(r.data.opening_hours);
      add($("hours-result"), "p", "Đã lưu giờ mở cửa. Người dân sẽ thấy giờ mới ngay.", "hcc-alert hcc-alert--success");
      loadOpenState();
    }, function () {
      hcc.busy(button, false);
      hcc.showErrors(hoursForm, {}, { title: "Chưa lưu được giờ mở cửa.", detailFallback: hcc.UNREACHABLE });
    });
  }

  function readClosure() {
    var problems = [];
    function value(name) { return (closureForm.elements.namedItem(name).value || "").trim(); }
    var starts = value("starts_on");
    var ends = value("ends_on");
    var reason = value("reason");
    var today = todayInHanoi();
    var dateForm = /^\d{4}-\d{2}-\d{2}$/;
    if (!dateForm.test(starts)) problems.push({ key: "starts_on", message: "Chọn ngày bắt đầu nghỉ." });
    if (!dateForm.test(ends)) problems.push({ key: "ends_on", message: "Chọn ngày cuối cùng nghỉ." });
    else if (dateForm.test(starts) && ends < starts) problems.push({ key: "ends_on", message: "Ngày cuối không được trước ngày bắt đầu." });
    else if (ends < today) problems.push({ key: "ends_on", message: "Thời gian nghỉ này đã qua." });
    else if (dateForm.test(starts) && daysBetween(starts, ends) + 1 > MAX_CLOSURE_DAYS) {
      problems.push({ key: "ends_on", message: "Mỗi lần báo nghỉ tối đa " + MAX_CLOSURE_DAYS + " ngày." });
    }
    if (reason.length < 3 || reason.length > 500) problems.push({ key: "reason", message: "Ghi lý do từ 3 đến 500 ký tự." });
    return { body: { starts_on: starts, ends_on: ends, reason: reason }, problems: problems };
  }

  function announceClosure(event) {
    event.preventDefault();
    var button = $("closure-submit");
    if (button.disabled || !session.token()) return;
    var input = readClosure();
    $("closure-result").textContent = "";
    if (input.problems.length) {
      hcc.showErrors(closureForm, { extra: input.problems }, { title: "Chưa báo được tạm nghỉ. Vui lòng kiểm tra lại:" });
      return;
    }
    hcc.clearErrors(closureForm);
    hcc.busy(button, true, "Đang gửi…");
    hcc.request("POST", "/me/closures", { token: session.token(), body: input.body }).then(function (r) {
      hcc.busy(button, false);
      if (!r.ok) { placeError(closureForm, r, "Chưa báo được tạm nghỉ."); return; }
      closureForm.reset();
      add($("closure-result"), "p", "Đã báo tạm nghỉ từ " + formatDay(r.data.starts_on) + " đến hết " + formatDay(r.data.ends_on) + ".",
        "hcc-alert hcc-alert--success");
      loadClosures();
      loadOpenState();
    }, function () {
      hcc.busy(button, false);
      hcc.showErrors(closureForm, {}, { title: "Chưa báo được tạm nghỉ.", detailFallback: hcc.UNREACHABLE });
    });
  }

  function withdraw(closure, button) {
    hcc.busy(button, true, "Đang hủy…");
    hcc.request("DELETE", "/me/closures/" + closure.id, { token: session.token() }).then(function (r) {
      var result = $("closure-result");
      result.textContent = "";
      if (r.ok || r.status === 404) {
        add(result, "p", "Đã hủy thông báo tạm nghỉ từ " + formatDay(closure.starts_on) + " đến " + formatDay(closure.ends_on) + ".",
          "hcc-alert hcc-alert--success");
        loadClosures(true);
        loadOpenState();
      } else {
        hcc.busy(button, false);
        if (r.status === 401) { session.signOut("Phiên đăng nhập không còn hiệu lực. Vui lòng đăng nhập lại."); return; }
        add(result, "p", "Chưa hủy được thông báo (mã lỗi " + r.status + "). Vui lòng thử lại.", "hcc-alert hcc-alert--error");
      }
    }, function () {
      hcc.busy(button, false);
      var result = $("closure-result");
      result.textContent = "";
      add(result, "p", hcc.UNREACHABLE, "hcc-alert hcc-alert--error");
    });
  }

  function renderClosures(items, focusTitle) {
    var box = $("closure-list");
    box.textContent = "";
    if (!items.length) {
      add(box, "p", "Không có lần tạm nghỉ nào sắp tới.");
    } else {
      table(box, items.length + " lần tạm nghỉ hiện tại và sắp tới", ["Nghỉ từ ngày", "Đến hết ngày", "Lý do", "Thao tác"],
        items.map(function (c) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "hcc-button hcc-button--secondary";
          button.textContent = "Hủy thông báo";
          button.setAttribute("aria-label", "Hủy thông báo tạm nghỉ từ " + formatDay(c.starts_on) + " đến " + formatDay(c.ends_on));
          button.addEventListener("click", function () { withdraw(c, button); });
          return [formatDay(c.starts_on), formatDay(c.ends_on), c.reason, button];
        }));
    }
    if (focusTitle) {
      var title = $("closures-title");
      title.tabIndex = -1;
      title.focus();
    }
  }

  function loadClosures(focusTitle) {
    var box = $("closure-list");
    if (!session.token()) return;
    box.setAttribute("aria-busy", "true");
    hcc.request("GET", "/me/closures", { token: session.token() }).then(function (r) {
      box.removeAttribute("aria-busy");
      if (r.ok) renderClosures(r.data || [], focusTitle); else session.sectionError(box, r);
    }, function () { box.removeAttribute("aria-busy"); session.sectionError(box, null); });
  }

  function showPlace(agent) {
    agentId = agent.id;
    fillHours(agent.opening_hours);
    hcc.clearErrors(hoursForm);
    hcc.clearErrors(closureForm);
    closureForm.reset();
    $("hours-result").textContent = "";
    $("closure-result").textContent = "";
    loadOpenState();
    loadClosures();
  }

  function clearPlace() {
    agentId = null;
    hoursForm.reset();
    closureForm.reset();
    hcc.clearErrors(hoursForm);
    hcc.clearErrors(closureForm);
    ["agent-open-state", "hours-result", "closure-result", "closure-list"].forEach(function (id) { $(id).textContent = ""; });
  }

  /* Wires the two forms once; the console calls show(agent) after each sign-in and clear()
   * on sign-out. */
  function mount(agentSession) {
    session = agentSession;
    hoursForm.addEventListener("submit", saveHours);
    closureForm.addEventListener("submit", announceClosure);
    return { show: showPlace, clear: clearPlace };
  }

  window.hccAgentHours = { mount: mount };
})();
