"""What the services read from the environment, for the deployment tests."""

from services.api.settings import ApiSettings
from services.intake.settings import IntakeSettings
from services.matcher.learning.settings import LearningSettings
from services.matcher.settings import MatcherSettings
from services.notifier.settings import NotifierSettings
from shared.settings import Settings
from tests.ops.test_settings_documented import env_settings

# app -> the settings classes it reads
READS = {
    "services.intake.app:app": (IntakeSettings,),
    "services.matcher.app:app": (Settings, MatcherSettings, LearningSettings),
    "services.notifier.app:app": (NotifierSettings,),
    "services.api.app:app": (ApiSettings,),
}
# Settings a deployment must give each service (the rest have safe defaults for any deployment).
REQUIRED = {"KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL", "HTTP_HOST"}


def env_names(app: str) -> set[str]:
    """Every environment variable ``app`` reads (besides LOG_LEVEL)."""
    names = {"LOG_LEVEL"}
    for model in READS[app]:
        names |= set(env_settings(model, str(model.model_config.get("env_prefix", ""))))
    return names
