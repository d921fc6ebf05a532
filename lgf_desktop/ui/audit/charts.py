"""Grade distributions where people would rather look than read: per question and per agency, as
stacked horizontal bars drawn with QPainter (no charting library needed)."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...db import Database
from ...models import Audit
from ...services.audit.findings import distribution_by_agency, distribution_by_question
from .scoring import text_colour

ROW_HEIGHT = 24
LABEL_WIDTH = 230


class StackedBars(QWidget):
    """One bar per row, split into the share of each grade; counts written inside the segments."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, str, Counter[int]]] = []  # (label, tooltip, counts)
        self.options: list[tuple[int, str, str]] = []  # (id, label, colour)

    def set_data(self, rows: list[tuple[str, str, Counter[int]]], options: list[tuple[int, str, str]]) -> None:
        self.rows, self.options = rows, options
        self.setMinimumHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(500, ROW_HEIGHT * (len(self.rows) + 1) + 10)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = max(50, self.width() - LABEL_WIDTH - 10)
        font = QFont(self.font())
        painter.setFont(font)
        for index, (label, _, counts) in enumerate(self.rows):
            y = index * ROW_HEIGHT + 4
            painter.setPen(self.palette().windowText().color())
            painter.drawText(QRectF(0, y, LABEL_WIDTH - 8, ROW_HEIGHT - 4),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             painter.fontMetrics().elidedText(label, Qt.TextElideMode.ElideRight, LABEL_WIDTH - 10))
            total = sum(counts[o[0]] for o in self.options)
            x = float(LABEL_WIDTH)
            if not total:
                painter.setPen(QColor("#888"))
                painter.drawText(QRectF(x, y, width, ROW_HEIGHT - 4), Qt.AlignmentFlag.AlignVCenter, "no grades yet")
                continue
            for option_id, _, colour in self.options:
                share = width * counts[option_id] / total
                if share <= 0:
                    continue
                rect = QRectF(x, y, share - 1, ROW_HEIGHT - 6)
                painter.fillRect(rect, QColor(colour))
                if share > 18:
                    painter.setPen(text_colour(colour))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(counts[option_id]))
                x += share
        y = len(self.rows) * ROW_HEIGHT + 6  # the legend
        x = float(LABEL_WIDTH)
        metrics = painter.fontMetrics()
        for _, label, colour in self.options:
            painter.fillRect(QRectF(x, y + 3, 11, 11), QColor(colour))
            painter.setPen(self.palette().windowText().color())
            painter.drawText(QRectF(x + 15, y, 300, 17), Qt.AlignmentFlag.AlignVCenter, label)
            x += 30 + metrics.horizontalAdvance(label)
        painter.end()


class ChartsView(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.by_question = StackedBars()
        self.by_agency = StackedBars()
        inner = QWidget()
        layout = QVBoxLayout(inner)
        for title, chart in (("Grades per question (all auditors)", self.by_question),
                             ("Grades per agency (its auditors, all questions)", self.by_agency)):
            heading = QLabel(title)
            heading.setStyleSheet("font-weight: bold; font-size: 11pt;")
            layout.addWidget(heading)
            layout.addWidget(chart)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def load(self, audit_id: int) -> None:
        with self.db.session() as session:
            audit = session.get(Audit, audit_id)
            options = [(o.id, o.label, o.colour) for o in audit.grade_options if not o.is_not_applicable]
            numbers = {q.id: n for n, q in enumerate(audit.questions, start=1)}
            questions = [(f"Q{numbers[q.id]} {q.text}", q.text, counts) for q, counts in distribution_by_question(audit).items()]
            agencies = [(name, name, counts) for name, counts in distribution_by_agency(audit).items()]
        self.by_question.set_data(questions, options)
        self.by_agency.set_data(agencies, options)
