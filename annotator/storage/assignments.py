"""Who works on which article: a lead hands out the articles (``annotator assign``), each to
one annotator, a share of them to two so that agreement can be measured. An annotator with
no assignment works on every article, as before there were any.

Handing out goes in article order to whoever has the fewest articles so far (ties by name):
each gets a mix of the corpus, not one source's block, and a second round after an import
gives the new articles out without moving any already given. An article one of them has
started on goes to them (to one who finished it first). An article given to two goes
to the two annotators compared least so far, so that every pair is compared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Any

from annotator.core.model import STATUSES
from annotator.storage.base import now
from annotator.storage.statuses import Statuses

#: How far an annotator's work on an article went, first to keep it (``_worked_on``).
_HOW_FAR = {"done": 0, "in_progress": 1, "flagged": 1, "skipped": 2}


class Assignments(Statuses):
    def assign(
        self,
        annotators: Sequence[str],
        *,
        overlap: float = 0.0,
        article_ids: Sequence[int] | None = None,
        by: str = "",
    ) -> dict[str, int]:
        """Give ``article_ids`` (default: every article nobody was given) to ``annotators``;
        every ``1 / overlap``-th of them to two. Returns how many each was given now."""
        if not annotators:
            raise ValueError("name at least one annotator")
        if not 0.0 <= overlap <= 1.0:
            raise ValueError(f"--overlap is a share from 0 to 1, not {overlap}")
        names: list[str] = []  # the project's spelling; two of one name in another case: one
        for name in map(self.spelling, annotators):
            if name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
        if overlap and len(names) < 2:
            raise ValueError("an overlap needs two annotators or more")
        given = {name: 0 for name in names}
        with self._writing():
            load = {name: self._assigned_count(name) for name in names}
            pairs = self._pair_counts()
            todo = article_ids if article_ids is not None else self.unassigned_articles()
            shared = _every_nth(len(todo), overlap)
            worked = self._worked_on(names)
            rows = []
            for index, article_id in enumerate(todo):
                taken = {a for (a,) in self._db.execute(
                    "SELECT annotator FROM assignments WHERE article_id = ?", [article_id]
                )}  # fmt: skip
                free = sorted((n for n in names if n not in taken), key=lambda n: (load[n], n))
                # One who has worked on it keeps it (done before started): ben's finished
                # article went to carl, and ben's count no longer held it.
                theirs = worked.get(article_id, {})
                mine = sorted(
                    (n for n in free if n in theirs), key=lambda n: (theirs[n], load[n], n)
                )
                if mine:
                    free = [mine[0], *(n for n in free if n != mine[0])]
                chosen = free[:1]
                if index in shared and len(free) > 1:
                    # The pair compared least so far: the first two by load were the same
                    # two every time, and four of six pairs were never compared. Those
                    # who worked on it are in it: dora's half-done copy went to carl.
                    pairs_left = [p for p in combinations(free, 2) if set(mine[:2]) <= set(p)]
                    pair = min(pairs_left, key=_pair_rank(pairs, load))
                    chosen = [*pair]
                    pairs[frozenset(chosen)] += 1
                for name in chosen:
                    rows.append((article_id, name))
                    load[name] += 1
                    given[name] += 1
            self._db.executemany(
                "INSERT OR IGNORE INTO assignments (article_id, annotator) VALUES (?, ?)", rows
            )
            self._event(by, None, "assign", {"given": given, "overlap": overlap}, now())
        return given

    def _worked_on(self, names: Sequence[str]) -> dict[int, dict[str, int]]:
        """Per article, those of ``names`` who have started on it, by how far: 0 finished,
        1 in progress or flagged, 2 skipped (a skipper took a half-done copy's place)."""
        marks = ", ".join("?" for _ in names)
        worked: dict[int, dict[str, int]] = {}
        for article_id, name, status in self._db.execute(
            "SELECT article_id, annotator, status FROM article_status "
            f"WHERE status != 'todo' AND annotator IN ({marks})",
            list(names),
        ):
            worked.setdefault(article_id, {})[name] = _HOW_FAR.get(status, 1)
        return worked

    def unassign(
        self, annotators: Sequence[str] = (), by: str = "", *, unfinished: bool = False
    ) -> int:
        """Take back every article given to ``annotators`` (everyone's if none named); with
        ``unfinished``, only those they have not marked done (a departed annotator's finished
        articles were handed out again, to be done twice). How many assignments went. The
        work done on them stays."""
        where = []
        if annotators:
            where.append(f"annotator IN ({', '.join('?' * len(annotators))})")
        if unfinished:
            where.append(
                "NOT EXISTS (SELECT 1 FROM article_status s WHERE s.article_id = "
                "assignments.article_id AND s.annotator = assignments.annotator "
                "AND s.status = 'done')"
            )
        with self._writing():
            cursor = self._db.execute(
                "DELETE FROM assignments" + (" WHERE " + " AND ".join(where) if where else ""),
                list(annotators),
            )
            payload = {"annotators": list(annotators), "unfinished": unfinished}
            self._event(by, None, "unassign", payload, now())
        return cursor.rowcount

    def spelling(self, name: str) -> str:
        """The project's spelling of ``name``: the name of an annotator with work or given
        articles that differs from it only in case ("Ben" for "ben"), else ``name``. Two
        spellings were two annotators: "ben" worked on everything, "Ben" had the articles."""
        if self._db.execute(  # the name as it is: three index lookups, not a scan of spans
            "SELECT EXISTS (SELECT 1 FROM article_status WHERE annotator = :n) "
            "OR EXISTS (SELECT 1 FROM spans WHERE annotator = :n) "
            "OR EXISTS (SELECT 1 FROM assignments WHERE annotator = :n)",
            {"n": name},
        ).fetchone()[0]:
            return name
        known = {*self.annotators(), *self.assigned_annotators()}
        return next((n for n in sorted(known) if n.casefold() == name.casefold()), name)

    def assigned_annotators(self) -> list[str]:
        """Who was given articles."""
        return [row[0] for row in self._db.execute("SELECT DISTINCT annotator FROM assignments")]

    def assigned_articles(self, annotator: str) -> list[int]:
        """The articles given to ``annotator``, in id order (none: they work on all)."""
        return [
            row[0]
            for row in self._db.execute(
                "SELECT article_id FROM assignments WHERE annotator = ? ORDER BY article_id",
                [annotator],
            )
        ]

    def unassigned_articles(self) -> list[int]:
        return [
            row[0]
            for row in self._db.execute(
                "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM assignments) "
                "ORDER BY id"
            )
        ]

    def assignment_counts(self, annotator: str | None = None) -> dict[str, dict[str, int]]:
        """Per annotator given articles (``annotator``'s alone, if named: the window asks on
        every refresh): how many, and how many of those they marked done."""
        only = "WHERE g.annotator = :who " if annotator is not None else ""  # (its index)
        return {
            name: {"articles": n, "done": done}
            for name, n, done in self._db.execute(
                "SELECT g.annotator, COUNT(*), COUNT(s.status = 'done' OR NULL) "
                "FROM assignments g LEFT JOIN article_status s "
                f"ON s.article_id = g.article_id AND s.annotator = g.annotator {only}"
                "GROUP BY g.annotator ORDER BY g.annotator",
                {"who": annotator},
            )
        }

    def stats(self) -> dict[str, Any]:
        """``Statuses.stats``, with an annotator given articles counted over those: their
        ``todo`` is what they were given and have not started (it was every article of the
        project: "status of ben: todo 20, done 9" beside "ben: 9 of 18 articles done").
        ``assigned``: how many each was given; ``status_outside_assigned``: their marks on
        articles they were not given, if any."""
        figures = super().stats()
        given = self.assignment_counts()
        status: dict[str, dict[str, int]] = figures["status"]
        outside: dict[str, dict[str, int]] = {}
        for name in given:
            counts = dict.fromkeys(STATUSES, 0)
            for state, n in self._db.execute(
                "SELECT COALESCE(s.status, 'todo'), COUNT(*) FROM assignments g "
                "LEFT JOIN article_status s ON s.article_id = g.article_id "
                "AND s.annotator = g.annotator WHERE g.annotator = ? GROUP BY 1",
                [name],
            ):
                counts[state] = n
            status[name] = counts
            beyond = dict(
                self._db.execute(
                    "SELECT status, COUNT(*) FROM article_status s WHERE annotator = ? "
                    "AND status != 'todo' AND NOT EXISTS (SELECT 1 FROM assignments g "
                    "WHERE g.article_id = s.article_id AND g.annotator = s.annotator) "
                    "GROUP BY 1 ORDER BY 1",
                    [name],
                ).fetchall()
            )
            if beyond:
                outside[name] = beyond
        figures["status"] = dict(sorted(status.items()))
        figures["assigned"] = {name: g["articles"] for name, g in given.items()}
        figures["status_outside_assigned"] = outside
        return figures

    def _pair_counts(self) -> Counter[frozenset[str]]:
        """How many articles each two annotators were both given."""
        return Counter(
            frozenset(pair)
            for pair in self._db.execute(
                "SELECT a.annotator, b.annotator FROM assignments a JOIN assignments b "
                "ON b.article_id = a.article_id AND b.annotator > a.annotator"
            )
        )

    def _assigned_count(self, annotator: str) -> int:
        return int(
            self._db.execute(
                "SELECT COUNT(*) FROM assignments WHERE annotator = ?", [annotator]
            ).fetchone()[0]
        )


def _pair_rank(
    pairs: Counter[frozenset[str]], load: dict[str, int]
) -> Callable[[tuple[str, str]], tuple[int, int, tuple[str, str]]]:
    """Two annotators' rank for a shared article: compared least, then least loaded."""
    return lambda pair: (pairs[frozenset(pair)], load[pair[0]] + load[pair[1]], pair)


def _every_nth(count: int, share: float) -> set[int]:
    """Indices of about ``share`` of ``count`` items, spread evenly (the first included)."""
    if not share or not count:
        return set()
    wanted = max(1, round(count * share))
    return {int(k * count / wanted) for k in range(wanted)}
