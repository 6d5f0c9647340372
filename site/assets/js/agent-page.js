/* The public page of one agent (dai-ly/thong-tin/?id=DL-0001), rendered from the live API:
 * GET /agents/{id} (profile), /places/agent/{id} (open now, closures), /agents/{id}/scorecard
 * (12 months: volume, fully-online share, ratings), and the rating form (POST /ratings).
 * When the agent is loaded, #hcc-page-extras gets data-agent-id and the document receives an
 * "hcc:agent" event (detail: the agent) for the scripts that mount their parts there. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var fig = window.hccFigures;
  var page = document.getElementById("agent-page");
  var form = document.getElementById("rating-form");
  if (!hcc || !fig || !page || !form) return;

  var DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  var DAY_NAMES = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"];
  var DOSSIER = /^[A-Za-z0-9][A-Za-z0-9.\-/]{5,59}$/;
  var ERRORS = {
    dossier_code: "Không tìm thấy hồ sơ nào do đại lý ghi nhận với mã này. Vui lòng kiểm tra lại mã trên giấy biên nhận.",
    agent_id: "Hồ sơ này do một đại lý khác hỗ trợ nộp. Hãy đánh giá trên trang của đại lý đó.",
    stars: "Vui lòng chọn từ 1 đến 5 sao.",
    comment: "Nhận xét dài tối đa 500 ký tự."
  };
  var TITLE = "Chưa gửi được đánh giá.";

  var add = fig.add;
  var number = fig.number;
  var status = document.getElementById("agent-page-status");
  var agent = null;

  function $(id) { return document.getElementById(id); }

  function missing(text) {
    status.textContent = "";
    var box = $("agent-missing");
    box.hidden = false;
    box.textContent = text + " ";
    add(box, "a", "Tìm đại lý trên bản đồ mạng lưới").href = hcc.siteBase + "/ban-do/";
  }

  function date(iso) { return hcc.formatDateTime(iso + "T12:00:00+07:00").slice(0, 10); }

  /* --- Profile, hours, open now, map ------------------------------------------------------ */

  function renderFacts(names) {
    var facts = $("agent-facts");
    facts.textContent = "";
    var ward = names.wards[agent.ward_code];
    var rows = [
      ["Mã đại lý", agent.id],
      ["Loại hình", hcc.AGENT_KINDS[agent.kind] || agent.kind],
      ["Địa chỉ", agent.address + (ward ? " (" + ward + ")" : "")],
      ["Điện thoại", agent.phone],
      ["Lĩnh vực hỗ trợ", agent.fields.map(function (f) { return names.fields[f] || f; }).join(", ")]
    ];
    rows.forEach(function (row) {
      add(facts, "dt", row[0]);
      var dd = add(facts, "dd", row[1]);
      if (row[0] === "Điện thoại") {
        dd.textContent = "";
        add(dd, "a", row[1]).href = "tel:" + String(row[1]).replace(/[^0-9+]/g, "");
      }
    });
    add(facts, "dt", "Chi nhánh phụ trách");
    add(add(facts, "dd"), "a", "Chi nhánh số " + agent.branch_number).href =
      hcc.siteBase + "/chi-nhanh/" + agent.branch_number + "/";
  }

  function renderHours() {
    var list = $("agent-hours");
    list.textContent = "";
    DAYS.forEach(function (day, i) {
      var ranges = agent.opening_hours[day] || [];
      add(list, "li", DAY_NAMES[i] + ": " + (ranges.length ? ranges.join(", ").replace(/-/g, "–") : "Nghỉ"));
    });
  }

  function time(iso) { return hcc.formatDateTime(iso).slice(11); }

  function renderOpen(place) {
    var line = $("agent-open");
    if (place.open_now) {
      line.className = "hcc-agent-open hcc-open";
      line.textContent = "Đang mở cửa" + (place.closes_at ? ", đến " + time(place.closes_at) : "") + ".";
    } else {
      line.className = "hcc-agent-open hcc-closed";
      line.textContent = "Đang đóng cửa" + (place.closed_reason ? " (" + place.closed_reason + ")" : "") +
        (place.opens_at ? ", mở lại lúc " + hcc.formatDateTime(place.opens_at) : "") + ".";
    }
    var box = $("agent-closures");
    box.textContent = "";
    if (!place.closures.length) return;
    add(box, "h3", "Lịch tạm nghỉ");
    var list = add(box, "ul");
    place.closures.forEach(function (c) {
      add(list, "li", (c.starts_on === c.ends_on ? "Ngày " + date(c.starts_on) : "Từ " + date(c.starts_on) + " đến hết " + date(c.ends_on)) + ": " + c.reason);
    });
  }

  function renderMap() {
    var box = $("agent-map");
    if (!window.L) { box.hidden = true; return; }
    hcc.asset("places/index.json").then(function (index) {
      var map = window.L.map(box, { scrollWheelZoom: false, fadeAnimation: false }).setView([agent.lat, agent.lon], 16);
      window.L.tileLayer(index.tiles.url, { attribution: index.tiles.attribution, maxZoom: 19 }).addTo(map);
      window.L.marker([agent.lat, agent.lon], { title: agent.name, alt: agent.name }).addTo(map);
    }).catch(function () {
      box.textContent = "Không tải được bản đồ. Địa chỉ của đại lý ở phía trên.";
      box.classList.add("hcc-agent-map--failed");
    });
  }

  function names() {
    function byKey(list, key) {
      var out = {};
      list.forEach(function (item) { out[item[key]] = item.name; });
      return out;
    }
    return Promise.all([
      hcc.asset("wards.json").then(function (w) { return byKey(w, "code"); }, function () { return {}; }),
      hcc.asset("fields.json").then(function (f) { return byKey(f, "slug"); }, function () { return {}; })
    ]).then(function (r) { return { wards: r[0], fields: r[1] }; });
  }

  function render(names_) {
    document.title = agent.name + " — " + document.title;
    $("agent-name").textContent = agent.name;
    $("agent-demo").hidden = !agent.demo;
    renderFacts(names_);
    renderHours();
    $("agent-directions").href = "https://www.openstreetmap.org/directions?to=" + agent.lat + "%2C" + agent.lon;
    var poster = $("agent-poster");
    poster.href = hcc.api + "/agents/" + encodeURIComponent(agent.id) + "/poster.svg";
    status.textContent = "";
    page.hidden = false;
    renderMap();
    hcc.request("GET", "/places/agent/" + encodeURIComponent(agent.id)).then(function (r) {
      if (r.ok) renderOpen(r.data);
    }, function () {});
    loadScorecard();
    var extras = $("hcc-page-extras");
    if (extras) extras.setAttribute("data-agent-id", agent.id);
    document.dispatchEvent(new CustomEvent("hcc:agent", { detail: agent }));
  }

  /* --- Scorecard --------------------------------------------------------------------------- */

  function month(key) { return key.slice(5, 7) + "/" + key.slice(0, 4); }

  function renderScorecard(card) {
    var box = $("agent-scorecard");
    box.textContent = "";
    add(box, "p", "Từ " + date(card.date_from) + " đến " + date(card.date_to) + ". Số liệu do đại lý ghi nhận khi hỗ trợ người dân " +
      "và được Trung tâm đối chiếu; mọi hồ sơ này đều được nộp trực tuyến.");
    var ratings = card.ratings;
    fig.kpis(box, [
      ["Hồ sơ đã hỗ trợ nộp", number(card.submissions)],
      ["Tỷ lệ toàn trình", hcc.formatPercent(card.full_online_share)],
      ["Điểm hài lòng", ratings.count ? ratings.average.toLocaleString("vi-VN") + "/5" : "Chưa có"],
      ["Lượt đánh giá", number(ratings.count)]
    ]).id = "scorecard-kpis";
    fig.target(box, card.full_online_share, card.target_full_online_share, card.submissions);
    var items = card.months.map(function (m) {
      return { label: month(m.month), count: m.submissions, full: m.full_online };
    });
    fig.bars(box, "scorecard-chart-caption", "Số hồ sơ mỗi tháng", items, [0, 3, 6, 9, 11]);
    var details = add(box, "details");
    add(details, "summary", "Bảng số liệu theo tháng");
    fig.table(details, "Số hồ sơ theo tháng", ["Tháng", "Hồ sơ", "Toàn trình", "Tỷ lệ toàn trình"],
      card.months.map(function (m) {
        return [month(m.month), number(m.submissions), number(m.full_online),
          m.submissions ? hcc.formatPercent(m.full_online / m.submissions) : "–"];
      }), [false, true, true, true]);
    add(box, "h3", "Đánh giá của người dân");
    if (!ratings.count) { add(box, "p", "Chưa có lượt đánh giá nào trong 12 tháng qua."); return; }
    fig.table(box, "Số lượt đánh giá theo mức (" + number(ratings.count) + " lượt, điểm trung bình " +
      ratings.average.toLocaleString("vi-VN") + "/5)", ["Mức", "Lượt"],
      [5, 4, 3, 2, 1].map(function (s) { return [s + " sao", number(ratings.by_stars[s - 1])]; }), [false, true]);
  }

  function loadScorecard() {
    var box = $("agent-scorecard");
    box.setAttribute("aria-busy", "true");
    return hcc.request("GET", "/agents/" + encodeURIComponent(agent.id) + "/scorecard").then(function (r) {
      box.removeAttribute("aria-busy");
      if (r.ok) renderScorecard(r.data);
      else box.textContent = "Không tải được kết quả hoạt động (mã lỗi " + r.status + ").";
    }, function () {
      box.removeAttribute("aria-busy");
      box.textContent = hcc.UNREACHABLE;
    });
  }

  /* --- Rating form ------------------------------------------------------------------------- */

  var button = $("rating-submit");
  var result = $("rating-result");

  function read() {
    var code = form.elements.namedItem("dossier_code").value.trim();
    var chosen = form.querySelector('input[name="stars"]:checked');
    var comment = form.elements.namedItem("comment").value.trim();
    var problems = [];
    if (!code) problems.push({ key: "dossier_code", message: "Vui lòng nhập mã hồ sơ." });
    else if (!DOSSIER.test(code)) {
      problems.push({ key: "dossier_code", message: "Mã hồ sơ gồm chữ, số và các dấu . - /, dài từ 6 đến 60 ký tự." });
    }
    if (!chosen) problems.push({ key: "stars", message: "Vui lòng chọn mức độ hài lòng." });
    var body = { dossier_code: code, stars: chosen ? Number(chosen.value) : null, agent_id: agent.id };
    if (comment) body.comment = comment;
    return { body: body, problems: problems };
  }

  function rejected(response) {
    var data = response.data || {};
    if (response.status === 409) {
      hcc.showErrors(form, { extra: [{ key: "dossier_code", message: "Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần." }] }, { title: TITLE });
    } else if (response.status === 422) {
      var extra = (data.extra || []).map(function (item) {
        var field = hcc.fieldOf(item.key);
        return { key: field === "agent_id" ? "dossier_code" : field, message: ERRORS[field] || hcc.say(item.message, "Thông tin chưa hợp lệ.") };
      });
      hcc.showErrors(form, { extra: extra }, { title: TITLE });
    } else if (response.status === 429) {
      hcc.showErrors(form, {}, { title: TITLE, detailFallback: "Bạn đã gửi nhiều lần trong một phút. Vui lòng thử lại sau ít phút." });
    } else {
      hcc.showErrors(form, {}, { title: TITLE, detailFallback: "Máy chủ báo lỗi (mã " + response.status + "). Vui lòng thử lại sau hoặc gọi 1022." });
    }
  }

  function confirmed(rating) {
    result.textContent = "";
    var box = add(result, "div", "", "hcc-result-box");
    box.id = "rating-confirmation";
    box.tabIndex = -1;
    add(box, "h3", "Cảm ơn bạn đã đánh giá!");
    add(box, "p", "Trung tâm đã ghi nhận đánh giá " + rating.stars + " sao của bạn cho hồ sơ " + rating.dossier_code +
      " (đại lý " + rating.agent_name + ").");
    if (rating.comment) add(box, "p", "Nhận xét đã lưu: " + rating.comment);
    if (rating.stars <= 2) add(box, "p", "Nếu bạn bị thu phí hoặc cần hỗ trợ thêm, hãy gọi đường dây nóng 1022.");
    form.reset();
    box.focus();
    loadScorecard();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!agent || button.disabled) return;
    hcc.clearErrors(form);
    result.textContent = "";
    var input = read();
    if (input.problems.length) { hcc.showErrors(form, { extra: input.problems }, { title: TITLE }); return; }
    hcc.busy(button, true);
    hcc.request("POST", "/ratings", { body: input.body }).then(function (response) {
      hcc.busy(button, false);
      if (response.status === 201) confirmed(response.data); else rejected(response);
    }, function () {
      hcc.busy(button, false);
      hcc.showErrors(form, {}, { title: TITLE, detailFallback: hcc.UNREACHABLE });
    });
  });

  /* --- Start ------------------------------------------------------------------------------- */

  hcc.reveal();
  var id = (new URLSearchParams(window.location.search).get("id") || "").trim();
  if (!id) {
    missing("Chưa chọn đại lý.");
    return;
  }
  hcc.request("GET", "/agents/" + encodeURIComponent(id)).then(function (response) {
    if (response.status === 404) {
      missing("Không tìm thấy đại lý " + id + ": mã chưa đúng, hoặc đại lý đã ngừng hoạt động.");
      return null;
    }
    if (!response.ok) {
      missing("Không tải được thông tin đại lý (mã lỗi " + response.status + ").");
      return null;
    }
    agent = response.data;
    return names().then(render);
  }, function () {
    status.textContent = "";
  });
})();
