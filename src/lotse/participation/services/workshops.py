"""Writes of workshops (World Café, Digitalgipfel, …): the event, its topics with guiding
questions and recorded results, publishing, and turning a result into an idea."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from lotse.participation.models import (
    IDEA_TITLE_MAX,
    Follow,
    Idea,
    NotificationKind,
    Workshop,
    WorkshopResult,
    WorkshopTopic,
)
from lotse.participation.notifications import notify
from lotse.strategy.models import ActionField


def _require(user, obj) -> None:
    if not user.has_perm("participation.manage_workshops", obj):
        raise PermissionDenied


@transaction.atomic
def save_workshop(user, workshop: Workshop) -> Workshop:
    _require(user, workshop.body)
    workshop.full_clean()
    errors = {}
    if workshop.process_id and workshop.process.body_id != workshop.body_id:
        errors["process"] = _("The process belongs to another body.")
    if workshop.ends_at and workshop.ends_at < workshop.starts_at:
        errors["ends_at"] = _("The workshop cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    workshop.save()
    return workshop


@transaction.atomic
def set_published(user, workshop: Workshop, published: bool) -> Workshop:
    """Publish or withdraw a workshop page; unpublished workshops answer 404 to the public."""
    _require(user, workshop.body)
    workshop.is_published = published
    workshop.save(update_fields=["is_published"])
    return workshop


def _save_formset_rows(formset, **parent) -> None:
    for row in formset.save(commit=False):
        for name, value in parent.items():
            setattr(row, name, value)
        row.full_clean()
        row.save()
    for row in formset.deleted_objects:
        row.delete()


@transaction.atomic
def save_topics(user, workshop: Workshop, topic_formset) -> None:
    """Save a valid formset of the workshop's topics (title, order; deletions)."""
    _require(user, workshop.body)
    _save_formset_rows(topic_formset, workshop=workshop)


@transaction.atomic
def save_topic_content(user, topic: WorkshopTopic, question_formset, result_formset) -> None:
    """Save valid formsets of a topic's guiding questions and its recorded results. A result
    may answer one of the topic's own questions only."""
    _require(user, topic.workshop.body)
    _save_formset_rows(question_formset, topic=topic)
    for form in result_formset.forms:
        question = form.cleaned_data.get("question") if form.has_changed() else None
        if question is not None and question.topic_id != topic.pk:
            raise ValidationError(_("A result can only answer a guiding question of its topic."))
    _save_formset_rows(result_formset, topic=topic)


def idea_title(text: str) -> str:
    """A title from a result: its first line, trimmed to what an idea title may hold."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = first.lstrip("#*-– ").strip() or first
    if len(first) <= IDEA_TITLE_MAX:
        return first
    cut = first[: IDEA_TITLE_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;:.–-")
    return (cut or first[: IDEA_TITLE_MAX - 1]) + "…"


def origin_note(result: WorkshopResult) -> str:
    topic = result.topic
    workshop = topic.workshop
    values = {
        "format": workshop.get_kind_display(),
        "title": workshop.title,
        "date": date_format(localtime(workshop.starts_at), "j. F Y"),
        "topic": topic.title,
    }
    if result.question_id:
        values["question"] = result.question.text
        return (
            _(
                "Result of the %(format)s “%(title)s” on %(date)s, topic “%(topic)s”, guiding "
                "question “%(question)s”."
            )
            % values
        )
    return _("Result of the %(format)s “%(title)s” on %(date)s, topic “%(topic)s”.") % values


@transaction.atomic
def result_to_idea(user, result: WorkshopResult, action_field: ActionField | None = None) -> Idea:
    """Turn a recorded workshop result into an idea of the workshop's process.

    Staff record what the workshop produced, so this deliberately skips what guards citizens'
    posts: there is no rate limit, and the process's current phase is not asked (results are
    often typed in after the collecting phase ended). The idea has no author; its origin (the
    result, hence the workshop) is shown instead. Each result becomes at most one idea.
    """
    result = (
        WorkshopResult.objects.select_for_update(of=("self",))
        .select_related("topic__workshop__process", "question")
        .get(pk=result.pk)
    )
    workshop = result.topic.workshop
    _require(user, workshop.body)
    process = workshop.process
    if process is None:
        raise ValidationError(
            _(
                "The workshop is not linked to a participation process. Choose its process "
                "first; the idea is collected there."
            ),
            code="no_process",
        )
    if result.ideas.exists():
        raise ValidationError(_("This result has already become an idea."), code="done")
    if action_field is not None and action_field.strategy.body_id != workshop.body_id:
        raise ValidationError({"action_field": _("Choose an action field of this body.")})
    idea = Idea(
        body=workshop.body,
        process=process,
        title=idea_title(result.text),
        text=f"{result.text.strip()}\n\n*{origin_note(result)}*",
        action_field=action_field,
        author=None,
        origin_result=result,
    )
    idea.full_clean()
    idea.save()
    followers = [f.user for f in Follow.objects.filter(process=process).select_related("user")]
    notify(
        followers,
        body=workshop.body,
        kind=NotificationKind.NEW_IDEA,
        title=_("New idea in “%(process)s”: %(title)s")
        % {"process": process.title, "title": idea.title},
        url=idea.get_absolute_url(),
        exclude=user,
    )
    return idea
