/* The staff session shared by the "Kiểm tra đại lý" pages (kiem-tra/*): sign in with the staff
 * bearer token from `hcc staff add` (kept in sessionStorage only, like the agent console keeps
 * the agent token), authorised calls to the API, file downloads with the token, and sign-out.
 *
 * Page markup: <div id="staff-login" data-needs-js hidden></div> (the form is built here),
 * <p id="staff-status" role="status">, <div id="staff-app" hidden> holding the page itself, and
 * the shared #api-unreachable notice. Page scripts call hccStaff.ready(function () {...}): the
 * callback runs each time a staff member is signed in (after a sign-in or on load with a
 * stored token that still works). */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var loginBox = document.getElementById("staff-login");
  var app = document.getElementById("staff-app");
  if (!hcc || !loginBox || !app) return;

  var EXPIRED = "Phiên đăng nhập không còn hiệu lực. Vui lòng đăng nhập lại.";
  var tokens = hcc.tokenStore("hcc.staffToken");
  var token = null;
  var listeners = [];
  var status = document.getElementById("staff-status");

  function say(text) { if (status) status.textContent = text || ""; }

  /* --- The sign-in form ------------------------------------------------------------------ */

  function buildLogin() {
    loginBox.innerHTML =
      '<h2 id="staff-login-title">Đăng nhập cán bộ</h2>' +
      '<div id="staff-login-errors" class="hcc-error-summary" role="alert" tabindex="-1" hidden></div>' +
      '<form id="staff-login-form" data-summary="staff-login-errors" aria-labelledby="staff-login-title" novalidate>' +
      '<div class="hcc-field" data-field="token">' +
      '<label for="staff-token">Mã truy cập của cán bộ</label>' +
      '<p class="hcc-hint" id="staff-token-hint">Mã do quản trị hệ thống cấp (lệnh <code>hcc staff add</code>). ' +
      "Mã chỉ được giữ trong thẻ trình duyệt này và tự xóa khi bạn đóng thẻ hoặc bấm “Đăng xuất”.</p>" +
      '<input id="staff-token" name="token" type="password" autocomplete="off" spellcheck="false" required aria-describedby="staff-token-hint">' +
      '<p class="hcc-field-error" id="staff-token-error"></p>' +
      "</div>" +
      '<p><button type="submit" id="staff-login-submit" class="hcc-button">Đăng nhập</button></p>' +
      "</form>";
    var form = document.getElementById("staff-login-form");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var value = document.getElementById("staff-token").value.trim();
      if (!value) {
        hcc.showErrors(form, { extra: [{ key: "token", message: "Vui lòng nhập mã truy cập." }] },
          { title: "Chưa đăng nhập được." });
        return;
      }
      signIn(value, false);
    });
    return form;
  }

  var loginForm = buildLogin();

  function showLogin() {
    app.hidden = true;
    loginBox.hidden = false;
  }

  function loginError(response) {
    var message = response.status === 401 ? "Mã truy cập không hợp lệ hoặc đã bị thu hồi." :
      response.status === 403 ? "Mã này không phải mã của cán bộ Trung tâm (có thể là mã của đại lý)." :
      null;
    if (message) {
      hcc.showErrors(loginForm, { extra: [{ key: "token", message: message }] }, { title: "Chưa đăng nhập được." });
    } else {
      hcc.showErrors(loginForm, response.data || {}, {
        title: "Chưa đăng nhập được.", detailFallback: "Vui lòng thử lại sau."
      });
    }
  }

  /* A staff-only list answers 401 for an unknown token and 403 for an agent's: a cheap check. */
  function signIn(candidate, automatic) {
    return hcc.signIn("/applications?status=pending&page_size=1", candidate, {
      store: tokens, form: loginForm, button: document.getElementById("staff-login-submit"),
      showLogin: showLogin, showApp: function () { loginBox.hidden = true; app.hidden = false; },
      refused: loginError
    }).then(function (response) {
      if (!response) return;
      token = candidate;
      say(automatic ? "" : "Đã đăng nhập.");
      listeners.forEach(function (callback) { callback(); });
    });
  }

  function signOut(message) {
    token = null;
    tokens.set(null);
    showLogin();
    say(message || "Bạn đã đăng xuất.");
    document.getElementById("staff-token").focus();
  }

  /* The bar at the top of the page once signed in: who is signed in and a sign-out button. */
  function buildBar() {
    var bar = document.createElement("div");
    bar.className = "hcc-staff-bar";
    var text = document.createElement("p");
    text.textContent = "Bạn đang đăng nhập với quyền cán bộ Trung tâm.";
    var button = document.createElement("button");
    button.type = "button";
    button.id = "staff-logout";
    button.className = "hcc-button hcc-button--secondary";
    button.textContent = "Đăng xuất";
    button.addEventListener("click", function () { signOut(); });
    bar.appendChild(text);
    bar.appendChild(button);
    app.insertBefore(bar, app.firstChild);
  }

  /* --- Calls with the token -------------------------------------------------------------- */

  /* Like hccApi.request with the staff token; a 401 (token revoked meanwhile) signs out. */
  function request(method, path, options) {
    options = options || {};
    options.token = token;
    return hcc.request(method, path, options).then(function (response) {
      if (response.status === 401) {
        signOut(EXPIRED);
      }
      return response;
    });
  }

  /* GET a file (CSV, XLSX) with the token and hand it to the browser as a download.
   * Resolves the file name; rejects with an Error whose message is Vietnamese. */
  function download(path, fallbackName) {
    return fetch(hcc.api + path, {
      headers: { Authorization: "Bearer " + token },
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (response) {
      if (response.status === 401) {
        signOut(EXPIRED);
        throw new Error("Phiên đăng nhập không còn hiệu lực.");
      }
      if (!response.ok) {
        return response.json().then(
          function (body) { throw new Error(hcc.say(body.detail, "Không tải được tệp (mã lỗi " + response.status + ").")); },
          function () { throw new Error("Không tải được tệp (mã lỗi " + response.status + ")."); }
        );
      }
      var disposition = response.headers.get("Content-Disposition") || "";
      var match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
      var name = match ? decodeURIComponent(match[1]) : fallbackName;
      return response.blob().then(function (blob) {
        var url = URL.createObjectURL(blob);
        var link = document.createElement("a");
        link.href = url;
        link.download = name;
        link.hidden = true;
        document.body.appendChild(link);
        link.click();
        window.setTimeout(function () { URL.revokeObjectURL(url); link.remove(); }, 1000);
        return name;
      });
    }, function () {
      hcc.setUnreachable(true);
      throw new Error(hcc.UNREACHABLE);
    });
  }

  /* POST a file as the raw request body; resolves like ``request``. */
  function upload(path, file) {
    return request("POST", path, { rawBody: file, headers: { "Content-Type": file.type || "text/csv" } });
  }

  /* Run ``callback`` now if signed in, and after every later sign-in. */
  function ready(callback) {
    listeners.push(callback);
    if (token) callback();
  }

  hcc.reveal();
  buildBar();
  var previous = tokens.get();
  if (previous) signIn(previous, true);
  else { showLogin(); hcc.probe(); }

  window.hccStaff = {
    ready: ready,
    request: request,
    download: download,
    upload: upload,
    signOut: signOut,
    say: say
  };
})();
