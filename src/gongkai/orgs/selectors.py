"""Reads about organisations and the permission rules built on roles.

The rules: a member sees and works on their own organisation's unpublished work in the roles they hold;
an administrator of an organisation may also see (not edit) the unpublished work of every organisation below it;
nobody else sees another organisation's unpublished work. Superusers see everything.

Granting a role is itself a permission (授权): only an administrator of the organisation itself grants there, and
only roles they could exercise there themselves; administering an organisation above grants nothing below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext, gettext_lazy

from gongkai.core.db import MAX_KEY, prepared
from gongkai.core.personal_data import find_personal_data

from .models import Membership, Organisation, Role


def organisation_by_code(code: str) -> Organisation | None:
    found = prepared(Organisation, "organisation_by_code",
                     lambda code: Organisation.objects.filter(code=code).order_by("pk")[:1], code)
    return found[0] if found else None


def short_names_and_codes(ids: list[int]) -> dict[int, tuple[str, str]]:
    """Short name (else the name) and code of each organisation in `ids`, for labels and links."""
    ids = [pk for pk in ids if 0 < pk <= MAX_KEY]
    if not ids:
        return {}
    rows = prepared(Organisation, "short_names_and_codes", lambda *ids: Organisation.objects.filter(pk__in=ids)
                    .values_list("pk", "short_name", "name", "code"), *ids)
    return {pk: (short_name or name, code) for pk, short_name, name, code in rows}


def organisation_by_pk(pk: int) -> Organisation | None:
    return Organisation.objects.filter(pk=pk).first()


def organisations_in_order() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("path")


def subtree(org: Organisation) -> QuerySet[Organisation]:
    """The organisation and everything below it."""
    return Organisation.objects.filter(path__startswith=org.path)


# ---- levels below a supervisor (层级) ----------------------------------------------------------------------

# Government tiers from the top of the tree down, by what the top government calls itself; the names a page shows
# for the organisations of each tier (人民政府 of that tier, and the departments and offices that work at it).
_TIERS_FROM_PROVINCE = (gettext_lazy("省级"), gettext_lazy("市级"), gettext_lazy("区县"), gettext_lazy("乡镇（街道）"))
_TIERS_FROM_CITY = (gettext_lazy("市级"), gettext_lazy("区县"), gettext_lazy("乡镇（街道）"), gettext_lazy("村（社区）"))


@dataclass(frozen=True, order=True)
class Level:
    """层级: where an organisation sits under the top of the tree, read from its depth and kind.

    A government (人民政府) at depth d governs tier d; a department or other office at depth d works at tier d - 1
    (a city's bureau at depth 1 is 市级; a county's bureau, or a county bureau under the city's bureau, at depth 2 is
    区县). Ordered top down, each tier's government before its departments (市级部门, 区县, 区县部门, …).
    """

    tier: int
    departments: bool  # False: the tier's governments; True: its departments and other offices
    label: str = ""


def _tier_names(top: Organisation | None) -> tuple[Any, ...]:
    name = top.name if top is not None else ""
    return _TIERS_FROM_PROVINCE if ("省" in name or "自治区" in name) else _TIERS_FROM_CITY


def level_of(org: Organisation, tier_names: tuple[Any, ...]) -> Level:
    government = org.kind == Organisation.Kind.GOVERNMENT
    tier = org.depth if government else max(org.depth - 1, 0)
    name = str(tier_names[tier]) if tier < len(tier_names) else gettext("第%(n)s级") % {"n": tier + 1}
    if not government:
        label = gettext("%(tier)s部门") % {"tier": name}
    else:
        label = gettext("%(tier)s人民政府") % {"tier": name} if tier == 0 else name
    return Level(tier, not government, label)


def top_of(org: Organisation) -> Organisation | None:
    """The top of the tree `org` is in (itself when it has no parent)."""
    first = org.path.strip("/").split("/")[0] if org.path else ""
    if not first or int(first) == org.pk:
        return org
    return Organisation.objects.filter(pk=int(first)).first()


def descendants_by_level(
    org: Organisation, *, visible: set[int] | None = None
) -> list[tuple[Level, list[Organisation]]]:
    """Every organisation below `org` (not `org` itself), grouped by level, top level first, each group in tree
    order; only those in `visible` when it is given (None: all). Two queries at any size."""
    names = _tier_names(top_of(org))
    groups: dict[Level, list[Organisation]] = {}
    below = Organisation.objects.filter(path__startswith=org.path).exclude(pk=org.pk).select_related("parent")
    for o in below.order_by("path"):
        if visible is None or o.pk in visible:
            groups.setdefault(level_of(o, names), []).append(o)
    return sorted(groups.items(), key=lambda kv: (kv[0].tier, kv[0].departments))


def supervising_organisations(user: Any) -> list[Organisation]:
    """The organisations from which `user` supervises others (主管): those they administer that have organisations
    below them, the outermost only (an administrator of a city and of one of its bureaus supervises from the city);
    for a superuser, the tops of the trees."""
    if getattr(user, "is_superuser", False):
        candidates = Organisation.objects.filter(parent__isnull=True)
    elif getattr(user, "is_authenticated", False):
        candidates = Organisation.objects.filter(memberships__user=user, memberships__role=Role.ADMIN)
    else:
        return []
    with_below = list(candidates.filter(Exists(Organisation.objects.filter(parent=OuterRef("pk")))).distinct()
                      .order_by("path"))
    return [o for o in with_below if not any(o.pk != p.pk and o.path.startswith(p.path) for p in with_below)]


def roles_of(user: Any, org: Organisation) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = getattr(user, "_gongkai_roles", None)
    if cache is None:
        cache = {}
        for m in Membership.objects.filter(user=user).values_list("organisation_id", "role"):
            cache.setdefault(m[0], set()).add(m[1])
        user._gongkai_roles = cache
    return set(cache.get(org.pk, set()))


def has_role(user: Any, org: Organisation, role: str) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return role in roles_of(user, org)


def is_member(user: Any, org: Organisation) -> bool:
    return bool(getattr(user, "is_superuser", False) or roles_of(user, org))


def can_edit(user: Any, org: Organisation) -> bool:
    """Editors and administrators draft and edit their organisation's content."""
    return has_role(user, org, Role.EDITOR) or has_role(user, org, Role.ADMIN)


def can_administer(user: Any, org: Organisation) -> bool:
    return has_role(user, org, Role.ADMIN)


def visible_organisation_ids(user: Any) -> set[int] | None:
    """Organisations whose unpublished work `user` may read; None means all (superuser)."""
    if getattr(user, "is_superuser", False):
        return None
    if not getattr(user, "is_authenticated", False):
        return set()
    ids: set[int] = set()
    admin_paths: list[str] = []
    for org_id, role, path in Membership.objects.filter(user=user).values_list(
        "organisation_id", "role", "organisation__path"
    ):
        ids.add(org_id)
        if role == Role.ADMIN:
            admin_paths.append(path)
    if admin_paths:
        q = Q()
        for p in admin_paths:
            q |= Q(path__startswith=p)
        ids.update(Organisation.objects.filter(q).values_list("pk", flat=True))
    return ids


# What an administrator exercises in their own organisation besides the roles they hold: they administer it and
# draft its content (can_edit). Review roles (初审, 保密审查, 签发) are exercised only by those who hold them.
_ADMINISTRATOR_EXERCISES = frozenset({Role.ADMIN, Role.EDITOR})


def grantable_roles(user: Any, org: Organisation) -> set[str]:
    """The roles `user` may grant in `org`: any for a superuser; for an administrator of `org` itself, the roles
    they could exercise there (administrator, editor, and the review roles they hold there); none otherwise."""
    if getattr(user, "is_superuser", False):
        return set(Role.values)
    held = roles_of(user, org)
    if Role.ADMIN not in held:
        return set()
    return set(_ADMINISTRATOR_EXERCISES) | held


def can_grant(user: Any, org: Organisation, role: str) -> bool:
    return role in grantable_roles(user, org)


def can_revoke(user: Any, membership: Membership) -> bool:
    """An administrator of the membership's own organisation (or a superuser) may take any role there away."""
    return getattr(user, "is_superuser", False) or Role.ADMIN in roles_of(user, membership.organisation)


def administered_organisation_ids(user: Any) -> set[int] | None:
    """The organisations `user` administers and those below them (None for a superuser): where they read the
    roles and their history, and, in the admin site, the configuration."""
    if getattr(user, "is_superuser", False):
        return None
    if not getattr(user, "is_authenticated", False):
        return set()
    paths = list(Membership.objects.filter(user=user, role=Role.ADMIN).values_list("organisation__path", flat=True))
    if not paths:
        return set()
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return set(Organisation.objects.filter(q).values_list("pk", flat=True))


def granting_organisation_ids(user: Any) -> set[int] | None:
    """The organisations where `user` may grant or configure anything: None for a superuser, else those they
    administer themselves (not those below them, which they only read)."""
    if getattr(user, "is_superuser", False):
        return None
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Membership.objects.filter(user=user, role=Role.ADMIN).values_list("organisation_id", flat=True))


def memberships_in(organisation_ids: set[int] | None) -> QuerySet[Membership]:
    """Who holds which role in these organisations (None: all), by organisation, role and user."""
    qs = Membership.objects.select_related("user", "organisation")
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return qs.order_by("organisation__path", "role", "user__username")


def can_view_unpublished(user: Any, org: Organisation) -> bool:
    visible = visible_organisation_ids(user)
    return visible is None or org.pk in visible


# What a staff user must be allowed to do for the organisation they act for.
VIEW, EDIT, ADMINISTER = "view", "edit", "administer"
_ALLOWED = {VIEW: can_view_unpublished, EDIT: can_edit, ADMINISTER: can_administer}


def organisation_for(user: Any, code: str, need: str = VIEW) -> Organisation | None:
    """The organisation `code` names if `user` may `need` (VIEW its unpublished work, EDIT its content,
    ADMINISTER it) there; None when it does not exist or the user may not, which callers answer alike."""
    org = organisation_by_code(code) if code else None
    return org if org is not None and _ALLOWED[need](user, org) else None


def staff_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations a staff user belongs to (not the ones only visible through administration)."""
    if getattr(user, "is_superuser", False):
        return Organisation.objects.order_by("path")
    return Organisation.objects.filter(memberships__user=user).distinct().order_by("path")


# ---- administrators (the inspection digest) -------------------------------------------------------------


def administrators_of(org: Organisation) -> list[Any]:
    """The active users holding the administrator role (管理员) in `org` itself, by username."""
    memberships = Membership.objects.filter(organisation=org, role=Role.ADMIN, user__is_active=True)
    return [m.user for m in memberships.select_related("user").order_by("user__username")]


def editable_organisations(user: Any) -> list[Organisation]:
    """The organisations whose content `user` may draft (editor or administrator there)."""
    return [o for o in staff_organisations(user) if can_edit(user, o)]


OVERVIEW_LIMIT = 60


def organisations_overview(
    *, include: Organisation | None = None, scope: OrganisationScope | None = None
) -> tuple[list[Organisation], bool]:
    """The organisations a page lists at a glance (of `scope`: a site's), and whether the list is shortened.

    A city lists every office; a province of thousands lists its top two levels only (the full tree is the
    organisation page's job), so the home page and the catalog's picker stay cheap at any size.
    `include` keeps a deeper organisation the visitor picked in the list.
    """
    scope = scope or OrganisationScope()
    everything = Organisation.objects.filter(scope.q()).order_by("path")
    if everything.count() <= OVERVIEW_LIMIT:
        return list(everything), False
    top_two = (Q(path=scope.path) | Q(parent__path=scope.path)) if scope.path else (
        Q(parent__isnull=True) | Q(parent__parent__isnull=True))
    top = list(everything.filter(top_two))
    if include is not None and include not in top:
        top = sorted([*top, include], key=lambda o: o.path)
    return top, True


def published_contact_numbers(org: Organisation) -> list[str]:
    """The phone numbers the organisation publishes itself (联系电话, 传真 and the list its administrator keeps):
    the pre-checks do not report them as personal data. Each number found in a line counts on its own."""
    numbers: list[str] = []
    for line in [org.phone, org.fax, *org.published_numbers.splitlines()]:
        found = [line[f.start : f.end] for f in find_personal_data(line) if f.kind in {"mobile", "landline"}]
        numbers.extend(found or ([line.strip()] if line.strip() else []))
    return numbers


def receives_mail(user: Any) -> bool:
    """Whether `user` wants the platform's mail (个人设置 › 接收邮件提醒); on unless they turned it off."""
    from .models import StaffPreference

    return not StaffPreference.objects.filter(user=user, receives_mail=False).exists()


def mail_addresses(users: Iterable[Any]) -> list[str]:
    """The addresses to mail among `users`: active, with an address, and not having turned mail off."""
    from .models import StaffPreference

    people = [u for u in users if getattr(u, "is_active", False) and (getattr(u, "email", "") or "").strip()]
    if not people:
        return []
    silent = set(
        StaffPreference.objects.filter(user__in=people, receives_mail=False).values_list("user_id", flat=True)
    )
    return sorted({u.email.strip() for u in people if u.pk not in silent})


def members_with_role(org: Organisation, role: str) -> list[Any]:
    """The active users holding `role` in `org` itself."""
    memberships = Membership.objects.filter(organisation=org, role=role, user__is_active=True).select_related("user")
    return [m.user for m in memberships.order_by("user__username")]


@dataclass(frozen=True)
class OrganisationScope:
    """A set of organisations by tree path (a site's organisations): those under `path` ("" for all) except the
    subtrees under `excluded`; with `exact`, the organisation at `path` alone."""

    path: str = ""
    excluded: tuple[str, ...] = ()
    exact: bool = False

    @property
    def is_everything(self) -> bool:
        return not self.path and not self.excluded

    def contains(self, path: str) -> bool:
        if self.exact:
            return path == self.path
        return path.startswith(self.path) and not any(path.startswith(p) for p in self.excluded)

    def q(self, prefix: str = "") -> Q:
        """The filter on a model whose organisation's path is at `prefix` + "path" (e.g. "organisation__")."""
        field = f"{prefix}path"
        if self.exact:
            return Q(**{field: self.path})
        condition = Q(**{f"{field}__startswith": self.path}) if self.path else Q()
        for excluded in self.excluded:
            condition &= ~Q(**{f"{field}__startswith": excluded})
        return condition
