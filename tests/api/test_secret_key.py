"""The API does not start with a secret key anyone could know, unless told it runs locally."""

import os
import subprocess
import sys

import pytest
from fastapi import FastAPI

from services.api.app import create_app
from services.api.settings import DEV_SECRET_KEY, ApiSettings, UnsafeSecretKeyError
from tests.stack import REPO, Stack

UNSAFE = {
    "the development key": DEV_SECRET_KEY,
    "empty": "",
    "short": "s3cr3t-but-only-31-characters!!",
    "the old k8s placeholder": "change-me-to-a-long-random-value",
    "long but uniform": "a" * 64,
}


@pytest.mark.parametrize("key", UNSAFE.values(), ids=UNSAFE.keys())
def test_unsafe_keys_are_refused_outside_local_mode(key: str) -> None:
    with pytest.raises(UnsafeSecretKeyError, match="API_SECRET_KEY"):
        ApiSettings(secret_key=key).check_secret_key()
    ApiSettings(secret_key=key, local_mode=True).check_secret_key()


def test_a_long_random_key_is_accepted() -> None:
    ApiSettings(secret_key="kQ1v9Zc7uJ0pX2mT5rB8yN4wE6sH3aLd").check_secret_key()


async def test_the_app_does_not_start_with_the_development_key(stack: Stack) -> None:
    refused = create_app(ApiSettings(secret_key=DEV_SECRET_KEY))
    with pytest.raises(UnsafeSecretKeyError):
        async with refused.router.lifespan_context(refused):
            pass
    local: FastAPI = create_app(ApiSettings(secret_key=DEV_SECRET_KEY, local_mode=True))
    async with local.router.lifespan_context(local):
        assert local.state.context.settings.local_mode


def test_uvicorn_exits_when_no_key_is_set() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("API_")}
    started = subprocess.run(
        [sys.executable, "-m", "uvicorn", "services.api.app:app", "--port", "0"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert started.returncode != 0
    assert "API_SECRET_KEY" in started.stderr
