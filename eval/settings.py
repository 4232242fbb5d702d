"""Eval-only configuration, from `AMENDS_EVAL_*` variables (or `.env`); CLI flags override it.

The judge talks to the same OpenAI-compatible server as the service (`AMENDS_LLM_BASE_URL`,
`AMENDS_LLM_API_KEY`) unless `AMENDS_EVAL_JUDGE_BASE_URL` names another. Without
`AMENDS_EVAL_JUDGE_MODEL` (or `--judge-model`) no judge runs and no network is touched.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class EvalSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AMENDS_EVAL_", env_file=".env", extra="ignore")

    judge_model: str | None = None
    judge_repeats: int = Field(3, ge=1, le=10)
    """LLM verdicts fluctuate; the judge asks this many times and averages the valid answers."""
    judge_base_url: str | None = None
    judge_timeout_s: float = Field(60.0, gt=0)
    judge_temperature: float = Field(0.0, ge=0, le=2)
