/* The report status page (phan-anh/tra-cuu/?ma=PA-...): GET ${api}/reports/{code} -> status,
 * history and the staff's note. Everything is shown with textContent. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var report = window.hccReport;
  var form = document.getElementById("report-lookup-form");
  if (!hcc || !report || !form) return;

  var labels = report.labels;
  var result = document.getElementById("report-result");
  var CODE = /^PA-[A-Z2-7]{10}$/;

  function add(parent, tag, text, className) {
    return parent.appendChild(report.el(tag, className ? { class: className } : {}, text));
  }

  function render(data) {
    result.textContent = "";
    var box = add(result, "div", "", "hcc-result-box");
    box.tabIndex = -1;
    add(box, "h2", "Phản ánh " + data.code);
    var state = add(box, "p", labels.states[data.status] || data.status,
      "hcc-report-state hcc-report-state--" + data.status);
    state.id = "report-state";
    if (data.demo) add(box, "p", "Dữ liệu minh họa: phản ánh mẫu để trình diễn hệ thống.", "hcc-demo").id = "report-demo";
    if (data.note) {
      var note = add(box, "div", "", "hcc-alert " + (data.status === "rejected" ? "hcc-alert--warning" : "hcc-alert--success"));
      add(note, "p", data.status === "rejected" ? "Lý do của Trung tâm:" : "Trả lời của Trung tâm:", "hcc-report-note__title");
      add(note, "p", data.note).id = "report-note";
    }
    var facts = add(box, "dl", "", "hcc-facts");
    add(facts, "dt", "Loại phản ánh");
    add(facts, "dd", labels.kinds[data.kind] || data.kind);
    add(facts, "dt", "Về");
    add(facts, "dd", (labels.subjects[data.subject.kind] || "") + ": " + data.subject.name);
    add(facts, "dt", "Nội dung");
    add(facts, "dd", data.description, "hcc-report-text");
    add(facts, "dt", "Ngày tiếp nhận");
    add(facts, "dd", hcc.formatDateTime(data.received_at));
    add(facts, "dt", "Hạn trả lời");
    add(facts, "dd", report.dateText(data.due_on) + " (5 ngày làm việc)");
    add(box, "h3", "Quá trình xử lý");
    var list = add(box, "ol", "", "hcc-report-history");
    data.history.forEach(function (event) {
      var li = add(list, "li");
      add(li, "strong", hcc.formatDateTime(event.at) + " — " + (labels.states[event.status] || event.status));
      if (event.note) add(li, "span", ": " + event.note);
    });
    box.focus();
  }

  function lookup(code) {
    var button = document.getElementById("report-lookup-submit");
    hcc.clearErrors(form);
    if (!CODE.test(code)) {
      result.textContent = "";
      hcc.showErrors(form, { extra: [{ key: "code", message: "Mã theo dõi có dạng PA- và 10 chữ cái hoặc chữ số, ví dụ PA-K7Q2M4X9AB." }] }, {});
      return;
    }
    hcc.busy(button, true, "Đang tra cứu…");
    hcc.request("GET", "/reports/" + encodeURIComponent(code)).then(function (response) {
      hcc.busy(button, false);
      if (response.ok) { render(response.data); return; }
      result.textContent = "";
      if (response.status === 404) {
        hcc.showErrors(form, { extra: [{ key: "code", message: "Không tìm thấy phản ánh có mã này. Hãy kiểm tra lại mã theo dõi." }] },
          { title: "Không tìm thấy phản ánh." });
      } else {
        hcc.showErrors(form, response.data || {}, { title: "Chưa tra cứu được.", detailFallback: "Vui lòng thử lại sau hoặc gọi 1022." });
      }
    }, function () {
      hcc.busy(button, false);
      result.textContent = "";
      hcc.showErrors(form, {}, { title: "Chưa tra cứu được.", detailFallback: hcc.UNREACHABLE });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    lookup(form.elements.namedItem("code").value.trim().toUpperCase());
  });

  hcc.reveal();
  var code = new URLSearchParams(window.location.search).get("ma");
  if (code) {
    form.elements.namedItem("code").value = code;
    lookup(code.trim().toUpperCase());
  } else {
    hcc.probe();
  }
})();
