"""The cross-checks of groups.yaml, and coverage of the district's schools.

Split out of :mod:`jituan.validate`, which runs them on the raw YAML data after the
shape check: duplicate ids, names and aliases that clash, a lead that is not a member,
a school in two groups.

Coverage (二（一）, every school of the district in a group): the optional ``schools:``
list of groups.yaml names the district's schools. A listed school is covered when a
member's name or alias matches it (after :func:`jituan.textnorm.key`), or when a
*division* of it is a member: 张掖市第一中学 is covered by 张掖市第一中学（初中部）. List
the divisions themselves to count them separately.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jituan.textnorm import clean, key
from jituan.validate_findings import _Collector, _entries, _text, _texts, msg

#: A division suffix, on a key (NFKC turns （初中部） into (初中部)).
_DIVISION = re.compile(r"\([^()]*部\)$")


@dataclass(frozen=True)
class Coverage:
    """Schools in a group ÷ schools listed in groups.yaml's ``schools:``."""

    listed: int
    covered: int
    uncovered: tuple[str, ...]

    @property
    def share(self) -> float | None:
        """The share of listed schools in a group; None when the list is empty."""
        return self.covered / self.listed if self.listed else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "listed": self.listed,
            "covered": self.covered,
            "share": None if self.share is None else round(self.share, 4),
            "uncovered": list(self.uncovered),
        }


def _members(group: dict) -> list[tuple[int, dict]]:
    """Members as mappings (a bare name is ``{"name": ...}``), as the model reads them."""
    value = group.get("members")
    if not isinstance(value, list):
        return []
    out = []
    for i, m in enumerate(value):
        if isinstance(m, str):
            out.append((i, {"name": m}))
        elif isinstance(m, dict):
            out.append((i, m))
    return out


# --------------------------------------------------------------------------- groups.yaml


def _headcount(value: Any) -> Any:
    """``teachers:`` as the configuration reads it (a quoted "40" is 40), so that the
    headcount warnings agree with the shares ``check`` computes; a value the model
    refuses stays as written (the shape check reports it)."""
    from pydantic import ValidationError

    from jituan.config import Member

    try:
        return Member.model_validate({"name": "-", "teachers": value}).teachers
    except ValidationError:
        return value


@dataclass
class _School:
    name: str
    group: int  # index of its group
    loc: tuple[Any, ...]
    rural: bool
    teachers: Any
    lead: bool
    aliases: list[tuple[int, str]]


#: A member written "key：value" with a full-width colon (a Chinese input method): YAML
#: reads it as a school's name.
_FULLWIDTH_KEY = re.compile(r"^\s*(name|rural|teachers|aliases)\s*：")


def _check_groups(c: _Collector) -> tuple[list[tuple[int, dict]], list[_School]]:
    """Cross-checks of groups.yaml; returns the groups and member schools it could read."""
    data = c.source.data
    lang = c.lang
    groups = _entries(data, "groups")
    group_ids: dict[str, tuple[Any, ...]] = {}
    group_names: dict[str, tuple[int, tuple[Any, ...]]] = {}
    schools: list[_School] = []
    by_key: dict[str, _School] = {}

    for gi, g in groups:
        gloc = ("groups", gi)
        gid = _text(g.get("id"))
        names = [(_text(g.get("name")), (*gloc, "name"))]
        if gid is not None and c.first_id(group_ids, gid, (*gloc, "id"), "group"):
            names.insert(0, (gid, (*gloc, "id")))
        names += [(a, (*gloc, "aliases", ai)) for ai, a in _texts(g.get("aliases"))]
        for text, loc in names:
            if text is None:
                continue
            k = key(text)
            if k in group_names and group_names[k][0] != gi:
                other_gi, other_loc = group_names[k]
                other = dict(groups)[other_gi]
                c.add(
                    loc,
                    "name-clash",
                    what=msg("group", lang),
                    text=text,
                    other=other.get("name") or other.get("id"),
                    first=c.line(other_loc),
                )
            else:
                group_names.setdefault(k, (gi, loc))

        lead = _text(g.get("lead"))
        member_keys: dict[str, str] = {}
        alias_of: dict[str, str] = {}
        for mi, m in _members(g):
            mloc = (*gloc, "members", mi)
            name = _text(m.get("name"))
            aliases = _texts(m.get("aliases"))
            if name is None:
                continue
            written = _FULLWIDTH_KEY.match(name)
            if written:  # - name：东新小学 reads as a school named so, in silence
                c.add(
                    (*mloc, "name"), "fullwidth-key", "warning", name=name.strip(), key=written[1]
                )
            k = key(name)
            for _, a in aliases:
                alias_of.setdefault(key(a), name.strip())
            if k in by_key:
                first = by_key[k]
                if first.group == gi:
                    c.add(mloc, "duplicate-member", name=name.strip(), first=c.line(first.loc))
                else:
                    other = dict(groups)[first.group]
                    c.add(
                        mloc,
                        "school-in-two-groups",
                        name=name.strip(),
                        other=other.get("name") or other.get("id"),
                        first=c.line(first.loc),
                    )
                continue
            member_keys[k] = name.strip()
            school = _School(
                name=name.strip(),
                group=gi,
                loc=mloc,
                rural=m.get("rural") is True,
                teachers=_headcount(m.get("teachers")),
                lead=lead is not None and key(lead) == k,
                aliases=aliases,
            )
            schools.append(school)
            by_key[k] = school
        if lead is not None and member_keys and key(lead) not in member_keys:
            hint = ""
            if key(lead) in alias_of:
                hint = msg("use-member-name", lang, name=alias_of[key(lead)])
            c.add((*gloc, "lead"), "lead-not-member", lead=clean(lead), hint=hint)

    # aliases, once every school's name is known
    alias_owner: dict[str, _School] = {}
    for s in schools:
        for ai, alias in s.aliases:
            k = key(alias)
            loc = (*s.loc, "aliases", ai)
            named = by_key.get(k)
            if named is not None and named is not s:
                c.add(loc, "alias-is-school-name", alias=alias, school=s.name, other=named.name)
            elif k in alias_owner and alias_owner[k] is not s:
                c.add(
                    loc, "alias-two-schools", alias=alias, school=s.name, other=alias_owner[k].name
                )
            else:
                alias_owner.setdefault(k, s)
    return groups, schools


def _undivided(k: str) -> str:
    return _DIVISION.sub("", k)


def _coverage(c: _Collector, schools: list[_School]) -> Coverage | None:
    data = c.source.data
    listed = _texts(data.get("schools")) if isinstance(data, dict) else []
    if not isinstance(data, dict) or not isinstance(data.get("schools"), list):
        return None
    member_keys: dict[str, _School] = {}
    for s in schools:
        for text in [s.name, *(a for _, a in s.aliases)]:
            member_keys.setdefault(key(text), s)
    whole_keys: set[str] = {_undivided(k) for k in member_keys}
    seen: dict[str, int] = {}
    covered = 0
    uncovered: list[str] = []
    listed_keys: set[str] = set()
    for i, name in listed:
        k = key(name)
        loc = ("schools", i)
        if k in seen:
            c.add(
                loc,
                "listed-twice",
                "warning",
                name=name.strip(),
                first=c.line(("schools", seen[k])),
            )
            continue
        seen[k] = i
        listed_keys.add(k)
        if k in member_keys or k in whole_keys:
            covered += 1
        else:
            uncovered.append(name.strip())
            c.add(loc, "not-in-any-group", "warning", name=name.strip())
    for s in schools:
        keys = {key(t) for t in [s.name, *(a for _, a in s.aliases)]}
        if not (keys | {_undivided(k) for k in keys}) & listed_keys:
            c.add((*s.loc, "name"), "member-not-listed", "warning", name=s.name)
    return Coverage(len(seen), covered, tuple(uncovered))
