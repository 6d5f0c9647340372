"""The demo agent network: a deterministic, ILLUSTRATIVE year of agents and submissions.

Every row written here is marked ``demo = 1`` and is invented, except the geography: agents sit
in Hanoi's real wards (catalog/data/wards.yaml) and report to the real branches, and they file
the catalog's real procedures. Businesses, people, tax codes, phone numbers, dossier codes and
citizen IDs are synthetic. Only agent DL-0001 is modelled on a real one (the first agent opened
at Bưu điện Trung tâm Hoàn Kiếm, 75 Đinh Tiên Hoàng); non-postal kinds of agent are synthetic
(research notes §5). E-mail addresses use the reserved ``.example`` domain so nobody is mailed.

The audit must have something true to find, so the year contains growth of the network, weekly
and seasonal rhythm (Tết, school enrolment), a rising fully-online share with agents that stay
below the target, inactive and suspended agents, bursts, off-hours recording, contested
dossier codes, pending and rejected applications, and rural wards with no agent.

Output depends only on ``seed``, ``today``, the catalog and the context's secret key: "now" is
the start of ``today`` in Hanoi, so the year ends at the last second of yesterday and nothing
lies in the future whatever the time of day the seed runs.
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import itertools
import math
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import msgspec
from sqlite_utils import Database

from agents_registry import store
from agents_registry.applications import check_application
from agents_registry.auth import hash_secret
from agents_registry.context import VIETNAM, Context
from agents_registry.db import write
from agents_registry.errors import Conflict
from agents_registry.geo import position_problem, supervising_branch
from agents_registry.models import AgentKind, ApplicationIn
from agents_registry.validation import CITIZEN_ID_PROVINCES, MOBILE_CARRIERS, tax_code_check_digit
from catalog.models import OnlineLevel, OpeningHours, Procedure, Ward

Progress = Callable[[str, int, int], None]

DEFAULT_SEED = 20250205
SUBMISSIONS_PER_AGENT_YEAR = 330  # calibrates volume: ~170k at the default 520 agents
PENDING, REJECTED, GAP_WARDS, PHASE_ONE = 15, 5, 12, 32
BATCH = 10_000


def _words(text: str, sep: str = "|") -> list[str]:
    return [word.strip() for word in text.strip().split(sep)]


INNER = {
    f"Quận {n}"
    for n in _words(
        "Hoàn Kiếm|Ba Đình|Đống Đa|Hai Bà Trưng|Cầu Giấy|Thanh Xuân|Tây Hồ|Hoàng Mai|Long Biên|Nam Từ Liêm|Bắc Từ Liêm|Hà Đông"
    )
}
REMOTE = {
    f"Huyện {n}"
    for n in _words(
        "Ba Vì|Mỹ Đức|Ứng Hòa|Phú Xuyên|Sóc Sơn|Thạch Thất|Quốc Oai|Chương Mỹ|Phúc Thọ|Thường Tín|Thanh Oai|Mê Linh"
    )
}
# Real street names of each former district (the house numbers are invented).
STREETS = {
    line.split(":")[0]: _words(line.split(":")[1])
    for line in _words(
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
VILLAGES = _words(
    "Thôn Đông|Thôn Đoài|Thôn Trung|Thôn Thượng|Thôn Hạ|Thôn Bắc|Thôn Nam|Thôn 1|Thôn 2|Thôn 3|Thôn 4|Thôn 5|Thôn 6"
)
TRADE_FIRST = _words(
    "Minh|Hoàng|Phúc|An|Thành|Việt|Hồng|Tâm|Kim|Gia|Hải|Nam|Quang|Thiên|Trường|Ngọc|Hưng|Đông|Nhật|Phương|Bảo|Đức|Tiến|Sao"
)
TRADE_SECOND = _words(
    "Anh|Long|Phát|Thịnh|Đạt|Khang|Tín|Lộc|Mai|Phú|An|Việt|Hà|Hưng|Lan|Tâm|Thành|Minh"
)
SURNAMES = _words(
    "Nguyễn|Nguyễn|Nguyễn|Trần|Trần|Lê|Lê|Phạm|Hoàng|Phan|Vũ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Đinh|Trịnh"
)
MIDDLE = _words("Văn|Thị|Đức|Minh|Ngọc|Thu|Thanh|Hữu|Quang|Thị Thu|Hoàng|Xuân|Thị Hồng")
GIVEN = _words(
    "Anh|Bình|Cường|Dũng|Giang|Hà|Hải|Hạnh|Hiếu|Hoa|Hùng|Hương|Lan|Linh|Long|Mai|Minh|Nam|Ngọc|Phương|Quân|Sơn|Thảo|Thắng|Trang|Tú|Tuấn|Vân|Yến"
)
BANKS = _words("Agribank|BIDV|Vietcombank|VietinBank|LPBank|MB|SHB")
EQUIPMENT = _words(
    """
02 máy tính kết nối Internet cáp quang, 01 máy in, 01 máy quét
03 máy tính, 01 máy in đa năng, 01 máy quét tài liệu, Wi-Fi cho người dân
01 máy tính, 01 máy in, 01 máy quét, camera an ninh
04 máy tính, 02 máy in, 01 máy quét hai mặt, khu chờ 10 chỗ ngồi""",
    "\n",
)
SUSPENSION_REASONS = _words(
    """
Thu tiền của người dân khi hỗ trợ nộp hồ sơ, trái quy định miễn phí
Doanh nghiệp đề nghị tạm ngừng hoạt động đại lý để sửa chữa mặt bằng
Ghi nhận hồ sơ không khớp với dữ liệu hồ sơ chính thức, đang xác minh""",
    "\n",
)
REJECTION_REASONS = _words(
    """
Mặt bằng và trang thiết bị chưa đáp ứng yêu cầu tối thiểu của đại lý
Chưa bố trí nhân sự đã được tập huấn nghiệp vụ dịch vụ công trực tuyến
Địa điểm trùng khu vực đã có đại lý hoạt động hiệu quả; đề nghị chọn địa bàn khác
Thông tin người đại diện theo pháp luật không khớp với đăng ký doanh nghiệp""",
    "\n",
)
NOTES = _words(
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
    for line in _words(
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
    for d in _words(
        "2023-01-22|2024-02-10|2025-01-29|2026-02-17|2027-02-06|2028-01-26|2029-02-13|2030-02-03|2031-01-23|2032-02-11"
    )
]
HOLIDAYS = {(1, 1), (4, 30), (5, 1), (9, 2)}
NIGHT = ((22 * 3600, 23 * 3600 + 59 * 60), (4 * 3600 + 30 * 60, 6 * 3600 + 30 * 60))


@dataclass(frozen=True)
class DemoSummary:
    """What ``seed`` wrote (the CLI prints it)."""

    agents: int
    active: int
    suspended: int
    submissions: int
    pending_applications: int
    rejected_applications: int
    contested_claims: int


@dataclass
class _Agent:
    """An agent being planned: its public record, plus how it behaves over the year."""

    number: int
    ward: Ward
    kind: AgentKind
    name: str = ""
    address: str = ""
    lat: float = 0.0
    lon: float = 0.0
    tax_code: str = ""
    phone: str = ""
    email: str = ""
    representative: str = ""
    hours: OpeningHours = field(default_factory=OpeningHours)
    fields: list[str] = field(default_factory=list)
    staff_count: int = 1
    equipment: str = ""
    branch_number: int = 0
    created: dt.datetime = dt.datetime.min
    behaviour: str = "normal"  # inactive | suspended | burst | off_hours | contested
    stop: int | None = None  # day index from which nothing more is recorded
    activity: float = 1.0
    share: tuple[float, float] = (0.1, 0.3)
    application_id: str = ""

    @property
    def id(self) -> str:
        return f"DL-{self.number:04d}"


class _Ids:
    """Uniqueness of generated identifiers across agents and applications."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.parents: dict[str, tuple[str, int]] = {}

    def _fresh(self, make: Callable[[], str | None]) -> str:
        while True:
            value = make()
            if value is not None and value not in self.used:
                self.used.add(value)
                return value

    def _ten_digits(self) -> str | None:
        prefix = f"01{self.rng.randrange(10**7):07d}"
        check = tax_code_check_digit(prefix)
        return None if check is None else f"{prefix}{check}"

    def tax_code(self, chain: str | None) -> str:
        """10 digits for an independent business; parent + '-NNN' for a chain's branch."""
        if chain is None:
            return self._fresh(self._ten_digits)
        if chain not in self.parents:
            self.parents[chain] = (self._fresh(self._ten_digits), self.rng.randrange(1, 40))
        parent, suffix = self.parents[chain]
        self.parents[chain] = (parent, suffix + self.rng.randrange(1, 4))
        return self._fresh(lambda: f"{parent}-{suffix:03d}")

    def phone(self) -> str:
        prefixes = sorted(MOBILE_CARRIERS)
        return self._fresh(lambda: f"{self.rng.choice(prefixes)}{self.rng.randrange(10**7):07d}")

    def unique(self, base: str, sep: str = " ", suffix: str = "") -> str:
        """``base + suffix``, or with a number after ``base`` if that is taken."""
        n = 1
        candidate = base + suffix
        while candidate in self.used:
            n += 1
            candidate = f"{base}{sep}{n}{suffix}"
        self.used.add(candidate)
        return candidate

    def application_id(self) -> str:
        return self._fresh(lambda: f"HS-{self.rng.getrandbits(40):010X}")


def seed(
    db: Database,
    ctx: Context,
    *,
    today: dt.date | None = None,
    seed: int = DEFAULT_SEED,
    agents: int = 520,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill an empty registry with the demo network and return what was written.

    Raises Conflict if the registry already has an agent. "Now" is the start of ``today``
    (default: the context clock's date in Hanoi); the data covers the 365 days before it and
    is a function of ``seed``, ``today``, ``agents``, the catalog and the context's secret key.
    Everything is written in one transaction, with one ``demo.seed`` audit entry per table.
    ``progress(step, done, total)`` is called as each step advances.
    """
    if agents < 1:
        raise ValueError("agents must be at least 1")
    _refuse_if_seeded(db)
    today = today or ctx.now().astimezone(VIETNAM).date()
    report: Progress = progress or (lambda step, done, total: None)
    now = dt.datetime.combine(today, dt.time(), tzinfo=VIETNAM)
    start = today - dt.timedelta(days=365)
    rng = random.Random(f"hcc-demo:{seed}:{today.isoformat()}")
    ids = _Ids(random.Random(rng.getrandbits(64)))
    network = _plan_agents(ctx, random.Random(rng.getrandbits(64)), ids, agents, start, report)
    _assign_behaviour(random.Random(rng.getrandbits(64)), network, start)
    applications = [
        _application_row(ctx, random.Random(rng.getrandbits(64)), ids, a) for a in network
    ]
    others = _other_applications(ctx, random.Random(rng.getrandbits(64)), ids, network, now)
    rows = _submissions(ctx, rng.getrandbits(64), network, start, report)
    claims = _contested(random.Random(rng.getrandbits(64)), network, rows, now)
    agent_rows = [_agent_row(a, start) for a in network]
    suspended = sum(a.behaviour == "suspended" for a in network)
    with write(db):
        _refuse_if_seeded(db)
        for row in applications + others:
            store.insert_application(db, row)
        store.insert_agents(db, agent_rows)
        for i in range(0, len(rows), BATCH):
            store.insert_submissions(db, rows[i : i + BATCH])
            report("Writing submissions", min(i + BATCH, len(rows)), len(rows))
        for dossier_code, claimed_by, owner, at in claims:
            store.insert_contested_claim(db, dossier_code, claimed_by, owner, at)
        counts = {
            "applications": {
                "approved": len(applications),
                "pending": PENDING,
                "rejected": REJECTED,
            },
            "agents": {
                "count": len(network),
                "active": len(network) - suspended,
                "suspended": suspended,
            },
            "submissions": {"count": len(rows)},
            "contested_claims": {"count": len(claims)},
        }
        for entity, after in counts.items():
            store.append_audit(
                db,
                at=now,
                actor="demo",
                action="demo.seed",
                entity=entity,
                entity_id=f"seed-{seed}",
                after={**after, "seed": seed, "today": today.isoformat()},
            )
    return DemoSummary(
        agents=len(network),
        active=len(network) - suspended,
        suspended=suspended,
        submissions=len(rows),
        pending_applications=PENDING,
        rejected_applications=REJECTED,
        contested_claims=len(claims),
    )


def _refuse_if_seeded(db: Database) -> None:
    if store.count_rows(db, "agents"):
        raise Conflict(
            "the registry already has agents; the demo network seeds only an empty one",
            field="agents",
        )


# --- agents ---------------------------------------------------------------------------------


def _short(ward: Ward) -> str:
    return ward.name.split(" ", 1)[1]


def _core(ward: Ward) -> bool:
    return ward.kind == "phường" and ward.former_district in INNER


def _allocate(rng: random.Random, wards: list[Ward], total: int) -> list[Ward]:
    """Ward of each agent: several per urban-core ward, fewer per commune, none in some."""
    remote = sorted(
        (w for w in wards if w.kind == "xã" and w.former_district in REMOTE), key=lambda w: w.code
    )
    gaps = {w.code for w in rng.sample(remote, min(GAP_WARDS, len(remote)))}
    weights = {
        w.code: (8.0 if _core(w) else 4.0 if w.kind == "phường" else 2.2) * rng.uniform(0.75, 1.25)
        for w in wards
        if w.code not in gaps
    }
    scale = total / sum(weights.values())
    counts = {code: int(weight * scale) for code, weight in weights.items()}
    by_remainder = sorted(weights, key=lambda c: (-(weights[c] * scale - counts[c]), c))
    for code in by_remainder[: total - sum(counts.values())]:
        counts[code] += 1
    return [w for w in wards for _ in range(counts.get(w.code, 0))]


def _plan_agents(
    ctx: Context, rng: random.Random, ids: _Ids, total: int, start: dt.date, report: Progress
) -> list[_Agent]:
    catalog = ctx.catalog
    first_ward = catalog.ward("00070")
    assert first_ward is not None
    placed = _allocate(rng, catalog.wards, total - 1)
    agents = [_Agent(number=0, ward=w, kind=_pick_kind(rng, w)) for w in placed]
    # Approval order: the postal partners' phase 1 first, then the others over the year (growth).
    rng.shuffle(agents)
    postal = (AgentKind.POST_OFFICE, AgentKind.VIETTEL_POST)
    phase_one = {id(a) for a in [a for a in agents if a.kind in postal][: PHASE_ONE - 1]}
    agents.sort(key=lambda a: id(a) not in phase_one)
    agents.insert(0, _Agent(number=0, ward=first_ward, kind=AgentKind.POST_OFFICE))
    workdays = [
        d
        for d in (start + dt.timedelta(days=i) for i in range(365))
        if d.weekday() < 5 and (d.month, d.day) not in HOLIDAYS and _tet_factor(d) > 0.5
    ]
    offsets = sorted(
        min(i // 7, 4) if i < PHASE_ONE else 5 + int((len(workdays) - 6) * rng.random() ** 2)
        for i in range(len(agents))
    )
    approvals = sorted(
        dt.datetime.combine(workdays[offset], dt.time(8), tzinfo=VIETNAM)
        + dt.timedelta(seconds=rng.randrange(9 * 3600))
        for offset in offsets
    )
    for i, (agent, approved) in enumerate(zip(agents, approvals, strict=True)):
        agent.number, agent.created = i + 1, approved
        _describe(ctx, rng, ids, agent)
        report("Planning agents", i + 1, len(agents))
    return agents


def _pick_kind(rng: random.Random, ward: Ward) -> AgentKind:
    kinds = list(KINDS)
    weights = [KINDS[k].core_weight if _core(ward) else KINDS[k].weight for k in kinds]
    return rng.choices(kinds, weights=weights)[0]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _slug(text: str) -> str:
    ascii_text = (
        unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
        .encode("ascii", "ignore")
        .decode()
    )
    return ".".join("".join(c if c.isalnum() else " " for c in ascii_text.lower()).split())


def _place(rng: random.Random, ward: Ward) -> tuple[str | None, str]:
    """(the street, if the address is on a named one; the full address) in ``ward``."""
    label = f"{ward.kind} {_short(ward)}"
    streets = STREETS.get(ward.former_district or "")
    if streets and (ward.kind == "phường" or rng.random() < 0.3):
        street = rng.choice(streets)
        lane = f"ngõ {rng.randrange(2, 200)} " if rng.random() < 0.25 else ""
        return street.split(" ", 1)[1], f"Số {rng.randrange(1, 250)} {lane}{street}, {label}"
    if ward.kind == "phường":
        return None, f"Số {rng.randrange(1, 120)}, tổ dân phố {rng.randrange(1, 25)}, {label}"
    return None, f"{rng.choice(VILLAGES)}, {label}"


def _trade(rng: random.Random) -> str:
    """A shop's trade name: two auspicious words, as in "Phúc Lộc" or "Hồng Phát"."""
    first = rng.choice(TRADE_FIRST)
    return f"{first} {rng.choice([w for w in TRADE_SECOND if w != first])}"


def _name(
    rng: random.Random, agent: _Agent, street: str | None, taken: set[str]
) -> tuple[str, str | None]:
    """(business name, chain) of an agent: chains name a branch after its street or ward."""
    ward, kind, short = agent.ward, agent.kind, _short(agent.ward)
    where = street or short
    if kind is AgentKind.POST_OFFICE:
        name = f"Bưu điện văn hóa xã {short}" if ward.kind == "xã" else f"Bưu cục {short}"
        if name in taken and street:
            name = f"Bưu cục {street}"
        elif name in taken and ward.kind == "xã":
            spot = agent.address.split(",")[0]
            name = f"{name} - điểm {spot[0].lower()}{spot[1:]}"
        return name, "vnpost-hanoi"
    if kind is AgentKind.VIETTEL_POST:
        return f"Bưu cục Viettel Post {where}", "viettelpost"
    if kind is AgentKind.BANK:
        bank = "Agribank" if ward.kind == "xã" and rng.random() < 0.6 else rng.choice(BANKS)
        return f"{bank} - Phòng giao dịch {where}", _slug(bank)
    if kind is AgentKind.TELECOM_SHOP and rng.random() < 0.7:
        brand = rng.choice(["Viettel", "VinaPhone", "MobiFone"])
        return f"Cửa hàng {brand} {where}", _slug(brand)
    for _ in range(5):  # independent businesses: another trade name rather than "... 2"
        if kind is AgentKind.LAW_OFFICE and rng.random() < 0.5:
            name = f"Văn phòng luật sư {_person(rng)}"
        else:
            prefix = {
                AgentKind.TELECOM_SHOP: "Cửa hàng điện thoại",
                AgentKind.ELECTRONICS_SHOP: "Cửa hàng điện máy",
                AgentKind.NOTARY_OFFICE: "Văn phòng công chứng",
                AgentKind.LAW_OFFICE: "Công ty Luật TNHH",
            }.get(kind) or rng.choice(["Photocopy", "Dịch vụ văn phòng", "In ấn - Photocopy"])
            name = f"{prefix} {_trade(rng)}"
        if name not in taken:
            break
    return name, None


def _describe(ctx: Context, rng: random.Random, ids: _Ids, agent: _Agent) -> None:
    """Name, address, position, identifiers, hours and fields, from the agent's ward and kind."""
    ward, kind = agent.ward, agent.kind
    street, agent.address = _place(rng, ward)
    chain: str | None
    if agent.number == 1:
        agent.address = "Số 75 phố Đinh Tiên Hoàng, phường Hoàn Kiếm"
        name, chain = "Bưu điện Trung tâm Hoàn Kiếm", "vnpost-hanoi"
    else:
        name, chain = _name(rng, agent, street, ids.used)
    agent.name = ids.unique(name)
    agent.tax_code = ids.tax_code(chain)
    agent.phone = ids.phone()
    local = _slug(agent.name)[:40].strip(".")
    agent.email = ids.unique(local, sep="", suffix=f"@{chain or 'doanhnghiep'}.example")
    agent.representative = _person(rng)
    agent.lat, agent.lon = (21.0264, 105.8537) if agent.number == 1 else _position(ctx, rng, ward)
    agent.branch_number = supervising_branch(ctx.catalog, ward.code, agent.lat, agent.lon).number
    agent.hours = _hours(rng, kind, ward.kind == "xã")
    agent.fields = _fields(ctx, rng, kind, broad=agent.number == 1)
    agent.staff_count = (
        rng.randrange(2, 7)
        if kind in (AgentKind.POST_OFFICE, AgentKind.BANK)
        else rng.randrange(1, 4)
    )
    agent.equipment = rng.choice(EQUIPMENT)
    agent.activity = rng.lognormvariate(0, 0.55) * KINDS[kind].activity


def _position(ctx: Context, rng: random.Random, ward: Ward) -> tuple[float, float]:
    """The ward's point plus a jitter within its built-up core (checked by position_problem)."""
    radius_km = min(math.sqrt((ward.area_km2 or 10.0) / math.pi) * 0.6, 1.5)
    for _ in range(20):
        distance, bearing = radius_km * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        lat = round(ward.lat + distance * math.cos(bearing) / 111.0, 6)
        lon = round(
            ward.lon + distance * math.sin(bearing) / (111.0 * math.cos(math.radians(ward.lat))), 6
        )
        if position_problem(ctx.catalog, ward, lat, lon) is None:
            return lat, lon
    return ward.lat, ward.lon


def _hours(rng: random.Random, kind: AgentKind, rural: bool) -> OpeningHours:
    split = ["08:00-12:00", "13:30-17:30"]
    if kind is AgentKind.POST_OFFICE:
        day = ["07:00-11:00", "13:30-17:30"] if rural else ["07:30-18:30"]
        sat, sun = day, (["07:00-11:00"] if rng.random() < 0.45 else [])
    elif kind is AgentKind.VIETTEL_POST:
        day, sat, sun = (
            ["07:30-20:00"],
            ["07:30-20:00"],
            ["08:00-12:00"] if rng.random() < 0.5 else [],
        )
    elif kind in (AgentKind.TELECOM_SHOP, AgentKind.ELECTRONICS_SHOP):
        day = ["08:00-21:00"] if kind is AgentKind.TELECOM_SHOP else ["08:30-21:30"]
        sat, sun = day, day if rng.random() < 0.7 else []
    elif kind is AgentKind.BANK:
        day, sat, sun = (
            ["08:00-12:00", "13:00-16:30"],
            ["08:00-11:30"] if rng.random() < 0.6 else [],
            [],
        )
    elif kind is AgentKind.PRINT_SHOP:
        day, sat, sun = (
            ["07:30-19:00"],
            ["07:30-19:00"],
            ["08:00-11:30"] if rng.random() < 0.6 else [],
        )
    else:
        day, sat, sun = split, ["08:00-12:00"] if rng.random() < 0.6 else [], []
    return OpeningHours(mon=day, tue=day, wed=day, thu=day, fri=day, sat=sat, sun=sun)


def _fields(ctx: Context, rng: random.Random, kind: AgentKind, *, broad: bool) -> list[str]:
    profile = KINDS[kind]
    with_procedures = {p.field for p in ctx.catalog.procedures}
    extra, (low, high) = profile.optional, profile.optional_count
    chosen = set(profile.fields) | set(
        extra if broad else rng.sample(extra, min(len(extra), rng.randint(low, high)))
    )
    fields = [f.slug for f in ctx.catalog.fields if f.slug in chosen and f.slug in with_procedures]
    return fields or [next(f.slug for f in ctx.catalog.fields if f.slug in with_procedures)]


def _assign_behaviour(rng: random.Random, network: list[_Agent], start: dt.date) -> None:
    """Mark the agents the audit should catch; only agents with a long enough history qualify."""
    n = len(network)
    for agent in network:
        laggard = rng.random() < 0.15
        agent.share = (
            (rng.uniform(0.03, 0.09), rng.uniform(0.08, 0.17))
            if laggard
            else (rng.uniform(0.07, 0.17), rng.uniform(0.24, 0.44))
        )
    eligible = [a for a in network[1:] if (a.created.date() - start).days < 365 - 150]
    rng.shuffle(eligible)
    plan = [
        ("inactive", round(0.05 * n)),
        ("suspended", round(0.02 * n)),
        ("burst", max(1, round(0.01 * n))),
        ("off_hours", max(1, round(0.01 * n))),
        ("contested", max(1, round(0.01 * n))),
    ]
    for behaviour, count in plan:
        for agent in eligible[:count]:
            agent.behaviour = behaviour
            if behaviour == "inactive":
                agent.stop = 365 - rng.randint(30, 90)
            elif behaviour == "suspended":
                agent.stop = 365 - rng.randint(10, 120)
            elif behaviour == "off_hours":
                agent.hours = msgspec.structs.replace(agent.hours, sun=[])
        eligible = eligible[count:]


def _agent_row(agent: _Agent, start: dt.date) -> store.Row:
    created = store.iso(agent.created)
    updated, reason, status = created, None, "active"
    if agent.behaviour == "suspended" and agent.stop is not None:
        status, reason = "suspended", SUSPENSION_REASONS[agent.number % len(SUSPENSION_REASONS)]
        updated = store.iso(
            dt.datetime.combine(
                start + dt.timedelta(days=agent.stop), dt.time(9, 30), tzinfo=VIETNAM
            )
        )
    return {
        "id": agent.id,
        "number": agent.number,
        "application_id": agent.application_id,
        "name": agent.name,
        "kind": agent.kind.value,
        "tax_code": agent.tax_code,
        "address": agent.address,
        "ward_code": agent.ward.code,
        "lat": agent.lat,
        "lon": agent.lon,
        "phone": agent.phone,
        "email": agent.email,
        "opening_hours": store.to_json(agent.hours),
        "fields": store.to_json(agent.fields),
        "branch_number": agent.branch_number,
        "status": status,
        "status_reason": reason,
        "demo": 1,
        "created_at": created,
        "updated_at": updated,
    }


# --- applications ---------------------------------------------------------------------------


def _application_row(
    ctx: Context,
    rng: random.Random,
    ids: _Ids,
    agent: _Agent,
    *,
    status: str = "approved",
    created: dt.datetime | None = None,
    updated: dt.datetime | None = None,
    reason: str | None = None,
) -> store.Row:
    """An application row whose data passes the same checks as POST /applications."""
    data = msgspec.convert(
        {
            "business_name": agent.name,
            "kind": agent.kind.value,
            "tax_code": agent.tax_code,
            "legal_representative": agent.representative,
            "address": agent.address,
            "ward_code": agent.ward.code,
            "lat": agent.lat,
            "lon": agent.lon,
            "phone": agent.phone,
            "email": agent.email,
            "opening_hours": msgspec.to_builtins(agent.hours),
            "staff_count": agent.staff_count,
            "equipment": agent.equipment,
            "fields": agent.fields,
        },
        ApplicationIn,
    )
    problems = check_application(ctx, data)
    if problems:
        raise RuntimeError(f"demo application for {agent.name!r} is invalid: {problems}")
    agent.application_id = ids.application_id()
    if status == "approved":
        updated = agent.created
        created = agent.created - dt.timedelta(days=rng.randint(3, 15), hours=rng.randint(0, 6))
    assert created is not None and updated is not None
    secret = (
        base64.urlsafe_b64encode(rng.getrandbits(256).to_bytes(32, "big")).rstrip(b"=").decode()
    )
    return {
        **msgspec.to_builtins(data),
        "id": agent.application_id,
        "opening_hours": store.to_json(data.opening_hours),
        "fields": store.to_json(data.fields),
        "status": status,
        "reason": reason,
        "secret_hash": hash_secret(secret),
        "agent_id": agent.id if status == "approved" else None,
        "demo": 1,
        "created_at": store.iso(created),
        "updated_at": store.iso(updated),
    }


def _other_applications(
    ctx: Context, rng: random.Random, ids: _Ids, network: list[_Agent], now: dt.datetime
) -> list[store.Row]:
    """Pending applications for staff to review (some from wards with no agent) and rejected ones."""
    covered = {a.ward.code for a in network}
    gaps = [w for w in ctx.catalog.wards if w.code not in covered]
    rows = []
    for i in range(PENDING + REJECTED):
        ward = rng.choice(gaps) if gaps and i % 3 == 0 else rng.choice(ctx.catalog.wards)
        applicant = _Agent(number=0, ward=ward, kind=_pick_kind(rng, ward))
        _describe(ctx, rng, ids, applicant)
        hour = dt.timedelta(seconds=rng.randrange(7 * 3600, 15 * 3600))
        if i < PENDING:
            created = now - dt.timedelta(days=rng.randint(1, 20)) - hour
            row = _application_row(
                ctx, rng, ids, applicant, status="pending", created=created, updated=created
            )
        else:
            created = now - dt.timedelta(days=rng.randint(40, 200)) - hour
            row = _application_row(
                ctx,
                rng,
                ids,
                applicant,
                status="rejected",
                created=created,
                updated=created + dt.timedelta(days=rng.randint(2, 10)),
                reason=REJECTION_REASONS[i % len(REJECTION_REASONS)],
            )
        rows.append(row)
    return rows


# --- submissions ----------------------------------------------------------------------------


def _tet_factor(day: dt.date) -> float:
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


def _day_factor(day: dt.date) -> float:
    holiday = 0.1 if (day.month, day.day) in HOLIDAYS else 1.0
    return MONTH[day.month - 1] * WEEKDAY[day.weekday()] * _tet_factor(day) * holiday


def _seconds(time_range: str) -> tuple[int, int]:
    start, end = ((int(t[:2]) * 60 + int(t[3:])) * 60 for t in time_range.split("-"))
    return start, end


class _Clock:
    """Draws a second of the day uniformly within a set of time ranges."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self.ranges = ranges
        self.total = sum(end - start for start, end in ranges)

    def draw(self, rand: Callable[[], float]) -> int:
        point = int(rand() * self.total)
        for start, end in self.ranges:
            if point < end - start:
                return start + point
            point -= end - start
        raise AssertionError("unreachable")


# Off-hours agents: daytime on the day they are closed, or at night.
CLOSED_DAY_TIME, NIGHT_TIME = _Clock([(9 * 3600, 17 * 3600)]), _Clock(list(NIGHT))


def _poisson(rand: Callable[[], float], lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, rand()
    while p > limit:
        k += 1
        p *= rand()
    return k


class _Procedures:
    """Weighted draw among an agent's procedures: popular ones and its kind's own fields first."""

    def __init__(
        self, procedures: list[tuple[Procedure, float]], agent: _Agent, school: bool
    ) -> None:
        core = set(KINDS[agent.kind].fields)
        self.keys: list[str] = []
        self.full_online: list[float] = []  # how likely a fully-online filing is, relative
        weights: list[float] = []
        for procedure, full_online in procedures:
            if procedure.field in agent.fields:
                self.keys.append(procedure.key)
                self.full_online.append(full_online)
                weights.append(
                    (6.0 if procedure.popular else 1.0)
                    * (2.0 if procedure.field in core else 1.0)
                    * (3.0 if school and procedure.field in SCHOOL_FIELDS else 1.0)
                )
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rand: Callable[[], float]) -> int:
        return bisect.bisect_right(self.cumulative, rand() * self.cumulative[-1])


def _full_online_factor(procedure: Procedure) -> float:
    if procedure.online_level is OnlineLevel.OFFLINE and procedure.is_verified("online_level"):
        return 0.0  # verified as not available online: the agent files it partly online
    return 1.5 if procedure.online_level is OnlineLevel.FULL_ONLINE else 1.0


# branch, day index, local second, agent number, procedure key, fully online, citizen hash,
# notes, seconds until recorded, agent id
Draft = tuple[int, int, int, int, str, bool, str | None, str | None, int, str]


@dataclass(frozen=True)
class _Year:
    """The 365 days before ``today`` with their relative demand, and the procedures to draw."""

    start: dt.date
    dates: list[dt.date]
    demand: list[float]
    procedures: list[tuple[Procedure, float]]  # with its relative chance of a fully-online filing

    @classmethod
    def before(cls, ctx: Context, start: dt.date) -> _Year:
        dates = [start + dt.timedelta(days=i) for i in range(365)]
        procedures = [(p, _full_online_factor(p)) for p in ctx.catalog.procedures]
        return cls(start, dates, [_day_factor(d) for d in dates], procedures)


def _submissions(
    ctx: Context, seed_bits: int, network: list[_Agent], start: dt.date, report: Progress
) -> list[store.Row]:
    """A year of submissions per agent; volume calibrated to SUBMISSIONS_PER_AGENT_YEAR."""
    year = _Year.before(ctx, start)
    rates: list[list[float]] = []
    for agent in network:
        first = _first_day(agent, start)
        is_open = [bool(agent.hours.day(wd)) for wd in range(7)]
        rates.append(
            [
                agent.activity
                * year.demand[i]
                * is_open[year.dates[i].weekday()]
                * (0.5 if i - first < 21 else 1.0)
                for i in range(first, 365 if agent.stop is None else agent.stop)
            ]
        )
    scale = SUBMISSIONS_PER_AGENT_YEAR * len(network) / max(sum(map(sum, rates)), 1e-9)
    drafts: list[Draft] = []
    for done, (agent, agent_rates) in enumerate(zip(network, rates, strict=True), start=1):
        rng = random.Random(f"{seed_bits}:{agent.number}")
        drafts += _agent_drafts(ctx, rng, year, agent, [r * scale for r in agent_rates])
        report("Generating submissions", done, len(network))
    return _finish(random.Random(seed_bits), drafts, start)


def _first_day(agent: _Agent, start: dt.date) -> int:
    """Index of the first day an agent records (the day after its approval)."""
    return min((agent.created.date() - start).days + 1, 365)


def _agent_drafts(
    ctx: Context, rng: random.Random, year: _Year, agent: _Agent, rates: list[float]
) -> list[Draft]:
    """One agent's submissions: ``rates`` is its expected count per day from its first day."""
    rand, keyed_hash = rng.random, ctx.keyed_hash
    first = _first_day(agent, year.start)
    clocks = [_Clock([_seconds(r) for r in agent.hours.day(wd)]) for wd in range(7)]
    tables = (_Procedures(year.procedures, agent, False), _Procedures(year.procedures, agent, True))
    burst = -1
    if agent.behaviour == "burst":
        days = [
            i
            for i in range(max(first, 365 - 45), first + len(rates))
            if year.dates[i].weekday() < 5 and year.demand[i] > 0.5
        ]
        burst = rng.choice(days) if days else -1
    low, high = agent.share
    branch, number, agent_id = agent.branch_number, agent.number, agent.id
    provinces = sorted(CITIZEN_ID_PROVINCES)
    citizens: list[str] = []
    drafts: list[Draft] = []
    for i, lam in enumerate(rates, start=first):
        day = year.dates[i]
        wd = day.weekday()
        count = max(25, round(10 * lam)) if i == burst else _poisson(rand, lam)
        night = agent.behaviour == "off_hours" and i >= 365 - 120
        if night and wd == 6:
            count += _poisson(rand, 3.0)
        share = low + (high - low) * i / 364
        table = tables[day.month in (7, 8, 9)]
        clock = clocks[wd] if clocks[wd].total else CLOSED_DAY_TIME
        for _ in range(count):
            second = NIGHT_TIME.draw(rand) if night and rand() < 0.4 else clock.draw(rand)
            choice = table.draw(rand)
            citizen = None
            if rand() < 0.7:
                if citizens and rand() < 0.15:
                    citizen = citizens[int(rand() * len(citizens))]
                else:
                    citizen = keyed_hash("citizen", _citizen_id(rand, provinces))
                    citizens.append(citizen)
            note = NOTES[int(rand() * len(NOTES))] if rand() < 0.04 else None
            r = rand()
            if r < 0.7:
                delay = 5 + int(rand() * 295)  # recorded at once
            elif r < 0.95:
                delay = 300 + int(rand() * 3 * 3600)  # after the citizen left
            else:
                delay = 3 * 3600 + int(rand() * 17 * 3600)  # at the end of the day
            full = rand() < share * table.full_online[choice]
            drafts.append(
                (
                    branch,
                    i,
                    second,
                    number,
                    table.keys[choice],
                    full,
                    citizen,
                    note,
                    delay,
                    agent_id,
                )
            )
    return drafts


def _citizen_id(rand: Callable[[], float], provinces: list[str]) -> str:
    """A synthetic 12-digit citizen ID (province, century and sex, birth year, serial), to hash."""
    province = "001" if rand() < 0.75 else provinces[int(rand() * len(provinces))]
    year = 1945 + int(rand() * 63)
    century_sex = (0 if year < 2000 else 2) + int(rand() * 2)
    return f"{province}{century_sex}{year % 100:02d}{int(rand() * 1_000_000):06d}"


def _finish(rng: random.Random, drafts: list[Draft], start: dt.date) -> list[store.Row]:
    """Dossier codes numbered per branch and day in time order (with gaps for the dossiers the
    branch received directly), then rows in time order with UTC timestamps."""
    drafts.sort(key=lambda d: d[:4])
    start_utc = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    utc_days = {i: (start_utc + dt.timedelta(days=i)).date().isoformat() for i in range(-1, 366)}
    local_days = [f"{start + dt.timedelta(days=i):%y%m%d}" for i in range(365)]

    clock = [f"T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000+00:00" for s in range(86400)]

    def iso(seconds: int) -> str:  # the text store.iso gives, without a datetime per row
        day, rest = divmod(seconds, 86400)
        return utc_days[day] + clock[rest]

    end = 365 * 86400 - 7 * 3600  # the start of today, Hanoi time, in seconds from start (UTC)
    rand = rng.random
    rows: list[tuple[int, int, store.Row]] = []
    key, seq = (-1, -1), 0
    for branch, day, second, number, procedure, full, citizen, note, delay, agent_id in drafts:
        if (branch, day) != key:
            key, seq = (branch, day), int(rand() * 20)
        seq += 1 + int(-2.0 * math.log(1.0 - rand()))
        submitted = day * 86400 + second - 7 * 3600
        row = {
            "agent_id": agent_id,
            "dossier_code": f"000.00.{branch:02d}.H26-{local_days[day]}-{seq:04d}",
            "procedure_code": procedure,
            "mode": "full_online" if full else "partial_online",
            "submitted_at": iso(submitted),
            "citizen_hash": citizen,
            "notes": note,
            "idempotency_key": None,
            "recorded_at": iso(max(submitted, min(submitted + delay, end - 1))),
            "demo": 1,
        }
        rows.append((submitted, number, row))
    rows.sort(key=lambda r: (r[0], r[1], r[2]["dossier_code"]))
    return [row for _, _, row in rows]


def _contested(
    rng: random.Random, network: list[_Agent], rows: list[store.Row], now: dt.datetime
) -> list[tuple[str, str, str, dt.datetime]]:
    """Claims by a few agents on dossiers that another agent of their branch recorded lately."""
    branch = {a.id: a.branch_number for a in network}
    since, until = store.iso(now - dt.timedelta(days=60)), store.iso(now - dt.timedelta(days=2))
    latest = [r for r in rows if since <= r["submitted_at"] < until]
    claims = []
    for agent in (a for a in network if a.behaviour == "contested"):
        others = [r for r in latest if r["agent_id"] != agent.id]
        same_branch = [r for r in others if branch[r["agent_id"]] == agent.branch_number]
        candidates = same_branch if len(same_branch) >= 12 else others
        for row in rng.sample(candidates, min(len(candidates), rng.randint(4, 12))):
            delay = dt.timedelta(minutes=rng.randint(60, 4 * 24 * 60))
            at = min(
                dt.datetime.fromisoformat(row["recorded_at"]) + delay, now - dt.timedelta(hours=1)
            )
            claims.append((row["dossier_code"], agent.id, row["agent_id"], at))
    claims.sort(key=lambda c: (c[3], c[0]))
    return claims
