"""Rendering the pages: one Jinja2 environment (autoescape on), Dutch labels as filters, and the
answer helpers every page router uses."""

from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from services.api.pages.dutch import (
    REASON_CODES,
    component_nl,
    day,
    kind_label,
    percent,
    reason_nl,
    status_nl,
    step_nl,
    when,
)
from services.api.pages.navigation import navigation
from services.api.pages.queue_candidates import candidate, revoke_form, track_record
from services.api.pages.timeline_figures import timeline_figure
from services.api.principal import Principal
from shared import taxonomy

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
REGIONS = tuple(sorted({place.rtc_region for place in taxonomy.places().values()}))
ROLE_LABELS = {
    "school": "school",
    "provider": "aanbieder",
    "coordinator": "coördinator",
    "admin": "beheerder",
}


ORGANISATION_KINDS = {
    "school": "school",
    "provider": "aanbieder",
    "rtc": "RTC",
    "admin": "platform",
}


def _count(value: int) -> str:
    """A number as Dutch writes it: 72.620."""
    return f"{value:,}".replace(",", ".")


def _field(code: str | None) -> str:
    return taxonomy.field_label(code) if code in taxonomy.field_domains() else (code or "")


def _grade(code: str | None) -> str:
    return taxonomy.grade_label(code) if code in taxonomy.grades() else (code or "")


def _provider_type(code: str | None) -> str:
    return taxonomy.provider_type_label(code) if code in taxonomy.provider_types() else (code or "")


def _venue(code: str | None) -> str:
    return taxonomy.venue_label(code) if code in taxonomy.venues() else (code or "")


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,  # everything a page shows is escaped, also in .txt-less partials
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the templates ship with the code: no stat of each on every page
    )
    environment.filters.update(
        when=when,
        day=day,
        percent=percent,
        count=_count,
        kind=kind_label,
        field=_field,
        grade=_grade,
        component=component_nl,
        status_nl=status_nl,
        step_nl=step_nl,
        reason_nl=reason_nl,
    )
    environment.globals.update(
        kinds=taxonomy.kinds(),
        fields=tuple(taxonomy.field_domains()),
        grades=taxonomy.grades(),
        regions=REGIONS,
        role_labels=ROLE_LABELS,
        kind_labels=ORGANISATION_KINDS,
        reason_codes=REASON_CODES,
        kind_label=kind_label,
        field_label=_field,
        provider_types=taxonomy.provider_types(),
        venues=taxonomy.venues(),
        provider_type_label=_provider_type,
        venue_label=_venue,
        timeline=timeline_figure,
        candidate=candidate,
        revoke_form=revoke_form,
        track_record=track_record,
    )
    return environment


TEMPLATES = Jinja2Templates(env=_environment())


def render(
    request: Request,
    template: str,
    principal: Principal | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The page ``template`` for ``principal`` with ``context``."""
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "principal": principal,
            "nav": navigation(principal),
            "csrf_token": principal.csrf_token if principal else "",
            "current_path": request.url.path,
            **context,
        },
        status_code=status_code,
    )


def render_fragment(template: str, **context: Any) -> str:
    """A part of a page alone, with ``context`` only (no principal, no request)."""
    return TEMPLATES.get_template(template).render(context)


def render_block(template: str, block: str, **context: Any) -> Markup:
    """One block of ``template`` alone, with ``context`` only (no principal, no request):
    escaped as the template escapes, so it goes into a page as it is."""
    found = TEMPLATES.get_template(template)
    return Markup("".join(found.blocks[block](found.new_context(context))))  # noqa: S704


def is_htmx(request: Request) -> bool:
    """Whether htmx asked (a partial answer will do)."""
    return request.headers.get("HX-Request") == "true"
