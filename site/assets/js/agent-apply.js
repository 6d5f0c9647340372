/* The agent application page (dai-ly/dang-ky): fills wards and fields, checks the form,
 * POSTs it to ${api}/applications and shows the id and the status secret once. */
(function () {
  "use strict";

  var hcc = window.hccApi;
  var form = document.getElementById("apply-form");
  if (!hcc || !form) return;

  var DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  var DAY_NAMES = {
    mon: "Thứ Hai", tue: "Thứ Ba", wed: "Thứ Tư", thu: "Thứ Năm", fri: "Thứ Sáu",
    sat: "Thứ Bảy", sun: "Chủ nhật"
  };
  var TAX_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  var FALLBACKS = {
    business_name: "Tên doanh nghiệp chưa hợp lệ.",
    kind: "Loại hình chưa hợp lệ.",
    tax_code: "Mã số thuế chưa hợp lệ.",
    legal_representative: "Tên người đại diện chưa hợp lệ.",
    address: "Địa chỉ chưa hợp lệ.",
    ward_code: "Xã, phường chưa hợp lệ.",
    lat: "Vĩ độ chưa hợp lệ.",
    lon: "Kinh độ chưa hợp lệ.",
    phone: "Số điện thoại chưa hợp lệ.",
    email: "Địa chỉ thư điện tử chưa hợp lệ.",
    opening_hours: "Giờ mở cửa chưa hợp lệ.",
    staff_count: "Số nhân viên chưa hợp lệ.",
    equipment: "Mô tả trang thiết bị chưa hợp lệ.",
    fields: "Lĩnh vực chưa hợp lệ."
  };
  var wards = {};

  function el(name) { return form.elements.namedItem(name); }
  function value(name) { return (el(name).value || "").trim(); }

  /* --- Wards, fields ------------------------------------------------------------------- */

  function fillWards(list) {
    var select = el("ward_code");
    select.textContent = "";
    var first = document.createElement("option");
    first.value = "";
    first.textContent = "— Chọn xã, phường —";
    select.appendChild(first);
    list.slice().sort(function (a, b) { return a.name.localeCompare(b.name, "vi"); }).forEach(function (ward) {
      wards[ward.code] = ward;
      var option = document.createElement("option");
      option.value = ward.code;
      option.textContent = ward.name;
      select.appendChild(option);
    });
  }

  function fillFields(list) {
    var box = document.getElementById("apply-fields");
    box.textContent = "";
    list.forEach(function (field) {
      var wrap = document.createElement("div");
      wrap.className = "hcc-check";
      var input = document.createElement("input");
      input.type = "checkbox";
      input.name = "fields";
      input.value = field.slug;
      input.id = "apply-fields-" + field.slug;
      var label = document.createElement("label");
      label.htmlFor = input.id;
      label.textContent = field.name;
      wrap.appendChild(input);
      wrap.appendChild(label);
      box.appendChild(wrap);
    });
  }

  function assetFailed(what, container) {
    var p = document.createElement("p");
    p.className = "hcc-alert hcc-alert--error";
    p.textContent = "Không tải được danh sách " + what + ". Vui lòng tải lại trang hoặc gọi 1022.";
    container.appendChild(p);
  }

  /* --- Position ------------------------------------------------------------------------ */

  var locateStatus = document.getElementById("apply-locate-status");

  function round6(x) { return Math.round(x * 1e6) / 1e6; }

  function locate() {
    if (!navigator.geolocation) {
      locateStatus.textContent = "Trình duyệt này không hỗ trợ lấy vị trí. Hãy nhập vĩ độ, kinh độ.";
      return;
    }
    locateStatus.textContent = "Đang lấy vị trí…";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        el("lat").value = round6(position.coords.latitude);
        el("lon").value = round6(position.coords.longitude);
        locateStatus.textContent = "Đã điền vị trí hiện tại (sai số khoảng " +
          Math.round(position.coords.accuracy) + " m).";
      },
      function (error) {
        locateStatus.textContent = error.code === 1
          ? "Bạn chưa cho phép trang này lấy vị trí. Hãy cho phép trong trình duyệt, hoặc nhập vĩ độ, kinh độ."
          : "Không lấy được vị trí. Hãy thử lại hoặc nhập vĩ độ, kinh độ.";
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
    );
  }

  function wardPicked() {
    var ward = wards[el("ward_code").value];
    if (!ward || value("lat") || value("lon")) return;
    el("lat").value = ward.lat;
    el("lon").value = ward.lon;
    locateStatus.textContent = "Đã điền tạm tọa độ trung tâm " + ward.name +
      ". Hãy chỉnh lại cho đúng vị trí địa điểm tiếp đón.";
  }

  /* --- Reading and checking the form ---------------------------------------------------- */

  function taxCodeProblem(code) {
    var m = /^(\d{10})(?:-(\d{3}))?$/.exec(code);
    if (!m) return "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu “-” và 3 chữ số (chi nhánh).";
    var sum = 0;
    for (var i = 0; i < 9; i++) sum += parseInt(m[1][i], 10) * TAX_WEIGHTS[i];
    var r = sum % 11;
    if (r === 0 || 10 - r !== parseInt(m[1][9], 10)) return "Mã số thuế không đúng (sai chữ số kiểm tra).";
    if (m[2] === "000") return "Mã chi nhánh (3 chữ số cuối) phải từ 001 đến 999.";
    return null;
  }

  /* Mirrors agents_registry.validation.normalize_phone: a mobile (0[35789] + 8 digits) or a
   * landline (02 + 9 digits), written with spaces, dots, dashes, brackets or +84. */
  function vietnamesePhone(text) {
    var raw = text.replace(/[\s.()-]/g, "");
    if (raw.indexOf("+84") === 0) raw = "0" + raw.slice(3);
    else if (raw.indexOf("84") === 0 && (raw.length === 11 || raw.length === 12)) raw = "0" + raw.slice(2);
    return /^0[35789]\d{8}$/.test(raw) || /^02\d{9}$/.test(raw);
  }

  /* Returns {body, problems}: the JSON to send and client-side problems in the API's shape. */
  function read() {
    var problems = [];
    function problem(key, message) { problems.push({ key: key, message: message }); }
    function required(name, message) { if (!value(name)) problem(name, message); }

    required("business_name", "Nhập tên doanh nghiệp.");
    if (!value("kind")) problem("kind", "Chọn loại hình doanh nghiệp.");
    var tax = value("tax_code").replace(/\s+/g, "");
    if (!tax) problem("tax_code", "Nhập mã số thuế.");
    else if (taxCodeProblem(tax)) problem("tax_code", taxCodeProblem(tax));
    required("legal_representative", "Nhập họ và tên người đại diện theo pháp luật.");
    required("address", "Nhập địa chỉ nơi tiếp đón người dân.");
    if (!value("ward_code")) problem("ward_code", "Chọn xã, phường.");

    var lat = parseFloat(value("lat"));
    var lon = parseFloat(value("lon"));
    if (!value("lat") || !isFinite(lat) || lat < -90 || lat > 90) problem("lat", "Nhập vĩ độ từ -90 đến 90 (ví dụ 21.0285).");
    if (!value("lon") || !isFinite(lon) || lon < -180 || lon > 180) problem("lon", "Nhập kinh độ từ -180 đến 180 (ví dụ 105.8542).");

    var phone = value("phone");
    if (!phone) problem("phone", "Nhập số điện thoại.");
    else if (!/^[0-9 .()+-]{6,20}$/.test(phone) || !vietnamesePhone(phone)) {
      problem("phone", "Nhập số di động 10 chữ số (ví dụ 0912 345 678) hoặc số cố định 11 chữ số bắt đầu bằng 02 (ví dụ 024 3825 1234).");
    }
    var email = value("email");
    if (!email) problem("email", "Nhập địa chỉ thư điện tử.");
    else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) problem("email", "Địa chỉ thư điện tử chưa đúng, ví dụ ten@congty.vn.");

    var hours = {};
    var open = 0;
    DAYS.forEach(function (day) {
      var parsed = window.hccApi.parseRanges(value("opening_hours." + day));
      hours[day] = parsed.ranges || [];
      open += hours[day].length;
      if (parsed.error) problem("opening_hours." + day, parsed.error);
    });
    if (!open && !problems.some(function (p) { return p.key.indexOf("opening_hours") === 0; })) {
      problem("opening_hours", "Ghi giờ mở cửa cho ít nhất một ngày.");
    }

    var staff = value("staff_count");
    if (!/^\d+$/.test(staff) || +staff < 1 || +staff > 1000) problem("staff_count", "Nhập số nhân viên (số nguyên từ 1 đến 1000).");
    if (value("equipment").length < 2) problem("equipment", "Mô tả trang thiết bị phục vụ người dân.");

    var fields = Array.prototype.filter.call(form.querySelectorAll('input[name="fields"]'), function (c) {
      return c.checked;
    }).map(function (c) { return c.value; });
    if (!fields.length) problem("fields", "Chọn ít nhất một lĩnh vực.");
    if (!el("commitment").checked) problem("commitment", "Bạn cần đồng ý với các cam kết của đại lý.");

    return {
      problems: problems,
      body: {
        business_name: value("business_name"),
        kind: value("kind"),
        tax_code: tax,
        legal_representative: value("legal_representative"),
        address: value("address"),
        ward_code: value("ward_code"),
        lat: lat,
        lon: lon,
        phone: phone,
        email: email,
        opening_hours: hours,
        staff_count: parseInt(staff, 10),
        equipment: value("equipment"),
        fields: fields
      }
    };
  }

  function dayLabel(key) {
    var day = key.split(".")[1];
    return DAY_NAMES[day] || "";
  }

  function showErrors(body, extra) {
    var options = { fallbacks: FALLBACKS, labelFor: dayLabel };
    for (var k in extra) options[k] = extra[k];
    hcc.showErrors(form, body, options);
  }

  /* --- Submitting ------------------------------------------------------------------------ */

  function success(data) {
    var section = document.getElementById("apply-section");
    var result = document.getElementById("apply-result");
    document.getElementById("apply-result-id").textContent = data.id;
    document.getElementById("apply-result-secret").textContent = data.secret;
    document.getElementById("apply-track-link").href =
      hcc.siteBase + "/dai-ly/tra-cuu/?id=" + encodeURIComponent(data.id);
    form.reset();
    section.hidden = true;
    result.hidden = false;
    result.focus();
    document.getElementById("apply-copy").addEventListener("click", function () {
      var text = "Mã đơn: " + data.id + "\nMã bí mật: " + data.secret;
      var status = document.getElementById("apply-copy-status");
      if (!navigator.clipboard) { status.textContent = "Trình duyệt không cho phép sao chép; hãy chép tay hai mã trên."; return; }
      navigator.clipboard.writeText(text).then(
        function () { status.textContent = "Đã sao chép."; },
        function () { status.textContent = "Không sao chép được; hãy chép tay hai mã trên."; }
      );
    });
  }

  function failure(response) {
    var body = response.data || {};
    if (response.status === 409) {
      if (!body.extra || !body.extra.length) body.extra = [{ key: "tax_code", message: "" }];
      showErrors(body, {
        fallbacks: { tax_code: "Mã số thuế này đã được dùng cho một đơn đăng ký hoặc đại lý khác." },
        title: "Mã số thuế đã được đăng ký.",
        detailFallback: "Nếu doanh nghiệp đã gửi đơn, hãy tra cứu đơn cũ thay vì gửi lại."
      });
    } else if (response.status === 429) {
      var wait = response.headers.get("Retry-After");
      showErrors({ detail: "" }, {
        title: "Bạn đã gửi quá nhiều yêu cầu.",
        detailFallback: "Vui lòng thử lại sau" + (wait && /^\d+$/.test(wait) ? " khoảng " + Math.ceil(wait / 60) + " phút." : " ít phút.")
      });
    } else if (response.status >= 500) {
      showErrors({ detail: "" }, {
        title: "Máy chủ đang gặp sự cố.",
        detailFallback: "Đơn chưa được ghi nhận. Vui lòng thử lại sau hoặc gọi 1022."
      });
    } else {
      showErrors(body, { detailFallback: "Một số thông tin chưa hợp lệ." });
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = document.getElementById("apply-submit");
    if (button.disabled) return;
    var input = read();
    if (input.problems.length) {
      showErrors({ detail: "", extra: input.problems }, {});
      return;
    }
    hcc.clearErrors(form);
    hcc.busy(button, true);
    hcc.request("POST", "/applications", { body: input.body }).then(function (response) {
      hcc.busy(button, false);
      if (response.status === 201 || (response.ok && response.data && response.data.secret)) success(response.data);
      else failure(response);
    }, function () {
      hcc.busy(button, false);
      showErrors({ detail: "" }, { title: "Chưa gửi được đơn.", detailFallback: hcc.UNREACHABLE });
    });
  });

  document.getElementById("apply-locate").addEventListener("click", locate);
  el("ward_code").addEventListener("change", wardPicked);

  hcc.reveal();
  hcc.asset("wards.json").then(fillWards, function () {
    el("ward_code").options[0].textContent = "— Không tải được danh sách —";
    assetFailed("xã, phường", el("ward_code").parentNode);
  });
  hcc.asset("fields.json").then(fillFields, function () {
    var box = document.getElementById("apply-fields");
    box.textContent = "";
    assetFailed("lĩnh vực", box);
  });
  hcc.probe();
})();
