"""What a merge writes into OUT_DB, decided and checked before anything is written
(``merge.py`` reads the projects and writes the plan): the scheme (``merge_scheme.py``), the
guidelines, the articles and the suggestions OUT_DB lacks, each annotator's work from the
project that owns it (the first holding it, or with ``newer`` the one that changed it last;
two versions otherwise are a ``MergeConflict``), the tools' records, the project's own actors
and the events not there yet."""

from __future__ import annotations

from dataclasses import replace

from annotator.review.merge_report import MergeReport
from annotator.review.merge_scheme import MergeConflict, plan_scheme
from annotator.storage.merge_reading import EventRecord, ProjectContent


def plan_merge(
    existing: ProjectContent, contents: list[ProjectContent], report: MergeReport, newer: bool
) -> tuple[ProjectContent, set[tuple[str, str]]]:
    """What to write into OUT_DB, decided (and checked) before anything is written; and
    the work of OUT_DB that newer work replaces (``newer``)."""
    plan = ProjectContent(existing.path)
    plan_scheme(existing, contents, plan, report.label_notes)
    _plan_guidelines(existing, contents, plan, report)

    for content in contents:
        for text_hash, article in content.articles.items():
            if text_hash not in existing.articles and text_hash not in plan.articles:
                plan.articles[text_hash] = article
    report.articles_added = len(plan.articles)
    report.articles_known = len({h for c in contents for h in c.articles} - set(plan.articles))

    ran = set(existing.suggestions) | set(existing.preannotated)  # (article, model)
    # An article OUT_DB pre-annotated later (a model adopted since re-suggested it) takes
    # no older pre-annotation back: an old copy brought back all the adoption replaced.
    latest: dict[str, str] = {}
    for (text_hash, _), at in existing.preannotated.items():
        latest[text_hash] = max(latest.get(text_hash, ""), at)
    for content in contents:
        for key in sorted(set(content.suggestions) | set(content.preannotated)):
            if key in ran:
                continue
            if content.preannotated.get(key, "") < latest.get(key[0], ""):
                report.suggestions_older += len(content.suggestions.get(key, []))
                continue
            ran.add(key)
            plan.suggestions[key] = content.suggestions.get(key, [])
            plan.preannotated[key] = content.preannotated.get(key, "")
            for part in ("suggested_relations", "suggested_attributes"):
                if key in getattr(content.claims, part):
                    getattr(plan.claims, part)[key] = getattr(content.claims, part)[key]
    report.suggestions_added = sum(len(s) for s in plan.suggestions.values())

    # Whose work is where: the first project holding each (annotator, article) owns it;
    # with ``newer``, the one that edited or marked it last.
    owner = {key: existing for key in existing.work()}
    replaced: set[tuple[str, str]] = set()
    for content in contents:
        for key in sorted(content.work()):
            if key not in owner:
                owner[key] = content
                _take_work(plan, content, key)
                report.articles_by_annotator[key[0]] += 1
                report.spans_by_annotator[key[0]] += len(content.spans.get(key, []))
                report.relations_by_annotator[key[0]] += len(content.claims.relations.get(key, []))
            elif _work(owner[key], key) == _work(content, key):
                report.unchanged_by_annotator[key[0]] += 1
                _keep_longer_time(plan, owner[key] is existing, owner[key], content, key, report)
            elif not newer or _stamp(owner[key], key) == _stamp(content, key):
                raise MergeConflict(_conflict_message(key, owner[key], content, newer))
            elif _stamp(content, key) > _stamp(owner[key], key):
                if owner[key] is existing:
                    replaced.add(key)
                owner[key] = content
                _take_work(plan, content, key)
                report.replaced_by_annotator[key[0]] += 1
            else:
                report.older_by_annotator[key[0]] += 1

    # What an article's tool keeps, and the project's own actors: the first project that has
    # one gives it (an actor another project defines differently is counted, not merged).
    for content in contents:
        for key, record in content.provenance.items():
            if key not in existing.provenance:
                plan.provenance.setdefault(key, record)
        for kb_id, actor in content.actors.items():
            known = existing.actors.get(kb_id) or plan.actors.get(kb_id)
            if known is None:
                plan.actors[kb_id] = actor
            elif known[1] != actor[1]:
                report.actors_differing.add(kb_id)

    seen = {_event_key(event) for event in existing.events}
    for content in contents:
        for event in content.events:
            if _event_key(event) not in seen:
                seen.add(_event_key(event))
                plan.events.append(event)
    report.events_added = len(plan.events)
    return plan, replaced


def _plan_guidelines(
    existing: ProjectContent,
    contents: list[ProjectContent],
    plan: ProjectContent,
    report: MergeReport,
) -> None:
    """The project's own guidelines: OUT_DB's, else the first input's that has some; others
    that differ are left out, said (they were dropped unsaid)."""
    kept, source = existing.guidelines, None
    for content in contents:
        if not content.guidelines.strip() or content.guidelines == kept:
            continue
        if not kept.strip():
            kept, source = content.guidelines, content.path
            plan.guidelines = kept
            report.notes.append(f"guidelines: taken from {content.path}")
        else:
            report.notes.append(
                f"guidelines: {content.path}'s differ from those kept"
                + (f" ({source}'s)" if source is not None else "")
                + ", left out (annotator guidelines DB --set FILE chooses)"
            )


def _take_work(plan: ProjectContent, content: ProjectContent, key: tuple[str, str]) -> None:
    """The plan writes ``content``'s work for ``key`` (an older version's, if any, goes)."""
    for part in ("spans", "statuses", "negatives"):
        mine, theirs = getattr(plan, part), getattr(content, part)
        if key in theirs:
            mine[key] = theirs[key]
        else:
            mine.pop(key, None)
    for part in ("relations", "attributes"):
        mine, theirs = getattr(plan.claims, part), getattr(content.claims, part)
        if key in theirs:
            mine[key] = theirs[key]
        else:
            mine.pop(key, None)


def _keep_longer_time(
    plan: ProjectContent,
    in_out: bool,
    owner: ProjectContent,
    content: ProjectContent,
    key: tuple[str, str],
    report: MergeReport,
) -> None:
    """The same work, read longer in ``content`` (an annotator who went on reading a done
    article in their copy): the longer reading time is kept, in OUT_DB (``report.longer``)
    or in the plan. The copy's 10 minutes more were dropped as "identical"."""
    mine, theirs = owner.statuses.get(key), content.statuses.get(key)
    if mine is None or theirs is None:
        return
    kept = report.longer.get(key, mine.seconds_active) if in_out else mine.seconds_active
    if theirs.seconds_active <= kept:
        return
    if in_out:
        report.longer[key] = theirs.seconds_active
    else:
        plan.statuses[key] = replace(plan.statuses[key], seconds_active=theirs.seconds_active)


def _stamp(content: ProjectContent, key: tuple[str, str]) -> str:
    """When the annotator last edited or marked the article there ("" if never said)."""
    status = content.statuses.get(key)
    return status.updated_at or "" if status else ""


def _work(content: ProjectContent, key: tuple[str, str]) -> tuple[object, ...]:
    """An annotator's work on an article, as compared: their spans, relations, values and
    status."""
    status = content.statuses.get(key)
    # start, end, label and what the span refers to (kb_id)
    spans = frozenset((*record[:3], record[6]) for record in content.spans.get(key, []))
    negatives = frozenset(content.negatives.get(key, []))
    return spans, negatives, *content.claims.work(key), status.status if status else None


def _conflict_message(
    key: tuple[str, str], first: ProjectContent, second: ProjectContent, newer: bool
) -> str:
    annotator, text_hash = key
    article = first.articles.get(text_hash) or second.articles[text_hash]
    title = f"'{article.title}'" if article.title else f"with text hash {text_hash[:12]}"
    said = (
        f"annotator {annotator} has different work on article {title} "
        f"in {first.path} and in {second.path}; nothing was merged"
    )
    if newer:
        return said + " (both were last changed at the same time: which is newer is unknown)"
    return said + " (--newer takes the version edited or marked last)"


def _event_key(event: EventRecord) -> tuple:
    return (event.ts, event.annotator, event.text_hash, event.action, event.payload)
