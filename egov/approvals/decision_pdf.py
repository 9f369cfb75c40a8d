"""The decision document as PDF (行政许可决定书), no Django import.

Laid out after GB/T 9704 (党政机关公文格式): A4, the issuing authority's name
in red across the top over a red rule, the document number below it, the
title, the addressee, the body, then the authority and the date in Chinese
numerals. Chinese text uses reportlab's CID font ``STSong-Light``, which needs
no font file (the reader supplies the face); case and licence numbers are set
in Helvetica so they stay searchable as plain ASCII. The body is justified
(``TA_JUSTIFY`` with CJK word wrap). Below the signature, a QR code of the
public verification URL and the verification code (核验码, ADR 0046) let
anyone check the decision.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor, black
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

SONG = "STSong-Light"
RED = HexColor("#C00000")
LEFT, RIGHT, TOP = 28 * mm, A4[0] - 26 * mm, A4[1] - 37 * mm
BODY_SIZE = 16  # 三号
LINE = 28.9  # 22 lines a page, as GB/T 9704
DIGITS = "〇一二三四五六七八九"
BODY_FLOOR = 30 * mm  # the body's last baseline: the footer lies below
SIGNATURE_FLOOR = 58 * mm  # the verification block (QR and code) lies below the signature


@dataclass(frozen=True)
class Decision:
    """What the decision document states."""

    authority: str
    case_number: str
    item_name: str
    applicant: str
    received: dt.date
    accepted: dt.date | None
    decided: dt.date
    approved: bool
    licence_number: str = ""
    reasons: str = ""
    remedies: str = ""
    legal_basis: str = ""
    verification_code: str = ""
    verification_url: str = ""


def chinese_date(day: dt.date) -> str:
    """二〇二六年三月十六日."""

    def small(number: int) -> str:
        tens, units = divmod(number, 10)
        text = ("" if tens < 2 else DIGITS[tens]) + ("十" if tens else "")
        return text + (DIGITS[units] if units or not tens else "")

    year = "".join(DIGITS[int(digit)] for digit in str(day.year))
    return f"{year}年{small(day.month)}月{small(day.day)}日"


def body_paragraphs(decision: Decision) -> list[str]:
    """The body, paragraph by paragraph."""
    received = chinese_date(decision.received)
    accepted = chinese_date(decision.accepted) if decision.accepted else received
    opening = (
        f"你（单位）于{received}提出的{decision.item_name}申请（办件编号见页脚），"
        f"本机关于{accepted}依法受理。"
    )
    if decision.approved:
        verdict = "经审查，申请材料齐全、符合法定形式，符合法定条件、标准。"
        verdict += "根据" + (decision.legal_basis or "《中华人民共和国行政许可法》") + "的规定，"
        verdict += "决定准予行政许可，证照编号见页脚。"
        return [opening, verdict]
    return [
        opening,
        f"经审查，{decision.reasons}。根据《中华人民共和国行政许可法》第三十八条的规定，"
        "决定不予行政许可。",
        decision.remedies,
    ]


def draw_head(canvas: Canvas, decision: Decision) -> float:
    """The red head (版头) and title; returns where the body starts."""
    canvas.setFillColor(RED)
    canvas.setFont(SONG, 26)
    canvas.drawCentredString(A4[0] / 2, TOP, decision.authority)
    canvas.setFillColor(black)
    canvas.setFont("Helvetica", 12)
    canvas.drawCentredString(A4[0] / 2, TOP - 14 * mm, decision.case_number)
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(1.2)
    canvas.line(LEFT, TOP - 18 * mm, RIGHT, TOP - 18 * mm)
    title = "准予行政许可决定书" if decision.approved else "不予行政许可决定书"
    canvas.setFont(SONG, 22)
    canvas.drawCentredString(A4[0] / 2, TOP - 34 * mm, title)
    canvas.setFont(SONG, BODY_SIZE)
    canvas.drawString(LEFT, TOP - 48 * mm, f"{decision.applicant}：")
    return TOP - 48 * mm - LINE


BODY_STYLE = ParagraphStyle(
    "body",
    fontName=SONG,
    fontSize=BODY_SIZE,
    leading=LINE,
    firstLineIndent=2 * BODY_SIZE,
    alignment=TA_JUSTIFY,  # flush at both margins, the last line of a paragraph left
    wordWrap="CJK",  # Chinese breaks between any characters, never at a forbidden one
)


def draw_paragraph(canvas: Canvas, paragraph: Flowable, y: float) -> tuple[float, list[Flowable]]:
    """Draw what of ``paragraph`` fits above the page's foot; return the new y and the rest."""
    available = y - BODY_FLOOR + BODY_SIZE
    _, height = paragraph.wrapOn(canvas, RIGHT - LEFT, available)
    if height <= available:
        paragraph.drawOn(canvas, LEFT, y - height + BODY_SIZE)  # first baseline at y
        return y - height, []
    parts = paragraph.split(RIGHT - LEFT, available)
    if len(parts) < 2:  # not even a line fits: all of it on the next page
        canvas.showPage()
        return TOP, [paragraph]
    head, *rest = parts
    _, height = head.wrapOn(canvas, RIGHT - LEFT, available)
    head.drawOn(canvas, LEFT, y - height + BODY_SIZE)
    canvas.showPage()
    return TOP, list(rest)


def draw_body(canvas: Canvas, decision: Decision, y: float) -> float:
    """The body paragraphs, justified, onto further pages when long; returns the next line's y."""
    for text in body_paragraphs(decision):
        pending: list[Flowable] = [Paragraph(escape(text), BODY_STYLE)]
        while pending:
            y, rest = draw_paragraph(canvas, pending.pop(0), y)
            pending[:0] = rest
    return y


def draw_verification(canvas: Canvas, decision: Decision) -> None:
    """The QR code of the verification URL and the code beside it (核验码), above the footer."""
    if not decision.verification_code:
        return
    widget = QrCodeWidget(decision.verification_url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    size = 26 * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, RIGHT - size, 26 * mm)
    text_right = RIGHT - size - 3 * mm
    canvas.setFont(SONG, 10)
    canvas.drawRightString(text_right, 26 * mm + 18 * mm, "扫码或访问下列网址核验本决定书")
    canvas.setFont("Helvetica", 9)
    canvas.drawRightString(text_right, 26 * mm + 12 * mm, decision.verification_url)
    canvas.setFont(SONG, 10)
    label_width = canvas.stringWidth(decision.verification_code, "Helvetica", 10)
    canvas.drawRightString(text_right - label_width, 26 * mm + 6 * mm, "核验码：")
    canvas.setFont("Helvetica", 10)
    canvas.drawRightString(text_right, 26 * mm + 6 * mm, decision.verification_code)


def draw_signature(canvas: Canvas, decision: Decision, y: float) -> None:
    """The authority and the date under the body, kept clear of the verification block."""
    if y - 2 * LINE < SIGNATURE_FLOOR:
        canvas.showPage()
        y = TOP
    canvas.setFont(SONG, BODY_SIZE)
    canvas.drawRightString(RIGHT - 16 * mm, y - LINE, decision.authority)
    canvas.drawRightString(RIGHT - 16 * mm, y - 2 * LINE, chinese_date(decision.decided))
    x = LEFT
    for label, number in footer_parts(decision):
        canvas.setFont(SONG, 10)
        canvas.drawString(x, 20 * mm, label)
        x += canvas.stringWidth(label, SONG, 10)
        canvas.setFont("Helvetica", 10)  # numbers in a Latin font stay searchable in the PDF
        canvas.drawString(x, 20 * mm, number)
        x += canvas.stringWidth(number, "Helvetica", 10) + 6 * mm


def footer_parts(decision: Decision) -> list[tuple[str, str]]:
    """The footer's labels and numbers (页脚): 办件编号, and 证照编号 for an approval."""
    parts = [("办件编号：", decision.case_number)]
    if decision.approved and decision.licence_number:
        parts.append(("证照编号：", decision.licence_number))
    return parts


def render_decision(decision: Decision) -> bytes:
    """The decision document as a PDF: one page, more when the reasons are long."""
    pdfmetrics.registerFont(UnicodeCIDFont(SONG))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=0, invariant=1)
    title = "准予行政许可决定书" if decision.approved else "不予行政许可决定书"
    canvas.setTitle(f"{title} {decision.case_number}")
    canvas.setAuthor(decision.authority)
    y = draw_body(canvas, decision, draw_head(canvas, decision))
    draw_signature(canvas, decision, y)
    draw_verification(canvas, decision)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
