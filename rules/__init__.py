"""meshify's rules, one module each; a module's docstring is its rule's documentation.

Importing this package registers every rule with the engine (``meshify.injector.engine``).
"""

from meshify.rules import (  # noqa: F401
    i301_stream_permission,
    i302_stream_scope,
    i303_xray_permissions,
    t201_envoy_container,
    t202_envoy_essential_health,
    t203_depends_on_envoy,
    t204_proxy_configuration,
    t205_app_ports,
    t206_envoy_user,
    t207_resource_arn,
    t208_network_mode,
    t210_gateway_task,
    t213_envoy_settings,
)
