"""The centre of the annotation window: the article's title and particulars over its text."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QSizePolicy, QWidget

from annotator.core.model import Article
from annotator.core.text import counted, isolated, one_line
from annotator.ui.article_view import ArticleView
from annotator.ui.widgets import make_panel, plain_label, plain_tip


class ArticlePane(QWidget):
    """The message bar, the title, source · date · URL, and the ``ArticleView``."""

    def __init__(self, message_bar: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.title_label = plain_label(objectName="articleTitle", wordWrap=True)
        self.title_label.setStyleSheet("font-size: 17px; font-weight: 600; padding: 6px 4px 0 4px;")
        self.meta_label = plain_label(objectName="articleMeta", wordWrap=True)
        self.meta_label.setStyleSheet("padding: 0 4px 4px 4px;")
        self.meta_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # light or dark
        # Neither asks for its text's width: a long file name or URL would widen the centre
        # and the splitter take it from the article list, anew with every article.
        for label in (self.title_label, self.meta_label):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.view = ArticleView()
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        make_panel([message_bar, self.title_label, self.meta_label, self.view], self)

    def show_opening(self, article: Article) -> None:
        """A long article's heading at once, and a word in place of its text until read."""
        self.set_heading(article)
        self.view.show_article("", [], False)
        self.view.setPlaceholderText(f"Opening {len(article.text):,} characters…")

    def set_heading(self, article: Article | None) -> None:
        if article is None:
            self.title_label.setText("")
            self.meta_label.setText("")
            return
        self.title_label.setText(article.title or f"Article {article.id}")
        meta = [isolated(p) for p in (article.source, article.published, article.url) if p]
        fields = f", {counted(len(article.meta), 'more field')}" if article.meta else ""
        self.meta_label.setText(
            " · ".join(meta) + f"  (#{article.id}, {len(article.text):,} characters{fields})"
        )
        # The rest of what the article came with (an ACLED event's id, type and actors, a
        # scraper's authors): imported and exported, and shown nowhere before.
        self.meta_label.setToolTip(plain_tip(metadata_lines(article.meta)))


def metadata_lines(meta: dict[str, Any], most: int = 40) -> str:
    """An article's metadata, a field a line ("event_type: Battles"), values cut short."""
    lines = [
        f"{key}: {one_line(value if isinstance(value, str) else json.dumps(value), 160)}"
        for key, value in list(meta.items())[:most]
    ]
    if len(meta) > most:
        lines.append(f"… and {len(meta) - most} more")
    return "\n".join(lines)
