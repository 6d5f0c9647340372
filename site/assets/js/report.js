/* "Báo thông tin sai" / "Tôi bị thu phí": the report widget of procedure, branch and agent pages.
 *
 * Mount: <div data-hcc-report data-subject-kind="procedure|branch|reception_point|agent"
 *   data-subject-id="..." data-subject-name="..." [data-kinds="wrong_info charged"]>
 * holding a no-JavaScript fallback text (replaced here). Buttons open a short form; the answer
 * is a tracking code and a link to the status page (phan-anh/tra-cuu/?ma=PA-...).
 * POST ${api}/reports; text is shown with textContent only. On the agent page the widget is
 * added once the page has loaded its agent (see mountAgent); hccReport.mount(element) mounts
 * one that another page script adds later. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  if (!hcc) return;

  var PUBLIC_NOTE = "Nội dung phản ánh có thể được công khai; số điện thoại, thư điện tử, số căn cước ghi trong nội dung sẽ được che.";
  var KINDS = {
    wrong_info: {
      button: "Báo thông tin sai",
      title: "Báo thông tin sai về: ",
      label: "Thông tin nào chưa đúng? Thông tin đúng là gì (nếu bạn biết)?",
      hint: "Ví dụ: lệ phí, giấy tờ, địa chỉ, giờ làm việc hoặc số điện thoại không đúng. " + PUBLIC_NOTE
    },
    charged: {
      button: "Tôi bị thu phí",
      title: "Báo việc bị thu phí tại: ",
      label: "Bạn bị thu bao nhiêu tiền, vào ngày nào, cho việc gì?",
      hint: "Đại lý dịch vụ công trực tuyến phải hỗ trợ người dân miễn phí. Phí, lệ phí của thủ tục (nếu có) nộp cho cơ quan nhà nước, không nộp cho đại lý. " + PUBLIC_NOTE
    }
  };
  var FALLBACKS = {
    description: "Vui lòng mô tả thông tin sai (ít nhất 10 ký tự).",
    contact_email: "Thư điện tử chưa đúng dạng, ví dụ ten@example.vn.",
    contact_phone: "Số điện thoại chưa đúng (di động 10 chữ số hoặc số cố định).",
    contact_name: "Họ tên chưa hợp lệ.",
    subject_id: "Không tìm thấy nội dung được phản ánh; vui lòng gọi 1022."
  };
  var counter = 0;
  /* Names shared with the status page and the staff queue (they load this script too). */
  var LABELS = {
    states: { received: "Đã tiếp nhận", in_progress: "Đang xử lý", resolved: "Đã giải quyết", rejected: "Không được chấp nhận" },
    kinds: { wrong_info: "Báo thông tin sai", charged: "Bị thu phí" },
    subjects: { procedure: "Thủ tục", branch: "Chi nhánh", reception_point: "Điểm tiếp nhận", agent: "Đại lý" },
    actions: { receive: "Tiếp nhận", assign: "Phân công", progress: "Đang xử lý", resolve: "Giải quyết", reject: "Không chấp nhận" }
  };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function field(prefix, name, label, control, hint) {
    var box = el("div", { class: "hcc-field", "data-field": name });
    var id = prefix + "-" + name;
    box.appendChild(el("label", { for: id }, label));
    if (hint) box.appendChild(el("p", { class: "hcc-hint", id: id + "-hint" }, hint));
    control.id = id;
    control.name = name;
    if (hint) control.setAttribute("aria-describedby", id + "-hint");
    box.appendChild(control);
    box.appendChild(el("p", { class: "hcc-field-error", id: id + "-error" }));
    return box;
  }

  function buildForm(prefix, kind, subjectName) {
    var text = KINDS[kind];
    var form = el("form", { class: "hcc-report__form", id: prefix + "-form", "data-summary": prefix + "-errors", novalidate: "" });
    form.appendChild(el("h3", { id: prefix + "-title" }, text.title + subjectName));
    form.setAttribute("aria-labelledby", prefix + "-title");
    form.appendChild(el("div", { id: prefix + "-errors", class: "hcc-error-summary", role: "alert", tabindex: "-1", hidden: "" }));
    var description = el("textarea", { rows: "4", maxlength: "2000", required: "" });
    form.appendChild(field(prefix, "description", text.label, description, text.hint));
    var contact = el("fieldset", { class: "hcc-fieldset" });
    contact.appendChild(el("legend", {}, "Thông tin liên hệ (không bắt buộc)"));
    contact.appendChild(el("p", { class: "hcc-hint" },
      "Chỉ cán bộ Trung tâm xem được, để hỏi thêm khi cần; không bao giờ được công khai."));
    contact.appendChild(field(prefix, "contact_name", "Họ và tên", el("input", { type: "text", maxlength: "120", autocomplete: "name" })));
    contact.appendChild(field(prefix, "contact_phone", "Số điện thoại", el("input", { type: "tel", maxlength: "20", autocomplete: "tel" })));
    contact.appendChild(field(prefix, "contact_email", "Thư điện tử", el("input", { type: "email", maxlength: "254", autocomplete: "email" })));
    form.appendChild(contact);
    /* Honeypot: hidden from people (visually, from the keyboard and from screen readers). */
    var trap = el("div", { class: "hcc-report__trap", "aria-hidden": "true" });
    trap.appendChild(el("label", { for: prefix + "-website" }, "Trang web (để trống)"));
    trap.appendChild(el("input", { type: "text", id: prefix + "-website", name: "website", tabindex: "-1", autocomplete: "off", "data-no-invalid": "" }));
    form.appendChild(trap);
    var actions = el("p", { class: "hcc-report__actions" });
    actions.appendChild(el("button", { type: "submit", class: "hcc-button", id: prefix + "-submit" }, "Gửi phản ánh"));
    actions.appendChild(el("button", { type: "button", class: "hcc-button hcc-button--secondary", id: prefix + "-cancel" }, "Hủy"));
    form.appendChild(actions);
    return form;
  }

  function statusUrl(code) {
    return hcc.siteBase + "/phan-anh/tra-cuu/?ma=" + encodeURIComponent(code);
  }

  function dateText(iso) {
    var m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(iso || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] : iso;
  }

  function showDone(panel, created) {
    panel.textContent = "";
    var box = el("div", { class: "hcc-alert hcc-alert--success hcc-report__done", tabindex: "-1", role: "status" });
    box.appendChild(el("p", {}, "Trung tâm đã nhận phản ánh của bạn."));
    var code = el("p");
    code.appendChild(document.createTextNode("Mã theo dõi: "));
    code.appendChild(el("strong", { class: "hcc-report__code" }, created.code));
    box.appendChild(code);
    box.appendChild(el("p", {}, "Hãy ghi lại mã này. Trung tâm trả lời chậm nhất ngày " + dateText(created.due_on) + " (5 ngày làm việc)."));
    var link = el("a", { href: statusUrl(created.code) }, "Xem tình trạng xử lý phản ánh");
    var p = el("p");
    p.appendChild(link);
    box.appendChild(p);
    panel.appendChild(box);
    box.focus();
  }

  function failure(form, response) {
    if (response.status === 429) {
      hcc.showErrors(form, {}, { title: "Bạn đã gửi quá nhiều phản ánh.", detailFallback: "Vui lòng thử lại sau ít phút hoặc gọi 1022." });
    } else if (response.status === 413) {
      hcc.showErrors(form, {}, { title: "Nội dung quá dài.", detailFallback: "Vui lòng rút gọn nội dung (tối đa 2.000 ký tự)." });
    } else {
      hcc.showErrors(form, response.data || {}, {
        fallbacks: FALLBACKS, title: "Chưa gửi được phản ánh. Vui lòng kiểm tra lại:", detailFallback: "Vui lòng kiểm tra lại nội dung."
      });
    }
  }

  function value(form, name) {
    var control = form.elements.namedItem(name);
    return control ? control.value.trim() : "";
  }

  function submit(mount, kind, form, panel) {
    var button = form.querySelector("button[type=submit]");
    if (button.disabled) return;
    var body = {
      kind: kind,
      subject_kind: mount.getAttribute("data-subject-kind"),
      subject_id: mount.getAttribute("data-subject-id"),
      description: value(form, "description")
    };
    ["contact_name", "contact_phone", "contact_email", "website"].forEach(function (name) {
      var v = value(form, name);
      if (v) body[name] = v;
    });
    if (body.description.length < 10) {
      hcc.showErrors(form, { extra: [{ key: "description", message: FALLBACKS.description }] }, {});
      return;
    }
    hcc.clearErrors(form);
    hcc.busy(button, true, "Đang gửi…");
    hcc.request("POST", "/reports", { body: body }).then(function (response) {
      hcc.busy(button, false);
      if (response.ok) showDone(panel, response.data);
      else failure(form, response);
    }, function () {
      hcc.busy(button, false);
      hcc.showErrors(form, {}, { title: "Chưa gửi được phản ánh.", detailFallback: hcc.UNREACHABLE });
    });
  }

  function open(mount, kind, opener, panel) {
    var prefix = "report-" + mount.getAttribute("data-report-index") + "-" + kind;
    panel.textContent = "";
    var form = buildForm(prefix, kind, mount.getAttribute("data-subject-name") || "");
    panel.appendChild(form);
    panel.hidden = false;
    opener.setAttribute("aria-expanded", "true");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit(mount, kind, form, panel);
    });
    form.querySelector("#" + prefix + "-cancel").addEventListener("click", function () {
      panel.hidden = true;
      panel.textContent = "";
      opener.setAttribute("aria-expanded", "false");
      opener.focus();
    });
    form.elements.namedItem("description").focus();
  }

  function mount(node) {
    if (node.getAttribute("data-report-index")) return;
    counter += 1;
    node.setAttribute("data-report-index", String(counter));
    var kinds = (node.getAttribute("data-kinds") || "wrong_info").split(/\s+/).filter(function (k) { return KINDS[k]; });
    var fallback = node.querySelector(".hcc-report__fallback");
    var bar = el("p", { class: "hcc-report__bar" });
    var panel = el("div", { class: "hcc-report__panel", id: "report-" + counter + "-panel", hidden: "" });
    kinds.forEach(function (kind) {
      var button = el("button", {
        type: "button", class: "hcc-button hcc-button--secondary", "data-report-kind": kind,
        "aria-expanded": "false", "aria-controls": panel.id
      }, KINDS[kind].button);
      button.addEventListener("click", function () { open(node, kind, button, panel); });
      bar.appendChild(button);
    });
    var hint = el("p", { class: "hcc-hint" });
    hint.appendChild(document.createTextNode("Đã gửi phản ánh? "));
    hint.appendChild(el("a", { href: hcc.siteBase + "/phan-anh/tra-cuu/" }, "Tra cứu kết quả bằng mã theo dõi"));
    if (fallback) fallback.hidden = true;
    node.appendChild(bar);
    node.appendChild(panel);
    node.appendChild(hint);
  }

  /* The agent page (dai-ly/thong-tin) loads its agent from the API, then announces it with an
   * "hcc:agent" event and data-agent-id on #hcc-page-extras: both report kinds go there. */
  function mountAgent(id, name) {
    var extras = document.getElementById("hcc-page-extras");
    if (!extras || !id || extras.querySelector("[data-hcc-report]")) return;
    var node = el("div", {
      class: "hcc-report", "data-hcc-report": "", "data-subject-kind": "agent", "data-subject-id": id,
      "data-subject-name": name || id, "data-kinds": "wrong_info charged"
    });
    extras.appendChild(node);
    mount(node);
  }

  document.querySelectorAll("[data-hcc-report]").forEach(mount);
  document.addEventListener("hcc:agent", function (event) {
    mountAgent(event.detail && event.detail.id, event.detail && event.detail.name);
  });
  var loaded = document.getElementById("hcc-page-extras");
  if (loaded && loaded.getAttribute("data-agent-id")) {
    var heading = document.getElementById("agent-name");
    mountAgent(loaded.getAttribute("data-agent-id"), heading && heading.textContent);
  }
  window.hccReport = { mount: mount, labels: LABELS, statusUrl: statusUrl, dateText: dateText, el: el };
})();
