"""AWS through boto3: the standard credential chain, ``--profile``, ``--region``,
``AWS_ENDPOINT_URL`` (botocore honours it), botocore's standard retry mode, and every
failure as one :class:`InputError` line. Only the commands that talk to AWS import this
module's functions, which import botocore when they run: boto3 never slows down linting
files."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from meshify.injector.errors import InputError


@dataclass(frozen=True, slots=True)
class AwsOptions:
    profile: str | None = None
    region: str | None = None


# An endpoint that accepts a connection and never answers must fail in seconds (cli.md:
# "an endpoint that does not answer" ends with one line): at most MAX_ATTEMPTS times
# READ_TIMEOUT, plus the retries' short backoff. App Mesh, ECS and Cloud Map answer the
# calls meshify makes in well under a second.
CONNECT_TIMEOUT = 3
READ_TIMEOUT = 5
MAX_ATTEMPTS = 3


class UnsupportedOperation(Exception):
    """The endpoint does not know the operation (an emulator that lacks it)."""


def client(service: str, options: AwsOptions, default_region: str | None = None) -> Any:
    import boto3
    from botocore.config import Config

    with aws_errors():
        session = boto3.Session(profile_name=options.profile, region_name=options.region)
        region = options.region or session.region_name or default_region
        config = Config(retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
                        connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT)
        return session.client(service, region_name=region, config=config)


@contextmanager
def aws_errors() -> Iterator[None]:
    """Turn botocore's exceptions into one line for the user (exit status 2)."""
    from botocore import exceptions

    try:
        yield
    except (exceptions.NoCredentialsError, exceptions.PartialCredentialsError):
        raise InputError("AWS: no credentials found: use --profile, AWS_PROFILE or AWS_ACCESS_KEY_ID") from None
    except exceptions.ProfileNotFound as error:
        raise InputError(f"AWS: {error}") from None
    except exceptions.NoRegionError:
        raise InputError("AWS: no region: give --region or set AWS_REGION") from None
    except (exceptions.EndpointConnectionError, exceptions.ConnectTimeoutError, exceptions.ReadTimeoutError) as error:
        raise InputError(f"AWS: the endpoint does not answer: {error}") from None
    except exceptions.ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code.isdigit() and code == "404":
            raise UnsupportedOperation(error.operation_name) from None
        message = " ".join(str(error.response.get("Error", {}).get("Message", "")).split())
        raise InputError(f"AWS {error.operation_name}: {code}: {message}") from None
    except exceptions.BotoCoreError as error:
        raise InputError(f"AWS: {error}") from None


def paginate(client_: Any, operation: str, key: str, **arguments: Any) -> list[Any]:
    """Every item of a paginated list operation."""
    with aws_errors():
        return [item for page in client_.get_paginator(operation).paginate(**arguments) for item in page[key]]


def call(client_: Any, operation: str, **arguments: Any) -> Any:
    with aws_errors():
        return getattr(client_, operation)(**arguments)
