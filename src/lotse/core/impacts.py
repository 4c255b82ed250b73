"""The impact blocks German council papers carry, shared by measures and (later) papers:
finanzielle, klimarelevante, Inklusions- und personelle Auswirkungen."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def alternatives_path(instance, filename: str) -> str:
    from lotse.core.models import random_filename

    return random_filename("impacts", filename)


def money(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )


# (total, [parts]) per Ergebnisrechnung and Finanzplan line; each pair one-off and annual.
PART_SUMS = [
    ("expense", ["personnel", "material", "transfer"]),
    ("investment_in", ["grants", "third_party"]),
]
PERIODS = ["one_off", "annual"]
AMOUNT_FIELDS = [
    f"{name}_{period}"
    for name in [
        "income",
        "expense",
        "personnel",
        "material",
        "transfer",
        "investment_in",
        "grants",
        "third_party",
        "investment_out",
    ]
    for period in PERIODS
]


class ImpactAssessment(models.Model):
    """Auswirkungen of a measure or paper, in the structure council papers use."""

    class Climate(models.TextChoices):
        NONE = "keine", _("no significant climate relevance")
        POSITIVE = "positiv", _("no negative or a positive climate effect")
        NEGATIVE = "negativ", _("a negative climate effect")

    class Inclusion(models.TextChoices):
        CONSIDERED = "beruecksichtigt", _("considered")
        NONE = "keine", _("no effects")

    # Finanzielle Auswirkungen
    has_financial_impact = models.BooleanField(
        _("financial impact"),
        default=False,
        help_text=_("Leave unticked for “keine finanziellen Auswirkungen”."),
    )
    product_number = models.CharField(_("product number"), max_length=30, blank=True)
    product_name = models.CharField(_("product name"), max_length=200, blank=True)
    income_one_off = money(_("income, one-off"))
    income_annual = money(_("income, annual"))
    expense_one_off = money(_("expense, one-off"))
    expense_annual = money(_("expense, annual"))
    personnel_one_off = money(_("of which personnel expense, one-off"))
    personnel_annual = money(_("of which personnel expense, annual"))
    material_one_off = money(_("of which material and services, one-off"))
    material_annual = money(_("of which material and services, annual"))
    transfer_one_off = money(_("of which transfer expense, one-off"))
    transfer_annual = money(_("of which transfer expense, annual"))
    investment_in_one_off = money(_("investment receipts, one-off"))
    investment_in_annual = money(_("investment receipts, annual"))
    grants_one_off = money(_("of which grants, one-off"))
    grants_annual = money(_("of which grants, annual"))
    third_party_one_off = money(_("of which third-party contributions, one-off"))
    third_party_annual = money(_("of which third-party contributions, annual"))
    investment_out_one_off = money(_("investment payments, one-off"))
    investment_out_annual = money(_("investment payments, annual"))
    budget_available = models.BooleanField(_("budget funds are available"), null=True, blank=True)

    # Klimarelevante Auswirkungen
    climate = models.CharField(
        _("climate impact"), max_length=10, choices=Climate.choices, default=Climate.NONE
    )
    climate_alternatives = models.TextField(_("assessment of alternatives"), blank=True)
    climate_alternatives_file = models.FileField(
        _("assessment of alternatives (file)"), upload_to=alternatives_path, blank=True
    )

    # Inklusion
    inclusion = models.CharField(
        _("inclusion"), max_length=20, choices=Inclusion.choices, default=Inclusion.NONE
    )
    inclusion_text = models.TextField(_("how inclusion is considered"), blank=True)

    # Personelle Auswirkungen
    personnel_posts = models.DecimalField(
        _("posts (full-time equivalents)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    personnel_grade = models.CharField(_("pay grade"), max_length=40, blank=True)
    personnel_from = models.DateField(_("from"), null=True, blank=True)

    class Meta:
        verbose_name = _("impact assessment")
        verbose_name_plural = _("impact assessments")

    def __str__(self) -> str:
        return str(_("Impacts #%(id)s") % {"id": self.pk})

    def amounts(self) -> dict[str, Decimal]:
        return {name: getattr(self, name) for name in AMOUNT_FIELDS if getattr(self, name)}

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        if not self.has_financial_impact:
            for name in self.amounts():
                errors.setdefault(name, []).append(
                    ValidationError(
                        _("“No financial impact” is ticked, so no amount can be given."),
                        code="no_financial_impact",
                    )
                )
        for total, parts in PART_SUMS:
            for period in PERIODS:
                total_value = getattr(self, f"{total}_{period}") or Decimal("0")
                parts_sum = sum(
                    (getattr(self, f"{part}_{period}") or Decimal("0") for part in parts),
                    Decimal("0"),
                )
                if parts_sum > total_value:
                    errors.setdefault(f"{total}_{period}", []).append(
                        ValidationError(
                            _(
                                "The parts add up to %(parts)s €, more than the total of "
                                "%(total)s €."
                            ),
                            params={"parts": parts_sum, "total": total_value},
                            code="parts_exceed_total",
                        )
                    )
        if (
            self.climate == self.Climate.NEGATIVE
            and not self.climate_alternatives.strip()
            and not self.climate_alternatives_file
        ):
            errors.setdefault("climate_alternatives", []).append(
                ValidationError(
                    _("A negative climate effect needs an assessment of alternatives."),
                    code="climate_alternatives",
                )
            )
        if errors:
            raise ValidationError(errors)
