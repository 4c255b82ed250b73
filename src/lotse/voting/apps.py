from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "lotse.voting"
    label = "voting"
    verbose_name = _("Live meetings and voting")

    def ready(self) -> None:
        from lotse.accounts.mfa import register_mfa_requirement
        from lotse.council.extensions import register_meeting_links, register_running_meetings
        from lotse.voting.links import meeting_links, running_meetings
        from lotse.voting.mfa import needs_mfa_for_meetings

        register_meeting_links(meeting_links)
        register_running_meetings(running_meetings)
        register_mfa_requirement(needs_mfa_for_meetings)

        from django.db.models.signals import post_delete, post_save

        from lotse.voting.models import Poll
        from lotse.voting.selectors import forget_poll

        for signal in (post_save, post_delete):
            signal.connect(
                lambda sender, instance, **kwargs: forget_poll(instance.pk),
                sender=Poll,
                weak=False,
                dispatch_uid=f"lotse.voting.forget_poll.{id(signal)}",
            )
