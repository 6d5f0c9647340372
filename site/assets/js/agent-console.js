/* The agent console (dai-ly/cong-dai-ly): sign in with the agent's bearer token (kept in
 * sessionStorage only), record assisted submissions (idempotent), list recent records, show
 * the agent's own output against the 20% fully-online target, edit the weekly opening hours
 * and announce or withdraw temporary closures. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var fig = window.hccFigures;
  var loginForm = document.getElementById("agent-login");
  var form = document.getElementById("submission-form");
  if (!hcc || !fig || !loginForm || !form) return;

  var tokens = hcc.tokenStore("hcc.agentToken");
  var DAY_MS = 86400000;
  var TOP_PROCEDURES = 10;
  var DOSSIER = /^[A-Za-z0-9][A-Za-z0-9.\-/]{5,59}$/;
  var PROCEDURE_KEY = /^[A-Za-z0-9.-]{1,120}$/;
  var MODES = { full_online: "Toàn trình", partial_online: "Một phần" };
  var LEVELS = { full_online: "Toàn trình", partial_online: "Một phần trực tuyến", offline: "Trực tiếp" };
  var KINDS = hcc.AGENT_KINDS;
  var STATUSES = { active: "Đang hoạt động", suspended: "Đang bị tạm dừng", revoked: "Đã chấm dứt" };
  var FALLBACKS = {
    dossier_code: "Mã hồ sơ chưa hợp lệ.",
    procedure_code: "Thủ tục chưa hợp lệ.",
    mode: "Hình thức nộp chưa hợp lệ.",
    submitted_at: "Thời điểm nộp chưa hợp lệ.",
    citizen_id: "Số căn cước công dân chưa hợp lệ.",
    notes: "Ghi chú chưa hợp lệ."
  };

  var token = null;
  var index = null;
  var byKey = {};
  var idempotencyKey = hcc.uuid();
  var keyNeedsRenewal = false;
  var status = document.getElementById("agent-status");
  var consoleBox = document.getElementById("agent-console");
  var loginSection = document.getElementById("agent-login-section");

  function $(id) { return document.getElementById(id); }
  var add = fig.add;
  var number = fig.number;
  var table = fig.table;
  function procedureName(code) { return byKey[code] ? byKey[code].n : ""; }

  /* --- Session ----------------------------------------------------------------------- */

  function showLogin() {
    consoleBox.hidden = true;
    loginSection.hidden = false;
  }

  function signOut(message) {
    token = null;
    tokens.set(null);
    $("agent-profile").textContent = "";
    $("recent-submissions").textContent = "";
    $("agent-output").textContent = "";
    $("submission-result").textContent = "";
    $("agent-suspended").hidden = true;
    clearPlace();
    form.reset();
    hcc.clearErrors(form);
    clearChoice();
    loginForm.reset();
    showLogin();
    status.textContent = message || "Bạn đã đăng xuất.";
    $("agent-token").focus();
  }

  function loginError(response) {
    if (response.status === 401) {
      hcc.showErrors(loginForm, { extra: [{ key: "token", message: "Mã truy cập không hợp lệ." }] },
        { title: "Chưa đăng nhập được." });
    } else if (response.status === 403) {
      hcc.showErrors(loginForm, { detail: (response.data || {}).detail }, {
        title: "Đại lý của bạn đang bị tạm dừng hoạt động.",
        detailFallback: "Không thể ghi nhận hồ sơ trong thời gian tạm dừng. Vui lòng liên hệ Trung tâm qua đường dây nóng 1022."
      });
    } else {
      hcc.showErrors(loginForm, response.data || {}, {
        title: "Chưa đăng nhập được.", detailFallback: "Vui lòng thử lại sau hoặc gọi 1022."
      });
    }
  }

  function signIn(candidate, automatic) {
    return hcc.signIn("/me", candidate, {
      store: tokens, form: loginForm, button: $("agent-login-submit"), showLogin: showLogin,
      showApp: function () { loginSection.hidden = true; consoleBox.hidden = false; },
      refused: loginError,
      unreachable: function () { $("agent-token").value = candidate; }
    }).then(function (response) {
      if (!response) return;
      token = candidate;
      renderProfile(response.data);
      showPlace(response.data);
      status.textContent = "Đã đăng nhập: " + response.data.name + ".";
      resetSubmission();
      /* Procedure names in the tables come from the search index: load it first. */
      loadIndex().then(refresh, refresh);
      if (!automatic) $("agent-profile-name").focus();
    });
  }

  function renderProfile(agent) {
    var box = $("agent-profile");
    box.textContent = "";
    var h = add(box, "h2", agent.name);
    h.id = "agent-profile-name";
    h.tabIndex = -1;
    var facts = add(box, "dl", "", "hcc-facts");
    [
      ["Mã đại lý", agent.id],
      ["Loại hình", KINDS[agent.kind] || agent.kind],
      ["Địa chỉ", agent.address],
      ["Điện thoại", agent.phone],
      ["Trạng thái", STATUSES[agent.status] || agent.status]
    ].forEach(function (row) {
      if (!row[1]) return;
      add(facts, "dt", row[0]);
      add(facts, "dd", row[1]);
    });
    if (agent.demo) add(box, "p", "Dữ liệu minh họa: đại lý này thuộc mạng lưới mẫu để trình diễn.", "hcc-demo");
    if (agent.status && agent.status !== "active") { suspended(agent.status); return; }
    var links = add(box, "p", "", "hcc-console__links");
    var poster = add(links, "a", "In áp phích");
    poster.id = "agent-poster-link";
    poster.href = hcc.api + "/agents/" + encodeURIComponent(agent.id) + "/poster.svg";
    poster.target = "_blank";
    add(poster, "span", " (khổ A4: mã đại lý, “dịch vụ miễn phí”, mã QR để người dân đánh giá; mở trong thẻ mới)", "hcc-visually-hidden");
    links.appendChild(document.createTextNode(" · "));
    add(links, "a", "Trang công khai của đại lý").href =
      hcc.siteBase + "/dai-ly/thong-tin/?id=" + encodeURIComponent(agent.id);
  }

  function suspended(state) {
    var box = $("agent-suspended");
    box.hidden = false;
    box.textContent = (state === "revoked" ? "Đại lý đã chấm dứt hoạt động" : "Đại lý của bạn đang bị tạm dừng hoạt động") +
      ": không thể ghi nhận hồ sơ mới. Vui lòng liên hệ Trung tâm qua đường dây nóng 1022.";
    $("submission-submit").disabled = true;
    $("hours-submit").disabled = true;
    $("closure-submit").disabled = true;
  }

  /* --- Procedure picker (combobox over the site's search index) ------------------------ */

  var picker = $("sub-procedure");
  var list = $("sub-procedure-list");
  var code = $("sub-procedure_code");
  var chosen = $("sub-procedure-chosen");
  var pickerStatus = $("sub-procedure-status");

  function loadIndex() {
    if (!window.hccSearch) return Promise.reject(new Error("search.js missing"));
    return window.hccSearch.loadIndex().then(function (entries) {
      index = entries;
      entries.forEach(function (e) { byKey[e.k] = e; });
      return entries;
    });
  }

  var combo = null;

  function clearChoice() {
    code.value = "";
    chosen.textContent = "";
    pickerStatus.textContent = "";
    if (combo) combo.close();
  }

  combo = window.hccSearch.combobox({
    input: picker,
    list: list,
    status: pickerStatus,
    idPrefix: "sub-procedure-opt-",
    meta: function (entry) {
      return (/^\d/.test(entry.k) ? entry.k + " · " : "") + entry.f + " · " + (LEVELS[entry.o] || "");
    },
    onInput: function (query) {
      if (code.value && query !== (byKey[code.value] || {}).n) { code.value = ""; chosen.textContent = ""; }
      loadIndex().catch(function () {});
    },
    onChoose: function (entry) {
      picker.value = entry.n;
      code.value = entry.k;
      chosen.textContent = "Đã chọn: mã " + entry.k + " · " + entry.f + " · " + (LEVELS[entry.o] || "");
      pickerStatus.textContent = "";
    },
    failMessage: "Không tải được danh sách thủ tục. Bạn có thể gõ đúng mã thủ tục."
  });

  /* --- Recording a submission ------------------------------------------------------------ */

  function nowInHanoi() {
    var p = hcc.hanoiParts(new Date());
    return p.y + "-" + p.m + "-" + p.d + "T" + p.hh + ":" + p.mm;
  }

  function resetSubmission() {
    form.reset();
    clearChoice();
    hcc.clearErrors(form);
    form.elements.namedItem("submitted_at").value = nowInHanoi();
    idempotencyKey = hcc.uuid();
    keyNeedsRenewal = false;
  }

  /* "2026-11-23T14:05" (Hanoi wall clock) -> "2026-11-23T14:05:00+07:00" */
  function withOffset(local) {
    return (local.length === 16 ? local + ":00" : local) + "+07:00";
  }

  function read() {
    var problems = [];
    function value(name) { return (form.elements.namedItem(name).value || "").trim(); }
    var dossier = value("dossier_code");
    if (!dossier) problems.push({ key: "dossier_code", message: "Nhập mã hồ sơ." });
    else if (!DOSSIER.test(dossier)) {
      problems.push({ key: "dossier_code", message: "Mã hồ sơ gồm 6–60 ký tự: chữ, số, dấu chấm, gạch ngang hoặc gạch chéo." });
    }
    var typed = picker.value.trim();
    if (!code.value && typed && index) {
      var top = window.hccSearch.search(index, typed, 1)[0];
      if (top && window.hccSearch.fold(top.k) === window.hccSearch.fold(typed)) choose(top);
    } else if (!code.value && typed && !index && PROCEDURE_KEY.test(typed)) {
      code.value = typed;
    }
    if (!code.value) {
      problems.push({ key: "procedure_code", message: typed ? "Chọn một thủ tục trong danh sách gợi ý." : "Chọn thủ tục hành chính." });
    }
    var mode = form.querySelector('input[name="mode"]:checked');
    if (!mode) problems.push({ key: "mode", message: "Chọn hình thức nộp: toàn trình hoặc một phần." });
    var when = value("submitted_at");
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(when)) {
      problems.push({ key: "submitted_at", message: "Nhập ngày và giờ nộp hồ sơ." });
    } else if (new Date(withOffset(when)).getTime() > Date.now() + 5 * 60000) {
      problems.push({ key: "submitted_at", message: "Thời điểm nộp không được ở tương lai." });
    }
    var citizen = value("citizen_id").replace(/\s+/g, "");
    if (citizen && !/^\d{12}$/.test(citizen)) problems.push({ key: "citizen_id", message: "Số căn cước công dân gồm đúng 12 chữ số." });
    var body = {
      dossier_code: dossier,
      procedure_code: code.value,
      mode: mode ? mode.value : "",
      submitted_at: withOffset(when)
    };
    if (citizen) body.citizen_id = citizen;
    if (value("notes")) body.notes = value("notes");
    return { body: body, problems: problems };
  }

  function recorded(response) {
    var record = response.data;
    var box = $("submission-result");
    box.textContent = "";
    var p = add(box, "p", "", "hcc-alert hcc-alert--success");
    p.textContent = response.status === 201
      ? "Đã ghi nhận hồ sơ " + record.dossier_code + " (" + (procedureName(record.procedure_code) || record.procedure_code) +
        ", " + (MODES[record.mode] || record.mode).toLowerCase() + ")."
      : "Hồ sơ " + record.dossier_code + " đã được ghi nhận trước đó lúc " + hcc.formatDateTime(record.recorded_at) +
        "; không tạo bản ghi trùng.";
    resetSubmission();
    $("sub-dossier_code").focus();
    refresh();
  }

  function rejected(response) {
    var body = response.data || {};
    keyNeedsRenewal = true;
    $("submission-result").textContent = "";
    if (response.status === 401) {
      signOut("Phiên đăng nhập không còn hiệu lực (mã truy cập không hợp lệ hoặc đã được đổi). Vui lòng đăng nhập lại.");
    } else if (response.status === 403) {
      suspended("suspended");
      hcc.showErrors(form, {}, { title: "Chưa ghi nhận được hồ sơ.", detailFallback: $("agent-suspended").textContent });
    } else if (response.status === 409) {
      var extra = body.extra && body.extra.length ? body.extra : [{ key: "dossier_code", message: "" }];
      hcc.showErrors(form, { detail: body.detail, extra: extra }, {
        fallbacks: { dossier_code: "Hồ sơ này đã được một đại lý khác ghi nhận." },
        title: "Hồ sơ đã được đại lý khác ghi nhận.",
        detailFallback: "Nếu đại lý của bạn đã hỗ trợ hồ sơ này, vui lòng báo Trung tâm qua đường dây nóng 1022."
      });
    } else if (response.status === 429) {
      hcc.showErrors(form, {}, { title: "Bạn đã gửi quá nhiều yêu cầu.", detailFallback: "Vui lòng thử lại sau ít phút." });
    } else if (response.status >= 500) {
      keyNeedsRenewal = false;
      hcc.showErrors(form, {}, { title: "Máy chủ đang gặp sự cố.", detailFallback: "Hồ sơ có thể chưa được ghi nhận; hãy bấm “Ghi nhận hồ sơ” lại sau ít phút (không bị ghi trùng)." });
    } else {
      hcc.showErrors(form, body, { fallbacks: FALLBACKS, title: "Chưa ghi nhận được hồ sơ.", detailFallback: "Một số thông tin chưa hợp lệ." });
    }
  }

  form.addEventListener("input", function () {
    /* After a refused attempt the next attempt is a new fill: a new key, so that a server
     * remembering the refused key cannot replay the refusal. Network retries keep the key. */
    if (keyNeedsRenewal) { idempotencyKey = hcc.uuid(); keyNeedsRenewal = false; }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = $("submission-submit");
    if (button.disabled || !token) return;
    var input = read();
    if (input.problems.length) {
      hcc.showErrors(form, { extra: input.problems }, { title: "Chưa ghi nhận được hồ sơ. Vui lòng kiểm tra lại:" });
      return;
    }
    hcc.clearErrors(form);
    hcc.busy(button, true, "Đang ghi nhận…");
    hcc.request("POST", "/submissions", {
      token: token,
      body: input.body,
      headers: { "Idempotency-Key": idempotencyKey }
    }).then(function (response) {
      hcc.busy(button, false);
      if (response.ok) recorded(response);
      else rejected(response);
    }, function () {
      hcc.busy(button, false);
      hcc.showErrors(form, {}, {
        title: "Chưa ghi nhận được hồ sơ.",
        detailFallback: hcc.UNREACHABLE + " Khi bấm gửi lại, hồ sơ sẽ không bị ghi trùng."
      });
    });
  });

  /* --- Recent records and output ---------------------------------------------------------- */

  function sectionError(box, response) {
    box.textContent = "";
    if (response && response.status === 401) { signOut("Phiên đăng nhập không còn hiệu lực. Vui lòng đăng nhập lại."); return; }
    add(box, "p", response ? "Không tải được dữ liệu (mã lỗi " + response.status + "). Vui lòng tải lại trang." : hcc.UNREACHABLE,
      "hcc-alert hcc-alert--error");
  }

  function procedureCell(codeValue, name) {
    var entry = byKey[codeValue];
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

  function refresh() {
    if (!token) return;
    var sections = [
      [$("recent-submissions"), "/me/submissions?page=1&page_size=20", renderRecent],
      [$("agent-output"), "/me/output", renderOutput]
    ];
    sections.forEach(function (s) { s[0].setAttribute("aria-busy", "true"); });
    /* Asked together and drawn together: the list and the totals never disagree on screen. */
    Promise.all(sections.map(function (s) {
      return hcc.request("GET", s[1], { token: token }).then(null, function () { return null; });
    })).then(function (answers) {
      sections.forEach(function (s, i) {
        s[0].removeAttribute("aria-busy");
        if (answers[i] && answers[i].ok) s[2](answers[i].data); else sectionError(s[0], answers[i]);
      });
    });
  }

  /* --- Opening hours and temporary closures ----------------------------------------------- */

  var DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  var DAY_NAMES = { mon: "Thứ Hai", tue: "Thứ Ba", wed: "Thứ Tư", thu: "Thứ Năm", fri: "Thứ Sáu", sat: "Thứ Bảy", sun: "Chủ nhật" };
  var WEEKDAYS = ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];
  var MAX_CLOSURE_DAYS = 90;
  var hoursForm = $("hours-form");
  var closureForm = $("closure-form");
  var agentId = null;

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
      signOut("Phiên đăng nhập không còn hiệu lực. Vui lòng đăng nhập lại.");
    } else if (response.status === 403) {
      suspended("suspended");
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

  hoursForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = $("hours-submit");
    if (button.disabled || !token) return;
    var problems = [];
    var hours = {};
    var open = 0;
    DAYS.forEach(function (day) {
      var parsed = window.hccApi.parseRanges((hoursForm.elements.namedItem("opening_hours." + day).value || "").trim());
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
    hcc.request("PUT", "/me/hours", { token: token, body: hours }).then(function (r) {
      hcc.busy(button, false);
      if (!r.ok) { placeError(hoursForm, r, "Chưa lưu được giờ mở cửa."); return; }
      fillHours(r.data.opening_hours);
      add($("hours-result"), "p", "Đã lưu giờ mở cửa. Người dân sẽ thấy giờ mới ngay.", "hcc-alert hcc-alert--success");
      loadOpenState();
    }, function () {
      hcc.busy(button, false);
      hcc.showErrors(hoursForm, {}, { title: "Chưa lưu được giờ mở cửa.", detailFallback: hcc.UNREACHABLE });
    });
  });

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

  closureForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = $("closure-submit");
    if (button.disabled || !token) return;
    var input = readClosure();
    $("closure-result").textContent = "";
    if (input.problems.length) {
      hcc.showErrors(closureForm, { extra: input.problems }, { title: "Chưa báo được tạm nghỉ. Vui lòng kiểm tra lại:" });
      return;
    }
    hcc.clearErrors(closureForm);
    hcc.busy(button, true, "Đang gửi…");
    hcc.request("POST", "/me/closures", { token: token, body: input.body }).then(function (r) {
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
  });

  function withdraw(closure, button) {
    hcc.busy(button, true, "Đang hủy…");
    hcc.request("DELETE", "/me/closures/" + closure.id, { token: token }).then(function (r) {
      var result = $("closure-result");
      result.textContent = "";
      if (r.ok || r.status === 404) {
        add(result, "p", "Đã hủy thông báo tạm nghỉ từ " + formatDay(closure.starts_on) + " đến " + formatDay(closure.ends_on) + ".",
          "hcc-alert hcc-alert--success");
        loadClosures(true);
        loadOpenState();
      } else {
        hcc.busy(button, false);
        if (r.status === 401) { signOut("Phiên đăng nhập không còn hiệu lực. Vui lòng đăng nhập lại."); return; }
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
    if (!token) return;
    box.setAttribute("aria-busy", "true");
    hcc.request("GET", "/me/closures", { token: token }).then(function (r) {
      box.removeAttribute("aria-busy");
      if (r.ok) renderClosures(r.data || [], focusTitle); else sectionError(box, r);
    }, function () { box.removeAttribute("aria-busy"); sectionError(box, null); });
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

  /* --- Start ------------------------------------------------------------------------------ */

  loginForm.addEventListener("submit", function (event) {
    event.preventDefault();
    if ($("agent-login-submit").disabled) return;
    var candidate = $("agent-token").value.trim();
    if (!candidate) {
      hcc.showErrors(loginForm, { extra: [{ key: "token", message: "Dán mã truy cập do Trung tâm bàn giao." }] },
        { title: "Chưa đăng nhập được." });
      return;
    }
    signIn(candidate, false);
  });
  $("agent-logout").addEventListener("click", function () { signOut(); });

  var saved = tokens.get();
  if (saved) signIn(saved, true);
  else { hcc.reveal(); hcc.probe(); }
})();
