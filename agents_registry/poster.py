"""The printable A4 poster of an agent (SVG, millimetre units): who it is, that its help is free,
and a QR code to its public page where citizens rate it.

The QR code is drawn from segno's module matrix as one path of horizontal runs, one unit per
module, so the SVG stays small and its code can be read back exactly.
"""

from __future__ import annotations

import textwrap
from xml.sax.saxutils import escape

import segno

from agents_registry.models import AgentPublic

WIDTH_MM, HEIGHT_MM = 210, 297
QR_SIZE_MM = 80
QR_QUIET_MODULES = 4
PRIMARY = "#9b1c1c"
INK = "#1b1f23"
FONT = "'Noto Sans', 'DejaVu Sans', 'Segoe UI', Arial, sans-serif"


def qr_code(url: str) -> segno.QRCode:
    """The poster's QR code for ``url`` (error correction M or better)."""
    return segno.make_qr(url, error="m")


def qr_path(code: segno.QRCode) -> str:
    """Path data of the dark modules, one ``M x y h n v 1 h -n z`` per horizontal run."""
    parts = []
    for y, row in enumerate(code.matrix_iter(border=0)):
        x = 0
        row = list(row)
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return "".join(parts)


def _text(x: float, y: float, size: float, text: str, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{x}" y="{y}" font-size="{size}"{extra}>{escape(text)}</text>'


def _lines(
    y: float, size: float, text: str, width: int, max_lines: int, **attrs: str
) -> tuple[str, float]:
    """Wrapped centred text in one group; returns it and the baseline after its last line."""
    lines = textwrap.wrap(text, width=width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(" ,.;") + "…"
    out = []
    for line in lines:
        out.append(_text(WIDTH_MM / 2, y, size, line))
        y += size * 1.25
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f"<g{extra}>{''.join(out)}</g>", y


def poster_svg(agent: AgentPublic, page_url: str) -> str:
    """The poster of ``agent`` whose QR code and printed link lead to ``page_url``."""
    centre = WIDTH_MM / 2
    code = qr_code(page_url)
    modules = code.symbol_size(border=0)[0]
    scale = QR_SIZE_MM / (modules + 2 * QR_QUIET_MODULES)
    qr_x, qr_y = centre - QR_SIZE_MM / 2, 151.0
    body: list[str] = [
        f'<rect width="{WIDTH_MM}" height="{HEIGHT_MM}" fill="#ffffff"/>',
        f'<rect width="{WIDTH_MM}" height="44" fill="{PRIMARY}"/>',
        _text(centre, 14, 5.2, "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG HÀ NỘI", fill="#ffffff"),
        _text(centre, 29, 9.5, "ĐẠI LÝ DỊCH VỤ CÔNG", fill="#ffffff", font_weight="700"),
        _text(centre, 39.5, 7, "TRỰC TUYẾN", fill="#ffffff", font_weight="700"),
        _text(centre, 60, 6, "Mã đại lý", fill=INK),
        _text(centre, 77, 17, agent.id, fill=PRIMARY, font_weight="700", id="agent-id"),
    ]
    size, width = (8.0, 34) if len(agent.name) <= 68 else (6.2, 44)
    name, y = _lines(90, size, agent.name, width, 2, fill=INK, font_weight="700", id="agent-name")
    address, _ = _lines(y, 5, agent.address, 60, 2, fill=INK, id="agent-address")
    body += [name, address]
    body += [
        '<rect x="15" y="124" width="180" height="22" rx="3" fill="#e6f4ea" stroke="#0a6b2d" stroke-width="0.8"/>',
        _text(
            centre,
            133,
            6.3,
            "Dịch vụ công trực tuyến — hỗ trợ MIỄN PHÍ",
            fill="#0a4d21",
            font_weight="700",
            id="free-notice",
        ),
        _text(
            centre,
            141.5,
            4.4,
            "Người dân không phải trả bất kỳ khoản phí nào cho đại lý.",
            fill=INK,
        ),
        f'<rect x="{qr_x}" y="{qr_y}" width="{QR_SIZE_MM}" height="{QR_SIZE_MM}" fill="#ffffff"/>',
        f'<g id="qr" transform="translate({qr_x + QR_QUIET_MODULES * scale:.4f} '
        f'{qr_y + QR_QUIET_MODULES * scale:.4f}) scale({scale:.6f})" data-modules="{modules}">'
        f'<path fill="#000000" d="{qr_path(code)}"/></g>',
        _text(centre, 239, 6, "Đánh giá đại lý sau khi được hỗ trợ", fill=INK, font_weight="700"),
        _text(
            centre, 247, 4.4, "Quét mã QR hoặc mở địa chỉ dưới đây, nhập mã hồ sơ của bạn", fill=INK
        ),
        _text(
            centre, 253, 4.4, "và chọn từ 1 đến 5 sao. Mỗi hồ sơ được đánh giá một lần.", fill=INK
        ),
        _text(
            centre,
            262,
            min(4.2, round(180 / (0.6 * len(page_url)), 2)),
            page_url,
            fill="#0b57a4",
            id="page-url",
            font_family="'DejaVu Sans Mono', monospace",
        ),
        f'<rect y="274" width="{WIDTH_MM}" height="23" fill="#f3f4f6"/>',
        _text(
            centre,
            283,
            4.6,
            "Bị thu phí hoặc cần hỗ trợ? Gọi đường dây nóng 1022.",
            fill=INK,
            font_weight="700",
        ),
        _text(
            centre,
            290.5,
            3.6,
            "Đại lý do Trung tâm Phục vụ hành chính công thành phố Hà Nội công nhận.",
            fill=INK,
        ),
    ]
    if agent.demo:
        body.append(
            _text(
                centre,
                51.5,
                4.2,
                "DỮ LIỆU MINH HỌA — không phải đại lý có thật",
                fill=PRIMARY,
                id="demo-notice",
            )
        )
    title = f"Áp phích đại lý {agent.id} — {agent.name}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH_MM}mm" height="{HEIGHT_MM}mm" '
        f'viewBox="0 0 {WIDTH_MM} {HEIGHT_MM}" lang="vi" role="img" aria-labelledby="title">'
        f'<title id="title">{escape(title)}</title>'
        f'<g font-family="{escape(FONT)}" text-anchor="middle">{"".join(body)}</g></svg>\n'
    )
