"""Factories for the models every test needs."""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from lotse.accounts.models import BodyRole, User
from lotse.core.models import Body

PASSWORD = "Richtig-Passwort-42"


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"Stadt Teststadt {n}")
    short_name = factory.Sequence(lambda n: f"Teststadt {n}")
    slug = factory.Sequence(lambda n: f"teststadt-{n}")
    kind = Body.Kind.STADT
    # Modulo: a long session creates more than 1,000 bodies, but each test only a few, and
    # PostgreSQL (unlike SQLite) refuses a ninth digit.
    ags = factory.Sequence(lambda n: f"05111{n % 1000:03d}")
    rgs = factory.LazyAttribute(lambda o: f"{o.ags[:5]}0000{o.ags[5:]}")


class KreisFactory(BodyFactory):
    kind = Body.Kind.KREIS
    name = factory.Sequence(lambda n: f"Testkreis {n}")
    slug = factory.Sequence(lambda n: f"testkreis-{n}")
    ags = factory.Sequence(lambda n: f"05{n % 900 + 100:03d}000")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class BodyRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyRole

    user = factory.SubFactory(UserFactory)
    body = factory.SubFactory(BodyFactory)
    role = "staff"


def add_totp(user: User) -> Authenticator:
    """Give a user an activated TOTP authenticator, as after setting it up."""
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
