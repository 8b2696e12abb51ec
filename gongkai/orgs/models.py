from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q


class OrgKind(models.TextChoices):
    GOVERNMENT = "government", "人民政府"
    DEPARTMENT = "department", "政府工作部门"
    PUBLIC_SERVICE_UNIT = "public_service_unit", "事业单位"
    COORDINATING_BODY = "coordinating_body", "议事协调机构"
    COUNTY_GOVERNMENT = "county_government", "县（市、区）政府"
    ZONE_COMMITTEE = "zone_committee", "管委会（开发区）"
    TOWNSHIP = "township", "乡镇人民政府/街道办事处"
    PARTY_ORGAN = "party_organ", "党委部门"
    VERTICAL_AGENCY = "vertical_agency", "垂直管理机构"
    PUBLIC_INSTITUTION = "public_institution", "公共企事业单位"


# The kinds that make up 「市政府各部门、单位」: bodies directly under a government.
DIRECTLY_UNDER_KINDS = (
    OrgKind.DEPARTMENT,
    OrgKind.PUBLIC_SERVICE_UNIT,
    OrgKind.COORDINATING_BODY,
)
GOVERNMENT_KINDS = (OrgKind.GOVERNMENT, OrgKind.COUNTY_GOVERNMENT)


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)

    def governments(self) -> OrganisationQuerySet:
        """The tenants: governments that run their own site on this deployment."""
        return self.filter(parent__isnull=True, kind=OrgKind.GOVERNMENT)

    def in_government(self, government: Organisation | int | None) -> OrganisationQuerySet:
        return self.filter(government=government)


class Organisation(models.Model):
    """One node of the organisation tree. Every organisation belongs to one tenant government
    (`government`, the root of its tree), which is how one deployment hosts several."""

    name = models.CharField("全称", max_length=200)
    short_name = models.CharField("简称", max_length=100, blank=True)
    kind = models.CharField("类型", max_length=32, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    government = models.ForeignKey(
        "self",
        verbose_name="所属政府（站点）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="树根的人民政府；根节点指向自己。",
    )
    order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    region_code = models.CharField("行政区划代码", max_length=12, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    org_code = models.CharField(
        "机构代码",
        max_length=32,
        blank=True,
        help_text="索引号前缀；留空时使用统一社会信用代码。",
    )
    # Contact details (条例第12条: the 公开指南 names the office's address, hours, phone, fax and
    # internet contact); shown in the guide, on the request form and in letters.
    address = models.CharField("办公地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    office_hours = models.CharField("办公时间", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=100, blank=True)
    fax = models.CharField("传真", max_length=100, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    # 行政复议机关 named in letters' remedies (RULES.md §11). Empty: derived from kind and parent
    # (orgs.review); set by the office when the derivation does not fit (e.g. a vertically
    # managed agency whose superior department is outside this tree).
    review_body = models.ForeignKey(
        "self",
        verbose_name="行政复议机关",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_body_name = models.CharField(
        "行政复议机关（树外）",
        max_length=200,
        blank=True,
        help_text="行政复议机关不在本平台机构树中时填写全称，如垂直管理机构的上级主管部门。",
    )
    # Portal site of a tenant government.
    slug = models.SlugField("站点标识", max_length=50, blank=True)
    site_hosts = models.CharField(
        "站点域名", max_length=500, blank=True, help_text="逗号分隔，如 www.jining.gov.cn"
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "name"], name="org_unique_name_in_government"
            ),
            models.UniqueConstraint(
                fields=["slug"], condition=~Q(slug=""), name="org_unique_site_slug"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.parent_id is not None and self.government_id is None:
            parent = self.parent
            if parent is not None:
                self.government_id = parent.government_id or parent.pk
        super().save(*args, **kwargs)
        if self.parent_id is None and self.government_id is None:
            self.government_id = self.pk
            super().save(update_fields=["government"])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_tenant(self) -> bool:
        return self.parent_id is None and self.kind == OrgKind.GOVERNMENT

    @property
    def has_contact(self) -> bool:
        return any((self.address, self.office_hours, self.phone, self.fax, self.email))

    def contact_source(self) -> Organisation:
        """The organisation whose contact details a citizen is given for this one: itself, or
        when it has published none, its nearest ancestor that has (up to the government)."""
        if self.has_contact:
            return self
        for node in self.ancestors():
            if node.has_contact:
                return node
        return self

    def ancestors(self) -> list[Organisation]:
        node = self.parent
        chain: list[Organisation] = []
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class OrganisationAlias(models.Model):
    """Another name for an organisation (简称, former name, the name without 市 …)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="机构", on_delete=models.CASCADE, related_name="aliases"
    )
    government = models.ForeignKey(
        Organisation, verbose_name="所属政府", on_delete=models.CASCADE, related_name="+"
    )
    alias = models.CharField("别名", max_length=200)

    class Meta:
        verbose_name = "机构别名"
        verbose_name_plural = "机构别名"
        constraints = [
            models.UniqueConstraint(
                fields=["government", "alias"], name="alias_unique_in_government"
            )
        ]

    def __str__(self) -> str:
        return self.alias

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.government_id is None:
            self.government_id = self.organisation.government_id
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", "公开办管理员"
    OFFICER = "officer", "信息员"
    REVIEWER = "reviewer", "审核人"
    APPROVER = "approver", "负责人（签发人）"
    EVALUATOR = "evaluator", "评估人（只读）"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="机构", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "成员与角色"
        verbose_name_plural = "成员与角色"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"
