/* Shared by the agent pages (apply, track, agent console): calls to the live API, the
 * "server unreachable" notice, and showing the API's error shape next to form fields.
 *
 * Error shape (DESIGN.md): {"status_code": 4xx, "detail": "...",
 *   "extra": [{"key": "<field, may be dotted or indexed>", "message": "..."}]}
 * Page markup convention: each field sits in an element with data-field="<API name>" that
 * contains its controls and one empty <p class="hcc-field-error" id="...">; each form has an
 * error summary <div class="hcc-error-summary" role="alert" tabindex="-1" hidden>. */
(function () {
  "use strict";

  var UNREACHABLE =
    "Không kết nối được máy chủ. Trang này cần dịch vụ trực tuyến của Trung tâm; " +
    "vui lòng thử lại sau hoặc gọi 1022.";
  var VIETNAMESE = /[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i;
  var HANOI_OFFSET_MS = 7 * 3600 * 1000;
  /* Vietnamese names of AgentKind (agents_registry/models.py). */
  var AGENT_KINDS = {
    post_office: "Bưu điện", viettel_post: "Viettel Post", telecom_shop: "Cửa hàng viễn thông",
    electronics_shop: "Cửa hàng điện tử", notary_office: "Văn phòng công chứng",
    law_office: "Văn phòng luật", bank: "Ngân hàng", print_shop: "Cửa hàng photocopy, in ấn", other: "Khác"
  };

  var meta = document.querySelector('meta[name="hcc-api"]');
  var api = ((meta && meta.content) || "/api/v1").replace(/\/+$/, "");
  var siteBase = (function () {
    if (window.hccSearch && window.hccSearch.base) return window.hccSearch.base;
    var config = document.getElementById("__config");
    try { return JSON.parse(config.textContent).base || "."; } catch (e) { return "."; }
  })();

  /* Raised when the API cannot be reached or does not answer JSON. */
  function Unreachable(cause) {
    this.name = "Unreachable";
    this.unreachable = true;
    this.cause = cause;
    this.message = UNREACHABLE;
  }

  function setUnreachable(on) {
    var box = document.getElementById("api-unreachable");
    if (!box) return;
    if (on) {
      /* Shown with its text at once (an empty red box would flash otherwise); a role="alert"
       * element that becomes visible with its text is announced by screen readers. */
      box.textContent = UNREACHABLE;
      box.hidden = false;
    } else {
      box.hidden = true;
    }
  }

  /* Call the API. Resolves {status, ok, data, headers} for every JSON answer (errors too);
   * rejects with an Unreachable on a network error or a non-JSON answer. ``options.body`` is
   * sent as JSON, ``options.rawBody`` (a File, say) as it is with the Content-Type in
   * ``options.headers``. */
  function request(method, path, options) {
    options = options || {};
    var headers = { Accept: "application/json" };
    var extra = options.headers || {};
    Object.keys(extra).forEach(function (name) { headers[name] = extra[name]; });
    if (options.token) headers.Authorization = "Bearer " + options.token;
    var init = { method: method, headers: headers, credentials: "same-origin", cache: "no-store" };
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    } else if (options.rawBody !== undefined) {
      init.body = options.rawBody;
    }
    return fetch(api + path, init).then(
      function (response) {
        return response.text().then(function (text) {
          var data;
          try { data = JSON.parse(text); } catch (e) {
            setUnreachable(true);
            throw new Unreachable(e);
          }
          setUnreachable(false);
          return { status: response.status, ok: response.ok, data: data, headers: response.headers };
        });
      },
      function (error) {
        setUnreachable(true);
        throw new Unreachable(error);
      }
    );
  }

  /* A bearer token kept in sessionStorage under ``key`` (in memory only where storage is off). */
  function tokenStore(key) {
    return {
      get: function () {
        try { return window.sessionStorage.getItem(key); } catch (e) { return null; }
      },
      set: function (value) {
        try {
          if (value) window.sessionStorage.setItem(key, value);
          else window.sessionStorage.removeItem(key);
        } catch (e) { /* storage disabled: the token lives in memory only */ }
      }
    };
  }

  /* Sign in with a bearer token: GET ``path`` with it, ``s.button`` busy meanwhile.
   * s: {store (a tokenStore), form, button, showLogin(), showApp(), refused(response),
   * unreachable() (optional)}.
   * Accepted: stores the token, clears and resets the form, shows the app and resolves the
   * answer. Refused: forgets the stored token, shows the form, calls ``refused`` and resolves
   * null. Unreachable: shows the form with the notice and resolves null (the stored token is
   * kept for the next try). */
  function signIn(path, candidate, s) {
    busy(s.button, true, "Đang đăng nhập…");
    return request("GET", path, { token: candidate }).then(function (response) {
      busy(s.button, false);
      if (!response.ok) {
        s.store.set(null);
        s.showLogin();
        s.refused(response);
        return null;
      }
      s.store.set(candidate);
      clearErrors(s.form);
      s.form.reset();
      s.showApp();
      return response;
    }, function () {
      busy(s.button, false);
      s.showLogin();
      if (s.unreachable) s.unreachable();
      showErrors(s.form, {}, { title: "Chưa đăng nhập được.", detailFallback: UNREACHABLE });
      return null;
    });
  }

  /* Check on page load that the API answers (a cheap public list); shows the notice if it does
   * not. Any JSON answer counts as reachable; a static host or a proxy answers HTML. */
  function probe() {
    return fetch(api + "/agents?page_size=1", { cache: "no-store", credentials: "same-origin" }).then(
      function (response) {
        var type = response.headers.get("Content-Type") || "";
        var up = /json/.test(type);
        setUnreachable(!up);
        return up;
      },
      function () { setUnreachable(true); return false; }
    );
  }

  /* A static JSON file of the site (wards.json, fields.json). */
  function asset(name) {
    return fetch(siteBase + "/assets/" + name).then(function (response) {
      if (!response.ok) throw new Error(name + ": HTTP " + response.status);
      return response.json();
    });
  }

  /* "opening_hours.mon" -> "opening_hours", "fields[2]" -> "fields", "$.tax_code" -> "tax_code". */
  function fieldOf(key) {
    var clean = String(key || "").replace(/^\$\.?/, "").replace(/^(body|data)\./, "");
    return clean.split(/[.[]/)[0];
  }

  function isVietnamese(text) { return VIETNAMESE.test(text || ""); }

  /* A Vietnamese message for the user: the API's own when it is Vietnamese, else our fallback
   * with the API's wording kept as a detail (useful when calling the center). */
  function say(apiMessage, fallback) {
    if (!apiMessage) return fallback;
    if (isVietnamese(apiMessage) || !fallback) return apiMessage;
    return fallback + " (" + apiMessage + ")";
  }

  function controlsOf(container) {
    return Array.prototype.filter.call(
      container.querySelectorAll("input, select, textarea"),
      function (el) { return el.type !== "hidden" && !el.hasAttribute("data-no-invalid"); }
    );
  }

  function describe(el, id, on) {
    var ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    ids = ids.filter(function (x) { return x !== id; });
    if (on) ids.push(id);
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
  }

  function summaryOf(form) {
    return document.getElementById(form.getAttribute("data-summary"));
  }

  function clearErrors(form) {
    form.querySelectorAll(".hcc-field-error").forEach(function (p) {
      p.textContent = "";
      var container = p.closest("[data-field]");
      if (!container) return;
      container.classList.remove("hcc-field--invalid");
      controlsOf(container).forEach(function (el) {
        el.removeAttribute("aria-invalid");
        describe(el, p.id, false);
      });
    });
    var summary = summaryOf(form);
    if (summary) { summary.hidden = true; summary.textContent = ""; }
  }

  /* Show an error body on a form. ``options.fallbacks`` maps field names to Vietnamese messages;
   * ``options.title`` heads the summary. Focuses the first invalid control (or the summary). */
  function showErrors(form, body, options) {
    options = options || {};
    clearErrors(form);
    var fallbacks = options.fallbacks || {};
    var unplaced = [];
    var firstControl = null;
    var links = [];
    (body.extra || []).forEach(function (item) {
      var key = String(item.key || "");
      var name = fieldOf(key);
      var container = name && form.querySelector('[data-field="' + name + '"]');
      var message = say(item.message, fallbacks[name] || options.fallback);
      if (!container) { unplaced.push(message); return; }
      var error = container.querySelector(".hcc-field-error");
      var label = options.labelFor ? options.labelFor(key) : "";
      error.textContent = (error.textContent ? error.textContent + " " : "") + (label ? label + ": " : "") + message;
      container.classList.add("hcc-field--invalid");
      var controls = controlsOf(container);
      var exact = form.querySelector('[name="' + key.replace(/"/g, "") + '"]');
      var marked = exact && exact.type !== "hidden" ? [exact] : controls;
      marked.forEach(function (el) { el.setAttribute("aria-invalid", "true"); });
      controls.forEach(function (el) { describe(el, error.id, true); });
      var target = marked[0] || controls[0];
      if (!firstControl) firstControl = target;
      if (target && !links.some(function (l) { return l.target === target; })) {
        links.push({ target: target, text: error.textContent });
      }
    });
    var summary = summaryOf(form);
    if (summary) {
      var heading = document.createElement("p");
      heading.className = "hcc-error-summary__title";
      heading.textContent = options.title || "Chưa gửi được. Vui lòng kiểm tra lại:";
      summary.appendChild(heading);
      var detail = body.detail ? say(body.detail, options.detailFallback) : options.detailFallback;
      if (detail) {
        var p = document.createElement("p");
        p.textContent = detail;
        summary.appendChild(p);
      }
      if (links.length || unplaced.length) {
        var ul = document.createElement("ul");
        links.forEach(function (link) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = "#" + link.target.id;
          a.textContent = link.text;
          a.addEventListener("click", function (event) { event.preventDefault(); link.target.focus(); });
          li.appendChild(a);
          ul.appendChild(li);
        });
        unplaced.forEach(function (text) {
          var li = document.createElement("li");
          li.textContent = text;
          ul.appendChild(li);
        });
        summary.appendChild(ul);
      }
      summary.hidden = false;
    }
    if (firstControl) firstControl.focus();
    else if (summary) summary.focus();
  }

  /* Disable a submit button while a request is in flight (prevents double submissions). */
  function busy(button, on, text) {
    if (on) {
      button.setAttribute("data-label", button.textContent);
      button.textContent = text || "Đang gửi…";
      button.disabled = true;
    } else {
      button.textContent = button.getAttribute("data-label") || button.textContent;
      button.disabled = false;
    }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* Wall-clock fields of a Date in Hanoi (UTC+7, no daylight saving). */
  function hanoiParts(date) {
    var d = new Date(date.getTime() + HANOI_OFFSET_MS);
    return {
      y: d.getUTCFullYear(), m: pad(d.getUTCMonth() + 1), d: pad(d.getUTCDate()),
      hh: pad(d.getUTCHours()), mm: pad(d.getUTCMinutes())
    };
  }

  function formatDateTime(iso) {
    if (!iso) return "";
    var date = new Date(iso);
    if (isNaN(date.getTime())) return String(iso);
    var p = hanoiParts(date);
    return p.d + "/" + p.m + "/" + p.y + " " + p.hh + ":" + p.mm;
  }

  function formatPercent(share) {
    return (Math.round(share * 1000) / 10).toLocaleString("vi-VN") + "%";
  }

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    /* randomUUID needs a secure context; getRandomValues does not. RFC 4122 version 4. */
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* Reveal the JavaScript-only parts of the page (hidden in the HTML for no-JS visitors). */
  function reveal() {
    document.querySelectorAll("[data-needs-js]").forEach(function (el) { el.hidden = false; });
  }

  /* Opening hours typed by people: shared by the application form and the agent console. */
  function normalizeTime(text) {
    var m = /^(\d{1,2})(?:[:hg.](\d{2})?)?$/i.exec(text);
    if (!m) return null;
    var h = parseInt(m[1], 10);
    var min = m[2] ? parseInt(m[2], 10) : 0;
    if (h > 23 || min > 59) return null;
    return (h < 10 ? "0" : "") + h + ":" + (min < 10 ? "0" : "") + min;
  }

  /* "8:00 – 12:00; 13h30-17h" -> {ranges: ["08:00-12:00", "13:30-17:00"]}, or {error}. */
  function parseRanges(text) {
    var ranges = [];
    var previousEnd = "";
    var parts = text.split(/[,;]/).map(function (s) { return s.trim(); }).filter(Boolean);
    for (var i = 0; i < parts.length; i++) {
      var bits = parts[i].replace(/\s+/g, "").split(/[-–—]|đến/);
      var start = bits.length === 2 && normalizeTime(bits[0]);
      var end = bits.length === 2 && normalizeTime(bits[1]);
      if (!start || !end) return { error: "“" + parts[i] + "” chưa đúng dạng giờ mở-giờ đóng, ví dụ 08:00-12:00." };
      if (start >= end) return { error: "khung giờ " + start + "-" + end + " kết thúc trước khi bắt đầu." };
      if (start < previousEnd) return { error: "khung giờ " + start + "-" + end + " trùng với khung giờ trước." };
      previousEnd = end;
      ranges.push(start + "-" + end);
    }
    return { ranges: ranges };
  }

  window.hccApi = {
    parseRanges: parseRanges,
    api: api,
    siteBase: siteBase,
    UNREACHABLE: UNREACHABLE,
    AGENT_KINDS: AGENT_KINDS,
    request: request,
    tokenStore: tokenStore,
    signIn: signIn,
    probe: probe,
    asset: asset,
    setUnreachable: setUnreachable,
    fieldOf: fieldOf,
    say: say,
    clearErrors: clearErrors,
    showErrors: showErrors,
    busy: busy,
    hanoiParts: hanoiParts,
    formatDateTime: formatDateTime,
    formatPercent: formatPercent,
    uuid: uuid,
    reveal: reveal
  };
})();
