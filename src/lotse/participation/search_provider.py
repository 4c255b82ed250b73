"""What participation gives the one search (lotse.search): ideas and comments.

A listed idea (published process, not hidden) and its visible comments are public; those of a
process not yet published carry ``b<body>:participation_staff`` (who manage processes see
them in their lists); hidden ideas and hidden or deleted comments are not searchable at all —
lists and searches show everyone the same public ideas (see ``selectors.listed_ideas``).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lotse.core.models import Body
from lotse.participation.models import Comment, Idea, IdeaState, Process
from lotse.search.registry import PUBLIC, Entry, Provider, body_grant, register, register_grants
from lotse.strategy.search_provider import field_parents, top_field

STAFF = "participation_staff"
IDEA_FIELDS = frozenset(
    {"title", "text", "state", "is_hidden", "action_field", "action_field_id", "process"}
    | {"process_id", "body", "body_id"}
)
PROCESS_FIELDS = frozenset({"is_published"})


def _access(body_id: int, published: bool) -> list[str]:
    return [PUBLIC] if published else [body_grant(body_id, STAFF)]


def idea_entries(ids: list[int], using: str) -> list[Entry]:
    slugs = dict(Body.objects.using(using).values_list("pk", "slug"))
    rows = list(
        Idea._default_manager.using(using)
        .filter(pk__in=ids, is_hidden=False)
        .values(
            "pk",
            "body_id",
            "title",
            "text",
            "state",
            "action_field_id",
            "created_at",
            "process__is_published",
        )
    )
    parents = field_parents((r["action_field_id"] for r in rows), using)
    return [
        Entry(
            kind="idea",
            object_id=r["pk"],
            body_id=r["body_id"],
            title=r["title"],
            text=r["text"],
            url=reverse(
                "participation:idea", kwargs={"body_slug": slugs[r["body_id"]], "pk": r["pk"]}
            ),
            access=_access(r["body_id"], r["process__is_published"]),
            date=r["created_at"].date(),
            state=r["state"],
            action_field_id=top_field(r["action_field_id"], parents),
        )
        for r in rows
    ]


def comment_entries(ids: list[int], using: str) -> list[Entry]:
    slugs = dict(Body.objects.using(using).values_list("pk", "slug"))
    rows = list(
        Comment._default_manager.using(using)
        .filter(pk__in=ids, is_hidden=False, deleted_at__isnull=True, idea__is_hidden=False)
        .values(
            "pk",
            "idea_id",
            "idea__body_id",
            "idea__title",
            "text",
            "created_at",
            "idea__action_field_id",
            "idea__process__is_published",
        )
    )
    parents = field_parents((r["idea__action_field_id"] for r in rows), using)
    entries = []
    for r in rows:
        body_id = r["idea__body_id"]
        url = reverse(
            "participation:idea", kwargs={"body_slug": slugs[body_id], "pk": r["idea_id"]}
        )
        url += f"#kommentar-{r['pk']}"
        entries.append(
            Entry(
                kind="comment",
                object_id=r["pk"],
                body_id=body_id,
                title=r["idea__title"],
                title_searchable=False,
                text=r["text"],
                url=url,
                access=_access(body_id, r["idea__process__is_published"]),
                date=r["created_at"].date(),
                action_field_id=top_field(r["idea__action_field_id"], parents),
            )
        )
    return entries


def _ids(model, body_field: str):
    def ids(using, body_id):
        found = model._default_manager.using(using)
        if body_id is not None:
            found = found.filter(**{body_field: body_id})
        return found.order_by("created_at", "pk").values_list("pk", flat=True).iterator(5000)

    return ids


def _ideas_of_process(process: Process):
    return list(Idea.objects.filter(process_id=process.pk).values_list("pk", flat=True))


def _comments_of_process(process: Process):
    return list(Comment.objects.filter(idea__process_id=process.pk).values_list("pk", flat=True))


def _comments_of_idea(idea: Idea):
    return list(Comment.objects.filter(idea_id=idea.pk).values_list("pk", flat=True))


def grants(user, body) -> set[str]:
    if user.has_perm("participation.manage_processes", body):
        return {body_grant(body.pk, STAFF)}
    return set()


def register_all() -> None:
    register(
        Provider(
            kind="idea",
            label=_("Idea"),
            plural=_("Ideas"),
            build=idea_entries,
            ids=_ids(Idea, "body_id"),
            watch={Idea: lambda idea: [idea.pk], Process: _ideas_of_process},
            state_labels=dict(IdeaState.choices),
            order=50,
            fields={Idea: IDEA_FIELDS, Process: PROCESS_FIELDS},
            # Publishing a process may touch thousands of ideas: in the background.
            background=frozenset({Process}),
        )
    )
    register(
        Provider(
            kind="comment",
            label=_("Comment"),
            plural=_("Comments"),
            build=comment_entries,
            ids=_ids(Comment, "idea__body_id"),
            watch={
                Comment: lambda comment: [comment.pk],
                Idea: _comments_of_idea,
                Process: _comments_of_process,
            },
            order=60,
            fields={
                Comment: frozenset({"text", "is_hidden", "deleted_at", "idea", "idea_id"}),
                Idea: IDEA_FIELDS,
                Process: PROCESS_FIELDS,
            },
            background=frozenset({Process}),
        )
    )
    register_grants(grants)
