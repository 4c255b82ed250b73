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
