/* The agent console (dai-ly/cong-dai-ly): sign in with the agent's bearer token (kept in
 * sessionStorage only), pick a procedure and record assisted submissions (idempotent). The
 * recent records and the agent's output against the 20% fully-online target are drawn by
 * agent-output.js; the weekly opening hours and temporary closures by agent-hours.js. Both get
 * the session below; load api.js, agent-figures.js, agent-output.js and agent-hours.js first. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var fig = window.hccFigures;
  var loginForm = document.getElementById("agent-login");
  var form = document.getElementById("submission-form");
  if (!hcc || !fig || !window.hccAgentOutput || !window.hccAgentHours || !loginForm || !form) return;

  var tokens = hcc.tokenStore("hcc.agentToken");
  var DOSSIER = /^[A-Za-z0-9][A-Za-z0-9.\-/]{5,59}$/;
  var PROCEDURE_KEY = /^[A-Za-z0-9.-]{1,120}$/;
  var MODES = window.hccAgentOutput.MODES;
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
    place.clear();
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
      place.show(response.data);
      status.textContent = "Đã đăng nhập: " + response.data.name + ".";
      resetSubmission();
      /* Procedure names in the tables come from the search index: load it first. */
      loadIndex().then(output.refresh, output.refresh);
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

  /* From a suggestion, or from read() when the typed text is exactly a procedure's code. */
  function choose(entry) {
    picker.value = entry.n;
    code.value = entry.k;
    chosen.textContent = "Đã chọn: mã " + entry.k + " · " + entry.f + " · " + (LEVELS[entry.o] || "");
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
    onChoose: choose,
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
    output.refresh();
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

  /* --- Recent records, output, opening hours and closures (agent-output.js, agent-hours.js) */

  function sectionError(box, response) {
    box.textContent = "";
    if (response && response.status === 401) { signOut("Phiên đăng nhập không còn hiệu lực. Vui lòng đăng nhập lại."); return; }
    add(box, "p", response ? "Không tải được dữ liệu (mã lỗi " + response.status + "). Vui lòng tải lại trang." : hcc.UNREACHABLE,
      "hcc-alert hcc-alert--error");
  }

  var session = {
    token: function () { return token; },
    procedure: function (codeValue) { return byKey[codeValue]; },
    signOut: signOut,
    suspended: suspended,
    sectionError: sectionError
  };
  var output = window.hccAgentOutput.mount(session);
  var place = window.hccAgentHours.mount(session);

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
