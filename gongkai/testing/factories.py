"""factory_boy factories for the objects every app's tests build: organisations, users and
their roles. The personas in gongkai.testing are made with these; app tests use them for the
extra people and organisations a case needs."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from gongkai.accounts.models import User
from gongkai.orgs.models import Membership, Organisation, OrgKind
from gongkai.testing import PASSWORD


class GovernmentFactory(DjangoModelFactory):
    """A tenant government (the root of its organisation tree)."""

    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"第{n}市人民政府")
    short_name = factory.LazyAttribute(lambda o: o.name.replace("人民政府", "政府"))
    kind = OrgKind.GOVERNMENT
    slug = factory.Sequence(lambda n: f"gov{n}")


class OrganisationFactory(DjangoModelFactory):
    """A department of a government (``parent``)."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"第{n}局")
    short_name = factory.LazyAttribute(lambda o: o.name)
    kind = OrgKind.DEPARTMENT
    parent = factory.SubFactory(GovernmentFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyAttribute(lambda u: u.username)
    password = factory.django.Password(PASSWORD)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


def member(username: str, display_name: str, organisation: Organisation, role: str) -> User:
    """A user holding ``role`` in ``organisation``."""
    user: User = UserFactory.create(username=username, display_name=display_name)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user
