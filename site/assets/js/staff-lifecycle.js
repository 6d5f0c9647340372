/* Suspend or reinstate an agent (staff), with the reason written to the audit log. Used by the
 * agent detail page (kiem-tra/dai-ly). */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var staff = window.hccStaff;
  var ui = window.hccStaffUi;
  if (!hcc || !staff || !ui) return;
  var el = ui.el;

  /* ``agent`` needs id, name and status; ``changed(agentPublic)`` runs after a success. */
  function mount(box, agent, changed) {
    ui.clear(box);
    var action = agent.status === "active" ? "suspend" : agent.status === "suspended" ? "reinstate" : null;
    box.appendChild(el("p", { id: "lifecycle-state", text: "Trạng thái hiện tại: " + ui.statusName(agent.status) + "." }));
    if (!action) {
      box.appendChild(el("p", { text: "Đại lý đã chấm dứt hoạt động: không thể tạm dừng hay khôi phục." }));
      return;
    }
    var label = action === "suspend" ? "Tạm dừng hoạt động" : "Khôi phục hoạt động";
    var hint = action === "suspend" ?
      "Khi tạm dừng, mã truy cập của đại lý ngừng hoạt động và đại lý không còn hiện với người dân cho đến khi được khôi phục." :
      "Khi khôi phục, đại lý được ghi nhận hồ sơ trở lại và hiện lại với người dân.";
    var form = el("form", { id: "lifecycle-form", "data-summary": "lifecycle-errors", novalidate: true, "aria-labelledby": "agent-action-title" }, [
      el("div", { id: "lifecycle-errors", class: "hcc-error-summary", role: "alert", tabindex: "-1", hidden: true }),
      el("p", { class: "hcc-hint", text: hint }),
      el("div", { class: "hcc-field", "data-field": "reason" }, [
        el("label", { for: "lifecycle-reason", text: "Lý do (ghi vào nhật ký)" }),
        el("textarea", { id: "lifecycle-reason", name: "reason", rows: "2", maxlength: "1000", required: true }),
        el("p", { class: "hcc-field-error", id: "lifecycle-reason-error" })
      ]),
      el("p", {}, [el("button", { type: "submit", class: "hcc-button", id: "lifecycle-submit", text: label })])
    ]);
    var result = el("div", { id: "lifecycle-result", role: "status", "aria-live": "polite" });
    box.appendChild(form);
    box.appendChild(result);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var reason = document.getElementById("lifecycle-reason").value.trim();
      if (reason.length < 3) {
        hcc.showErrors(form, { extra: [{ key: "reason", message: "Vui lòng ghi lý do (ít nhất 3 ký tự)." }] }, { title: "Chưa thực hiện được." });
        return;
      }
      var button = document.getElementById("lifecycle-submit");
      hcc.busy(button, true, "Đang gửi…");
      staff.request("POST", "/agents/" + encodeURIComponent(agent.id) + "/" + action, { body: { reason: reason } }).then(function (response) {
        hcc.busy(button, false);
        if (response.ok) {
          var done = action === "suspend" ? "Đã tạm dừng hoạt động của đại lý " : "Đã khôi phục hoạt động của đại lý ";
          changed(response.data, done + agent.id + ".");
          return;
        }
        if (response.status === 422) {
          hcc.showErrors(form, response.data, { title: "Chưa thực hiện được.", fallback: "Lý do chưa hợp lệ." });
        } else {
          ui.notice(result, "error", ui.problem(response, "Chưa thực hiện được."));
        }
      }, function () {
        hcc.busy(button, false);
        ui.notice(result, "error", hcc.UNREACHABLE);
      });
    });
  }

  window.hccStaffLifecycle = { mount: mount };
})();
