"""The README's settings tables list every setting of every service, by its environment name and
with its default, so the two cannot drift apart."""

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import AliasChoices, BaseModel, SecretStr
from pydantic_settings import BaseSettings

from services.api.settings import ApiSettings
from services.demo.settings import DemoSettings
from services.intake.settings import IntakeSettings
from services.matcher.learning.settings import LearningSettings
from services.matcher.settings import MatcherSettings
from services.notifier.settings import NotifierSettings
from shared.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| `([A-Z0-9_]+)` \| (`[^`]*`|unset|[^|]*?) \| (.+) \|$")
SETTINGS: tuple[type[BaseSettings], ...] = (
    Settings,
    IntakeSettings,
    MatcherSettings,
    LearningSettings,
    NotifierSettings,
    ApiSettings,
    DemoSettings,
)


def env_settings(model: type[BaseModel], prefix: str) -> dict[str, Any]:
    """Environment name -> default of every field (nested models with ``__``)."""
    found: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            alias = str(alias.choices[0])
        env = str(alias) if alias else f"{prefix}{name}".upper()
        if isinstance(field.default, BaseModel):
            found |= env_settings(type(field.default), f"{env}__")
        else:
            found[env] = field.default
    return found


def documented() -> dict[str, str]:
    """Environment name -> default as the README's tables give it."""
    rows = (ROW.match(line) for line in README.read_text(encoding="utf-8").splitlines())
    return {row[1]: row[2].strip("`") for row in rows if row}


def same(written: str, default: Any) -> bool:
    """Whether the README's default stands for ``default``."""
    if isinstance(default, SecretStr):
        default = default.get_secret_value()
    if default is None:
        return written == "unset"
    if isinstance(default, bool):
        return written == str(default).lower()
    if isinstance(default, int | float):
        return float(written.replace("_", "")) == float(default)
    return written == str(default)


@pytest.mark.parametrize("model", SETTINGS, ids=lambda model: model.__name__)
def test_every_setting_is_in_the_readme_with_its_default(model: type[BaseSettings]) -> None:
    prefix = str(model.model_config.get("env_prefix", ""))
    table = documented()
    for env, default in env_settings(model, prefix).items():
        assert env in table, f"{env} ({model.__name__}) is not in the README's settings tables"
        assert same(table[env], default), f"README says {env}={table[env]}, code {default!r}"


@pytest.mark.parametrize("model", SETTINGS, ids=lambda model: model.__name__)
def test_every_setting_is_described(model: type[BaseSettings]) -> None:
    for name, field in model.model_fields.items():
        assert field.description, f"{model.__name__}.{name} has no description"


def test_the_readme_lists_no_setting_that_is_gone() -> None:
    known = {env for model in SETTINGS for env in env_settings(model, _prefix(model))}
    settings_section = README.read_text(encoding="utf-8").split("## Settings")[1].split("\n## ")[0]
    listed = {m[1] for line in settings_section.splitlines() if (m := ROW.match(line))}
    assert listed <= known, f"README lists unknown settings: {sorted(listed - known)}"


def _prefix(model: type[BaseSettings]) -> str:
    return str(model.model_config.get("env_prefix", ""))
