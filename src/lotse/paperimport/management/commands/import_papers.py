"""``lotse import_papers FOLDER --body <slug> [--dry-run]``: import a folder of exported papers
for a bulk migration, with the same recognition and checks as the review page, all or nothing,
and a report per file."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lotse.core.models import Body
from lotse.paperimport import services
from lotse.paperimport.recognise import Recognition


class Command(BaseCommand):
    help = "Import exported council papers (PDF, DOCX, ODT, HTML, text, ZIP) from a folder."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--body", required=True, help="Short address of the body.")
        parser.add_argument("--user", help="E-mail address of the council office member importing.")
        parser.add_argument("--dry-run", action="store_true", help="Recognise and check only.")
        parser.add_argument(
            "--name-from-file",
            action="store_true",
            help="Use the file name as subject where no Betreff is recognised.",
        )

    def handle(self, *args, folder, body, user=None, dry_run=False, **options):
        name_from_file = options.get("name_from_file", False)
        try:
            body = Body.objects.get(slug=body)
        except Body.DoesNotExist as error:
            raise CommandError(f"Unknown body “{body}”.") from error
        path = Path(folder)
        if not path.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        model = get_user_model()
        users = model.objects.filter(is_active=True)
        if user:
            actor = users.filter(**{model.USERNAME_FIELD: user}).first()
        else:
            actor = users.filter(is_superuser=True).order_by("pk").first()
        if actor is None:
            raise CommandError("Give --user with the e-mail address of a council office member.")
        uploads = [(p.name, p.read_bytes()) for p in sorted(path.iterdir()) if p.is_file()]
        try:
            batch = services.create_batch(actor, body, uploads)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        reviewed = []
        for item in batch.items.all():
            if item.error:
                self.stdout.write(f"{item.file_name}: NICHT LESBAR – {item.error}")
                continue
            paper = services.reviewed_from_recognition(item)
            if not paper.name and name_from_file:
                paper.name = Path(item.file_name).stem.replace("_", " ")
            found = Recognition.from_dict(item.recognition).fields
            self.stdout.write(
                f"{item.file_name}: {paper.reference or '–'} | {paper.date:%d.%m.%Y} | "
                f"{paper.paper_type} | {paper.name or '(kein Betreff)'} | "
                f"{len(paper.steps)} Beratungsschritte | Felder: {', '.join(sorted(found))}"
            )
            if warning := services.decision_warning(body, paper):
                self.stdout.write(f"HINWEIS {item.file_name}: {warning}")
            reviewed.append(paper)
        problems = services.check(body, reviewed) + [
            f"{i.file_name}: {i.error}" for i in batch.items.all() if i.error
        ]
        for problem in problems:
            self.stdout.write(f"FEHLER {problem}")
        if dry_run or problems:
            batch.delete()
            if problems:
                raise CommandError(f"{len(problems)} Fehler: nichts importiert.")
            self.stdout.write(f"Probelauf: {len(reviewed)} Vorlagen wären importiert worden.")
            return
        papers = services.save_batch(actor, batch, reviewed)
        self.stdout.write(self.style.SUCCESS(f"{len(papers)} Vorlagen importiert."))
        for skipped in papers.skipped:
            self.stdout.write(f"NICHT GESPEICHERT {skipped}")
