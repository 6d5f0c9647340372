/* The application tracking page (dai-ly/tra-cuu): id + status secret ->
 * GET ${api}/applications/{id} with the X-Application-Secret header. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var form = document.getElementById("track-form");
  if (!hcc || !form) return;

  var result = document.getElementById("track-result");
  var STATES = {
    pending: "Đang chờ duyệt",
    approved: "Đã duyệt",
    rejected: "Bị từ chối"
  };

  function add(parent, tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    parent.appendChild(node);
    return node;
  }

  function link(parent, href, text) {
    var a = add(parent, "a", text);
    a.href = href;
    return a;
  }

  function render(app) {
    result.textContent = "";
    var box = add(result, "div", "", "hcc-result-box");
    add(box, "h2", "Đơn " + app.id);
    var state = add(box, "p", "", "hcc-state hcc-state--" + app.status);
    var label = STATES[app.status] || app.status;
    if (app.status === "approved" && app.agent_id) label += " — mã đại lý " + app.agent_id;
    if (app.status === "rejected") label += app.reason ? " — " + app.reason : "";
    state.textContent = label;

    var facts = add(box, "dl", "", "hcc-facts");
    add(facts, "dt", "Doanh nghiệp");
    add(facts, "dd", app.business_name || "");
    add(facts, "dt", "Ngày gửi");
    add(facts, "dd", hcc.formatDateTime(app.created_at));
    add(facts, "dt", "Cập nhật lần cuối");
    add(facts, "dd", hcc.formatDateTime(app.updated_at));

    if (app.status === "pending") {
      add(box, "p", "Trung tâm đang xem xét đơn. Bạn có thể quay lại trang này để theo dõi.");
    } else if (app.status === "approved") {
      var p = add(box, "p", "Trung tâm sẽ bàn giao mã truy cập của đại lý cho người đại diện. " +
        "Mã truy cập dùng để đăng nhập ");
      link(p, hcc.siteBase + "/dai-ly/cong-dai-ly/", "Cổng đại lý");
      p.appendChild(document.createTextNode(" và ghi nhận hồ sơ đã hỗ trợ người dân."));
    } else if (app.status === "rejected") {
      var q = add(box, "p", "Sau khi khắc phục các điểm nêu trong lý do, doanh nghiệp có thể ");
      link(q, hcc.siteBase + "/dai-ly/dang-ky/", "gửi đơn đăng ký mới");
      q.appendChild(document.createTextNode("."));
    }
  }

  function failure(response) {
    var body = response.data || {};
    result.textContent = "";
    if (response.status === 404) {
      hcc.showErrors(form, { extra: [{ key: "id", message: "Không tìm thấy đơn có mã này. Hãy kiểm tra lại mã đơn." }] },
        { title: "Không tìm thấy đơn đăng ký." });
    } else if (response.status === 401 || response.status === 403) {
      hcc.showErrors(form, { extra: [{ key: "secret", message: "Mã bí mật không đúng với mã đơn này." }] },
        { title: "Không xem được đơn đăng ký." });
    } else if (response.status === 429) {
      hcc.showErrors(form, {}, { title: "Bạn đã tra cứu quá nhiều lần.", detailFallback: "Vui lòng thử lại sau ít phút." });
    } else {
      hcc.showErrors(form, body, { title: "Chưa tra cứu được.", detailFallback: "Vui lòng thử lại sau hoặc gọi 1022." });
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = document.getElementById("track-submit");
    if (button.disabled) return;
    var id = form.elements.namedItem("id").value.trim();
    var secret = form.elements.namedItem("secret").value.trim();
    var problems = [];
    if (!id) problems.push({ key: "id", message: "Nhập mã đơn." });
    if (!secret) problems.push({ key: "secret", message: "Nhập mã bí mật." });
    if (problems.length) {
      result.textContent = "";
      hcc.showErrors(form, { extra: problems }, {});
      return;
    }
    hcc.clearErrors(form);
    hcc.busy(button, true, "Đang tra cứu…");
    hcc.request("GET", "/applications/" + encodeURIComponent(id), {
      headers: { "X-Application-Secret": secret }
    }).then(function (response) {
      hcc.busy(button, false);
      if (response.ok) render(response.data);
      else failure(response);
    }, function () {
      hcc.busy(button, false);
      result.textContent = "";
      hcc.showErrors(form, {}, { title: "Chưa tra cứu được.", detailFallback: hcc.UNREACHABLE });
    });
  });

  hcc.reveal();
  var id = new URLSearchParams(window.location.search).get("id");
  if (id) form.elements.namedItem("id").value = id;
  hcc.probe();
})();
