"""The demo's vocabulary: Hanoi's districts and streets, names, reasons, notes, kinds of agent,
and the calendar (weekly and seasonal demand, Tết, public holidays, night hours).

Street names are real; everything else is invented to look plausible.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from agents_registry.models import AgentKind


def words(text: str, sep: str = "|") -> list[str]:
    return [word.strip() for word in text.strip().split(sep)]


INNER = {
    f"Quận {n}"
    for n in words(
        "Hoàn Kiếm|Ba Đình|Đống Đa|Hai Bà Trưng|Cầu Giấy|Thanh Xuân|Tây Hồ|Hoàng Mai|Long Biên|Nam Từ Liêm|Bắc Từ Liêm|Hà Đông"
    )
}
REMOTE = {
    f"Huyện {n}"
    for n in words(
        "Ba Vì|Mỹ Đức|Ứng Hòa|Phú Xuyên|Sóc Sơn|Thạch Thất|Quốc Oai|Chương Mỹ|Phúc Thọ|Thường Tín|Thanh Oai|Mê Linh"
    )
}
# Real street names of each former district (the house numbers are invented).
STREETS = {
    line.split(":")[0]: words(line.split(":")[1])
    for line in words(
        """
Quận Hoàn Kiếm: phố Hàng Bài|phố Tràng Tiền|phố Hàng Gai|phố Hàng Bông|phố Lý Thường Kiệt|phố Bà Triệu|phố Hàng Đào|phố Phan Chu Trinh|phố Quang Trung|phố Trần Hưng Đạo|phố Hàng Bạc
Quận Ba Đình: phố Kim Mã|phố Đội Cấn|phố Liễu Giai|phố Nguyễn Thái Học|phố Giảng Võ|phố Văn Cao|phố Hoàng Hoa Thám|phố Quán Thánh|phố Ngọc Hà|phố Đào Tấn
Quận Đống Đa: đường Tôn Đức Thắng|phố Nguyễn Lương Bằng|phố Xã Đàn|phố Tây Sơn|phố Chùa Bộc|phố Thái Hà|đường Láng|phố Khâm Thiên|phố Phạm Ngọc Thạch|phố Hoàng Cầu|phố Đào Duy Anh
Quận Hai Bà Trưng: phố Bạch Mai|phố Minh Khai|phố Lò Đúc|phố Huế|phố Đại Cồ Việt|phố Trần Khát Chân|phố Kim Ngưu|phố Thanh Nhàn|phố Lê Thanh Nghị|phố Tạ Quang Bửu
Quận Cầu Giấy: đường Cầu Giấy|đường Xuân Thủy|đường Trần Duy Hưng|phố Nguyễn Khánh Toàn|đường Hoàng Quốc Việt|phố Trần Thái Tông|phố Duy Tân|phố Nguyễn Phong Sắc|phố Trung Kính|phố Hoàng Đạo Thúy
Quận Thanh Xuân: đường Nguyễn Trãi|phố Khuất Duy Tiến|phố Lê Văn Lương|phố Nguyễn Tuân|phố Vũ Trọng Phụng|phố Quan Nhân|phố Khương Đình|đường Nguyễn Xiển|phố Hoàng Văn Thái|đường Kim Giang
Quận Tây Hồ: đường Lạc Long Quân|đường Âu Cơ|phố Xuân Diệu|phố Tô Ngọc Vân|phố Thụy Khuê|đường Võ Chí Công|phố Nghi Tàm|phố Đặng Thai Mai|phố Quảng An
Quận Hoàng Mai: đường Giải Phóng|phố Tam Trinh|đường Lĩnh Nam|phố Nguyễn Đức Cảnh|phố Trương Định|phố Định Công|phố Tân Mai|phố Bằng Liệt|phố Vĩnh Hưng|đường Nguyễn Hữu Thọ
Quận Long Biên: đường Nguyễn Văn Cừ|phố Ngọc Lâm|đường Nguyễn Văn Linh|phố Ngô Gia Tự|đường Cổ Linh|phố Thạch Bàn|phố Phúc Lợi|phố Nguyễn Sơn|phố Đức Giang
Quận Bắc Từ Liêm: đường Phạm Văn Đồng|đường Cổ Nhuế|phố Tân Xuân|phố Hoàng Công Chất|phố Văn Tiến Dũng|phố Phú Diễn|đường Tây Tựu|đường Thượng Cát|phố Đức Thắng|phố Trần Cung
Quận Nam Từ Liêm: đường Hồ Tùng Mậu|đường Mỹ Đình|phố Lê Đức Thọ|phố Lê Quang Đạo|phố Nguyễn Hoàng|phố Hàm Nghi|phố Trần Hữu Dực|phố Miêu Nha|phố Mễ Trì|đường Xuân Phương
Quận Hà Đông: đường Quang Trung|đường Trần Phú|phố Tô Hiệu|phố Lê Trọng Tấn|đường Tố Hữu|phố Ba La|phố Vạn Phúc|phố Lê Lợi|phố Bà Triệu|đường Chiến Thắng
Huyện Thanh Trì: đường Ngọc Hồi|đường Phan Trọng Tuệ|đường Tựu Liệt|đường Cầu Bươu|đường Nguyễn Xiển|đường Tứ Hiệp
Thị xã Sơn Tây: phố Lê Lợi|phố Phùng Khắc Khoan|phố Quang Trung|phố Ngô Quyền|phố Phó Đức Chính|phố Chùa Thông
""",
        "\n",
    )
}
VILLAGES = words(
    "Thôn Đông|Thôn Đoài|Thôn Trung|Thôn Thượng|Thôn Hạ|Thôn Bắc|Thôn Nam|Thôn 1|Thôn 2|Thôn 3|Thôn 4|Thôn 5|Thôn 6"
)
TRADE_FIRST = words(
    "Minh|Hoàng|Phúc|An|Thành|Việt|Hồng|Tâm|Kim|Gia|Hải|Nam|Quang|Thiên|Trường|Ngọc|Hưng|Đông|Nhật|Phương|Bảo|Đức|Tiến|Sao"
)
TRADE_SECOND = words(
    "Anh|Long|Phát|Thịnh|Đạt|Khang|Tín|Lộc|Mai|Phú|An|Việt|Hà|Hưng|Lan|Tâm|Thành|Minh"
)
SURNAMES = words(
    "Nguyễn|Nguyễn|Nguyễn|Trần|Trần|Lê|Lê|Phạm|Hoàng|Phan|Vũ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Đinh|Trịnh"
)
MIDDLE = words("Văn|Thị|Đức|Minh|Ngọc|Thu|Thanh|Hữu|Quang|Thị Thu|Hoàng|Xuân|Thị Hồng")
GIVEN = words(
    "Anh|Bình|Cường|Dũng|Giang|Hà|Hải|Hạnh|Hiếu|Hoa|Hùng|Hương|Lan|Linh|Long|Mai|Minh|Nam|Ngọc|Phương|Quân|Sơn|Thảo|Thắng|Trang|Tú|Tuấn|Vân|Yến"
)
BANKS = words("Agribank|BIDV|Vietcombank|VietinBank|LPBank|MB|SHB")
EQUIPMENT = words(
    """
02 máy tính kết nối Internet cáp quang, 01 máy in, 01 máy quét
03 máy tính, 01 máy in đa năng, 01 máy quét tài liệu, Wi-Fi cho người dân
01 máy tính, 01 máy in, 01 máy quét, camera an ninh
04 máy tính, 02 máy in, 01 máy quét hai mặt, khu chờ 10 chỗ ngồi""",
    "\n",
)
SUSPENSION_REASONS = words(
    """
Thu tiền của người dân khi hỗ trợ nộp hồ sơ, trái quy định miễn phí
Doanh nghiệp đề nghị tạm ngừng hoạt động đại lý để sửa chữa mặt bằng
Ghi nhận hồ sơ không khớp với dữ liệu hồ sơ chính thức, đang xác minh""",
    "\n",
)
REJECTION_REASONS = words(
    """
Mặt bằng và trang thiết bị chưa đáp ứng yêu cầu tối thiểu của đại lý
Chưa bố trí nhân sự đã được tập huấn nghiệp vụ dịch vụ công trực tuyến
Địa điểm trùng khu vực đã có đại lý hoạt động hiệu quả; đề nghị chọn địa bàn khác
Thông tin người đại diện theo pháp luật không khớp với đăng ký doanh nghiệp""",
    "\n",
)
NOTES = words(
    """
Hỗ trợ thanh toán lệ phí trực tuyến
Người dân nhận kết quả qua dịch vụ bưu chính
Hướng dẫn kích hoạt tài khoản định danh điện tử mức 2
Số hóa giấy tờ từ bản chính
Người cao tuổi, hỗ trợ kê khai toàn bộ""",
    "\n",
)


class KindProfile(NamedTuple):
    core_weight: float  # relative frequency in the urban core
    weight: float  # ... elsewhere
    activity: float  # relative submissions per day
    fields: list[str]  # always supported
    optional: list[str]  # some of these
    optional_count: tuple[int, int]


def _profile(line: str) -> tuple[AgentKind, KindProfile]:
    kind, core_weight, weight, activity, fields, optional, low, high = line.split()
    return AgentKind(kind), KindProfile(
        float(core_weight),
        float(weight),
        float(activity),
        fields.split(","),
        optional.split(","),
        (int(low), int(high)),
    )


# kind, weight in the urban core, elsewhere, activity, fields, optional fields, how many optional
KINDS = dict(
    _profile(line)
    for line in words(
        """
post_office      20 45 1.3 ho-tich,cu-tru,can-cuoc,bao-tro-xa-hoi chung-thuc,nguoi-co-cong,ly-lich-tu-phap,xuat-nhap-canh,giao-thong,dat-dai,ho-kinh-doanh,lao-dong,giao-duc,thue 4 9
viettel_post     12 14 1.1 ho-tich,cu-tru,can-cuoc ly-lich-tu-phap,giao-thong,xuat-nhap-canh,ho-kinh-doanh,lao-dong 2 5
telecom_shop     14 13 0.8 can-cuoc,cu-tru ho-tich,giao-thong,xuat-nhap-canh,ly-lich-tu-phap 1 4
electronics_shop  7  4 0.6 can-cuoc cu-tru,ho-tich,giao-thong 1 3
notary_office    11  4 1.2 chung-thuc,ho-tich dat-dai,tu-phap-khac,ly-lich-tu-phap 1 3
law_office        9  2 0.7 doanh-nghiep,ho-kinh-doanh dau-tu,lao-dong,dat-dai,tu-phap-khac,thue,ly-lich-tu-phap,xuat-nhap-canh 2 5
bank             10  7 0.6 ho-kinh-doanh,thue doanh-nghiep,dat-dai,bao-tro-xa-hoi,lao-dong 1 3
print_shop       17 11 0.9 chung-thuc,cu-tru ho-tich,can-cuoc,giao-duc,ly-lich-tu-phap,giao-thong 1 4""",
        "\n",
    )
)
WEEKDAY = (1.15, 1.05, 1.0, 1.0, 0.95, 0.5, 0.15)
MONTH = (1.0, 0.9, 1.05, 1.0, 1.0, 1.05, 1.15, 1.35, 1.3, 1.05, 1.0, 1.1)
SCHOOL_FIELDS = {"giao-duc", "cu-tru", "ho-tich"}
# First day of the lunar new year (Tết Nguyên Đán).
TET = [
    dt.date.fromisoformat(d)
    for d in words(
        "2023-01-22|2024-02-10|2025-01-29|2026-02-17|2027-02-06|2028-01-26|2029-02-13|2030-02-03|2031-01-23|2032-02-11"
    )
]
HOLIDAYS = {(1, 1), (4, 30), (5, 1), (9, 2)}
NIGHT = ((22 * 3600, 23 * 3600 + 59 * 60), (4 * 3600 + 30 * 60, 6 * 3600 + 30 * 60))


def tet_factor(day: dt.date) -> float:
    for tet in TET:
        offset = (day - tet).days
        if -10 <= offset <= 13:
            return (
                0.7
                if offset <= -3
                else 0.3
                if offset < 0
                else 0.03
                if offset <= 3
                else 0.3
                if offset <= 6
                else 0.8
            )
    return 1.0


def day_factor(day: dt.date) -> float:
    holiday = 0.1 if (day.month, day.day) in HOLIDAYS else 1.0
    return MONTH[day.month - 1] * WEEKDAY[day.weekday()] * tet_factor(day) * holiday
