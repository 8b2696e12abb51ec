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


def organisations_of_each_kind(government: Organisation, department: Organisation) -> dict:
    """One organisation of each kind that decides who hears a review (RULES.md §11), under
    ``government`` (济宁市人民政府) beside ``department`` (济宁市教育局)."""
    county = OrganisationFactory(
        name="任城区人民政府", kind=OrgKind.COUNTY_GOVERNMENT, parent=government
    )
    health = OrganisationFactory(name="济宁市卫生健康委员会", parent=government)
    tax = OrganisationFactory(
        name="国家税务总局济宁市税务局", kind=OrgKind.VERTICAL_AGENCY, parent=government
    )
    return {
        "government": government,
        "department": department,
        "county": county,
        "county_department": OrganisationFactory(name="任城区教育局", parent=county),
        "township": OrganisationFactory(
            name="南张街道办事处", kind=OrgKind.TOWNSHIP, parent=county
        ),
        "vertical": tax,
        "vertical_branch": OrganisationFactory(
            name="国家税务总局任城区税务局", kind=OrgKind.VERTICAL_AGENCY, parent=tax
        ),
        "institution": OrganisationFactory(
            name="济宁市第一人民医院", kind=OrgKind.PUBLIC_INSTITUTION, parent=health
        ),
    }
